"""Value specifications and plausibility checks for recorded measurements.

Two kinds of trouble, kept apart because the form treats them differently:

* **impossible** values (``errors``): a weight of 0 or 300 kg, a diastolic at or above the
  systolic, a child shorter than at the last visit by more than measurement error, a date
  before birth or in the future. Nothing is saved; the field shows the message.
* **unusual** values (``warnings``): plausible but rare enough to be a typing or measuring
  mistake — WHO z-score flags, big jumps since the last visit. The form asks the health
  worker to re-measure or confirm; confirmed values are stored with ``flagged=True``.

Hard limits are wide physical bounds (not clinical cut-offs): they catch slips of the
keyboard (a weight typed in grams, a missing decimal point), nothing else. Clinical classes
come from :mod:`ilp.standards`.

**Length/height tolerance: 1.5 cm.** A child's length or height may not fall by more than
1.5 cm since the last visit. The WHO Multicentre Growth Reference Study accepted two
trained measurers' readings when they differed by at most 0.7 cm (de Onis et al., *Food Nutr
Bull* 2004;25(1 Suppl):S27–36, "maximum allowable difference" for length and height); two
independent field measurements, each off by up to that much in opposite directions, differ by
1.4 cm, rounded up to 1.5 cm. Before comparing, a standing height is converted to its lying
equivalent (+0.7 cm, WHO ``anthro``; CLINICAL.md §1.4) so that a change of position is not
read as shrinking. Adults (≥ 18 years) may lose height with age and posture, so for them a
fall of more than 3 cm is only a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ilp.care.evaluation import parse
from ilp.care.evaluation.fields import ALIASES

# Re-exported: encounters, corrections and the demo read the value table from here.
from ilp.care.evaluation.fields import SPECS as SPECS
from ilp.care.evaluation.fields import Spec as Spec
from ilp.standards.growth.velocity import weight_gain_limit

LENGTH_TOLERANCE_CM = 1.5
ADULT_HEIGHT_WARNING_CM = 3.0
POSITION_ADJUSTMENT_CM = 0.7  # lying ≈ standing + 0.7 cm (CLINICAL.md §1.4)
# A weighing differing from the previous one (≤ 62 days earlier) by more than both of these
# needs confirmation (a 15 % loss in a month is a measurement error far more often than an
# illness); a gain under two years of age is read against WHO's weight velocity instead.
WEIGHT_JUMP_KG = 1.0
WEIGHT_JUMP_FRACTION = 0.15
WEIGHT_JUMP_WINDOW_DAYS = 62
# Length gain above this per 30 days (plus the tolerance) needs confirmation; the fastest
# WHO median gain, in the first month, is about 4.5 cm.
LENGTH_GAIN_CM_PER_30_DAYS = 6.0

LOINC_LENGTH_LYING = "8306-3"
LOINC_HEIGHT_STANDING = "8302-2"


# The value keys (type, unit, LOINC, hard limits) are one table with their labels and form
# layout: ilp.care.evaluation.fields, re-exported here as `Spec` and `SPECS`.


def fmt(value: float) -> str:
    """A number the Indonesian way: decimal comma, no trailing zeros (0,3; 250; 1,5)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def clean_values(
    values: dict[str, Any], allowed: frozenset[str], errors: dict[str, list[str]]
) -> dict[str, Any]:
    """Parse and range-check every value; empty inputs are dropped. Messages go to `errors`."""

    def err(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    cleaned: dict[str, Any] = {}
    for key, raw in (values or {}).items():
        key = ALIASES.get(key, key)  # "length": length lying or height standing
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        spec = SPECS.get(key)
        if spec is None or key not in allowed:
            err(key, _("Isian ini tidak dikenal untuk layanan yang dipilih."))
            continue
        if spec.kind in ("number", "int"):
            try:
                value = parse.number(raw)
            except (TypeError, ValueError):
                err(key, _("%(label)s harus berupa angka.") % {"label": spec.label})
                continue
            if spec.kind == "int" and value != int(value):
                err(key, _("%(label)s harus bilangan bulat.") % {"label": spec.label})
                continue
            if (spec.low is not None and value < spec.low) or (
                spec.high is not None and value > spec.high
            ):
                unit = f" {spec.unit}" if spec.unit and not spec.unit.startswith("/") else ""
                if spec.unit == "mm[Hg]":
                    unit = " mmHg"
                elif spec.unit == "Cel":
                    unit = " °C"
                err(
                    key,
                    _(
                        "%(label)s %(value)s%(unit)s tidak mungkin; isi antara %(low)s dan "
                        "%(high)s%(unit)s."
                    )
                    % {
                        "label": spec.label,
                        "value": fmt(value),
                        "unit": unit,
                        "low": fmt(spec.low or 0),
                        "high": fmt(spec.high or 0),
                    },
                )
                continue
            cleaned[key] = int(value) if spec.kind == "int" else value
        elif spec.kind == "bool":
            try:
                cleaned[key] = parse.boolean(raw)
            except ValueError:
                err(key, _("%(label)s harus ya atau tidak.") % {"label": spec.label})
        elif spec.kind == "choice":
            text = parse.choice(key, raw)
            if text not in spec.choices:
                err(key, _("Pilihan %(label)s tidak dikenal.") % {"label": spec.label})
                continue
            cleaned[key] = text
        elif spec.kind == "text":
            cleaned[key] = parse.text(raw)
        else:
            cleaned[key] = raw
    return cleaned


def check_blood_pressure(values: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """Systolic and diastolic come as a pair, and the diastolic is the lower one."""
    sbp, dbp = values.get("sbp"), values.get("dbp")
    if (sbp is None) != (dbp is None):
        missing = "dbp" if dbp is None else "sbp"
        errors.setdefault(missing, []).append(
            _("Isi tekanan darah sistolik dan diastolik bersama-sama.")
        )
    elif sbp is not None and dbp is not None and dbp >= sbp:
        errors.setdefault("dbp", []).append(
            _(
                "Diastolik (%(dbp)s) harus lebih rendah dari sistolik (%(sbp)s); periksa apakah "
                "tertukar."
            )
            % {"dbp": fmt(dbp), "sbp": fmt(sbp)}
        )


def check_date(
    on: date,
    birth_date: date,
    today: date,
    deceased_on: date | None,
    errors: dict[str, list[str]],
) -> None:
    if on > today:
        errors.setdefault("on", []).append(_("Tanggal pemeriksaan tidak boleh di masa depan."))
    if on < birth_date:
        errors.setdefault("on", []).append(
            _("Tanggal pemeriksaan sebelum tanggal lahir (%(birth)s).")
            % {"birth": date_format(birth_date)}
        )
    if deceased_on is not None and on > deceased_on:
        errors.setdefault("on", []).append(_("Penduduk ini tercatat sudah meninggal."))


def lying_equivalent(height_cm: float, lying: bool) -> float:
    return height_cm if lying else height_cm + POSITION_ADJUSTMENT_CM


@dataclass(frozen=True, slots=True)
class Previous:
    """A previous measurement of the same person (from Observation rows)."""

    date: date
    value: float
    lying: bool = False


def check_against_previous(
    *,
    on: date,
    adult: bool,
    weight: float | None,
    height: float | None,
    lying: bool,
    previous_weight: Previous | None,
    previous_height: Previous | None,
    errors: dict[str, list[str]],
    warnings: dict[str, list[str]],
    sex: str | None = None,
    birth: date | None = None,
) -> None:
    """Compare with the last visit: shrinking children are impossible; jumps are unusual.
    With the child's `sex` and `birth` date, a gain under two years of age is unusual above
    WHO's weight velocity (+3 SD, ``ilp.standards.growth.velocity``)."""
    if height is not None and previous_height is not None:
        now = lying_equivalent(height, lying)
        before = lying_equivalent(previous_height.value, previous_height.lying)
        drop = before - now
        when = date_format(previous_height.date)
        if not adult and drop > LENGTH_TOLERANCE_CM:
            errors.setdefault("height", []).append(
                _(
                    "Panjang/tinggi %(now)s cm lebih rendah %(drop)s cm dari pengukuran "
                    "%(when)s (%(before)s cm); selisih lebih dari %(tol)s cm tidak mungkin, "
                    "ukur ulang."
                )
                % {
                    "now": fmt(height),
                    "drop": fmt(drop),
                    "when": when,
                    "before": fmt(previous_height.value),
                    "tol": fmt(LENGTH_TOLERANCE_CM),
                }
            )
        elif adult and drop > ADULT_HEIGHT_WARNING_CM:
            warnings.setdefault("height", []).append(
                _("Tinggi badan turun %(drop)s cm sejak %(when)s; pastikan pengukuran benar.")
                % {"drop": fmt(drop), "when": when}
            )
        elif not adult:
            days = max((on - previous_height.date).days, 1)
            limit = LENGTH_TOLERANCE_CM + LENGTH_GAIN_CM_PER_30_DAYS * days / 30
            if -drop > limit:
                warnings.setdefault("height", []).append(
                    _(
                        "Panjang/tinggi naik %(gain)s cm dalam %(days)s hari; sangat tidak biasa, "
                        "ukur ulang atau konfirmasi."
                    )
                    % {"gain": fmt(-drop), "days": days}
                )
    if weight is not None and previous_weight is not None:
        days = (on - previous_weight.date).days
        change = weight - previous_weight.value
        # Under two years a gain is read against WHO's weight velocity for the age (a healthy
        # infant gains more than 1 kg a month); otherwise, and for losses, the fixed jump.
        gain_limit = (
            weight_gain_limit(sex, (previous_weight.date - birth).days, days)
            if sex and birth is not None and change > 0 and 0 < days <= WEIGHT_JUMP_WINDOW_DAYS
            else None
        )
        if gain_limit is not None:
            unusual = change * 1000 > gain_limit.upper_g
        else:
            unusual = (
                0 < days <= WEIGHT_JUMP_WINDOW_DAYS
                and abs(change) > WEIGHT_JUMP_KG
                and abs(change) > WEIGHT_JUMP_FRACTION * previous_weight.value
            )
        if unusual:
            warnings.setdefault("weight", []).append(
                _(
                    "Berat badan berubah %(change)s kg dalam %(days)s hari (sebelumnya %(before)s "
                    "kg); timbang ulang atau konfirmasi."
                )
                % {
                    "change": ("+" if change > 0 else "") + fmt(change),
                    "days": days,
                    "before": fmt(previous_weight.value),
                }
            )
