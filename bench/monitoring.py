"""Benchmark: the monitoring indicators on the 500,000-resident demo district with two years
of services, on PostgreSQL (issue #10, "Performance").

Needs DATABASE_URL naming a migrated database that already holds the demo district and its
service history (``bench/care.py`` builds one; it is not generated here). Prints, with the
CPU milliseconds of this process beside the wall clock (the database server's work is not in
it) and the load average:

- the full rebuild (``indicators_rebuild``: every fact and count from the records), once;
- the district dashboard: every catalogue indicator for every desa in the current month
  through ``indicator_overview`` (the dashboard page's selector: all indicators of an area
  and its child areas, the counts in one grouped query) of the kabupaten, whose rows are the
  kecamatan, and of each kecamatan, whose rows are its desa, as the dinkes user; cold (the
  first dashboard after connecting) and warm; beside it, for comparison, the same rows
  through the per-indicator selector the API uses (``indicator_values``, 25 × (1 + number
  of kecamatan) calls), and the data of the kabupaten's summary page alone (one overview);
- one indicator's values for a puskesmas working area (the PWS page's data);
- freshness: a child's weighing recorded through the care service at the demo kader's
  posyandu (or, once its children are weighed this month, another posyandu with the
  puskesmas user), as a request records it: the write marks the child pending, then the
  refresh a request runs after its response (``ilp.monitoring.refresh``) recomputes them;
  D/S of the child's dusun and desa are read right after and must show it. Timed: the
  weighing (what the response waits for), the refresh after it, and the whole until visible.

Aims (issue #10): rebuild < 2 min; dashboard < 1 s cold and < 200 ms warm; one
indicator's PWS page < 300 ms; a weighing visible in D/S of its posyandu's area < 5 s.

    .venv/bin/python bench/monitoring.py [--no-rebuild] [--repeat 10] [--weighings 30]
        [--only dashboard|pws|freshness]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from _common import percentile  # bench/ is on sys.path when run


class Ms(list):
    """Wall-clock milliseconds with this process' CPU milliseconds and query counts."""

    def __init__(self) -> None:
        super().__init__()
        self.cpu: list[float] = []
        self.queries: list[int] = []


class timed:
    """Time a block into `ms` (wall, CPU) and count its SQL queries."""

    def __init__(self, ms: Ms) -> None:
        self.ms = ms

    def __enter__(self) -> timed:
        from django.db import connection, reset_queries
        from django.test.utils import CaptureQueriesContext

        reset_queries()  # a full query log (9,000) would count as no queries
        self.ctx = CaptureQueriesContext(connection)
        self.ctx.__enter__()
        self.t = (time.perf_counter(), time.process_time())
        return self

    def __exit__(self, *exc: object) -> None:
        self.ms.append((time.perf_counter() - self.t[0]) * 1000)
        self.ms.cpu.append((time.process_time() - self.t[1]) * 1000)
        self.ctx.__exit__(*exc)
        self.ms.queries.append(len(self.ctx.captured_queries))


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def report(label: str, ms: Ms, aim: float | None) -> None:
    p50, p95 = statistics.median(ms), percentile(ms, 95)
    verdict = (
        "(no aim)" if aim is None else f"(aim {aim:g} ms: {'ok' if p95 < aim else 'ABOVE AIM'})"
    )
    cpu = f"cpu p50 {statistics.median(ms.cpu):8.1f} ms  " if ms.cpu else ""
    if ms.queries:
        cpu += f"queries max {max(ms.queries)}  "
    print(
        f"{label:<46} n={len(ms):<3} p50 {p50:8.1f} ms  p95 {p95:8.1f} ms  {cpu}{verdict}  "
        f"[{load()}]",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-rebuild", action="store_true", help="skip the full rebuild")
    parser.add_argument("--repeat", type=int, default=10, help="dashboards and PWS reads")
    parser.add_argument("--weighings", type=int, default=30)
    parser.add_argument(
        "--only",
        choices=("dashboard", "pws", "freshness"),
        help="run only this part (dashboard and pws only read: with --no-rebuild the "
        "database is not written)",
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
    from django.utils import timezone

    from ilp.monitoring.models import IndicatorCount, IndicatorFact
    from ilp.monitoring.services import indicators_rebuild
    from ilp.people.models import Person

    if connection.vendor != "postgresql":
        sys.exit("this benchmark runs on PostgreSQL")
    print(f"district: {Person.objects.count()} persons; today {timezone.localdate()}")

    if not args.no_rebuild:
        ms = Ms()
        with timed(ms):
            n = indicators_rebuild()
        report(f"full rebuild ({n} facts)", ms, 120_000)
    print(
        f"{'':<46} {IndicatorFact.objects.count()} facts, "
        f"{IndicatorCount.objects.count()} count rows"
    )
    parts = {"dashboard": dashboard, "pws": pws_page, "freshness": freshness}
    for name, part in parts.items():
        if args.only in (None, name):
            part(args)


def dashboard(args: argparse.Namespace) -> None:
    """Every indicator for every desa of the district in the current month, as dinkes."""
    from django.db import connection
    from django.utils import timezone

    from ilp.accounts.models import Role, User
    from ilp.monitoring import selectors
    from ilp.places.models import Area, AreaLevel

    user = User.objects.get(role=Role.DINKES_ADMIN, username="dinkes")
    regency = Area.objects.get(level=AreaLevel.REGENCY)
    kecamatan = list(
        Area.objects.filter(level=AreaLevel.DISTRICT)
        .order_by("code")
        .values_list("code", flat=True)
    )
    today = timezone.localdate()
    period = f"{today.year:04d}-{today.month:02d}"

    def overview() -> int:
        # As the dashboard page does per request: the period, then all indicators at once.
        year, month = selectors.parse_period(period)
        return sum(
            len(rows)
            for code in (regency.code, *kecamatan)
            for rows in selectors.indicator_overview(
                user, area_code=code, year=year, month=month
            ).values()
        )

    def per_indicator() -> int:
        rows = 0
        # As the API does per request: the catalogue, the indicator, the period, the values.
        for indicator in selectors.catalogue_for(user):
            year, month = selectors.parse_period(period)
            for code in (regency.code, *kecamatan):
                rows += len(
                    selectors.indicator_values(
                        user,
                        selectors.indicator_get(indicator.code),
                        area_code=code,
                        year=year,
                        month=month,
                    )
                )
        return rows

    def every_desa() -> int:
        # The kabupaten/kota and every one of its desa in one overview (``desa=True``).
        year, month = selectors.parse_period(period)
        rows = selectors.indicator_overview(
            user, area_code=regency.code, year=year, month=month, desa=True
        )
        return sum(len(r) for r in rows.values())

    def summary_page() -> int:
        # The summary page of the kabupaten: one overview (its rows are the kecamatan).
        year, month = selectors.parse_period(period)
        rows = selectors.indicator_overview(user, area_code=regency.code, year=year, month=month)
        return sum(len(r) for r in rows.values())

    for label, one in (
        (", every desa in one overview", every_desa),
        (", kabupaten + each kecamatan (7 overviews)", overview),
        (", kabupaten summary page only", summary_page),
        (" per indicator (old)", per_indicator),
    ):
        cold, warm = Ms(), Ms()
        rows = 0
        for _ in range(args.repeat):
            connection.close()  # the next query connects again
            with timed(cold):
                rows = one()
            with timed(warm):
                one()
        print(f"dashboard{label}: {len(kecamatan)} kecamatan, {rows} value rows per dashboard")
        report(f"district dashboard{label}, cold (new connection)", cold, 1000)
        report(f"district dashboard{label}, warm", warm, 200)


def pws_page(args: argparse.Namespace) -> None:
    """One indicator's values for each puskesmas working area (the PWS page's data)."""
    from django.utils import timezone

    from ilp.accounts.models import Role, User
    from ilp.monitoring import selectors
    from ilp.places.models import Facility, FacilityKind

    user = User.objects.get(role=Role.DINKES_ADMIN, username="dinkes")
    today = timezone.localdate()
    puskesmas = list(Facility.objects.filter(kind=FacilityKind.PUSKESMAS).order_by("code"))
    for code in ("ds", "k4"):
        indicator = selectors.indicator_get(code)
        ms = Ms()
        for _ in range(max(1, args.repeat // 2)):
            for p in puskesmas:
                with timed(ms):
                    selectors.indicator_values(
                        user, indicator, area_code=p.code, year=today.year, month=today.month
                    )
        report(f"PWS data, {code}, one puskesmas area", ms, 300)


def freshness(args: argparse.Namespace) -> None:
    """Weighings at the demo kader's posyandu: D/S of the dusun and desa right after each
    weighing and the refresh its request runs after the response."""
    from django.utils import timezone

    from ilp.accounts.access import may_run_session
    from ilp.accounts.models import Role, User
    from ilp.care.models import Observation, PosyanduSession
    from ilp.care.services.sessions import session_record_weighing
    from ilp.core.exceptions import ValidationFailed
    from ilp.monitoring import refresh, selectors
    from ilp.people.models import Person
    from ilp.places.models import Facility, FacilityKind
    from ilp.standards.coverage import last_day_of_month
    from ilp.standards.dates import years_before

    kader = User.objects.filter(role=Role.KADER, facility__isnull=False).select_related("facility")
    kader = kader.first()
    dinkes = User.objects.get(role=Role.DINKES_ADMIN, username="dinkes")
    if kader is None:
        print("freshness: no kader login in the demo district")
        return
    on = timezone.localdate()
    weighed = Observation.objects.filter(
        code="weight", date__year=on.year, date__month=on.month, voided_at__isnull=True
    ).values("person_id")

    def unweighed(post: Facility) -> list[Person]:
        hamlets = list(post.service_areas.values_list("pk", flat=True))
        return list(
            Person.objects.filter(
                hamlet_id__in=hamlets,
                deceased_on__isnull=True,
                voided_at__isnull=True,
                # Under 60 months on the month's last day (the age S is counted at).
                birth_date__gt=years_before(last_day_of_month(on.year, on.month), 5),
                birth_date__lte=on - timedelta(days=60),
            )
            .exclude(pk__in=weighed)
            .select_related("hamlet", "village")
            .order_by("pk")[: args.weighings]
        )

    # The kader's posyandu; once its children are all weighed this month (earlier runs),
    # another posyandu of the puskesmas user's area, with that user recording.
    nurse = User.objects.filter(role=Role.PUSKESMAS).first()
    candidates = [(kader, kader.facility)]
    if nurse is not None:
        candidates += [
            (nurse, p)
            for p in Facility.objects.filter(kind=FacilityKind.POSYANDU).order_by("code")
            if may_run_session(nurse, p)
        ]
    found = next(((a, p, c) for a, p in candidates if (c := unweighed(p))), None)
    if found is None:
        print("freshness: no posyandu within reach has a child not weighed this month")
        return
    actor, post, children = found
    session, _ = PosyanduSession.objects.get_or_create(posyandu=post, date=on)
    if session.closed_at is not None:
        session.closed_at = None
        session.save(update_fields=["closed_at"])
    ds = selectors.indicator_get("ds")

    def ds_of(area_code: str) -> tuple[int | None, int | None]:
        row = selectors.indicator_values(
            dinkes, ds, area_code=area_code, year=on.year, month=on.month
        )[0]
        return row.numerator, row.denominator

    weighing, after, visible, stale, rejected = Ms(), Ms(), Ms(), 0, 0
    for child in children:
        hamlet, village = child.hamlet.code, child.village.code
        before = ds_of(hamlet), ds_of(village)
        started = (time.perf_counter(), time.process_time())
        refresh.request_begins()  # as request_started does
        try:
            with timed(weighing):
                session_record_weighing(
                    actor=actor,
                    session=session,
                    person=child,
                    weight_kg=round(3.5 + (on - child.birth_date).days / 200, 1),
                    confirm_unusual=True,
                )
        except ValidationFailed:
            rejected += 1
            continue
        with timed(after):  # as request_finished does once the response is sent
            refresh.refresh_after_response()
        after_reads = ds_of(hamlet), ds_of(village)
        # From the start of the weighing to the end of the first reads that show it.
        visible.append((time.perf_counter() - started[0]) * 1000)
        visible.cpu.append((time.process_time() - started[1]) * 1000)
        # Visible on the first read after the refresh: D moved by one in both.
        if any(a[0] != (b[0] or 0) + 1 for a, b in zip(after_reads, before, strict=True)):
            stale += 1
    print(
        f"freshness at {post.name}: {len(weighing)} weighings, D of dusun and desa moved on "
        f"the first read after {len(weighing) - stale} of them "
        f"({stale} not; {rejected} rejected by validation)"
    )
    report("weighing until visible in D/S of dusun and desa", visible, 5000)
    report("weighing, whole service (session_record_weighing)", weighing, 50)
    report("  then the refresh after the response", after, None)


if __name__ == "__main__":
    main()
