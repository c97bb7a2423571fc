"""PUMA questionnaire: COPD case finding in primary care (age ≥ 40).

Source: PUMA (López Varela et al. 2016/2019) and the Indonesian PUMA form, CLINICAL.md §4.6
[S26]. Items: sex (F 0, M 1); age 40–49 0, 50–59 1, ≥ 60 2; pack-years < 20 0, 20–30 1, > 30 2
(never-smoker 0); breathlessness, phlegm, cough, previous spirometry offer (0/1 each).
Maximum 9.

Cut-off decision (CLINICAL.md §4.6, §7 item 6 open): the original PUMA studies use ≥ 5, a
Chinese validation found ≥ 6 best, and the Indonesian form says "> 7 → spirometry, < 7 →
education", leaving 7 undefined; the Kemenkes (CKG) cut-off is not confirmed. ILP defaults
to **≥ 6**: it lies between the original ≥ 5 (more referrals than puskesmas spirometry can
absorb) and the Indonesian form's 7, and it is the best cut-off of the Asian validation.
``cutoff`` is a parameter so a district can set 5 or 7 once Kemenkes publishes one.
"""

from __future__ import annotations

from ilp.standards.result import Catalogue, Message, OutOfRange, RuleResult

SOURCE = "PUMA (López Varela 2016/2019), formulir PUMA Indonesia; CLINICAL.md §4.6"
DEFAULT_CUTOFF = 6

_SCORE = {"score": "integer", "cutoff": "integer"}
CODES: dict[str, Catalogue] = {
    "puma": Catalogue(
        rule="puma",
        classes={
            "high_risk": Message("Berisiko PPOK: rujuk spirometri"),
            "low_risk": Message("Risiko rendah PPOK: edukasi"),
        },
        reasons={
            "score_at_or_above_cutoff": Message("Skor PUMA {score} ≥ {cutoff}", _SCORE),
            "score_below_cutoff": Message("Skor PUMA {score} < {cutoff}", _SCORE),
        },
    )
}

AGE_RANGE = (40, 120)
CIGARETTES_RANGE = (0, 100)  # per day
SMOKING_YEARS_RANGE = (0, 100)


def pack_years(cigarettes_per_day: float, smoking_years: float) -> float:
    """Pack-years = cigarettes per day × years smoked / 20 (CLINICAL.md §4.6)."""
    if not CIGARETTES_RANGE[0] <= cigarettes_per_day <= CIGARETTES_RANGE[1]:
        raise OutOfRange("cigarettes_per_day", cigarettes_per_day, *CIGARETTES_RANGE)
    if not SMOKING_YEARS_RANGE[0] <= smoking_years <= SMOKING_YEARS_RANGE[1]:
        raise OutOfRange("smoking_years", smoking_years, *SMOKING_YEARS_RANGE)
    return cigarettes_per_day * smoking_years / 20


def score_puma(
    *,
    sex: str,
    age_years: int,
    cigarettes_per_day: float = 0,
    smoking_years: float = 0,
    breathless: bool,
    phlegm: bool,
    cough: bool,
    spirometry_offered: bool,
    cutoff: int = DEFAULT_CUTOFF,
) -> RuleResult:
    """PUMA score (0–9) and whether spirometry referral is advised.

    Source: PUMA, CLINICAL.md §4.6 (cut-off decision in the module docstring). Classes
    (``CODES["puma"]``) ``high_risk`` (score ≥ cutoff: refer for spirometry) / ``low_risk``
    (education); reasons ``score_at_or_above_cutoff`` / ``score_below_cutoff``.
    ``details["items"]`` holds the per-item points.
    """
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', got {sex!r}")
    if not AGE_RANGE[0] <= age_years <= AGE_RANGE[1]:
        raise OutOfRange("age_years", age_years, *AGE_RANGE)
    if not 1 <= cutoff <= 9:
        raise OutOfRange("cutoff", cutoff, 1, 9)
    py = pack_years(cigarettes_per_day, smoking_years)
    if py < 20:
        py_points = 0
    elif py <= 30:
        py_points = 1
    else:
        py_points = 2
    items = {
        "sex": 1 if sex == "M" else 0,
        "age": 0 if age_years < 50 else 1 if age_years < 60 else 2,
        "pack_years": py_points,
        "breathless": int(breathless),
        "phlegm": int(phlegm),
        "cough": int(cough),
        "spirometry_offered": int(spirometry_offered),
    }
    total = sum(items.values())
    details: dict[str, object] = {"items": items, "pack_years": py, "cutoff": cutoff}
    params = {"score": total, "cutoff": cutoff}
    if total >= cutoff:
        return CODES["puma"].result(
            "high_risk",
            "score_at_or_above_cutoff",
            params,
            source=SOURCE,
            value=total,
            details=details,
        )
    return CODES["puma"].result(
        "low_risk", "score_below_cutoff", params, source=SOURCE, value=total, details=details
    )
