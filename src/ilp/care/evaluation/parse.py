"""Turning what was typed or sent into typed values, once, at the edge.

The package form (`ilp.care.forms.PackageForm.values`) parses what the health worker typed
with these functions and hands the services numbers, booleans, codes and dates; the API's JSON
goes through the same functions in `ilp.care.services.plausibility.clean_values`, where a
value that is already typed passes unchanged. `normalise_answers` gives questionnaire
answers their one shape before any evaluator reads them, so no evaluator parses text.

A decimal comma is accepted everywhere ("8,5" is 8.5): Indonesians write it so.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

TRUE = frozenset({"1", "true", "yes", "ya", "y", "on"})
FALSE = frozenset({"0", "false", "no", "tidak", "n", "off", ""})
# The posyandu's short codes for the way a child was measured.
MEASURED_ALIASES = {"l": "lying", "h": "standing"}
# Dates as Indonesians write them (DD-MM-YYYY), and ISO for the API.
DATE_INPUT_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"]


def number(raw: Any) -> float:
    """A number from a number or text with a decimal point or comma (ValueError if none;
    booleans, NaN and infinities are not numbers)."""
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        value = float(str(raw).strip().replace(",", "."))
    if math.isnan(value) or math.isinf(value):
        raise ValueError(raw)
    return value


def boolean(raw: Any) -> bool:
    """Yes/no from a boolean or its usual spellings (ValueError otherwise)."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError(raw)


def choice(key: str, raw: Any) -> str:
    """A choice code as sent (the measuring position also by its short code L/H)."""
    text = str(raw).strip()
    if key == "measured":
        text = MEASURED_ALIASES.get(text.lower(), text.lower())
    return text


def text(raw: Any) -> str:
    """Free text, trimmed, at most 64 characters (an observation's text value)."""
    return str(raw).strip()[:64]


def typed_date(raw: str) -> date | None:
    """A date typed as DD-MM-YYYY, DD/MM/YYYY or YYYY-MM-DD (None if it is none of them)."""
    for fmt in DATE_INPUT_FORMATS:
        try:
            return datetime.strptime(raw.strip(), fmt).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    return None


def typed_number(raw: str) -> float | str:
    """A typed number as float; text that is not one goes on unchanged, for the services
    to refuse with the message they give the API too."""
    try:
        return number(raw)
    except ValueError:
        return raw


def normalise_answers(values: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """Give the questionnaires of cleaned `values` their one shape, in place: SRQ-20 a list,
    KSPR a dict with ``factors``, each dose a dict with a stripped code and lot number and an
    expiry date (a dose whose expiry is no date is refused here and left as None)."""
    srq20 = values.get("srq20")
    if isinstance(srq20, dict):
        values["srq20"] = [srq20.get(str(i), srq20.get(i, False)) for i in range(1, 21)]
    elif isinstance(srq20, tuple):
        values["srq20"] = list(srq20)
    kspr = values.get("kspr")
    if isinstance(kspr, list | tuple):
        values["kspr"] = {"factors": kspr}
    doses = values.get("doses")
    if isinstance(doses, list | tuple):
        values["doses"] = [_dose(i, dose, errors) for i, dose in enumerate(doses)]


def _dose(i: int, dose: Any, errors: dict[str, list[str]]) -> Any:
    if not isinstance(dose, dict):
        return dose  # the evaluator says the row is incomplete
    expiry = dose.get("expiry_date")
    if isinstance(expiry, str) and expiry:
        try:
            expiry = date.fromisoformat(expiry)
        except ValueError:
            errors.setdefault(f"doses.{i}.expiry_date", []).append(
                _("Tanggal kedaluwarsa tidak valid.")
            )
            return None
    return {
        **dose,
        "dose_code": str(dose.get("dose_code") or "").strip(),
        "lot_number": str(dose.get("lot_number") or "").strip(),
        "expiry_date": expiry,
    }
