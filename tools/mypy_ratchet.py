"""mypy's ratchet: the Django apps may have at most the type errors they had, module by module.

Runs mypy (configuration in pyproject.toml: django-stubs, strict for ilp.standards) and counts
its errors per file. Fails when a file has more errors than tools/mypy-baseline.json allows, when
a file not in the baseline has any, or when anything in ilp.standards has one (strict, no
allowance). When files have fewer, it says so: `--update` then lowers the baseline to today's
counts (it never raises one), and the lower numbers are committed with the fix.

    .venv/bin/python tools/mypy_ratchet.py            # check (make test, make typecheck)
    .venv/bin/python tools/mypy_ratchet.py --update   # after fixing errors: shrink the baseline
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "tools" / "mypy-baseline.json"
STRICT = "src/ilp/standards/"
ERROR = re.compile(r"^(?P<path>[^:]+):\d+(?::\d+)?: error: ")


def mypy_errors() -> tuple[Counter[str], str]:
    """Errors per file of a mypy run over the configured files, and mypy's output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # the plugin imports tests.settings
    done = subprocess.run(  # noqa: S603 - our own mypy with fixed arguments
        [sys.executable, "-m", "mypy", "--no-pretty", "--no-error-summary"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode not in (0, 1):  # 2: mypy itself failed (config, crash)
        raise SystemExit(done.stdout + done.stderr)
    counts: Counter[str] = Counter()
    for line in done.stdout.splitlines():
        match = ERROR.match(line)
        if match:
            counts[match["path"]] += 1
    return counts, done.stdout


def compare(counts: Counter[str], baseline: dict[str, int]) -> tuple[list[str], list[str]]:
    """(what fails, what improved) between today's counts and the baseline."""
    failures, better = [], []
    for path, n in sorted(counts.items()):
        allowed = 0 if path.startswith(STRICT) else baseline.get(path, 0)
        if n > allowed:
            failures.append(f"{path}: {n} errors, {allowed} allowed")
    for path, allowed in sorted(baseline.items()):
        if counts.get(path, 0) < allowed:
            better.append(f"{path}: {counts.get(path, 0)} errors, baseline {allowed}")
    return failures, better


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="lower the baseline to today")
    args = parser.parse_args()
    counts, output = mypy_errors()
    baseline: dict[str, int] = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    failures, better = compare(counts, baseline)
    if args.update:
        if failures:
            print("Not lowering the baseline while there are new errors:")
        else:
            lowered = {p: min(n, counts[p]) for p, n in baseline.items() if counts.get(p)}
            BASELINE.write_text(json.dumps(lowered, indent=1, sort_keys=True) + "\n")
            print(f"baseline: {sum(lowered.values())} errors in {len(lowered)} files")
            return
    if failures:
        print(output)
        print("mypy: more type errors than the baseline allows (tools/mypy-baseline.json):")
        print("\n".join("  " + f for f in failures))
        raise SystemExit(1)
    total = sum(counts.values())
    print(f"mypy: {total} errors, none over the baseline ({sum(baseline.values())} allowed)")
    if better:
        print("fewer than the baseline; lower it: .venv/bin/python tools/mypy_ratchet.py --update")
        print("\n".join("  " + b for b in better))


if __name__ == "__main__":
    main()
