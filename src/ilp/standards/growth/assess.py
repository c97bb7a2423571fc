"""Scalar growth assessment for one child on one visit: z-scores, WHO flags and Permenkes
categories per indicator, for forms and the command line.

Sources: age in days = visit date - birth date (WHO ``anthro``, CLINICAL.md §1.3); z-scores
and flags from :mod:`ilp.standards.growth.engine` (WHO 2006 / 2007); categories from
:mod:`ilp.standards.growth.categories` (Permenkes 2/2020, CLINICAL.md §1.6).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..result import OutOfRange, RuleResult
from .categories import classify
from .engine import DAYS_PER_MONTH, INDICATORS, score

# Indonesian names of the indices, for display.
INDEX_LABELS: dict[str, str] = {
    "wfa": "BB/U",
    "lhfa": "PB/U atau TB/U",
    "wflh": "BB/PB atau BB/TB",
    "bfa": "IMT/U",
    "hcfa": "LK/U",
    "acfa": "LiLA/U",
}


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    """One indicator: z (None when WHO computes none), WHO flag, Permenkes category (or None)."""

    indicator: str
    z: float | None
    flagged: bool
    category: RuleResult | None


@dataclass(frozen=True, slots=True)
class Assessment:
    """A child's growth assessment on a visit date.

    ``reference`` is ``"WHO 2006"`` under 60 months, ``"WHO 2007"`` from 60 months.
    ``c9mo`` is True when a standing height was recorded under 9 months (position ignored).
    """

    age_days: int
    age_months: float
    reference: str
    clenhei: float | None
    bmi: float | None
    c9mo: bool
    indicators: dict[str, IndicatorResult] = field(default_factory=dict)


def age_in_days(birth_date: date, visit_date: date) -> int:
    """Age in whole days on ``visit_date``; raises OutOfRange when the visit precedes birth.

    Source: WHO ``anthro`` (age in days = measurement date - birth date), CLINICAL.md §1.3.
    """
    days = (visit_date - birth_date).days
    if days < 0:
        raise OutOfRange("visit_date", visit_date.isoformat(), birth_date.isoformat(), "∞")
    return days


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def assess(
    sex: Any,
    birth_date: date,
    visit_date: date,
    *,
    weight_kg: float | None = None,
    length_cm: float | None = None,
    measured: str | None = None,
    oedema: bool | str | None = None,
    head_cm: float | None = None,
    muac_cm: float | None = None,
) -> Assessment:
    """Assess one child: z-score, flag and Permenkes category for every indicator.

    Raises :class:`~ilp.standards.result.OutOfRange` for implausible input (sex not M/F,
    visit before birth, weight outside 0–300 kg, length outside 0–250 cm, head or MUAC outside
    0–80 cm, unknown position or oedema value). Sources: see the module docstring.
    """
    days = age_in_days(birth_date, visit_date)
    result = score(
        sex,
        days,
        weight_kg=weight_kg,
        length_cm=length_cm,
        measured=measured,
        oedema=oedema,
        head_cm=head_cm,
        muac_cm=muac_cm,
    )
    indicators: dict[str, IndicatorResult] = {}
    for key in INDICATORS:
        z = _number(float(result.z[key]))
        category = classify(key, z if z is not None else math.nan, days)
        assert category is None or isinstance(category, RuleResult)  # noqa: S101 - type narrowing
        indicators[key] = IndicatorResult(
            indicator=key,
            z=z,
            flagged=bool(result.flags[key]),
            category=category,
        )
    months = days / DAYS_PER_MONTH
    return Assessment(
        age_days=days,
        age_months=months,
        reference="WHO 2006" if months < 60 else "WHO 2007",
        clenhei=_number(float(result.clenhei)),
        bmi=_number(float(result.bmi)),
        c9mo=bool(result.flags["c9mo"]),
        indicators=indicators,
    )
