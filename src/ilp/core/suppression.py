"""Small-count suppression for aggregates shown to viewers without personal-data access.

A count of 1 to 4 persons in a small area (a dusun × life stage × sex) points at people a
camat or kepala desa may know by name. Such a count is hidden (*primary* suppression); so is
any count from which it could be recovered by subtraction (*complementary* suppression):

- an additive relation ``total = part1 + part2 + ...`` (a row's males + females = its total;
  the areas' totals = the grand total) never has exactly one hidden member, and the hidden
  parts never add up to a known count below the threshold;
- a nesting ``inner ⊆ outer`` (infants within toddlers) never shows both counts when their
  difference is a count below the threshold.

Zero is shown: it discloses no one. The complement chosen is the smallest non-zero count
that closes the gap, which costs the reader the least information. The procedure repeats
until no relation or nesting discloses a small count, so a complement that opens a new gap
elsewhere is protected in turn.

Rule after the statistical-disclosure practice of national statistics offices (threshold
5: e.g. ONS "Statistical disclosure control for tables"; Indonesia's UU 27/2022 on personal
data protection asks that aggregates not identify a person). Pure Python: no Django here.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

THRESHOLD = 5


@dataclass(frozen=True)
class Relation:
    """`total` equals the sum of `parts` (all keys of the table)."""

    total: Hashable
    parts: tuple[Hashable, ...]


@dataclass(frozen=True)
class Nesting:
    """Everyone counted in `inner` is counted in `outer` too (outer − inner is a count)."""

    outer: Hashable
    inner: Hashable


def is_small(value: int, threshold: int = THRESHOLD) -> bool:
    """A count that identifies too few persons: 1 to threshold − 1."""
    return 0 < value < threshold


def suppress(
    values: Mapping[Hashable, int],
    relations: Iterable[Relation] = (),
    nestings: Iterable[Nesting] = (),
    threshold: int = THRESHOLD,
) -> set[Hashable]:
    """The keys of `values` to hide so that no count below `threshold` is shown or can be
    recovered through `relations` and `nestings` (see the module docstring)."""
    relations = list(relations)
    nestings = list(nestings)
    hidden = {k for k, v in values.items() if is_small(v, threshold)}
    changed = True
    while changed:
        changed = False
        for rel in relations:
            key = _relation_gap(values, hidden, rel, threshold)
            if key is not None:
                hidden.add(key)
                changed = True
        for nest in nestings:
            if nest.outer in hidden or nest.inner in hidden:
                continue
            if is_small(values[nest.outer] - values[nest.inner], threshold):
                # Hide the smaller of the two; its own relations get complements next round.
                smaller = min((nest.inner, nest.outer), key=lambda k: values[k])
                hidden.add(smaller)
                changed = True
    return hidden


def _relation_gap(
    values: Mapping[Hashable, int], hidden: set[Hashable], rel: Relation, threshold: int
) -> Hashable | None:
    """The key to hide next in `rel`, or None when `rel` discloses no small count."""
    members = (rel.total, *rel.parts)
    hidden_here = [k for k in members if k in hidden]
    if not hidden_here:
        return None
    leaks = len(hidden_here) == 1
    if not leaks and rel.total not in hidden:
        # The hidden parts' sum is the total minus the shown parts: known to the reader.
        leaks = is_small(sum(values[k] for k in hidden_here), threshold)
    if not leaks:
        return None
    shown_parts = [k for k in rel.parts if k not in hidden]
    candidates = [k for k in shown_parts if values[k] > 0] or (
        [rel.total] if rel.total not in hidden else shown_parts
    )
    if not candidates:
        return None  # everything is hidden already
    return min(candidates, key=lambda k: values[k])
