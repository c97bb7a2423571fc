"""Anaemia by haemoglobin, age, sex, pregnancy and trimester (WHO 2011 default, WHO 2024 option).

Sources (CLINICAL.md §3.4):
- WHO 2011, *Haemoglobin concentrations for the diagnosis of anaemia and assessment of
  severity* (VMNIS), the thresholds used in most Indonesian material [S19] [C]:
  6–59 months < 11.0; 5–11 y < 11.5; 12–14 y < 12.0; non-pregnant women ≥ 15 y < 12.0;
  pregnant women < 11.0; men ≥ 15 y < 13.0 (g/dL).
- WHO 2024 guideline on haemoglobin cut-offs [S19] [P: secondary summary]: 6–23 months < 10.5;
  24–59 months < 11.0; 5–11 y < 11.5; 12–14 y < 12.0; non-pregnant women ≥ 15 y < 12.0;
  pregnant TM1 and TM3 < 11.0, TM2 < 10.5; men ≥ 15 y < 13.0.

Severity (mild/moderate/severe) is reported in ``details["severity"]`` from the WHO tables
(2011 VMNIS table 1; 2024 guideline table); CLINICAL.md marks national severity bands as open
(§3.4, §7 item 6), so treat severity as WHO's, not Kemenkes'. Hb is at sea level: altitude and
smoking adjustments are not applied (the caller adjusts first if needed).

Pregnancy overrides the age group (a pregnant 14-year-old uses the pregnancy threshold, as WHO
does). No WHO threshold exists under 6 months, so ages below raise OutOfRange.
"""

from __future__ import annotations

from ilp.standards.result import Catalogue, Message, OutOfRange, ParamValue, RuleResult

SOURCE = {
    "who2011": "WHO 2011, Haemoglobin concentrations for the diagnosis of anaemia (VMNIS); "
    "CLINICAL.md §3.4",
    "who2024": "WHO 2024, Guideline on haemoglobin cutoffs to define anaemia; CLINICAL.md §3.4",
}
REFERENCES: tuple[str, ...] = ("who2011", "who2024")

HB_RANGE = (2.0, 25.0)  # g/dL
AGE_MONTHS_RANGE = (6, 1500)

# group -> (anaemia threshold "Hb < x", mild lower bound, moderate lower bound); severe below
# the moderate bound. Mild = [mild_low, threshold), moderate = [moderate_low, mild_low).
_TABLES: dict[str, dict[str, tuple[float, float, float]]] = {
    "who2011": {
        "child_6_59m": (11.0, 10.0, 7.0),
        "child_5_11y": (11.5, 11.0, 8.0),
        "child_12_14y": (12.0, 11.0, 8.0),
        "woman_15y": (12.0, 11.0, 8.0),
        "pregnant": (11.0, 10.0, 7.0),
        "man_15y": (13.0, 11.0, 8.0),
    },
    "who2024": {
        "child_6_23m": (10.5, 9.5, 7.0),
        "child_24_59m": (11.0, 10.0, 7.0),
        "child_5_11y": (11.5, 11.0, 8.0),
        "child_12_14y": (12.0, 11.0, 8.0),
        "woman_15y": (12.0, 11.0, 8.0),
        "pregnant_tm1": (11.0, 10.0, 7.0),
        "pregnant_tm2": (10.5, 9.5, 7.0),
        "pregnant_tm3": (11.0, 10.0, 7.0),
        "man_15y": (13.0, 11.0, 8.0),
    },
}
_GROUP_LABELS = {
    "child_6_59m": "anak 6–59 bulan",
    "child_6_23m": "anak 6–23 bulan",
    "child_24_59m": "anak 24–59 bulan",
    "child_5_11y": "anak 5–11 tahun",
    "child_12_14y": "anak 12–14 tahun",
    "woman_15y": "perempuan tidak hamil ≥ 15 tahun",
    "man_15y": "laki-laki ≥ 15 tahun",
    "pregnant": "ibu hamil",
    "pregnant_tm1": "ibu hamil trimester 1",
    "pregnant_tm2": "ibu hamil trimester 2",
    "pregnant_tm3": "ibu hamil trimester 3",
}
_SEVERITY_LABELS = {"mild": "ringan", "moderate": "sedang", "severe": "berat"}
_HB = {"hb": "number", "threshold": "number", "group": "term:group"}

# The codes of ``classify_anaemia`` (rule ``anaemia``), see ``ilp.standards.result``.
CODES: dict[str, Catalogue] = {
    "anaemia": Catalogue(
        rule="anaemia",
        classes={
            "no_anaemia": Message("Tidak anemia"),
            "anaemia": Message("Anemia {severity}", {"severity": "term:severity"}),
        },
        reasons={
            "hb_at_or_above_threshold": Message("Hb {hb} g/dL ≥ {threshold} ({group})", _HB),
            "hb_below_threshold": Message("Hb {hb} g/dL < {threshold} ({group})", _HB),
        },
        terms={"group": _GROUP_LABELS, "severity": _SEVERITY_LABELS},
    )
}


def _group(age_months: int, sex: str, pregnant: bool, trimester: int | None, ref: str) -> str:
    if pregnant:
        if ref == "who2011":
            return "pregnant"
        if trimester not in (1, 2, 3):
            raise ValueError("WHO 2024 needs the trimester (1, 2 or 3) for a pregnant woman")
        return f"pregnant_tm{trimester}"
    if age_months < 60:
        if ref == "who2011":
            return "child_6_59m"
        return "child_6_23m" if age_months < 24 else "child_24_59m"
    if age_months < 12 * 12:
        return "child_5_11y"
    if age_months < 15 * 12:
        return "child_12_14y"
    return "man_15y" if sex == "M" else "woman_15y"


def classify_anaemia(
    hb_g_dl: float,
    *,
    age_months: int,
    sex: str,
    pregnant: bool = False,
    trimester: int | None = None,
    reference: str = "who2011",
) -> RuleResult:
    """Anaemia yes/no (and WHO severity) from Hb in g/dL at sea level.

    Source: WHO 2011 (default) or WHO 2024 cut-offs, CLINICAL.md §3.4. ``age_months`` is in
    completed months; ``sex`` "M" or "F"; ``trimester`` is needed for pregnant women under WHO
    2024. Codes (``CODES["anaemia"]``): classes ``anaemia`` (param ``severity``: ``mild``,
    ``moderate``, ``severe``) / ``no_anaemia``; reasons ``hb_below_threshold`` /
    ``hb_at_or_above_threshold`` (``hb``, ``threshold``, ``group``). ``details["severity"]``
    repeats the severity (None when not anaemic).
    """
    if reference not in REFERENCES:
        raise ValueError(f"unknown anaemia reference {reference!r}; use one of {REFERENCES}")
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', got {sex!r}")
    if pregnant and sex != "F":
        raise ValueError("pregnant=True needs sex='F'")
    if not HB_RANGE[0] <= hb_g_dl <= HB_RANGE[1]:
        raise OutOfRange("hb_g_dl", hb_g_dl, *HB_RANGE)
    if not AGE_MONTHS_RANGE[0] <= age_months <= AGE_MONTHS_RANGE[1]:
        raise OutOfRange("age_months", age_months, *AGE_MONTHS_RANGE)
    if trimester is not None and trimester not in (1, 2, 3):
        raise OutOfRange("trimester", trimester, 1, 3)
    group = _group(age_months, sex, pregnant, trimester, reference)
    threshold, mild_low, moderate_low = _TABLES[reference][group]
    details: dict[str, object] = {"group": group, "threshold": threshold, "reference": reference}
    params: dict[str, ParamValue] = {"hb": hb_g_dl, "threshold": threshold, "group": group}
    codes = CODES["anaemia"]
    if hb_g_dl >= threshold:
        details["severity"] = None
        return codes.result(
            "no_anaemia",
            "hb_at_or_above_threshold",
            params,
            source=SOURCE[reference],
            value=hb_g_dl,
            details=details,
        )
    if hb_g_dl >= mild_low:
        severity = "mild"
    elif hb_g_dl >= moderate_low:
        severity = "moderate"
    else:
        severity = "severe"
    details["severity"] = severity
    return codes.result(
        "anaemia",
        "hb_below_threshold",
        {**params, "severity": severity},
        source=SOURCE[reference],
        value=hb_g_dl,
        details=details,
    )
