"""The data-quality scorecard's resident counts per desa, kept in ``VillageResidents`` and
recomputed on the read that finds them out of date.

The scorecard's resident measures (Whipple's index, birth dates on a 1st, no NIK, duplicate
candidates) read every living resident of the district: two full passes over 500,000 persons
(about 2 s). Persons change rarely and a desa at a time, so each desa's counts are kept:
triggers on ``people_person`` raise the desa's ``version`` on every write that moves a
count (see the model), and a read recomputes only the desa whose ``computed`` version is
behind, from their persons, in one query, then stores them (one more query). The counts are
therefore as fresh as the persons table in the read's transaction; a desa written during
the read is recomputed on the next one (its stored version stays behind).

The duplicate rule is the registration check's (``ilp.people.duplicates``), applied by
``quality.pairs_in`` to the same groups the live search builds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ilp.monitoring.models import VillageResidents
from ilp.people.models import Person


@dataclass
class Residents:
    """One desa's counts, as the scorecard reads them."""

    by_year: list[list[int]] = field(default_factory=list)  # [year, n, day one, no NIK]
    by_hamlet: list[list[Any]] = field(default_factory=list)  # [hamlet, year, n, day1, no NIK]
    pairs: list[list[Any]] = field(default_factory=list)  # [hamlet of the first, pairs]


def village_residents(villages: Iterable[int], *, by_hamlet: bool) -> dict[int, Residents]:
    """The counts of these desa (a desa without persons is absent): one query when all are
    current, three when some must be recomputed. `by_hamlet`: read the dusun/RW counts too
    (a scorecard of posyandu rows), else only the desa's."""
    ids = sorted(set(villages))
    if not ids:
        return {}
    columns = ["village_id", "version", "computed", "by_year", "pairs"]
    if by_hamlet:
        columns.append("by_hamlet")
    rows = list(VillageResidents.objects.filter(village_id__in=ids).values(*columns))
    out: dict[int, Residents] = {}
    stale = {}
    for r in rows:
        if r["computed"] == r["version"]:
            out[r["village_id"]] = Residents(r["by_year"], r.get("by_hamlet") or [], r["pairs"])
        else:
            stale[r["village_id"]] = r["version"]
    if stale:
        fresh = count_residents(stale)
        VillageResidents.objects.bulk_update(
            [
                VillageResidents(
                    village_id=v,
                    computed=version,  # the version read: a write since then reads again
                    by_year=fresh[v].by_year,
                    by_hamlet=fresh[v].by_hamlet,
                    pairs=fresh[v].pairs,
                )
                for v, version in stale.items()
            ],
            ["computed", "by_year", "by_hamlet", "pairs"],
        )
        out.update(fresh)
    return out


def count_residents(villages: Iterable[int]) -> dict[int, Residents]:
    """Recompute the counts of these desa from their persons (one query)."""
    from ilp.monitoring.quality import pairs_in

    ids = sorted(set(villages))
    years: dict[int, dict[int, list[int]]] = {v: defaultdict(lambda: [0, 0, 0]) for v in ids}
    hamlets: dict[int, dict[tuple[Any, int], list[int]]] = {
        v: defaultdict(lambda: [0, 0, 0]) for v in ids
    }
    groups: dict[tuple[int, Any], list[tuple[Any, ...]]] = defaultdict(list)
    for pid, key, born, village, hamlet, no_nik, deceased in (
        Person.objects.active()
        .filter(village_id__in=ids)
        .values_list(
            "id", "name_key", "birth_date", "village_id", "hamlet_id", "nik", "deceased_on"
        )
        .order_by()
        .iterator(chunk_size=5000)
    ):
        groups[(village, born)].append((pid, key, born, village, hamlet))
        if deceased is not None:  # counted for duplicates (as the live search), not as living
            continue
        add = (1, born.day == 1, no_nik is None)
        for cell in (years[village][born.year], hamlets[village][(hamlet, born.year)]):
            for i in range(3):
                cell[i] += add[i]
    pairs: dict[int, dict[Any, int]] = {v: defaultdict(int) for v in ids}
    for a, _b in pairs_in(groups):
        pairs[a[3]][a[4]] += 1
    return {
        v: Residents(
            [[y, *c] for y, c in sorted(years[v].items())],
            [[h, y, *c] for (h, y), c in sorted(hamlets[v].items(), key=_hamlet_order)],
            [[h, n] for h, n in sorted(pairs[v].items(), key=lambda hn: (hn[0] is None, hn))],
        )
        for v in ids
    }


def _hamlet_order(item: tuple[tuple[Any, int], list[int]]) -> tuple[bool, int, int]:
    (hamlet, year), _counts = item
    return (hamlet is None, hamlet or 0, year)


def residents_rebuild() -> int:
    """Recompute every desa's counts now (``ilp quality rebuild``): after a restore, or a
    load that ran with the triggers disabled. Returns the number of desa."""
    villages = set(Person.objects.values_list("village_id", flat=True).order_by().distinct())
    VillageResidents.objects.bulk_create(
        [VillageResidents(village_id=v, version=1) for v in villages], ignore_conflicts=True
    )
    VillageResidents.objects.update(computed=-1)
    for start in range(0, len(villages), 20):  # a few desa at a time: bounded memory
        village_residents(sorted(villages)[start : start + 20], by_hamlet=False)
    return len(villages)
