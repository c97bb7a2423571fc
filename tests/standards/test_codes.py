"""Codes with parameters: every rule speaks a declared vocabulary (ilp.standards.result)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

import pytest

from ilp.standards import immunization, postnatal, pregnancy, screening
from ilp.standards.anaemia import classify_anaemia
from ilp.standards.codes import catalogues
from ilp.standards.copd import score_puma
from ilp.standards.elderly import BARTHEL_ITEMS, score_barthel, screen_skilas
from ilp.standards.growth import classify
from ilp.standards.mental_health import score_srq20
from ilp.standards.pregnancy import score_kspr
from ilp.standards.result import (
    Catalogue,
    Message,
    Note,
    date_id,
    number_id,
    params_from_json,
    percent_template,
    period_id,
    period_iso,
)
from ilp.standards.tuberculosis import screen_tb_adult, screen_tb_child


def test_every_catalogue_is_consistent_and_rule_ids_are_unique():
    found = catalogues()
    assert len(found) == 23
    for rule, catalogue in found.items():
        assert catalogue.rule == rule
        assert catalogue.classes and catalogue.reasons


def test_every_text_has_one_gettext_key_and_template():
    keys = {}
    for catalogue in catalogues().values():
        for key, template, kinds in catalogue.entries():
            assert key not in keys
            keys[key] = template
            # %-formatting with the declared parameters fills every placeholder (an undeclared
            # one raises KeyError; a stray % raises ValueError).
            assert "%(" not in template % dict.fromkeys(kinds, "x")
    assert keys["kspr.class.krst"] == "Kehamilan Risiko Sangat Tinggi (KRST)"
    assert keys["immunization_check.reason.below_min_age"] == (
        "%(dose)s terlalu dini: umur minimal %(min_age)s (%(min_date)s)"
    )
    assert keys["diabetes_perkeni.term.criterion.hba1c_dm"] == "HbA1c ≥ 6,5 %%"
    assert percent_template("{a} % {b}") == "%(a)s %% %(b)s"


def test_state_vocabularies_match_the_rules():
    c = catalogues()
    assert tuple(c["immunization_dose"].classes) == immunization.STATES
    assert tuple(c["immunization_check"].classes) == immunization.VERDICTS
    assert set(c["postnatal_visit"].classes) == set(postnatal.STATE_LABELS_ID)
    assert set(c["screening_interval"].classes) == {"due", "overdue"}
    assert set(c["anc_contact"].classes) == {"done", "due", "overdue", "not_yet"}


def test_indonesian_formats():
    assert (number_id(8.8), number_id(25.0), number_id(126), number_id(-2.16)) == (
        "8,8",
        "25",
        "126",
        "-2,16",
    )
    assert date_id(date(2025, 3, 5)) == "5 Maret 2025"
    assert period_iso(months=6, days=29) == "P6M29D"
    assert period_iso() == "P0D"
    assert [period_id(p) for p in ("P6M29D", "P28D", "P1Y", "P60M")] == [
        "6 bulan 29 hari",
        "28 hari",
        "1 tahun",
        "60 bulan",
    ]
    with pytest.raises(ValueError):
        period_id("6 months")


CATALOGUE = Catalogue(
    rule="demo",
    classes={"high": Message("Tinggi")},
    reasons={
        "above": Message(
            "{value} > {limit} ({who})", {"value": "number", "limit": "number", "who": "term:who"}
        )
    },
    notes={"until": Message("sampai {until}", {"until": "date"})},
    terms={"who": {"m": "laki-laki"}},
)


def test_results_are_checked_against_the_catalogue():
    r = CATALOGUE.result(
        "high",
        "above",
        {"value": 8.8, "limit": 8, "who": "m"},
        source="demo",
        notes=(Note("until", {"until": date(2025, 3, 5)}),),
    )
    assert (r.label, r.reason) == ("Tinggi", "8,8 > 8 (laki-laki); sampai 5 Maret 2025")
    assert r.to_json() == {
        "rule": "demo",
        "code": "high",
        "reason_code": "above",
        "params": {"value": 8.8, "limit": 8, "who": "m"},
        "notes": [{"code": "until", "params": {"until": "2025-03-05"}}],
    }
    for code, reason, params, message in (
        ("low", "above", {"value": 1, "limit": 0, "who": "m"}, "undeclared class"),
        ("high", "below", {"value": 1, "limit": 0, "who": "m"}, "undeclared reason"),
        ("high", "above", {"value": 1, "limit": 0}, "parameters"),
        ("high", "above", {"value": "1", "limit": 0, "who": "m"}, "is not a number"),
        ("high", "above", {"value": 1, "limit": 0, "who": "x"}, "undeclared terms"),
    ):
        with pytest.raises(ValueError, match=message):
            CATALOGUE.result(code, reason, params, source="demo")


def test_json_round_trip_restores_dates_and_lists():
    r = immunization.check_dose(
        "DPT-HB-Hib 1", sex="F", birth=date(2022, 3, 1), doses=[], on=date(2022, 4, 5)
    )
    stored = r.to_json()
    kinds = catalogues()["immunization_check"].reasons[r.reason_code].params
    assert params_from_json(kinds, stored["params"]) == dict(r.params)
    kspr = score_kspr(age_years=36, height_cm=150, first_pregnancy=False, factors=["caesarean"])
    kinds = catalogues()["kspr"].reasons[kspr.reason_code].params
    assert params_from_json(kinds, kspr.to_json()["params"])["factors"] == ("too_old", "caesarean")


def test_the_same_result_in_codes_does_not_depend_on_language():
    # What the care app compares and stores: no sentence, only codes and values.
    a = classify("wflh", -3.2, 400)
    b = classify("wflh", -3.2, 400)
    assert (
        a.to_json()
        == b.to_json()
        == {
            "rule": "growth_category",
            "code": "gizi_buruk",
            "reason_code": "z_in_band",
            "params": {"index": "bbpb", "z": -3.2, "band": "z < −3"},
            "notes": [],
        }
    )


def test_rule_results_across_their_range_use_declared_codes():
    # Catalogue.result checks every RuleResult; these calls reach every class of each rule.
    got: dict[str, set[str]] = {}

    def seen(r):
        got.setdefault(r.rule, set()).add(r.code)

    for hb in (6.0, 8.5, 10.5, 12.5):
        seen(classify_anaemia(hb, age_months=30 * 12, sex="F"))
    for total in range(0, 21):
        items, left = {}, total
        for key, (_, maximum) in BARTHEL_ITEMS.items():
            items[key] = min(maximum, left)
            left -= items[key]
        seen(score_barthel(items))
    flags = dict.fromkeys(
        (
            "recall_failed",
            "orientation_failed",
            "chair_rise_failed",
            "weight_loss",
            "appetite_loss",
            "eye_problem",
            "whisper_not_heard",
            "sad_or_hopeless",
            "little_interest",
        ),
        False,
    )
    seen(screen_skilas(**flags))
    seen(screen_skilas(**{**flags, "eye_problem": True}))
    for yes in (3, 7):
        seen(score_srq20([True] * yes + [False] * (20 - yes)))
    seen(score_srq20([False] * 16 + [True] + [False] * 3))
    for smoking in (0, 40):
        seen(
            score_puma(
                sex="M",
                age_years=65,
                cigarettes_per_day=20,
                smoking_years=smoking,
                breathless=True,
                phlegm=True,
                cough=bool(smoking),
                spirometry_offered=False,
            )
        )
    seen(screen_tb_adult(cough=True))
    seen(screen_tb_adult(cough=False, fever=True, contact_history=True))
    seen(screen_tb_adult(cough=False, fever=True))
    no_symptom = {
        "fever_2_weeks": False,
        "cough_2_weeks": False,
        "weight_faltering_2_months": False,
        "lethargy": False,
    }
    for extra in ({"fever_2_weeks": True}, {"contact_history": True}, {}):
        seen(screen_tb_child(**{**no_symptom, **extra}))
    for rule in ("anaemia", "barthel", "skilas", "srq20", "puma", "tb_adult", "tb_child"):
        assert got[rule] == set(catalogues()[rule].classes), rule


def test_schedule_states_over_many_children_use_declared_codes():
    # The states are made in bulk without a check (work lists); check them here.
    rng = random.Random(20260115)
    dose_codes = immunization.CODES["immunization_dose"]
    reasons: set[str] = set()
    for _ in range(400):
        birth = date(2012, 1, 1) + timedelta(days=rng.randrange(0, 13 * 365))
        sex = rng.choice("MF")
        on = birth + timedelta(days=rng.randrange(0, 16 * 365))
        doses = [
            immunization.GivenDose(code, birth + timedelta(days=rng.randrange(0, 6 * 365)))
            for code in rng.sample(immunization.dose_codes(), 8)
        ]
        doses = [d for d in doses if d.given_on <= on]
        for st in immunization.immunization_status(sex=sex, birth=birth, doses=doses, on=on):
            dose_codes.check(st.state, st.reason_code, st.params, st.notes)
            assert st.reason  # renders
            reasons.add(st.reason_code)
    assert reasons >= {
        "valid",
        "given_below_min_age",
        "given_interval_too_short",
        "given_past_age_limit",
        "waiting_for_previous",
        "not_yet_due",
        "due_since",
        "overdue_since",
        "past_age_limit",
        "single_dose_schedule",
    }


def test_visit_slot_and_screening_states_use_declared_codes():
    wib = timezone(timedelta(hours=7))
    delivered = datetime(2024, 5, 1, 22, 0, tzinfo=wib)
    visit_codes = postnatal.CODES["postnatal_visit"]
    for hours in range(0, 1100, 7):
        on = delivered + timedelta(hours=hours)
        visits = [delivered + timedelta(hours=h) for h in (10, 100) if h <= hours]
        for v in postnatal.postnatal_visits("KF", delivered_at=delivered, visits=visits, on=on):
            visit_codes.check(v.state, v.reason_code, v.params)
    slot_codes = pregnancy.CODES["anc_contact"]
    lmp = date(2024, 1, 1)
    for week in range(0, 41):
        on = lmp + timedelta(weeks=week)
        contacts = [pregnancy.AncContact(lmp + timedelta(weeks=w)) for w in (8, 30) if w <= week]
        for s in pregnancy.anc_status(on, contacts, lmp=lmp):
            slot_codes.check(s.state, s.reason_code, s.params, s.notes)
    interval_codes = screening.CODES["screening_interval"]
    for last in (None, date(2023, 1, 10)):
        for on in (date(2024, 1, 20), date(2024, 6, 1)):
            s = screening.screening_state(kind="PTM", birth_date=date(1980, 5, 5), last=last, on=on)
            assert s is not None
            interval_codes.check(s.state, s.reason_code, s.params)
