"""Benchmark: the data-quality scorecard (``ilp.monitoring.quality``) on the 500,000-resident
demo district with two years of services, on PostgreSQL (issue #10 item 4; read at the
monthly lokmin review).

Needs DATABASE_URL naming a migrated database holding the demo district, its service history
and its indicator counts (``bench/care.py`` builds one). It writes only the scorecard's own
kept resident counts (``monitoring_villageresidents``: marking a desa out of date, as a
person's write would, and recounting) and the audit rows of the records read. Prints p50/p95
(wall clock, this process' CPU beside it, query counts) of:

- the district scorecard (one row per puskesmas, every measure) as the dinkes user, with its
  ranked problems (the scorecard page's work), the kept counts current;
- the same with one desa of the largest puskesmas out of date (a person of it written since
  the last read: that desa is recounted and stored);
- the largest puskesmas' scorecard (one row per posyandu) as that puskesmas' user;
- the records behind one measure of that puskesmas (persons without NIK), audited;
- once: every desa recounted (``ilp quality rebuild``; what the first read after the
  migration does).

Aim: the district scorecard under 1 s and a puskesmas' under 300 ms at p50 on 500,000
persons (the verdict printed compares p95, the stricter).

    .venv/bin/python bench/quality.py [--repeat 10] [--period YYYY-MM]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from monitoring import Ms, load, report, timed  # bench/ is on sys.path when run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument(
        "--period", default="", help="YYYY-MM (default: the last full month of the history)"
    )
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        sys.exit("DATABASE_URL must name a PostgreSQL database with the demo district")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilp.settings")
    os.environ.setdefault("ILP_DEMO", "true")  # synthetic data on this machine
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count

    from ilp.accounts.models import Role, User
    from ilp.monitoring import quality
    from ilp.monitoring.models import VillageResidents
    from ilp.monitoring.residents import residents_rebuild
    from ilp.people.models import Person
    from ilp.places.models import AreaLevel, Facility, FacilityKind

    if connection.vendor != "postgresql":
        sys.exit("this benchmark runs on PostgreSQL")
    if args.period:
        year, month = (int(x) for x in args.period.split("-"))
    else:
        year, month = last_full_month()
    print(f"district: {Person.objects.count()} persons; period {year:04d}-{month:02d}; {load()}")

    dinkes = User.objects.get(role=Role.DINKES_ADMIN, username="dinkes")
    largest = (
        Facility.objects.filter(kind=FacilityKind.PUSKESMAS, is_active=True)
        .annotate(desa=Count("service_areas"))
        .order_by("-desa", "code")
    )
    # The largest by residents of its working area.
    sizes = {
        f.pk: Person.objects.filter(village__served_by=f).count() for f in largest.order_by("code")
    }
    biggest = max(sizes, key=lambda pk: sizes[pk])
    puskesmas = Facility.objects.get(pk=biggest)
    staff = User.objects.filter(role=Role.PUSKESMAS, facility=puskesmas).first()
    if staff is None:  # the demo has one puskesmas login; read as a stand-in user
        staff = User(username="bench-quality", role=Role.PUSKESMAS, facility=puskesmas)
    if dinkes.area is None:
        sys.exit("the dinkes user has no district")

    district, stale, one, records, rebuild = Ms(), Ms(), Ms(), Ms(), Ms()
    rows = posyandu = 0
    desa = sorted(
        puskesmas.service_areas.filter(level=AreaLevel.VILLAGE).values_list("pk", flat=True)
    )
    quality.scorecard(dinkes, area_code=dinkes.area.code, year=year, month=month)  # counts current
    for i in range(args.repeat):
        if i == 0:
            connection.close()  # the first read connects again (cold)
        with timed(district):
            card = quality.scorecard(dinkes, area_code=dinkes.area.code, year=year, month=month)
            quality.problems_of(card)
            rows = len(card.rows)
        # A person of one desa written since: what the trigger does to its row.
        VillageResidents.objects.filter(village_id=desa[i % len(desa)]).update(computed=-1)
        with timed(stale):
            card = quality.scorecard(dinkes, area_code=dinkes.area.code, year=year, month=month)
            quality.problems_of(card)
        with timed(one):
            card = quality.scorecard(staff, area_code=puskesmas.code, year=year, month=month)
            quality.problems_of(card)
            posyandu = len(card.rows)
    for _i in range(args.repeat):
        with timed(records):
            quality.quality_records(dinkes, "no_nik", place=puskesmas.code, year=year, month=month)
    with timed(rebuild):
        villages = residents_rebuild()
    print(
        f"district scorecard: {rows} puskesmas; largest: {puskesmas.name}, "
        f"{sizes[biggest]} residents, {posyandu} posyandu"
    )
    report("district scorecard (all puskesmas) + problems", district, 1000)
    report("the same, one desa out of date (recounted)", stale, 1000)
    report("largest puskesmas' scorecard (per posyandu)", one, 300)
    report("records: persons without NIK, that puskesmas", records, None)
    report(f"once: every desa recounted ({villages} desa)", rebuild, None)


def last_full_month() -> tuple[int, int]:
    """The month the lokmin would review: the latest month of the generated history with
    at least half the weighings of its busiest month (the history ends on some day of a
    month; a later benchmark writes a few records today)."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from ilp.care.models import Encounter

    months = list(
        Encounter.objects.filter(package="child")
        .annotate(m=TruncMonth("date"))
        .values("m")
        .annotate(n=Count("id"))
        .values_list("m", "n")
        .order_by("m")
    )
    if not months:
        sys.exit("no weighings in this database")
    busiest = max(n for _m, n in months)
    m = [m for m, n in months if n >= busiest / 2][-1]
    return m.year, m.month


if __name__ == "__main__":
    main()
