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
    ("bmi", "code", "three"),
    [
        (16.99, "thin_severe", "kurus"),
        (17.0, "thin_mild", "kurus"),
        (18.49, "thin_mild", "kurus"),  # §6.6
        (18.5, "normal", "normal"),
        (25.0, "normal", "normal"),  # §6.6
        (25.01, "overweight_mild", "gemuk"),
        (25.1, "overweight_mild", "gemuk"),  # §6.6
        (27.0, "overweight_mild", "gemuk"),  # §6.6
        (27.01, "obese", "gemuk"),  # §6.6
    ],
)
def test_bmi_classes(bmi, code, three):
    r = classify_adult_bmi(bmi)
    assert r.code == code
    assert r.value == bmi
    assert r.details["class_3"] == three


def test_bmi_computation_rounds_away_float_noise():
    assert adult_bmi(72.25, 170) == 25.0
    assert classify_adult_bmi(adult_bmi(72.25, 170)).code == "normal"
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
