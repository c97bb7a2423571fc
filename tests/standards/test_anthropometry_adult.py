"""Adult BMI class and central obesity: CLINICAL.md §4.3 and §6.6."""

from __future__ import annotations

import pytest

from ilp.standards.anthropometry_adult import (
    adult_bmi,
    classify_adult_bmi,
    classify_central_obesity,
)
from ilp.standards.result import OutOfRange


@pytest.mark.parametrize(
    ("bmi", "code", "label", "three"),
    [
        (16.99, "thin_severe", "Kurus tingkat berat", "kurus"),
        (17.0, "thin_mild", "Kurus tingkat ringan", "kurus"),
        (18.49, "thin_mild", "Kurus tingkat ringan", "kurus"),  # §6.6
        (18.5, "normal", "Normal", "normal"),
        (24.99, "normal", "Normal", "normal"),  # §6.6
        # Riskesdas/SKI half-open classes: 25.0 and 27.0 open the next class (§4.3, §6.6).
        (25.0, "overweight_mild", "Berat badan lebih", "gemuk"),
        (26.99, "overweight_mild", "Berat badan lebih", "gemuk"),
        (27.0, "obese", "Obesitas", "gemuk"),
    ],
)
def test_bmi_classes_follow_the_national_surveys(bmi, code, label, three):
    r = classify_adult_bmi(bmi)
    assert (r.code, r.label) == (code, label)
    assert r.value == bmi
    assert r.details["class_3"] == three
    assert "Riskesdas 2018" in r.source and "SKI 2023" in r.source


def test_bmi_reason_codes():
    r = classify_adult_bmi(25.0)
    assert (r.rule, r.reason_code, dict(r.params)) == (
        "bmi_adult",
        "bmi_between",
        {"bmi": 25.0, "low": 25.0, "high": 27.0},
    )
    assert r.reason == "IMT 25 kg/m² (≥ 25 dan < 27)"
    r = classify_adult_bmi(16.5)
    assert (r.reason_code, dict(r.params)) == ("bmi_below", {"bmi": 16.5, "high": 17.0})
    r = classify_adult_bmi(31.25)
    assert (r.reason_code, dict(r.params)) == ("bmi_at_or_above", {"bmi": 31.25, "low": 27.0})
    assert r.reason == "IMT 31,25 kg/m² ≥ 27"


def test_bmi_computation_rounds_away_float_noise():
    assert adult_bmi(72.25, 170) == 25.0
    assert classify_adult_bmi(adult_bmi(72.25, 170)).code == "overweight_mild"
    assert adult_bmi(72.24, 170) == 25.0  # 24.997… shown as 25.0, classified as shown
    assert adult_bmi(60, 160) == 23.44


def test_bmi_out_of_range():
    for call, field in (
        (lambda: classify_adult_bmi(5), "bmi"),
        (lambda: adult_bmi(10, 170), "weight_kg"),
        (lambda: adult_bmi(60, 1.6), "height_cm"),
    ):
        with pytest.raises(OutOfRange) as e:
            call()
        assert e.value.field == field


@pytest.mark.parametrize(
    ("waist", "sex", "code"),
    [
        (90, "M", "no_central_obesity"),  # §6.6
        (90.1, "M", "central_obesity"),  # §6.6
        (80, "F", "no_central_obesity"),
        (80.1, "F", "central_obesity"),
        (85, "M", "no_central_obesity"),
    ],
)
def test_central_obesity(waist, sex, code):
    assert classify_central_obesity(waist, sex).code == code


def test_central_obesity_validation():
    with pytest.raises(ValueError):
        classify_central_obesity(90, "L")
    with pytest.raises(OutOfRange) as e:
        classify_central_obesity(900, "M")
    assert e.value.field == "waist_cm"
