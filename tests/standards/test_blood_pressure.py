"""Blood-pressure classes: CLINICAL.md §4.1 tables and §6.6 cases."""

from __future__ import annotations

import pytest

from ilp.standards.blood_pressure import classify_blood_pressure
from ilp.standards.result import OutOfRange


@pytest.mark.parametrize(
    ("sbp", "dbp", "code"),
    [
        (119, 79, "optimal"),
        (120, 79, "normal"),
        (119, 80, "normal"),
        (129, 84, "normal"),
        (130, 84, "high_normal"),
        (129, 85, "high_normal"),
        (139, 89, "high_normal"),
        (140, 85, "grade_1"),  # §6.6
        (139, 90, "grade_1"),  # §6.6: higher class wins
        (159, 99, "grade_1"),
        (160, 99, "grade_2"),
        (150, 100, "grade_2"),
        (179, 109, "grade_2"),
        (180, 80, "grade_3"),
        (170, 110, "grade_3"),
    ],
)
def test_pnpk_classes_and_boundaries(sbp, dbp, code):
    assert classify_blood_pressure(sbp, dbp).code == code


def test_isolated_systolic_is_a_flag_on_the_grade():
    r = classify_blood_pressure(145, 85)  # §6.6
    assert r.code == "grade_1"
    assert r.details["isolated_systolic"] is True
    assert r.details["hypertensive"] is True
    assert (r.rule, r.label, r.reason_code) == (
        "bp_pnpk",
        "Hipertensi derajat 1",
        "isolated_systolic",
    )
    assert dict(r.params) == {"systolic": 145, "diastolic": 85}
    assert r.reason == (
        "TD 145/85 mmHg: hipertensi sistolik terisolasi (sistolik ≥ 140, diastolik < 90); "
        "sistolik menentukan kelas"
    )


def test_isolated_systolic_grade_3_and_not_when_diastolic_90():
    assert classify_blood_pressure(185, 85).code == "grade_3"
    assert classify_blood_pressure(185, 85).details["isolated_systolic"] is True
    assert classify_blood_pressure(145, 90).details["isolated_systolic"] is False
    assert classify_blood_pressure(139, 70).details["isolated_systolic"] is False


@pytest.mark.parametrize(
    ("sbp", "dbp", "code"),
    [
        (119, 79, "normal"),
        (120, 70, "prehypertension"),
        (110, 80, "prehypertension"),
        (139, 89, "prehypertension"),
        (150, 85, "stage_1"),  # §6.6
        (130, 90, "stage_1"),
        (159, 99, "stage_1"),
        (160, 80, "stage_2"),
        (140, 100, "stage_2"),
    ],
)
def test_jnc7(sbp, dbp, code):
    r = classify_blood_pressure(sbp, dbp, scheme="jnc7")
    assert r.code == code
    assert r.details["scheme"] == "jnc7"
    assert "JNC 7" in r.source


def test_hypertensive_flag_and_source():
    r = classify_blood_pressure(139, 89)
    assert r.details["hypertensive"] is False
    assert "4634/2021" in r.source


def test_diastolic_not_below_systolic():
    with pytest.raises(OutOfRange) as e:
        classify_blood_pressure(80, 90)
    assert e.value.field == "diastolic"
    with pytest.raises(OutOfRange):
        classify_blood_pressure(90, 90)


@pytest.mark.parametrize(
    ("sbp", "dbp", "field"),
    [(40, 30, "systolic"), (301, 90, "systolic"), (120, 10, "diastolic"), (250, 201, "diastolic")],
)
def test_out_of_range_names_field(sbp, dbp, field):
    with pytest.raises(OutOfRange) as e:
        classify_blood_pressure(sbp, dbp)
    assert e.value.field == field


def test_unknown_scheme():
    with pytest.raises(ValueError, match="unknown BP scheme"):
        classify_blood_pressure(120, 80, scheme="aha")
