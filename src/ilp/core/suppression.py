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

**Series of cumulative counts** (:func:`suppress_series`). A count to date (served since
January) shown for month M and for an earlier month gives by subtraction how many were added
in between: a relation ``cum_M = cum_L + added`` across every pair of months a reader can
request. "Disclosure by differencing" between linked tables is the standard warning of the
practice (ONS, "Statistical disclosure control for tables", differencing; Hundepool et al.,
*Statistical Disclosure Control*, Wiley 2012, §4.5 linked tables): the published tables must
be protected together, not one by one. ILP protects the months of a year together, in
calendar order, so that a month's decision never depends on a later month (a page shown in
March stays as it was shown when April arrives):

- a cumulative cell is hidden in month M when the rise since the last month it was shown
  (0 before January) is 1 to 4 persons: the rise is then a small count. A zero rise is shown
  (it discloses no one), except after a month in which the cell was hidden: an equal count on
  both sides of a hidden month would pin the hidden one (counts to date never fall), so the
  cell stays hidden until it has risen by 5 or more since it was last shown;
- these are primary suppressions of the month's table, whose relations and nestings then get
  their complements as above; a complement hidden in one month is again a cell "hidden since
  last shown" for the next.

The months a reader sees of one cell are therefore 0 or at least 5 apart, and a hidden month
lies between shown neighbours at least 5 apart. Showing cumulative values only at a coarser
step (quarters) was rejected: a quarter's rise can be as small as a month's, so it needs the
same rule and would only hide more.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
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
    *,
    hidden: Iterable[Hashable] = (),
) -> set[Hashable]:
    """The keys of `values` to hide so that no count below `threshold` is shown or can be
    recovered through `relations` and `nestings` (see the module docstring); `hidden`: keys
    to hide whatever their value (hidden for another reason, protected in the same way)."""
    relations = list(relations)
    nestings = list(nestings)
    hidden = set(hidden) | {k for k, v in values.items() if is_small(v, threshold)}
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


@dataclass(frozen=True)
class Table:
    """One month's table: its counts and the relations and nestings among them."""

    values: Mapping[Hashable, int]
    relations: Sequence[Relation] = ()
    nestings: Sequence[Nesting] = ()


def suppress_series(
    tables: Sequence[Table], cumulative: Iterable[Hashable], threshold: int = THRESHOLD
) -> list[set[Hashable]]:
    """The keys to hide in each of a year's monthly tables, January first, where the keys in
    `cumulative` are counts to date (see "Series of cumulative counts" in the module
    docstring). Each month's decision depends only on that month and the earlier ones."""
    cumulative = set(cumulative)
    last_shown: dict[Hashable, int] = {}  # a cumulative key → its count when last shown
    gap: set[Hashable] = set()  # cumulative keys hidden since they were last shown
    out: list[set[Hashable]] = []
    for table in tables:
        rising = set()
        for key in cumulative & set(table.values):
            rise = table.values[key] - last_shown.get(key, 0)
            if is_small(rise, threshold) or (rise == 0 and key in gap):
                rising.add(key)
        hidden = suppress(table.values, table.relations, table.nestings, threshold, hidden=rising)
        for key in cumulative & set(table.values):
            if key in hidden:
                gap.add(key)
            else:
                last_shown[key] = table.values[key]
                gap.discard(key)
        out.append(hidden)
    return out
