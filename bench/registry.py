"""Benchmark: generate the 500,000-resident demo district on PostgreSQL, then search persons.

Creates the database named by DATABASE_URL when missing (default
postgres://postgres@127.0.0.1:5432/ilp_bench), migrates, wipes and regenerates the demo
district (timed, as `ilp demo --reset` does), then runs the real selector
``ilp.people.selectors.person_search`` from concurrent threads, each with its own database
connection: searches by random existing NIKs and by random 3–5-letter name prefixes (limit 20,
ordered by name), as a district user (dinkes) and a puskesmas user. Prints p50/p95/p99 per
query kind. Aims: generation < 180 s, search p95 < 50 ms.

    .venv/bin/python bench/registry.py [--population 500000] [--threads 2] [--queries 100]
                                       [--reuse]   # keep an existing district of that size
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import threading
import time

from _common import ensure_database, percentile  # bench/ is on sys.path when run

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ilp_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--queries", type=int, default=100, help="per thread and query kind")
    parser.add_argument("--reuse", action="store_true", help="keep an existing district")
    args = parser.parse_args()

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilp.settings")
    os.environ.setdefault("ILP_DEMO", "true")  # synthetic data on this machine
    os.environ.setdefault("ILP_DB_CONN_MAX_AGE", "600")
    if url.startswith("postgres"):
        ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    from ilp.accounts.models import User
    from ilp.demo.generate import district_exists, generate_district, has_data, wipe_demo_data
    from ilp.people.models import Person
    from ilp.people.selectors import person_search

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)

    existing = Person.objects.count() if district_exists() else 0
    if args.reuse and abs(existing - args.population) < 50:
        print(f"reusing the existing district ({existing} persons)")
    else:
        if has_data():
            t = time.perf_counter()
            wipe_demo_data()
            print(f"wiped existing data in {time.perf_counter() - t:.1f} s")
        summary = generate_district(
            population=args.population,
            seed=args.seed,
            progress=lambda m: print(f"  {m}", flush=True),
        )
        verdict = "OK" if summary.seconds < 180 else "SLOWER THAN 180 s"
        print(
            f"generation: {summary.persons} persons, {summary.families} families, "
            f"{summary.pregnancies} pregnancies, {summary.areas} areas, "
            f"{summary.facilities} facilities in {summary.seconds:.1f} s [{verdict}]"
        )

    rnd = random.Random(args.seed)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nik, name_key FROM people_person TABLESAMPLE SYSTEM (5) REPEATABLE (7)"
            if connection.vendor == "postgresql"
            else "SELECT nik, name_key FROM people_person ORDER BY id LIMIT 20000"
        )
        sample = cursor.fetchall()
    niks = [nik for nik, _ in sample if nik]
    prefixes = [key[: rnd.randint(3, 5)] for _, key in sample]
    users = {
        u.username: u for u in User.objects.filter(username__in=["dinkes"]).select_related("area")
    }
    puskesmas_user = (
        User.objects.filter(role="puskesmas").select_related("facility", "area").first()
    )
    users[puskesmas_user.username] = puskesmas_user
    connections.close_all()

    for username, user in users.items():
        timings: dict[str, list[float]] = {"nik": [], "name": []}
        hits: dict[str, list[int]] = {"nik": [], "name": []}
        lock = threading.Lock()

        def worker(index: int, user=user, timings=timings, hits=hits, lock=lock) -> None:
            local = random.Random(args.seed * 100 + index)
            mine: dict[str, list[tuple[float, int]]] = {"nik": [], "name": []}
            jobs = ["nik"] * args.queries + ["name"] * args.queries
            local.shuffle(jobs)
            person_search(user, local.choice(prefixes))  # warm the connection
            for kind in jobs:
                query = local.choice(niks) if kind == "nik" else local.choice(prefixes)
                t0 = time.perf_counter()
                found = person_search(user, query)
                mine[kind].append((time.perf_counter() - t0, len(found)))
            connections.close_all()
            with lock:
                for kind, rows in mine.items():
                    timings[kind].extend(r[0] * 1000 for r in rows)
                    hits[kind].extend(r[1] for r in rows)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.threads)]
        t0 = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wall = time.perf_counter() - t0
        total = sum(len(v) for v in timings.values())
        print(
            f"\nperson_search as {username} ({user.role}): {args.threads} threads, "
            f"{total} queries in {wall:.1f} s ({total / wall:.0f}/s)"
        )
        for kind, values in timings.items():
            p95 = percentile(values, 95)
            print(
                f"  {kind:4s}  p50 {percentile(values, 50):6.1f} ms  p95 {p95:6.1f} ms  "
                f"p99 {percentile(values, 99):6.1f} ms  mean {statistics.fmean(values):6.1f} ms  "
                f"avg hits {statistics.fmean(hits[kind]):4.1f}  "
                f"[{'OK' if p95 < 50 else 'ABOVE 50 ms'}]"
            )


if __name__ == "__main__":
    main()
