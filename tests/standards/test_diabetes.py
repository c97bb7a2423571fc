"""PERKENI diagnosis and juknis screening reading: CLINICAL.md §4.2, §6.6; DOMAIN.md §1.2."""

from __future__ import annotations

import pytest

from ilp.standards.diabetes import (
    classify_diabetes_perkeni,
    classify_glucose_screening,
    glucose_in_control,
)
from ilp.standards.result import OutOfRange


def test_fpg_126_is_dm_and_125_is_ifg():
    assert classify_diabetes_perkeni(fasting_glucose=126).code == "diabetes"
    r = classify_diabetes_perkeni(fasting_glucose=125)
    assert r.code == "prediabetes"
    assert r.details["prediabetes_criteria"] == ["ifg"]
    assert (r.reason_code, r.params["criteria"], r.params["fasting_glucose"]) == (
        "criteria_met",
        ("ifg",),
        125,
    )
    assert r.reason == "Memenuhi: GDPT (GDP 100–125 mg/dL)"
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
    assert [(n.code, dict(n.params)) for n in r.notes] == [("hba1c_ignored", {"hba1c": 7.0})]
    assert (
        r.reason == "Semua nilai di bawah batas prediabetes; HbA1c 7 % tidak dipakai (tidak valid)"
    )
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
    ("sample", "kwargs", "code"),
    [
        # PERKENI, capillary blood (posyandu glucometers): fasting < 90 / 90–99 / ≥ 100,
        # random < 90 / 90–199 / ≥ 200 (CLINICAL.md §4.2).
        ("capillary", {"fasting_glucose": 89}, "normal"),
        ("capillary", {"fasting_glucose": 90}, "uncertain"),
        ("capillary", {"fasting_glucose": 99}, "uncertain"),
        ("capillary", {"fasting_glucose": 100}, "diabetes"),
        ("capillary", {"random_glucose": 89}, "normal"),
        ("capillary", {"random_glucose": 90}, "uncertain"),
        ("capillary", {"random_glucose": 199}, "uncertain"),
        ("capillary", {"random_glucose": 200}, "diabetes"),
        # PERKENI, venous plasma: fasting < 100 / 100–125 (GDPT = prediabetes) / ≥ 126,
        # random < 100 / 100–199 / ≥ 200.
        ("venous_plasma", {"fasting_glucose": 99}, "normal"),
        ("venous_plasma", {"fasting_glucose": 100}, "prediabetes"),
        ("venous_plasma", {"fasting_glucose": 125}, "prediabetes"),
        ("venous_plasma", {"fasting_glucose": 126}, "diabetes"),
        ("venous_plasma", {"random_glucose": 99}, "normal"),
        ("venous_plasma", {"random_glucose": 100}, "uncertain"),
        ("venous_plasma", {"random_glucose": 199}, "uncertain"),
        ("venous_plasma", {"random_glucose": 200}, "diabetes"),
        # With both values the higher class wins.
        ("capillary", {"fasting_glucose": 85, "random_glucose": 210}, "diabetes"),
        ("venous_plasma", {"fasting_glucose": 110, "random_glucose": 150}, "prediabetes"),
    ],
)
def test_screening_table_by_sample_type(sample, kwargs, code):
    r = classify_glucose_screening(sample=sample, **kwargs)
    assert r.code == code
    assert "PERKENI" in r.source


def test_the_same_value_reads_differently_by_sample_type():
    # A fasting 100 mg/dL is DM on a capillary meter but only GDPT in venous plasma.
    assert classify_glucose_screening(fasting_glucose=100).code == "diabetes"  # capillary
    assert classify_glucose_screening(fasting_glucose=100, sample="venous_plasma").code == (
        "prediabetes"
    )
    # A random 95 mg/dL is uncertain on a capillary meter, normal in venous plasma.
    assert classify_glucose_screening(random_glucose=95).code == "uncertain"
    assert classify_glucose_screening(random_glucose=95, sample="venous_plasma").code == "normal"


def test_prediabetes_and_diabetes_have_distinct_codes_and_labels():
    pre = classify_glucose_screening(fasting_glucose=110, sample="venous_plasma")
    dm = classify_glucose_screening(fasting_glucose=130, sample="venous_plasma")
    assert (pre.code, dm.code) == ("prediabetes", "diabetes")
    assert (pre.label, dm.label) == (
        "Skrining: prediabetes (GDPT)",
        "Skrining: DM (perlu konfirmasi diagnosis)",
    )
    assert (pre.reason_code, dict(pre.params)) == (
        "between",
        {"test": "fasting", "sample": "venous_plasma", "glucose": 110, "low": 100, "high": 125},
    )
    assert pre.reason == "GDP 110 mg/dL (100–125 mg/dL, plasma vena)"


def test_screening_reason_codes_name_the_sample():
    r = classify_glucose_screening(random_glucose=210)
    assert (r.rule, r.code, r.reason_code, dict(r.params)) == (
        "glucose_screening",
        "diabetes",
        "at_or_above",
        {"test": "random", "sample": "capillary", "glucose": 210, "limit": 200},
    )
    assert r.reason == "GDS 210 mg/dL ≥ 200 mg/dL (darah kapiler)"


def test_screening_needs_a_value_a_known_sample_and_range():
    with pytest.raises(ValueError):
        classify_glucose_screening()
    with pytest.raises(ValueError, match="sample"):
        classify_glucose_screening(random_glucose=120, sample="serum")
    with pytest.raises(OutOfRange) as e:
        classify_glucose_screening(random_glucose=1200)
    assert e.value.field == "random_glucose"


def test_glucose_control_targets_and_their_edges():
    """PERKENI control targets ([confirm]): fasting 80 to < 130, random < 180 mg/dL."""
    assert glucose_in_control(fasting_glucose=80)
    assert glucose_in_control(fasting_glucose=129.9)
    assert not glucose_in_control(fasting_glucose=130)
    assert not glucose_in_control(fasting_glucose=79)
    assert glucose_in_control(random_glucose=179)
    assert not glucose_in_control(random_glucose=180)
    assert not glucose_in_control(fasting_glucose=100, random_glucose=200)
    with pytest.raises(ValueError, match="fasting_glucose or random_glucose is needed"):
        glucose_in_control()
    with pytest.raises(OutOfRange):
        glucose_in_control(random_glucose=1500)
