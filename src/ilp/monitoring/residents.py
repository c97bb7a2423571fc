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

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from ilp.monitoring.models import VillageResidents
from ilp.people.models import Person


@dataclass
class Residents:
    """One desa's counts, as the scorecard reads them."""

    by_year: list[list[int]] = field(default_factory=list)  # [year, n, day one, no NIK]
    by_hamlet: list[list[Any]] = field(default_factory=list)  # [hamlet, year, n, day1, no NIK]
    pairs: list[list[Any]] = field(default_factory=list)  # [hamlet of the first, pairs]


def village_residents(villages: Iterable[int], *, by_hamlet: bool) -> dict[int, Residents]:
    """The counts of these desa: one query when all are current, three when some must be
    recounted (out of date, or without a row yet: a desa loaded with triggers switched off,
    or without persons). `by_hamlet`: read the dusun/RW counts too (a scorecard of posyandu
    rows), else only the desa's."""
    ids = sorted(set(villages))
    if not ids:
        return {}
    columns = ["village_id", "version", "computed", "by_year", "pairs"]
    if by_hamlet:
        columns.append("by_hamlet")
    out: dict[int, Residents] = {}
    stale = dict.fromkeys(ids, 0)  # desa → the version its recount will be stored at
    for r in VillageResidents.objects.filter(village_id__in=ids).values(*columns):
        if r["computed"] == r["version"]:
            out[r["village_id"]] = Residents(r["by_year"], r.get("by_hamlet") or [], r["pairs"])
            del stale[r["village_id"]]
        else:
            stale[r["village_id"]] = r["version"]
    if stale:
        fresh = count_residents(stale)
        # One upsert: a row's version is never written here (the triggers own it), so a
        # write since the read leaves the row behind and the next read recounts it.
        VillageResidents.objects.bulk_create(
            [
                VillageResidents(
                    village_id=v,
                    version=version,
                    computed=version,
                    by_year=fresh[v].by_year,
                    by_hamlet=fresh[v].by_hamlet,
                    pairs=fresh[v].pairs,
                )
                for v, version in stale.items()
            ],
            update_conflicts=True,
            unique_fields=["village_id"],
            update_fields=["computed", "by_year", "by_hamlet", "pairs"],
        )
        out.update(fresh)
    return out


# Every active person of the desa, with what the counts read; plain SQL (the ORM's row
# handling doubled the time of a desa of 20,000). Integers only are joined in.
_PERSONS_SQL = """
SELECT id, name_key, birth_date, village_id, hamlet_id, {year}, {day} = 1, nik IS NULL,
    deceased_on IS NULL
FROM people_person WHERE voided_at IS NULL AND village_id IN ({ids})
"""
_YEAR_DAY = {
    "postgresql": ("EXTRACT(YEAR FROM birth_date)::int", "EXTRACT(DAY FROM birth_date)"),
    "sqlite": (
        "CAST(strftime('%Y', birth_date) AS INTEGER)",
        "CAST(strftime('%d', birth_date) AS INTEGER)",
    ),
}


def count_residents(villages: Iterable[int]) -> dict[int, Residents]:
    """Recompute the counts of these desa from their persons (one query)."""
    from ilp.monitoring.quality import pairs_in

    ids = sorted(set(villages))
    # Living residents by (desa, dusun, birth year, born on a 1st, without NIK): a few
    # thousand keys for a desa of 20,000, summed into the two views below.
    living: Counter[tuple[int, Any, int, bool, bool]] = Counter()
    groups: dict[tuple[int, Any], list[tuple[Any, ...]]] = defaultdict(list)
    with connection.cursor() as cursor:
        year_sql, day_sql = _YEAR_DAY[connection.vendor]
        cursor.execute(
            _PERSONS_SQL.format(year=year_sql, day=day_sql, ids=", ".join(str(int(v)) for v in ids))
        )
        fetched = cursor.fetchall()
    for pid, key, born, village, hamlet, year, day_one, no_nik, alive in fetched:
        groups[(village, born)].append((pid, key, born, village, hamlet))
        if alive:  # the dead count for duplicates (as the live search), not here
            living[(village, hamlet, year, bool(day_one), bool(no_nik))] += 1
    years: dict[int, dict[int, list[int]]] = {v: defaultdict(lambda: [0, 0, 0]) for v in ids}
    hamlets: dict[int, dict[tuple[Any, int], list[int]]] = {
        v: defaultdict(lambda: [0, 0, 0]) for v in ids
    }
    for (village, hamlet, year, day_one, no_nik), n in living.items():
        for cell in (years[village][year], hamlets[village][(hamlet, year)]):
            cell[0] += n
            cell[1] += n if day_one else 0
            cell[2] += n if no_nik else 0
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
    villages = sorted(
        set(Person.objects.values_list("village_id", flat=True).order_by().distinct())
        | set(VillageResidents.objects.values_list("village_id", flat=True))
    )
    VillageResidents.objects.update(computed=-1)
    for start in range(0, len(villages), 20):  # a few desa at a time: bounded memory
        village_residents(villages[start : start + 20], by_hamlet=False)
    return len(villages)
