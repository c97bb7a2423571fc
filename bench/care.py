"""Benchmark: work lists and posyandu weighing on the 500,000-resident demo district with two
years of services, on PostgreSQL.

Creates the database named by DATABASE_URL when missing (default
postgres://postgres@127.0.0.1:5432/ilp_care_bench), migrates, generates the demo district
(``ilp.demo.generate.generate_district``) unless one of that size exists, then the two-year
service history (``ilp.demo.history.generate_service_history``, timed) unless care records
exist. Then prints p50/p95:

- the work list of one posyandu (``compute_worklist``; many posyandu, every item kind),
- the work list of one puskesmas (its whole working area), and of one cluster (k2),
- saving one weighing row at a posyandu session (``session_record_weighing``, as a kader).

Aims (issue #3): history < 600 s, posyandu < 200 ms, puskesmas < 1 s, weighing row < 50 ms.
The summaries (``ilp care_summary``) are rebuilt and timed when the database has none.

    .venv/bin/python bench/care.py [--population 500000] [--posyandu 60] [--weighings 100]
                                   [--fresh]   # regenerate district and history
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from _common import ensure_database, percentile  # bench/ is on sys.path when run

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ilp_care_bench"
TODAY = date(2026, 1, 10)


def report(label: str, ms: list[float], aim: float | None) -> None:
    p50, p95 = statistics.median(ms), percentile(ms, 95)
    if aim is None:
        verdict = "(the issue sets no aim)"
    else:
        verdict = f"(aim {aim:g} ms: {'ok' if p95 < aim else 'ABOVE AIM'})"
    print(f"{label:<44} n={len(ms):<4} p50 {p50:8.1f} ms  p95 {p95:8.1f} ms  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=500_000)
    parser.add_argument("--posyandu", type=int, default=60, help="posyandu lists to time")
    parser.add_argument("--weighings", type=int, default=100)
    parser.add_argument("--fresh", action="store_true", help="regenerate district and history")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    ensure_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilp.settings")
    os.environ.setdefault("ILP_DEMO", "true")  # synthetic data on this machine
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries

    from ilp.care.models import Encounter, PosyanduSession
    from ilp.demo.generate import generate_district, has_data, wipe_demo_data
    from ilp.demo.history import generate_service_history
    from ilp.people.models import Person

    call_command("migrate", verbosity=0)
    existing = Person.objects.count()
    if args.fresh or abs(existing - args.population) > 50:
        if has_data():
            wipe_demo_data()
        s = generate_district(population=args.population, seed=args.seed, today=TODAY)
        print(f"district: {s.persons} persons generated in {s.seconds:.1f} s")
    else:
        print(f"district: reusing {existing} persons")
    if not Encounter.objects.exists():
        start = TODAY - timedelta(days=730)
        t = time.perf_counter()
        h = generate_service_history(start=start, end=TODAY, seed=args.seed)
        took = time.perf_counter() - t
        print(
            f"history: {start}..{TODAY}: {h.encounters} encounters, {h.observations} "
            f"observations, {h.immunizations} doses, {h.screenings} screenings, {h.tasks} "
            f"tasks, {h.attendances} attendance rows in {took:.1f} s (aim 600 s: "
            f"{'ok' if took < 600 else 'ABOVE AIM'})"
        )
    else:
        print(f"history: reusing {Encounter.objects.count()} encounters (use --fresh to time)")
    from ilp.care.models import CareSummary
    from ilp.care.services.summary import summaries_rebuild

    if not CareSummary.objects.exists():
        t = time.perf_counter()
        n = summaries_rebuild()
        print(f"summaries: {n} persons summarised in {time.perf_counter() - t:.1f} s")

    from ilp.accounts.models import Role, User
    from ilp.care.worklists import compute_special_lists, compute_worklist, load_persons
    from ilp.places.models import Facility, FacilityKind

    rnd = random.Random(args.seed)
    on = TODAY
    posyandu = list(Facility.objects.filter(kind=FacilityKind.POSYANDU))
    sample = rnd.sample(posyandu, min(args.posyandu, len(posyandu)))
    compute_worklist(sample[0], on=on)  # warm caches (tables, schedule)
    ms, sizes, queries = [], [], []
    from django.conf import settings

    settings.DEBUG = True
    for f in sample:
        reset_queries()
        t = time.perf_counter()
        items = compute_worklist(f, on=on)
        ms.append((time.perf_counter() - t) * 1000)
        sizes.append(len(items))
        queries.append(len(connection.queries))
    settings.DEBUG = False
    report("work list, one posyandu (all items)", ms, 200)
    print(
        f"{'':<44} items/list median {statistics.median(sizes):.0f}, "
        f"queries/list max {max(queries)}"
    )

    pkm = list(Facility.objects.filter(kind=FacilityKind.PUSKESMAS))
    ms, sizes = [], []
    largest = (0.0, 0, "")
    for f in pkm * 2:
        t = time.perf_counter()
        items = compute_worklist(f, on=on)
        took = (time.perf_counter() - t) * 1000
        ms.append(took)
        sizes.append(len(items))
        largest = max(largest, (took, len(items), f.name))
        del items  # freeing ~75,000 items is not part of the next list's time
    report("work list, one puskesmas (all items)", ms, 1000)
    print(
        f"{'':<44} items/list median {statistics.median(sizes):.0f}; slowest: {largest[2]}, "
        f"{largest[1]} items, {largest[0]:.0f} ms"
    )
    ms = []
    for f in pkm:
        t = time.perf_counter()
        compute_worklist(f, on=on, cluster="k2")
        ms.append((time.perf_counter() - t) * 1000)
    report("work list, one puskesmas, cluster k2", ms, 1000)
    ms = []
    for f in pkm:
        t = time.perf_counter()
        persons = load_persons(f, on)
        compute_special_lists(f, on=on, persons=persons)
        ms.append((time.perf_counter() - t) * 1000)
    report("special lists, one puskesmas", ms, None)

    # -- one weighing row through the care service ------------------------------------------
    try:
        from ilp.care.services.sessions import session_record_weighing
    except ImportError:
        print("weighing: ilp.care.services.sessions.session_record_weighing not available")
        return
    kader = User.objects.filter(role=Role.KADER, facility__isnull=False).select_related("facility")
    kader = kader.first()
    if kader is None:
        print("weighing: no kader login in the demo district")
        return
    post = kader.facility
    hamlets = list(post.service_areas.values_list("pk", flat=True))
    children = list(
        Person.objects.filter(
            hamlet_id__in=hamlets,
            birth_date__gt=on - timedelta(days=5 * 365),
            birth_date__lte=on - timedelta(days=60),
            deceased_on__isnull=True,
        )[: args.weighings]
    )
    session, _ = PosyanduSession.objects.get_or_create(posyandu=post, date=on + timedelta(days=1))
    from ilp.core.exceptions import ValidationFailed

    ms, rejected = [], []
    for child in children:
        months = (session.date - child.birth_date).days / 30.4
        weight = round(3.3 + 0.6 * min(months, 12) + 0.2 * max(months - 12, 0), 1)
        length = round(50 + 2.2 * min(months, 12) + 0.8 * max(months - 12, 0), 1)
        t = time.perf_counter()
        try:
            session_record_weighing(
                actor=kader,
                session=session,
                person=child,
                weight_kg=weight,
                length_cm=length,
                measured="lying" if months < 24 else "standing",
                confirm_unusual=True,
            )
        except ValidationFailed as exc:
            rejected.append(exc.fields)
            continue
        ms.append((time.perf_counter() - t) * 1000)
    if rejected:
        print(f"weighing: {len(rejected)} rows rejected by validation, e.g. {rejected[0]}")
    if ms:
        report(f"weighing row at {post.code} (session_record_weighing)", ms, 50)


if __name__ == "__main__":
    main()
