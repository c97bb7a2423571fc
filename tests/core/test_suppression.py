"""Small-count suppression: nothing below 5 is shown or recoverable by subtraction."""

from __future__ import annotations

import itertools
import random

from ilp.core.suppression import Nesting, Relation, Table, suppress, suppress_series


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
    """Whether some hidden small cell is fixed by the shown cells: an exhaustive search over
    the possible values of the hidden cells (each 0..total of the table) for the solutions of
    the relations.

    A relation with one unknown cell fixes it, so the search branches only over the cells no
    relation fixes, and it stops as soon as every small hidden cell has been seen with two
    different values (then none is determined). The answer is the one of trying every
    combination of values, which took over two minutes for 60 tables."""
    keys = sorted(hidden, key=str)
    bound = max(values.values())
    small = [k for k in keys if 0 < values[k] < 5]
    seen: dict = {k: set() for k in small}
    equations = [(r.total, tuple(r.parts)) for r in relations]

    def propagate(trial: dict) -> bool:
        """Fill in what the relations fix; False when they contradict the trial."""
        changed = True
        while changed:
            changed = False
            for total, parts in equations:
                unknown = [c for c in (total, *parts) if c not in trial]
                if not unknown:
                    if trial[total] != sum(trial[p] for p in parts):
                        return False
                elif len(unknown) == 1:
                    (cell,) = unknown
                    known = sum(trial[p] for p in parts if p != cell)
                    value = known if cell == total else trial[total] - known
                    if not 0 <= value <= bound:
                        return False
                    trial[cell] = value
                    changed = True
        return True

    def search(trial: dict) -> bool:
        """Record the solutions extending `trial`; True once no small cell can be fixed."""
        if not propagate(trial):
            return False
        free = [k for k in keys if k not in trial]
        if not free:
            for k in small:
                seen[k].add(trial[k])
            return all(len(v) > 1 for v in seen.values())
        return any(search({**trial, free[0]: v}) for v in range(bound + 1))

    if small:
        search({k: v for k, v in values.items() if k not in hidden})
    return any(len(v) == 1 for v in seen.values())


def _determined_by_every_combination(values, hidden, relations) -> bool:
    """The same question answered by trying every combination (slow; for small tables)."""
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


def test_the_search_answers_as_trying_every_combination():
    """The fast search against the brute force on the small random tables (at most 20,000
    combinations each), with the suppressed cells and with only the small cells hidden
    (where a small cell is often recoverable)."""
    rng = random.Random(4)
    answers = []
    for _ in range(80):
        values: dict = {}
        relations = []
        for row in ("r1", "r2"):
            v, rel = _row(row, rng.choice([0, 1, 2, 3, 5]), rng.choice([0, 1, 4, 6]))
            values.update(v)
            relations.append(rel)
        values["grand"] = values[("r1", "T")] + values[("r2", "T")]
        relations.append(Relation("grand", (("r1", "T"), ("r2", "T"))))
        for hidden in (suppress(values, relations), {k for k, v in values.items() if 0 < v < 5}):
            if (max(values.values()) + 1) ** len(hidden) > 20_000:
                continue
            fast = _determined(values, hidden, relations)
            assert fast == _determined_by_every_combination(values, hidden, relations), values
            answers.append(fast)
    assert answers.count(True) >= 20
    assert answers.count(False) >= 20


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


def test_a_series_hides_a_month_that_rose_by_less_than_five_since_last_shown():
    """One count to date over six months: 0, 7, 9, 12, 12, 12. February rose by 7 (shown),
    March by 2 (hidden), April by 5 since February, its last shown month (shown), May by 0
    (shown), June by 0 (shown)."""
    months = [0, 7, 9, 12, 12, 12]
    hidden = suppress_series([Table({"c": v}) for v in months], cumulative={"c"})
    assert [("c" in h) for h in hidden] == [False, False, True, False, False, False]


def test_a_series_keeps_a_count_hidden_until_it_rises_by_five():
    """20 shown, then 21 (hidden), 21 again: a zero rise after a hidden month would pin it
    (counts to date never fall), so it stays hidden; 25 is 5 above the last shown 20."""
    hidden = suppress_series([Table({"c": v}) for v in (20, 21, 21, 24, 25)], cumulative={"c"})
    assert [("c" in h) for h in hidden] == [False, True, True, True, False]


def test_a_series_protects_a_months_rise_through_its_relation():
    """total = a + b. Month 1: a 10, b 10, total 20. Month 2: a 13 (rise 3: hidden), b 15
    (rise 5), total 28 (rise 8): with a hidden, total − b would give a back, so b is hidden
    too (the smaller non-zero part). Month 3, unchanged: a still 3 above its last shown 10,
    b unchanged after a hidden month: both stay hidden; the total is shown."""

    def month(a: int, b: int) -> Table:
        return Table({"t": a + b, "a": a, "b": b}, [Relation("t", ("a", "b"))])

    hidden = suppress_series([month(10, 10), month(13, 15), month(13, 15)], {"t", "a", "b"})
    assert hidden == [set(), {"a", "b"}, {"a", "b"}]
