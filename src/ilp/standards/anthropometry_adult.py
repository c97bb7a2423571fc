"""Adult anthropometry: Indonesian BMI classes and central obesity by waist circumference.

Sources:
- BMI classes of the national health surveys, adults ≥ 18 y: Riskesdas 2013 and 2018 and SKI
  2023 (Kemenkes), CLINICAL.md §4.3 [P]: kurus < 18.5; normal 18.5 to < 25.0; berat badan lebih
  25.0 to < 27.0; obesitas ≥ 27.0 — half-open classes, so exactly 25.0 is "berat badan lebih"
  and exactly 27.0 is "obesitas" (CLINICAL.md §6.6). District figures are compared with these
  surveys, which is why ILP follows them rather than the older Depkes table (18.5–25.0
  normal, 25.1–27.0 gemuk ringan, > 27.0 gemuk berat [S22]), which differs only at exactly
  25.0 and 27.0. "Kurus" keeps the Depkes table's split at 17.0 (kurus tingkat berat, "KEK
  berat", < 17.0) because the care app acts on severe thinness. P2PTM's three classes
  (kurus/normal/gemuk) on the same cut-offs are in ``details["class_3"]``.
- Central obesity, Kemenkes (SKI 2023, Cek Kesehatan Gratis; age ≥ 15): waist > 90 cm men,
  > 80 cm women, CLINICAL.md §4.3 [S23] [C].

Codes: ``CODES["bmi_adult"]`` and ``CODES["waist"]`` (``ilp.standards.result``).
"""

from __future__ import annotations

from ilp.standards.result import Catalogue, Message, OutOfRange, ParamValue, RuleResult

SOURCE_BMI = (
    "Kemenkes, kategori IMT dewasa Riskesdas 2018 dan SKI 2023 (kelas setengah terbuka: "
    "< 18,5; 18,5–< 25,0; 25,0–< 27,0; ≥ 27,0); CLINICAL.md §4.3"
)
SOURCE_WAIST = "Kemenkes (SKI 2023, Cek Kesehatan Gratis), obesitas sentral; CLINICAL.md §4.3"

_BMI = {"bmi": "number"}
_WAIST = {"waist": "number", "limit": "number", "sex": "term:sex"}
CODES: dict[str, Catalogue] = {
    "bmi_adult": Catalogue(
        rule="bmi_adult",
        classes={
            "thin_severe": Message("Kurus tingkat berat"),
            "thin_mild": Message("Kurus tingkat ringan"),
            "normal": Message("Normal"),
            "overweight_mild": Message("Berat badan lebih"),
            "obese": Message("Obesitas"),
        },
        reasons={
            "bmi_below": Message("IMT {bmi} kg/m² < {high}", {**_BMI, "high": "number"}),
            "bmi_between": Message(
                "IMT {bmi} kg/m² (≥ {low} dan < {high})",
                {**_BMI, "low": "number", "high": "number"},
            ),
            "bmi_at_or_above": Message("IMT {bmi} kg/m² ≥ {low}", {**_BMI, "low": "number"}),
        },
    ),
    "waist": Catalogue(
        rule="waist",
        classes={
            "central_obesity": Message("Obesitas sentral"),
            "no_central_obesity": Message("Tidak obesitas sentral"),
        },
        reasons={
            "waist_above_limit": Message("Lingkar perut {waist} cm > {limit} cm ({sex})", _WAIST),
            "waist_within_limit": Message("Lingkar perut {waist} cm ≤ {limit} cm ({sex})", _WAIST),
        },
        # Adult words: "laki-laki"/"perempuan" is also the growth charts' msgid, where English
        # reads "boys"/"girls" — wrong for an adult's waist (one msgid, one translation).
        terms={"sex": {"M": "pria", "F": "wanita"}},
    ),
}
# Lower edges of the BMI classes (inclusive), ascending: (edge, code, P2PTM class).
_BMI_CLASSES: tuple[tuple[float, str, str], ...] = (
    (0.0, "thin_severe", "kurus"),
    (17.0, "thin_mild", "kurus"),
    (18.5, "normal", "normal"),
    (25.0, "overweight_mild", "gemuk"),
    (27.0, "obese", "gemuk"),
)

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
    """Indonesian adult BMI class (age ≥ 18 y), the national surveys' half-open classes.

    Source: Riskesdas 2018 / SKI 2023 classes, CLINICAL.md §4.3 and cases §6.6 (module
    docstring). Classes ``thin_severe`` (< 17.0), ``thin_mild`` (17.0 to < 18.5), ``normal``
    (18.5 to < 25.0), ``overweight_mild`` ("berat badan lebih", 25.0 to < 27.0), ``obese``
    (≥ 27.0); reasons ``bmi_below`` / ``bmi_between`` / ``bmi_at_or_above`` with the class
    edges. Classify the BMI as shown (``adult_bmi`` rounds it to 2 decimals).
    """
    if not BMI_RANGE[0] <= bmi <= BMI_RANGE[1]:
        raise OutOfRange("bmi", bmi, *BMI_RANGE)
    index = max(i for i, (edge, _, _) in enumerate(_BMI_CLASSES) if bmi >= edge)
    _, code, three = _BMI_CLASSES[index]
    low = _BMI_CLASSES[index][0] if index else None
    high = _BMI_CLASSES[index + 1][0] if index + 1 < len(_BMI_CLASSES) else None
    params: dict[str, ParamValue]
    if low is None:
        reason, params = "bmi_below", {"bmi": bmi, "high": high}
    elif high is None:
        reason, params = "bmi_at_or_above", {"bmi": bmi, "low": low}
    else:
        reason, params = "bmi_between", {"bmi": bmi, "low": low, "high": high}
    return CODES["bmi_adult"].result(
        code, reason, params, source=SOURCE_BMI, value=bmi, details={"class_3": three}
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
    params: dict[str, ParamValue] = {"waist": waist_cm, "limit": limit, "sex": sex}
    if waist_cm > limit:
        return CODES["waist"].result(
            "central_obesity", "waist_above_limit", params, source=SOURCE_WAIST, value=waist_cm
        )
    return CODES["waist"].result(
        "no_central_obesity", "waist_within_limit", params, source=SOURCE_WAIST, value=waist_cm
    )
