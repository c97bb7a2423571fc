"""Small-count suppression: nothing below 5 is shown or recoverable by subtraction."""

from __future__ import annotations

import itertools
import random

from ilp.core.suppression import Nesting, Relation, suppress


def _row(name: str, male: int, female: int) -> tuple[dict, Relation]:
    values = {(name, "M"): male, (name, "F"): female, (name, "T"): male + female}
    return values, Relation((name, "T"), ((name, "M"), (name, "F")))


def test_small_counts_are_hidden_and_zero_is_shown():
    values, rel = _row("adult", 0, 3)
    hidden = suppress(values, [rel])
    # F=3 and T=3 are both small; M=0 discloses no one.
    assert hidden == {("adult", "F"), ("adult", "T")}


def test_complement_hides_a_second_cell_so_the_small_one_cannot_be_subtracted():
    values, rel = _row("adult", 7, 2)  # T=9 shown, M=7 shown → F = 9 − 7 today
    hidden = suppress(values, [rel])
    assert ("adult", "F") in hidden
    assert ("adult", "M") in hidden  # the complement (smallest non-zero other part)
    assert ("adult", "T") not in hidden


def test_hidden_parts_must_not_add_up_to_a_small_known_count():
    values = {"t": 12, "a": 1, "b": 2, "c": 9}
    hidden = suppress(values, [Relation("t", ("a", "b", "c"))])
    # a + b = 12 − 9 = 3 would be known: c is hidden too.
    assert hidden == {"a", "b", "c"}


def test_grand_total_and_area_totals():
    values = {"grand": 20, "x": 3, "y": 8, "z": 9}
    hidden = suppress(values, [Relation("grand", ("x", "y", "z"))])
    assert hidden == {"x", "y"}  # y, the smallest other, protects x


def test_nested_stages_difference_is_protected():
    # 7 toddlers of whom 6 infants: 1 toddler aged 1-4 years would be recoverable.
    values = {"toddler": 7, "infant": 6}
    hidden = suppress(values, nestings=[Nesting("toddler", "infant")])
    assert hidden == {"infant"}


def _determined(values, hidden, relations) -> bool:
    """Whether some hidden small cell is fixed by the shown cells (brute force over the
    possible values of the hidden cells, each 0..total of the table)."""
    keys = sorted(hidden, key=str)
    bound = max(values.values())
    solutions = []
    for combo in itertools.product(range(bound + 1), repeat=len(keys)):
        trial = {**values, **dict(zip(keys, combo, strict=True))}
        if all(trial[r.total] == sum(trial[p] for p in r.parts) for r in relations):
            solutions.append(combo)
    for i, key in enumerate(keys):
        if 0 < values[key] < 5 and len({s[i] for s in solutions}) == 1:
            return True
    return False


def test_no_small_count_is_recoverable_in_random_two_by_two_tables():
    rng = random.Random(9)
    for _ in range(60):
        values: dict = {}
        relations = []
        for row in ("r1", "r2"):
            v, rel = _row(row, rng.choice([0, 1, 2, 3, 5, 8]), rng.choice([0, 1, 4, 6, 9]))
            values.update(v)
            relations.append(rel)
        values["grand"] = values[("r1", "T")] + values[("r2", "T")]
        relations.append(Relation("grand", (("r1", "T"), ("r2", "T"))))
        hidden = suppress(values, relations)
        assert all(k in hidden for k, v in values.items() if 0 < v < 5)
        assert not _determined(values, hidden, relations), values
