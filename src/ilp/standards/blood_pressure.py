"""Adult blood-pressure classes: PNPK hipertensi 2021 (ESC/ESH 2018) and JNC 7.

Sources (CLINICAL.md §4.1, cases §6.6):
- PNPK Tata Laksana Hipertensi Dewasa, KMK HK.01.07/MENKES/4634/2021, which adopts the
  ESC/ESH 2018 office-BP classes for adults (> 18 y) [S20] [P].
- JNC 7 (NHLBI 2003), still printed on many Indonesian screening forms [S20] [C].

Which scheme ILP/Posbindu forms use is open (CLINICAL.md §7 item 6), so the scheme is a
parameter; PNPK is the default because it is the national guideline.

Both schemes: when systolic and diastolic fall in different classes the higher class wins.

Isolated systolic hypertension (ISH: SBP ≥ 140 and DBP < 90, PNPK table) does not replace
the grade: ESC/ESH 2018 grades ISH by the systolic value (grade 1, 2, 3), so 145/85 is
``grade_1`` with ``details["isolated_systolic"] = True`` and the reason ``isolated_systolic``.
The UI can show both; work lists only need the grade and ``details["hypertensive"]``.

Codes: ``CODES["bp_pnpk"]`` and ``CODES["bp_jnc7"]`` (``ilp.standards.result``); the reason
says which reading decided the class.
"""

from __future__ import annotations

from ilp.standards.result import Catalogue, Message, OutOfRange, RuleResult

SOURCE_PNPK = (
    "PNPK Tata Laksana Hipertensi Dewasa, KMK HK.01.07/MENKES/4634/2021 (klasifikasi ESC/ESH "
    "2018); CLINICAL.md §4.1"
)
SOURCE_JNC7 = "JNC 7 (NHLBI 2003); CLINICAL.md §4.1"

SCHEMES: tuple[str, ...] = ("pnpk", "jnc7")

# Plausible office readings; outside these the cuff or the typing is wrong.
SYSTOLIC_RANGE = (50, 300)
DIASTOLIC_RANGE = (20, 200)

# (code, label, systolic lower bound, diastolic lower bound), ascending; a reading takes the
# highest class whose systolic OR diastolic bound it reaches ("and/or" in the tables).
_PNPK_CLASSES: tuple[tuple[str, str, float, float], ...] = (
    ("optimal", "Optimal", 0, 0),
    ("normal", "Normal", 120, 80),
    ("high_normal", "Normal tinggi", 130, 85),
    ("grade_1", "Hipertensi derajat 1", 140, 90),
    ("grade_2", "Hipertensi derajat 2", 160, 100),
    ("grade_3", "Hipertensi derajat 3", 180, 110),
)
_JNC7_CLASSES: tuple[tuple[str, str, float, float], ...] = (
    ("normal", "Normal", 0, 0),
    ("prehypertension", "Prahipertensi", 120, 80),
    ("stage_1", "Hipertensi stadium 1", 140, 90),
    ("stage_2", "Hipertensi stadium 2", 160, 100),
)
_HYPERTENSIVE = {"grade_1", "grade_2", "grade_3", "stage_1", "stage_2"}
# The class codes that are hypertension, of either scheme (for readers of stored results).
HYPERTENSIVE_CLASSES: frozenset[str] = frozenset(_HYPERTENSIVE)

_BP = {"systolic": "number", "diastolic": "number"}
_BP_REASONS = {
    "systolic_decides": Message("TD {systolic}/{diastolic} mmHg: sistolik menentukan kelas", _BP),
    "diastolic_decides": Message("TD {systolic}/{diastolic} mmHg: diastolik menentukan kelas", _BP),
    "both_same_class": Message(
        "TD {systolic}/{diastolic} mmHg: sistolik dan diastolik pada kelas yang sama", _BP
    ),
    "isolated_systolic": Message(
        "TD {systolic}/{diastolic} mmHg: hipertensi sistolik terisolasi (sistolik ≥ 140, "
        "diastolik < 90); sistolik menentukan kelas",
        _BP,
    ),
}
CODES: dict[str, Catalogue] = {
    f"bp_{scheme}": Catalogue(
        rule=f"bp_{scheme}",
        classes={code: Message(label) for code, label, _, _ in table},
        reasons=_BP_REASONS,
    )
    for scheme, table in (("pnpk", _PNPK_CLASSES), ("jnc7", _JNC7_CLASSES))
}


def _validate(systolic: float, diastolic: float) -> None:
    if not SYSTOLIC_RANGE[0] <= systolic <= SYSTOLIC_RANGE[1]:
        raise OutOfRange("systolic", systolic, *SYSTOLIC_RANGE)
    if not DIASTOLIC_RANGE[0] <= diastolic <= DIASTOLIC_RANGE[1]:
        raise OutOfRange("diastolic", diastolic, *DIASTOLIC_RANGE)
    # A pulse pressure of zero or less means the two values were swapped or mistyped.
    if diastolic >= systolic:
        raise OutOfRange("diastolic", diastolic, DIASTOLIC_RANGE[0], f"< systolic ({systolic})")


def _pick(
    table: tuple[tuple[str, str, float, float], ...], sbp: float, dbp: float
) -> tuple[str, int, int]:
    """(class code, systolic class index, diastolic class index): the higher class wins."""
    by_sbp = max(i for i, row in enumerate(table) if sbp >= row[2])
    by_dbp = max(i for i, row in enumerate(table) if dbp >= row[3])
    return table[max(by_sbp, by_dbp)][0], by_sbp, by_dbp


def classify_blood_pressure(
    systolic: float, diastolic: float, *, scheme: str = "pnpk"
) -> RuleResult:
    """Classify an adult office BP reading (mmHg) under PNPK 2021/ESC-ESH 2018 or JNC 7.

    Source: KMK HK.01.07/MENKES/4634/2021 (PNPK hipertensi, ESC/ESH 2018 table) or JNC 7
    (NHLBI 2003), CLINICAL.md §4.1. The higher of the systolic and diastolic classes wins.
    Raises OutOfRange for implausible values or diastolic ≥ systolic; ValueError for an
    unknown scheme.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown BP scheme {scheme!r}; use one of {SCHEMES}")
    _validate(systolic, diastolic)
    table = _PNPK_CLASSES if scheme == "pnpk" else _JNC7_CLASSES
    code, by_sbp, by_dbp = _pick(table, systolic, diastolic)
    # PNPK table row "isolated systolic": SBP ≥ 140 and DBP < 90; a flag, not a class (see
    # module docstring). JNC 7 has no such row; the flag is still computed for display.
    isolated_systolic = systolic >= 140 and diastolic < 90
    if isolated_systolic and scheme == "pnpk":
        reason = "isolated_systolic"
    elif by_sbp > by_dbp:
        reason = "systolic_decides"
    elif by_dbp > by_sbp:
        reason = "diastolic_decides"
    else:
        reason = "both_same_class"
    return CODES[f"bp_{scheme}"].result(
        code,
        reason,
        {"systolic": systolic, "diastolic": diastolic},
        source=SOURCE_PNPK if scheme == "pnpk" else SOURCE_JNC7,
        details={
            "scheme": scheme,
            "systolic": systolic,
            "diastolic": diastolic,
            "isolated_systolic": isolated_systolic,
            "hypertensive": code in _HYPERTENSIVE,
            "systolic_class": table[by_sbp][0],
            "diastolic_class": table[by_dbp][0],
        },
    )
