"""Diabetes and prediabetes: PERKENI diagnostic criteria and the ILP posyandu screening reading.

Sources:
- PERKENI, Pedoman Pengelolaan dan Pencegahan DM Tipe 2 (2015/2019/2021), CLINICAL.md §4.2
  [S21] [C]: DM if FPG ≥ 126 mg/dL, 2-h OGTT ≥ 200, random ≥ 200 with classic symptoms, or
  HbA1c ≥ 6.5 % (NGSP); prediabetes: IFG (GDPT) FPG 100–125, IGT (TGT) 2-h 140–199, HbA1c
  5.7–6.4 %.
- Petunjuk Teknis ILP (KMK HK.01.07/MENKES/2015/2023), DM screening, DOMAIN.md §1.2: GDS ≥ 200
  or GDP ≥ 126 = DM, GDS 140–199 or GDP 100–125 = prediabetes. This is a screening reading for
  posyandu/pustu work lists, not a diagnosis, so it is a separate function.

Glucose is plasma glucose in mg/dL. Values between the printed integers (125.5) fall on the
lower side of the next bound: the bounds are applied as ``≥ 126``, ``≥ 100`` and so on.
"""

from __future__ import annotations

from ilp.standards.result import OutOfRange, RuleResult

SOURCE_PERKENI = "PERKENI, Pedoman Pengelolaan dan Pencegahan DM Tipe 2 (2021); CLINICAL.md §4.2"
SOURCE_JUKNIS = "Petunjuk Teknis ILP (KMK HK.01.07/MENKES/2015/2023), skrining DM; DOMAIN.md §1.2"

GLUCOSE_RANGE = (20, 1000)  # mg/dL; outside this the meter or the typing is wrong
HBA1C_RANGE = (3.0, 20.0)  # % (NGSP)


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

    Source: PERKENI 2015/2019/2021 diagnostic criteria, CLINICAL.md §4.2. Codes:
    ``diabetes``, ``prediabetes`` (details name IFG/IGT/HbA1c), ``normal``,
    ``needs_confirmation`` (random ≥ 200 without classic symptoms: not diagnostic),
    ``not_diagnostic`` (only a random value < 200, which neither confirms nor excludes DM).
    ``hba1c_valid=False`` (anaemia, haemoglobinopathy, recent transfusion, renal failure)
    makes the HbA1c ignored. Raises ValueError when no test is given.
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
            dm.append(f"GDP {fasting_glucose:g} ≥ 126")
        elif fasting_glucose >= 100:
            pre.append(f"GDPT: GDP {fasting_glucose:g} (100–125)")
    if ogtt_2h_glucose is not None:
        if ogtt_2h_glucose >= 200:
            dm.append(f"TTGO 2 jam {ogtt_2h_glucose:g} ≥ 200")
        elif ogtt_2h_glucose >= 140:
            pre.append(f"TGT: TTGO 2 jam {ogtt_2h_glucose:g} (140–199)")
    random_high_without_symptoms = False
    if random_glucose is not None and random_glucose >= 200:
        if classic_symptoms:
            dm.append(f"GDS {random_glucose:g} ≥ 200 dengan gejala klasik")
        else:
            random_high_without_symptoms = True
    if usable_hba1c is not None:
        if usable_hba1c >= 6.5:
            dm.append(f"HbA1c {usable_hba1c:g} % ≥ 6,5 %")
        elif usable_hba1c >= 5.7:
            pre.append(f"HbA1c {usable_hba1c:g} % (5,7–6,4 %)")
    note = "" if hba1c_valid or hba1c is None else "; HbA1c tidak dipakai (tidak valid)"
    details = {"diabetes_criteria": dm, "prediabetes_criteria": pre}

    if dm:
        return RuleResult(
            "diabetes", "Diabetes melitus", "; ".join(dm) + note, SOURCE_PERKENI, details=details
        )
    if random_high_without_symptoms:
        # PERKENI: random ≥ 200 is diagnostic only with classic symptoms; otherwise confirm.
        return RuleResult(
            "needs_confirmation",
            "Belum diagnostik, perlu konfirmasi (GDP/TTGO/HbA1c)",
            f"GDS {random_glucose:g} ≥ 200 tanpa gejala klasik" + note,
            SOURCE_PERKENI,
            details=details,
        )
    if pre:
        return RuleResult(
            "prediabetes", "Prediabetes", "; ".join(pre) + note, SOURCE_PERKENI, details=details
        )
    if fasting_glucose is None and ogtt_2h_glucose is None and usable_hba1c is None:
        return RuleResult(
            "not_diagnostic",
            "Belum dapat disimpulkan (hanya GDS < 200)",
            f"GDS {random_glucose:g} < 200 tidak menyingkirkan DM" + note,
            SOURCE_PERKENI,
            details=details,
        )
    return RuleResult(
        "normal",
        "Normal",
        "Semua nilai di bawah batas prediabetes" + note,
        SOURCE_PERKENI,
        details=details,
    )


def classify_glucose_screening(
    *, fasting_glucose: float | None = None, random_glucose: float | None = None
) -> RuleResult:
    """Posyandu/pustu screening reading of one capillary glucose value (mg/dL).

    Source: Petunjuk Teknis ILP 2023, skrining DM (DOMAIN.md §1.2): GDS ≥ 200 or GDP ≥ 126 →
    ``diabetes`` (screen positive, refer for diagnosis); GDS 140–199 or GDP 100–125 →
    ``prediabetes``; otherwise ``normal``. With both values the higher reading wins.
    """
    _check_glucose("fasting_glucose", fasting_glucose)
    _check_glucose("random_glucose", random_glucose)
    if fasting_glucose is None and random_glucose is None:
        raise ValueError("fasting_glucose or random_glucose is needed")
    rank = {"normal": 0, "prediabetes": 1, "diabetes": 2}
    found: list[tuple[str, str]] = []
    if fasting_glucose is not None:
        if fasting_glucose >= 126:
            found.append(("diabetes", f"GDP {fasting_glucose:g} ≥ 126"))
        elif fasting_glucose >= 100:
            found.append(("prediabetes", f"GDP {fasting_glucose:g} (100–125)"))
        else:
            found.append(("normal", f"GDP {fasting_glucose:g} < 100"))
    if random_glucose is not None:
        if random_glucose >= 200:
            found.append(("diabetes", f"GDS {random_glucose:g} ≥ 200"))
        elif random_glucose >= 140:
            found.append(("prediabetes", f"GDS {random_glucose:g} (140–199)"))
        else:
            found.append(("normal", f"GDS {random_glucose:g} < 140"))
    code = max((c for c, _ in found), key=rank.__getitem__)
    labels = {
        "diabetes": "Skrining: DM (perlu konfirmasi diagnosis)",
        "prediabetes": "Skrining: prediabetes",
        "normal": "Skrining: normal",
    }
    reason = "; ".join(r for c, r in found if c == code)
    return RuleResult(code, labels[code], reason, SOURCE_JUKNIS)
