"""PERKENI diagnosis and juknis screening reading: CLINICAL.md §4.2, §6.6; DOMAIN.md §1.2."""

from __future__ import annotations

import pytest

from ilp.standards.diabetes import classify_diabetes_perkeni, classify_glucose_screening
from ilp.standards.result import OutOfRange


def test_fpg_126_is_dm_and_125_is_ifg():
    assert classify_diabetes_perkeni(fasting_glucose=126).code == "diabetes"
    r = classify_diabetes_perkeni(fasting_glucose=125)
    assert r.code == "prediabetes"
    assert r.details["prediabetes_criteria"] == ["GDPT: GDP 125 (100–125)"]
    assert classify_diabetes_perkeni(fasting_glucose=100).code == "prediabetes"
    assert classify_diabetes_perkeni(fasting_glucose=99).code == "normal"


def test_hba1c_boundaries():
    assert classify_diabetes_perkeni(hba1c=6.4).code == "prediabetes"  # §6.6
    assert classify_diabetes_perkeni(hba1c=6.5).code == "diabetes"
    assert classify_diabetes_perkeni(hba1c=5.7).code == "prediabetes"
    assert classify_diabetes_perkeni(hba1c=5.6).code == "normal"


def test_invalid_hba1c_is_ignored():
    r = classify_diabetes_perkeni(hba1c=7.0, hba1c_valid=False, fasting_glucose=90)
    assert r.code == "normal"
    assert "HbA1c tidak dipakai" in r.reason
    with pytest.raises(ValueError, match="at least one"):
        classify_diabetes_perkeni(hba1c=7.0, hba1c_valid=False)


def test_ogtt():
    assert classify_diabetes_perkeni(ogtt_2h_glucose=200).code == "diabetes"
    assert classify_diabetes_perkeni(ogtt_2h_glucose=199).code == "prediabetes"
    assert classify_diabetes_perkeni(ogtt_2h_glucose=140).code == "prediabetes"
    assert classify_diabetes_perkeni(ogtt_2h_glucose=139).code == "normal"


def test_ifg_and_igt_together():
    r = classify_diabetes_perkeni(fasting_glucose=110, ogtt_2h_glucose=150)
    assert r.code == "prediabetes"
    assert len(r.details["prediabetes_criteria"]) == 2


def test_random_glucose_needs_symptoms():
    r = classify_diabetes_perkeni(random_glucose=200)  # §6.6
    assert r.code == "needs_confirmation"
    assert r.label.startswith("Belum diagnostik")
    assert classify_diabetes_perkeni(random_glucose=200, classic_symptoms=True).code == "diabetes"
    assert classify_diabetes_perkeni(random_glucose=199).code == "not_diagnostic"
    # A confirming test decides.
    assert classify_diabetes_perkeni(random_glucose=250, fasting_glucose=90).code == (
        "needs_confirmation"
    )
    assert classify_diabetes_perkeni(random_glucose=250, fasting_glucose=130).code == "diabetes"


def test_out_of_range():
    with pytest.raises(OutOfRange) as e:
        classify_diabetes_perkeni(fasting_glucose=5)
    assert e.value.field == "fasting_glucose"
    with pytest.raises(OutOfRange) as e:
        classify_diabetes_perkeni(hba1c=25)
    assert e.value.field == "hba1c"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"random_glucose": 200}, "diabetes"),
        ({"random_glucose": 199}, "prediabetes"),
        ({"random_glucose": 140}, "prediabetes"),
        ({"random_glucose": 139}, "normal"),
        ({"fasting_glucose": 126}, "diabetes"),
        ({"fasting_glucose": 125}, "prediabetes"),
        ({"fasting_glucose": 100}, "prediabetes"),
        ({"fasting_glucose": 99}, "normal"),
        ({"fasting_glucose": 99, "random_glucose": 210}, "diabetes"),
    ],
)
def test_juknis_screening(kwargs, code):
    r = classify_glucose_screening(**kwargs)
    assert r.code == code
    assert "DOMAIN.md §1.2" in r.source


def test_screening_needs_a_value_and_range():
    with pytest.raises(ValueError):
        classify_glucose_screening()
    with pytest.raises(OutOfRange) as e:
        classify_glucose_screening(random_glucose=1200)
    assert e.value.field == "random_glucose"
