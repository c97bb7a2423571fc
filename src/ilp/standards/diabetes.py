"""Diabetes and prediabetes: PERKENI diagnostic criteria and PERKENI's screening table.

Sources:
- PERKENI, Pedoman Pengelolaan dan Pencegahan DM Tipe 2 (2015/2019/2021), CLINICAL.md §4.2
  [S21] [C]: DM if FPG ≥ 126 mg/dL, 2-h OGTT ≥ 200, random ≥ 200 with classic symptoms, or
  HbA1c ≥ 6.5 % (NGSP); prediabetes: IFG (GDPT) FPG 100–125, IGT (TGT) 2-h 140–199, HbA1c
  5.7–6.4 %. These are laboratory (venous plasma) values: ``classify_diabetes_perkeni``.
- PERKENI's screening table, "Kadar glukosa darah sewaktu dan puasa sebagai patokan penyaring
  dan diagnosis DM" (mg/dL), CLINICAL.md §4.2 [S21] [P], by **sample type**:

  ==================  =============  ==========  ===============  ======
  test                sample         bukan DM    belum pasti DM   DM
  ==================  =============  ==========  ===============  ======
  random (GDS)        venous plasma  < 100       100–199          ≥ 200
  random (GDS)        capillary      < 90        90–199           ≥ 200
  fasting (GDP)       venous plasma  < 100       100–125          ≥ 126
  fasting (GDP)       capillary      < 90        90–99            ≥ 100
  ==================  =============  ==========  ===============  ======

  ``classify_glucose_screening`` applies the row of the sample measured; posyandu and
  posbindu glucometers measure **capillary** blood, the default. "Belum pasti DM" is
  ``uncertain`` (confirm with GDP/TTGO/HbA1c), except a venous fasting value of 100–125,
  which is GDPT, PERKENI's prediabetes: ``prediabetes``. A "DM" reading is ``diabetes``: a
  positive screen to be confirmed, not a diagnosis. The juknis ILP's reading (GDS 140–199 =
  prediabetes, DOMAIN.md §1.2) is not PERKENI's and ignores the sample type, so it is not used.
- Glycaemic control targets ("sasaran pengendalian"), ``glucose_in_control``: fasting 80 to
  < 130 mg/dL, 2-hour post-prandial < 180 mg/dL, as recalled from PERKENI **[confirm]**: they
  are not in the project's sources (CLINICAL.md §4.2 holds only the diagnostic and screening
  tables). Read by the monitoring indicator ``diabetes_terkendali``.

Glucose in mg/dL. Values between the printed integers (125.5) fall on the lower side of the
next bound: the bounds are applied as ``≥ 126``, ``≥ 100`` and so on.

Codes: ``CODES["diabetes_perkeni"]`` and ``CODES["glucose_screening"]``
(``ilp.standards.result``).
"""

from __future__ import annotations

from ilp.standards.result import Catalogue, Message, Note, OutOfRange, RuleResult

SOURCE_PERKENI = "PERKENI, Pedoman Pengelolaan dan Pencegahan DM Tipe 2 (2021); CLINICAL.md §4.2"
SOURCE_SCREENING = (
    "PERKENI, kadar glukosa darah sewaktu dan puasa sebagai patokan penyaring dan diagnosis DM "
    "(plasma vena / darah kapiler); CLINICAL.md §4.2"
)

GLUCOSE_RANGE = (20, 1000)  # mg/dL; outside this the meter or the typing is wrong
HBA1C_RANGE = (3.0, 20.0)  # % (NGSP)

CAPILLARY = "capillary"
VENOUS_PLASMA = "venous_plasma"
SAMPLES: tuple[str, ...] = (CAPILLARY, VENOUS_PLASMA)

# (test, sample) -> (lowest "belum pasti DM" value, lowest "DM" value), PERKENI screening table.
SCREENING_TABLE: dict[tuple[str, str], tuple[int, int]] = {
    ("random", VENOUS_PLASMA): (100, 200),
    ("random", CAPILLARY): (90, 200),
    ("fasting", VENOUS_PLASMA): (100, 126),
    ("fasting", CAPILLARY): (90, 100),
}

_VALUES = {
    "fasting_glucose": "number",
    "ogtt_2h_glucose": "number",
    "random_glucose": "number",
    "hba1c": "number",
}
_READING = {"test": "term:test", "sample": "term:sample", "glucose": "number"}
CODES: dict[str, Catalogue] = {
    "diabetes_perkeni": Catalogue(
        rule="diabetes_perkeni",
        classes={
            "diabetes": Message("Diabetes melitus"),
            "prediabetes": Message("Prediabetes"),
            "needs_confirmation": Message("Belum diagnostik, perlu konfirmasi (GDP/TTGO/HbA1c)"),
            "not_diagnostic": Message("Belum dapat disimpulkan (hanya GDS < 200)"),
            "normal": Message("Normal"),
        },
        reasons={
            "criteria_met": Message(
                "Memenuhi: {criteria}", {"criteria": "terms:criterion", **_VALUES}
            ),
            "random_high_without_symptoms": Message(
                "GDS {random_glucose} mg/dL ≥ 200 tanpa gejala klasik",
                {"random_glucose": "number"},
            ),
            "random_below_200_only": Message(
                "GDS {random_glucose} mg/dL < 200 tidak menyingkirkan DM",
                {"random_glucose": "number"},
            ),
            "below_prediabetes": Message("Semua nilai di bawah batas prediabetes"),
        },
        notes={
            "hba1c_ignored": Message(
                "HbA1c {hba1c} % tidak dipakai (tidak valid)", {"hba1c": "number"}
            ),
        },
        terms={
            "criterion": {
                "fpg_dm": "GDP ≥ 126 mg/dL",
                "ogtt_dm": "TTGO 2 jam ≥ 200 mg/dL",
                "random_with_symptoms_dm": "GDS ≥ 200 mg/dL dengan gejala klasik",
                "hba1c_dm": "HbA1c ≥ 6,5 %",
                "ifg": "GDPT (GDP 100–125 mg/dL)",
                "igt": "TGT (TTGO 2 jam 140–199 mg/dL)",
                "hba1c_prediabetes": "HbA1c 5,7–6,4 %",
            }
        },
    ),
    "glucose_screening": Catalogue(
        rule="glucose_screening",
        classes={
            "diabetes": Message("Skrining: DM (perlu konfirmasi diagnosis)"),
            "prediabetes": Message("Skrining: prediabetes (GDPT)"),
            "uncertain": Message("Skrining: belum pasti DM (perlu pemeriksaan lanjutan)"),
            "normal": Message("Skrining: bukan DM"),
        },
        reasons={
            "below": Message(
                "{test} {glucose} mg/dL < {limit} mg/dL ({sample})",
                {**_READING, "limit": "number"},
            ),
            "between": Message(
                "{test} {glucose} mg/dL ({low}–{high} mg/dL, {sample})",
                {**_READING, "low": "number", "high": "number"},
            ),
            "at_or_above": Message(
                "{test} {glucose} mg/dL ≥ {limit} mg/dL ({sample})",
                {**_READING, "limit": "number"},
            ),
        },
        terms={
            "test": {"fasting": "GDP", "random": "GDS"},
            "sample": {CAPILLARY: "darah kapiler", VENOUS_PLASMA: "plasma vena"},
        },
    ),
}


def _check_glucose(name: str, value: float | None) -> None:
    if value is not None and not GLUCOSE_RANGE[0] <= value <= GLUCOSE_RANGE[1]:
        raise OutOfRange(name, value, *GLUCOSE_RANGE)


def classify_diabetes_perkeni(
    *,
    fasting_glucose: float | None = None,
    ogtt_2h_glucose: float | None = None,
    random_glucose: float | None = None,
    classic_symptoms: bool = False,
    hba1c: float | None = None,
    hba1c_valid: bool = True,
) -> RuleResult:
    """Diagnose DM / prediabetes from any set of PERKENI tests (mg/dL, HbA1c in %).

    Source: PERKENI 2015/2019/2021 diagnostic criteria, CLINICAL.md §4.2; laboratory (venous
    plasma) values — a glucometer reading is screened with ``classify_glucose_screening``.
    Classes (``CODES["diabetes_perkeni"]``): ``diabetes``, ``prediabetes``, ``normal``,
    ``needs_confirmation`` (random ≥ 200 without classic symptoms: not diagnostic),
    ``not_diagnostic`` (only a random value < 200, which neither confirms nor excludes DM).
    Reason ``criteria_met`` lists the criteria met (codes ``fpg_dm``, ``ogtt_dm``,
    ``random_with_symptoms_dm``, ``hba1c_dm``, ``ifg``, ``igt``, ``hba1c_prediabetes``; also
    in ``details``). ``hba1c_valid=False`` (anaemia, haemoglobinopathy, recent transfusion,
    renal failure) makes the HbA1c ignored (note ``hba1c_ignored``). Raises ValueError when no
    test is given.
    """
    for name, value in (
        ("fasting_glucose", fasting_glucose),
        ("ogtt_2h_glucose", ogtt_2h_glucose),
        ("random_glucose", random_glucose),
    ):
        _check_glucose(name, value)
    if hba1c is not None and not HBA1C_RANGE[0] <= hba1c <= HBA1C_RANGE[1]:
        raise OutOfRange("hba1c", hba1c, *HBA1C_RANGE)
    usable_hba1c = hba1c if hba1c_valid else None
    if all(v is None for v in (fasting_glucose, ogtt_2h_glucose, random_glucose, usable_hba1c)):
        raise ValueError("at least one usable glucose or HbA1c value is needed")

    dm: list[str] = []
    pre: list[str] = []
    if fasting_glucose is not None:
        if fasting_glucose >= 126:
            dm.append("fpg_dm")
        elif fasting_glucose >= 100:
            pre.append("ifg")
    if ogtt_2h_glucose is not None:
        if ogtt_2h_glucose >= 200:
            dm.append("ogtt_dm")
        elif ogtt_2h_glucose >= 140:
            pre.append("igt")
    random_high_without_symptoms = False
    if random_glucose is not None and random_glucose >= 200:
        if classic_symptoms:
            dm.append("random_with_symptoms_dm")
        else:
            random_high_without_symptoms = True
    if usable_hba1c is not None:
        if usable_hba1c >= 6.5:
            dm.append("hba1c_dm")
        elif usable_hba1c >= 5.7:
            pre.append("hba1c_prediabetes")
    notes: tuple[Note, ...] = ()
    if not hba1c_valid and hba1c is not None:
        notes = (Note("hba1c_ignored", {"hba1c": hba1c}),)
    details: dict[str, object] = {"diabetes_criteria": dm, "prediabetes_criteria": pre}
    values = {
        "fasting_glucose": fasting_glucose,
        "ogtt_2h_glucose": ogtt_2h_glucose,
        "random_glucose": random_glucose,
        "hba1c": usable_hba1c,
    }
    codes = CODES["diabetes_perkeni"]

    def result(
        code: str, reason: str, params: dict[str, float | tuple[str, ...] | None]
    ) -> RuleResult:
        return codes.result(
            code, reason, params, source=SOURCE_PERKENI, details=details, notes=notes
        )

    if dm:
        return result("diabetes", "criteria_met", {"criteria": tuple(dm), **values})
    if random_high_without_symptoms:
        # PERKENI: random ≥ 200 is diagnostic only with classic symptoms; otherwise confirm.
        return result(
            "needs_confirmation", "random_high_without_symptoms", {"random_glucose": random_glucose}
        )
    if pre:
        return result("prediabetes", "criteria_met", {"criteria": tuple(pre), **values})
    if fasting_glucose is None and ogtt_2h_glucose is None and usable_hba1c is None:
        return result("not_diagnostic", "random_below_200_only", {"random_glucose": random_glucose})
    return result("normal", "below_prediabetes", {})


def classify_glucose_screening(
    *,
    fasting_glucose: float | None = None,
    random_glucose: float | None = None,
    sample: str = CAPILLARY,
) -> RuleResult:
    """Screening reading of a glucose value (mg/dL) by PERKENI's table for its sample type.

    Source: PERKENI screening table, CLINICAL.md §4.2 (module docstring). ``sample`` is
    ``"capillary"`` (glucometer, the posyandu default) or ``"venous_plasma"`` (laboratory).
    Classes (``CODES["glucose_screening"]``): ``diabetes`` (DM column: refer to confirm the
    diagnosis), ``prediabetes`` (venous fasting 100–125, GDPT), ``uncertain`` ("belum pasti
    DM": confirm with GDP/TTGO/HbA1c), ``normal`` ("bukan DM"). With both values the higher
    class wins (diabetes > prediabetes > uncertain > normal); the reason names that reading:
    ``below`` / ``between`` / ``at_or_above`` with ``test``, ``sample``, ``glucose`` and the
    table's bounds. Unknown ``sample`` raises ValueError.
    """
    if sample not in SAMPLES:
        raise ValueError(f"unknown glucose sample {sample!r}; use one of {SAMPLES}")
    _check_glucose("fasting_glucose", fasting_glucose)
    _check_glucose("random_glucose", random_glucose)
    if fasting_glucose is None and random_glucose is None:
        raise ValueError("fasting_glucose or random_glucose is needed")
    rank = {"normal": 0, "uncertain": 1, "prediabetes": 2, "diabetes": 3}
    best: tuple[str, str, dict[str, float | str]] | None = None
    for test, glucose in (("fasting", fasting_glucose), ("random", random_glucose)):
        if glucose is None:
            continue
        low, dm = SCREENING_TABLE[(test, sample)]
        reading: dict[str, float | str] = {"test": test, "sample": sample, "glucose": glucose}
        if glucose >= dm:
            found = ("diabetes", "at_or_above", {**reading, "limit": dm})
        elif glucose >= low:
            middle = "prediabetes" if (test, sample) == ("fasting", VENOUS_PLASMA) else "uncertain"
            found = (middle, "between", {**reading, "low": low, "high": dm - 1})
        else:
            found = ("normal", "below", {**reading, "limit": low})
        if best is None or rank[found[0]] > rank[best[0]]:
            best = found
    assert best is not None  # noqa: S101 - type narrowing: one glucose value is given (checked above)
    code, reason, params = best
    return CODES["glucose_screening"].result(code, reason, params, source=SOURCE_SCREENING)


# Glycaemic control targets (PERKENI, "sasaran pengendalian DM"): fasting (GDP) 80 to < 130
# mg/dL, 2-hour post-prandial (GD2PP) < 180 mg/dL. [confirm]: these targets are as recalled
# from PERKENI 2015/2021, not in the project's sources (CLINICAL.md §4.2 gives only the
# diagnostic and screening tables). They are venous-plasma targets; a posyandu glucometer
# reads capillary blood, and a random value (GDS) is held to the 2-hour target < 180 here,
# a reading PERKENI does not state [confirm].
SOURCE_CONTROL = (
    "PERKENI, sasaran pengendalian DM (GDP 80–< 130 mg/dL, GD2PP < 180 mg/dL) [confirm: "
    "not in the project's sources]; CLINICAL.md §4.2"
)
FASTING_CONTROL = (80, 130)  # mg/dL, low inclusive, high exclusive
RANDOM_CONTROL_BELOW = 180  # mg/dL (the GD2PP target, applied to GDS)


def glucose_in_control(
    *, fasting_glucose: float | None = None, random_glucose: float | None = None
) -> bool:
    """Whether a glucose reading meets the PERKENI control targets (``SOURCE_CONTROL``,
    [confirm]): fasting 80 to < 130 mg/dL, random (read as the 2-hour target) < 180 mg/dL.
    With both values given both must meet their target. At least one value is needed
    (ValueError otherwise); values outside ``GLUCOSE_RANGE`` raise OutOfRange."""
    _check_glucose("fasting_glucose", fasting_glucose)
    _check_glucose("random_glucose", random_glucose)
    if fasting_glucose is None and random_glucose is None:
        raise ValueError("fasting_glucose or random_glucose is needed")
    low, high = FASTING_CONTROL
    fasting_ok = fasting_glucose is None or low <= fasting_glucose < high
    random_ok = random_glucose is None or random_glucose < RANDOM_CONTROL_BELOW
    return fasting_ok and random_ok
