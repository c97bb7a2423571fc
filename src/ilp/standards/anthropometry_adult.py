"""Adult anthropometry: Indonesian BMI classes and central obesity by waist circumference.

Sources:
- BMI classes, Depkes (Kemenkes) table for adults ≥ 18 y, CLINICAL.md §4.3 [S22] [C]:
  < 17.0 kurus berat; 17.0–18.4 kurus ringan; 18.5–25.0 normal; 25.1–27.0 gemuk ringan;
  > 27.0 gemuk berat (obesitas). The printed bands leave gaps (18.4–18.5, 25.0–25.1), so the
  bounds are applied as: < 17.0, < 18.5, ≤ 25.0, ≤ 27.0, > 27.0 — which gives the CLINICAL.md
  §6.6 cases (18.49 kurus ringan, 25.0 normal, 25.1 gemuk ringan, 27.0 gemuk ringan, 27.01
  obesitas). P2PTM's three classes (kurus/normal/gemuk) use the same cut-offs and are in
  ``details["class_3"]``.
- Central obesity, Kemenkes (SKI 2023, Cek Kesehatan Gratis; age ≥ 15): waist > 90 cm men,
  > 80 cm women, CLINICAL.md §4.3 [S23] [C].
"""

from __future__ import annotations

from ilp.standards.result import OutOfRange, RuleResult

SOURCE_BMI = "Depkes/Kemenkes, klasifikasi IMT dewasa; CLINICAL.md §4.3"
SOURCE_WAIST = "Kemenkes (SKI 2023, Cek Kesehatan Gratis), obesitas sentral; CLINICAL.md §4.3"

BMI_RANGE = (10.0, 80.0)
WEIGHT_RANGE = (20.0, 350.0)  # kg, adults
HEIGHT_RANGE = (100.0, 230.0)  # cm, adults
WAIST_RANGE = (40.0, 200.0)  # cm


def adult_bmi(weight_kg: float, height_cm: float) -> float:
    """BMI (kg/m²) rounded to 2 decimals.

    Rounding to the displayed precision keeps exact band edges (25.0, 27.0) from landing on
    the wrong side through floating-point noise (72.25 kg / 1.70 m² = 25.000000000000004).
    """
    if not WEIGHT_RANGE[0] <= weight_kg <= WEIGHT_RANGE[1]:
        raise OutOfRange("weight_kg", weight_kg, *WEIGHT_RANGE)
    if not HEIGHT_RANGE[0] <= height_cm <= HEIGHT_RANGE[1]:
        raise OutOfRange("height_cm", height_cm, *HEIGHT_RANGE)
    return round(weight_kg / (height_cm / 100) ** 2, 2)


def classify_adult_bmi(bmi: float) -> RuleResult:
    """Indonesian adult BMI class (age ≥ 18 y).

    Source: Depkes adult BMI table, CLINICAL.md §4.3 and cases §6.6. Codes ``thin_severe``,
    ``thin_mild``, ``normal``, ``overweight_mild``, ``obese``.
    """
    if not BMI_RANGE[0] <= bmi <= BMI_RANGE[1]:
        raise OutOfRange("bmi", bmi, *BMI_RANGE)
    if bmi < 17.0:
        code, label, three, band = "thin_severe", "Kurus tingkat berat", "kurus", "< 17,0"
    elif bmi < 18.5:
        code, label, three, band = "thin_mild", "Kurus tingkat ringan", "kurus", "17,0–18,4"
    elif bmi <= 25.0:
        code, label, three, band = "normal", "Normal", "normal", "18,5–25,0"
    elif bmi <= 27.0:
        code, label, three, band = "overweight_mild", "Gemuk tingkat ringan", "gemuk", "25,1–27,0"
    else:
        code, label, three, band = "obese", "Gemuk tingkat berat (obesitas)", "gemuk", "> 27,0"
    return RuleResult(
        code,
        label,
        f"IMT {bmi:g} kg/m² pada rentang {band}",
        SOURCE_BMI,
        value=bmi,
        details={"class_3": three},
    )


def classify_central_obesity(waist_cm: float, sex: str) -> RuleResult:
    """Central obesity by waist circumference (age ≥ 15): > 90 cm men, > 80 cm women.

    Source: Kemenkes SKI 2023 / Cek Kesehatan Gratis, CLINICAL.md §4.3. ``sex`` is "M" or "F".
    Codes ``central_obesity`` / ``no_central_obesity``; exactly 90 (men) is not central obesity.
    """
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', got {sex!r}")
    if not WAIST_RANGE[0] <= waist_cm <= WAIST_RANGE[1]:
        raise OutOfRange("waist_cm", waist_cm, *WAIST_RANGE)
    limit = 90.0 if sex == "M" else 80.0
    who = "laki-laki" if sex == "M" else "perempuan"
    if waist_cm > limit:
        return RuleResult(
            "central_obesity",
            "Obesitas sentral",
            f"Lingkar perut {waist_cm:g} cm > {limit:g} cm ({who})",
            SOURCE_WAIST,
            value=waist_cm,
        )
    return RuleResult(
        "no_central_obesity",
        "Tidak obesitas sentral",
        f"Lingkar perut {waist_cm:g} cm ≤ {limit:g} cm ({who})",
        SOURCE_WAIST,
        value=waist_cm,
    )
