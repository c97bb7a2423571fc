"""`ilp zscore`: WHO growth z-scores and Permenkes 2/2020 categories from the command line.

A thin wrapper over :mod:`ilp.standards.growth` (sources cited there): one child from options,
or a CSV file of children scored in one vectorised call.
"""

from __future__ import annotations

import csv
import math
import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.timezone import localdate
from tqdm import tqdm

from ilp.core.spreadsheets import csv_value
from ilp.standards import growth
from ilp.standards.growth.engine import validate_scalars
from ilp.standards.result import OutOfRange

CSV_HELP = """\
CSV input (--csv): one child per row, header names case-insensitive:
  sex (M/F or 1/2); birth_date and visit_date (YYYY-MM-DD) or age_days;
  weight (kg), length (cm), measured (lying/standing or l/h), oedema (y/n),
  head (cm), muac (cm). Empty cells are missing values.
Output (--out, default stdout): the input columns plus age_days_used, z_<indicator>,
flag_<indicator> (1 = WHO implausible), category_<indicator> (Permenkes label),
c9mo_flag and error, for indicators wfa, lhfa, wflh, bfa, hcfa, acfa.
Rows that cannot be scored get a message in the error column."""

COLUMNS = {
    "sex": "sex",
    "birth_date": "birth_date",
    "visit_date": "visit_date",
    "age_days": "age_days",
    "weight": "weight_kg",
    "length": "length_cm",
    "measured": "measured",
    "oedema": "oedema",
    "head": "head_cm",
    "muac": "muac_cm",
}


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{field}={value!r} is not a date (YYYY-MM-DD)") from None


def _number(value: str, field: str) -> float | None:
    text = value.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{field}={value!r} is not a number") from None


def _parse_row(row: dict[str, str]) -> dict[str, Any]:
    """Scalar inputs of :func:`growth.score` from one CSV row; raises ValueError/OutOfRange."""
    get = {key: (row.get(key) or "").strip() for key in COLUMNS}
    if get["birth_date"] or get["visit_date"]:
        if not (get["birth_date"] and get["visit_date"]):
            raise ValueError("birth_date and visit_date must both be given")
        age: float | None = growth.age_in_days(
            _date(get["birth_date"], "birth_date"), _date(get["visit_date"], "visit_date")
        )
    else:
        age = _number(get["age_days"], "age_days")
        if age is None:
            raise ValueError("no age: give birth_date and visit_date, or age_days")
    inputs: dict[str, Any] = {"sex": get["sex"], "age_days": age}
    for column in ("weight", "length", "head", "muac"):
        inputs[COLUMNS[column]] = _number(get[column], column)
    inputs["measured"] = get["measured"] or None
    inputs["oedema"] = get["oedema"] or None
    validate_scalars(inputs)
    return inputs


class Command(BaseCommand):
    help = "WHO growth z-scores with Permenkes 2/2020 categories, for one child or a CSV file."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.epilog = CSV_HELP
        import argparse

        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sex", help="M or F")
        parser.add_argument("--birth", help="birth date, YYYY-MM-DD")
        parser.add_argument("--date", help="visit (measurement) date, YYYY-MM-DD; default today")
        parser.add_argument("--age-days", type=float, help="age in days instead of dates")
        parser.add_argument("--weight", type=float, help="weight in kg")
        parser.add_argument("--length", type=float, help="length or height in cm")
        position = parser.add_mutually_exclusive_group()
        position.add_argument("--lying", action="store_true", help="length measured lying")
        position.add_argument("--standing", action="store_true", help="height measured standing")
        parser.add_argument("--oedema", action="store_true", help="bilateral pitting oedema")
        parser.add_argument("--head", type=float, help="head circumference in cm")
        parser.add_argument("--muac", type=float, help="mid-upper arm circumference in cm")
        parser.add_argument("--csv", help="score a CSV file of children (see below)")
        parser.add_argument("--out", help="output CSV for --csv (default: stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["csv"]:
            self._handle_csv(Path(options["csv"]), options["out"])
        else:
            self._handle_one(options)

    # -- one child -------------------------------------------------------------------------------

    def _handle_one(self, options: dict[str, Any]) -> None:
        if not options["sex"]:
            raise CommandError("--sex is required (M or F), or use --csv")
        measured = "lying" if options["lying"] else "standing" if options["standing"] else None
        inputs = {
            "weight_kg": options["weight"],
            "length_cm": options["length"],
            "measured": measured,
            "oedema": bool(options["oedema"]),
            "head_cm": options["head"],
            "muac_cm": options["muac"],
        }
        try:
            if options["birth"]:
                visit = _date(options["date"], "--date") if options["date"] else localdate()
                result = growth.assess(
                    options["sex"], _date(options["birth"], "--birth"), visit, **inputs
                )
            elif options["age_days"] is not None:
                result = _assess_age(options["sex"], options["age_days"], inputs)
            else:
                raise CommandError("give --birth (and --date), or --age-days")
        except (OutOfRange, ValueError) as error:
            raise CommandError(str(error)) from None
        self._print_assessment(result)

    def _print_assessment(self, result: growth.Assessment) -> None:
        out = self.stdout
        out.write(
            f"Umur {result.age_days} hari ({result.age_months:.1f} bulan), "
            f"rujukan {result.reference}"
        )
        if result.clenhei is not None:
            out.write(f"PB/TB terkoreksi {result.clenhei:.1f} cm")
        if result.c9mo:
            out.write("Peringatan: tinggi berdiri di bawah 9 bulan, posisi diabaikan (c9mo)")
        for key, item in result.indicators.items():
            name = growth.INDEX_LABELS[key]
            if item.z is None:
                out.write(f"{name:<18} -")
                continue
            label = item.category.label if item.category else "(tanpa kategori PMK)"
            flag = "  [tidak masuk akal menurut WHO]" if item.flagged else ""
            out.write(f"{name:<18} z = {item.z:6.2f}  {label}{flag}")

    # -- CSV -------------------------------------------------------------------------------------

    def _handle_csv(self, path: Path, out_path: str | None) -> None:
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                fieldnames = list(reader.fieldnames or [])
                rows = list(reader)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        except (csv.Error, UnicodeDecodeError) as error:
            raise CommandError(f"cannot parse {path} as UTF-8 CSV: {error}") from None
        lower = {name.strip().lower(): name for name in fieldnames}
        if "sex" not in lower:
            raise CommandError(f"{path}: no 'sex' column (found: {', '.join(fieldnames)})")

        parsed: list[dict[str, Any] | None] = []
        errors: list[str] = []
        for row in tqdm(rows, desc="zscore", unit="anak", file=sys.stderr, disable=None):
            normalised = {key: row.get(lower[key], "") if key in lower else "" for key in COLUMNS}
            try:
                parsed.append(_parse_row(normalised))
                errors.append("")
            except (OutOfRange, ValueError) as error:
                parsed.append(None)
                errors.append(str(error))

        ok = [i for i, p in enumerate(parsed) if p is not None]
        scores = None
        if ok:
            batch = {
                key: [parsed[i][key] for i in ok]  # type: ignore[index]
                for key in ("sex", "age_days", "weight_kg", "length_cm")
                + ("measured", "oedema", "head_cm", "muac_cm")
            }
            batch_sex = np.array([str(s).strip() for s in batch.pop("sex")])
            batch_measured = np.array([m or "" for m in batch.pop("measured")])
            batch_oedema = np.array([o or "" for o in batch.pop("oedema")])
            age = np.array(batch.pop("age_days"), dtype=float)
            scores = growth.score(
                batch_sex, age, measured=batch_measured, oedema=batch_oedema, **batch
            )
            categories = {
                key: growth.classify(key, scores.z[key], age) for key in growth.INDICATORS
            }

        extra = ["age_days_used"]
        for key in growth.INDICATORS:
            extra += [f"z_{key}", f"flag_{key}", f"category_{key}"]
        extra += ["c9mo_flag", "error"]
        position = {row_index: k for k, row_index in enumerate(ok)}

        handle = (
            open(out_path, "w", newline="", encoding="utf-8")  # noqa: SIM115
            if out_path
            else None
        )
        try:
            writer = csv.DictWriter(handle or self.stdout, fieldnames=fieldnames + extra)
            writer.writeheader()
            for i, row in enumerate(rows):
                # The input columns come back as they were, defused: a cell of the input
                # file must not become a formula in the output.
                out = {key: csv_value(value) for key, value in row.items()}
                out.update(dict.fromkeys(extra, ""))
                out["error"] = csv_value(errors[i])
                k = position.get(i)
                if k is not None and scores is not None:
                    out["age_days_used"] = _fmt(parsed[i]["age_days"])  # type: ignore[index]
                    for key in growth.INDICATORS:
                        z = float(scores.z[key][k])
                        if not math.isnan(z):
                            out[f"z_{key}"] = f"{z:.2f}"
                            out[f"flag_{key}"] = str(int(scores.flags[key][k]))
                            code = categories[key][k]
                            out[f"category_{key}"] = growth.CATEGORY_LABELS[code] if code else ""
                    out["c9mo_flag"] = str(int(scores.flags["c9mo"][k]))
                writer.writerow(out)
        finally:
            if handle:
                handle.close()
        if out_path:
            scored = len(ok)
            self.stderr.write(f"{scored} of {len(rows)} rows scored; written to {out_path}")


def _assess_age(sex: str, age_days: float, inputs: dict[str, Any]) -> growth.Assessment:
    """Like :func:`growth.assess`, from an age in days instead of dates."""
    validate_scalars({"sex": sex, "age_days": age_days, **inputs})
    birth = date(2000, 1, 1)
    whole = math.floor(age_days + 0.5)
    return growth.assess(sex, birth, date.fromordinal(birth.toordinal() + whole), **inputs)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
