"""Benchmark: the per-child cost of the immunisation schedule in the work lists.

The care services keep, per child under five, the windows of the doses still to come
(``ilp.care.worklists.rules.immunization_windows``, which runs
``ilp.standards.immunization.immunization_status`` once on the date of the last dose); a
puskesmas list of ~8,000 children recomputes them when its summaries are refreshed. This
script draws N synthetic children (fixed seed; birth dates over the last five years, each dose
of the infant and baduta schedule given with a realistic delay or missed) and times
``immunization_windows`` over all of them, then ``immunization_status`` on one fixed date.
No database is touched. The figure is the best CPU time of the repeats (the machine is shared;
wall time is printed too).

    .venv/bin/python bench/immunization.py [--n 5000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import date, timedelta

import numpy as np

TODAY = date(2026, 1, 15)

# (dose code, recommended age in days) of the infant and baduta doses drawn.
DOSES: tuple[tuple[str, int], ...] = (
    ("HB0", 0),
    ("BCG", 30),
    ("OPV1", 30),
    ("DPT-HB-Hib 1", 61),
    ("OPV2", 61),
    ("PCV1", 61),
    ("RV1", 61),
    ("DPT-HB-Hib 2", 91),
    ("OPV3", 91),
    ("PCV2", 91),
    ("RV2", 91),
    ("DPT-HB-Hib 3", 122),
    ("OPV4", 122),
    ("IPV1", 122),
    ("RV3", 122),
    ("MR1", 274),
    ("IPV2", 274),
    ("PCV3", 365),
    ("DPT-HB-Hib 4", 548),
    ("MR2", 548),
)


def make_children(n: int, seed: int = 20260115) -> list[tuple[str, date, list[tuple[str, date]]]]:
    """``n`` children as (sex, birth date, [(dose code, date given)]), doses up to TODAY."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        birth = TODAY - timedelta(days=int(rng.integers(0, 5 * 365)))
        sex = "M" if rng.random() < 0.5 else "F"
        keeps_up = rng.random() < 0.8  # a fifth of the children drop out somewhere
        given = []
        for code, age in DOSES:
            if not keeps_up and rng.random() < 0.3:
                break
            when = birth + timedelta(days=age + int(rng.exponential(12)))
            if when > TODAY:
                break
            given.append((code, when))
        out.append((sex, birth, given))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilp.settings")
    import django

    django.setup()
    from ilp.care.worklists.rules import immunization_windows
    from ilp.standards.immunization import GivenDose, immunization_status

    children = make_children(args.n)
    doses = sum(len(g) for _, _, g in children)
    print(f"{args.n} children, {doses} recorded doses")

    def windows() -> int:
        count = 0
        for sex, birth, given in children:
            count += len(immunization_windows(sex=sex, birth_date=birth, given=given))
        return count

    def status() -> int:
        count = 0
        for sex, birth, given in children:
            rows = immunization_status(
                sex=sex,
                birth=birth,
                doses=[GivenDose(c, d) for c, d in given],
                on=TODAY,
                groups=("infant", "baduta"),
            )
            count += len(rows)
        return count

    for name, run in (("immunization_windows", windows), ("immunization_status", status)):
        run()  # warm the caches (schedule, birth plans), as a running server has them
        best_wall = best_cpu = float("inf")
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            rows = run()
            best_cpu = min(best_cpu, time.process_time() - c0)
            best_wall = min(best_wall, time.perf_counter() - t0)
        per_child = best_cpu / args.n * 1e6
        print(
            f"{name}: {best_cpu * 1000:.0f} ms CPU ({best_wall * 1000:.0f} ms wall) for "
            f"{args.n} children, {per_child:.1f} µs CPU/child, {rows} rows; best of {args.repeat}"
        )


if __name__ == "__main__":
    main()
