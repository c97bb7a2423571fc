"""Terduga TBC rule: CLINICAL.md §5.3."""

from __future__ import annotations

from ilp.standards.tuberculosis import screen_tb_adult, screen_tb_child


def test_cough_of_any_duration_is_presumptive():
    r = screen_tb_adult(cough=True)
    assert r.code == "presumptive_tb"
    assert r.label == "Terduga TBC"


def test_additional_symptom_needs_contact_or_risk():
    assert screen_tb_adult(cough=False, night_sweats=True).code == "not_presumptive"
    r = screen_tb_adult(cough=False, night_sweats=True, contact_history=True)
    assert r.code == "presumptive_tb"
    assert r.details["additional_symptoms"] == ["night_sweats"]
    assert screen_tb_adult(cough=False, fever=True, risk_factor=True).code == "presumptive_tb"
    assert screen_tb_adult(cough=False, contact_history=True).code == "not_presumptive"


def test_child_variant():
    assert screen_tb_child(
        fever_2_weeks=False, cough_2_weeks=True, weight_faltering_2_months=False, lethargy=False
    ).code == ("presumptive_tb")
    r = screen_tb_child(
        fever_2_weeks=False,
        cough_2_weeks=False,
        weight_faltering_2_months=False,
        lethargy=False,
        contact_history=True,
    )
    assert r.code == "contact_no_symptoms"
    assert screen_tb_child(
        fever_2_weeks=False, cough_2_weeks=False, weight_faltering_2_months=False, lethargy=False
    ).code == ("not_presumptive")
