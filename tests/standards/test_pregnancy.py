"""Pregnancy: dating, ANC K1–K6, KSPR (CLINICAL.md §3.3, §6.6) and KEK."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ilp.standards.pregnancy import (
    AncContact,
    anc_schedule,
    anc_status,
    anc_summary,
    classify_kek,
    edd_from_lmp,
    edd_from_usg,
    edd_naegele_calendar,
    gestational_age,
    score_kspr,
    trimester_of,
)
from ilp.standards.result import OutOfRange

LMP = date(2024, 1, 1)


def test_edd_naegele():
    assert edd_from_lmp(LMP) == date(2024, 10, 7)
    assert edd_naegele_calendar(LMP) == date(2024, 10, 8)
    for lmp in (date(2023, 5, 10), date(2024, 11, 30), date(2023, 12, 25), LMP):
        assert abs((edd_naegele_calendar(lmp) - edd_from_lmp(lmp)).days) <= 3


def test_gestational_age_from_lmp_and_usg():
    ga = gestational_age(date(2024, 3, 25), lmp=LMP)
    assert (ga.days, ga.weeks, ga.extra_days, ga.trimester, ga.basis) == (84, 12, 0, 1, "lmp")
    assert ga.text == "12 minggu 0 hari"
    ga = gestational_age(date(2024, 3, 25), lmp=LMP, usg_date=date(2024, 3, 1), usg_ga_days=70)
    assert (ga.basis, ga.days, ga.edd) == ("usg", 94, edd_from_usg(date(2024, 3, 1), 70))
    assert edd_from_usg(date(2024, 3, 1), 70) == date(2024, 9, 27)


def test_trimester_boundaries_as_buku_kia_writes_them():
    # "trimester pertama (kehamilan hingga 12 minggu)", "trimester kedua (kehamilan di atas
    # 12 minggu sampai 24 minggu)", "trimester ketiga (di atas 24 minggu sampai 40 minggu)".
    assert trimester_of(12 * 7) == 1  # exactly 12 weeks
    assert trimester_of(12 * 7 + 1) == 2  # 12 weeks 1 day: above 12 weeks
    assert trimester_of(24 * 7) == 2
    assert trimester_of(24 * 7 + 1) == 3


def test_dating_out_of_range():
    with pytest.raises(OutOfRange) as e:
        gestational_age(date(2023, 12, 1), lmp=LMP)
    assert e.value.field == "gestational_age_days"
    with pytest.raises(OutOfRange):
        gestational_age(LMP + timedelta(days=45 * 7), lmp=LMP)
    with pytest.raises(OutOfRange) as e:
        edd_from_usg(date(2024, 3, 1), 10)
    assert e.value.field == "ga_days_at_scan"
    with pytest.raises(ValueError):
        gestational_age(date(2024, 3, 1))


def test_anc_schedule_splits():
    assert anc_schedule() == [
        ("K1", 1, True),
        ("K2", 2, False),
        ("K3", 2, False),
        ("K4", 3, False),
        ("K5", 3, True),
        ("K6", 3, False),
    ]
    assert [tm for _, tm, _ in anc_schedule("2-1-3")] == [1, 1, 2, 3, 3, 3]
    with pytest.raises(ValueError):
        anc_schedule("3-2-1")


def test_anc_status_in_tm2():
    on = LMP + timedelta(weeks=20)
    contacts = [
        AncContact(LMP + timedelta(weeks=8), by_doctor=True),
        AncContact(LMP + timedelta(weeks=16)),
    ]
    slots = anc_status(on, contacts, lmp=LMP)
    assert [(s.code, s.state) for s in slots] == [
        ("K1", "done"),
        ("K2", "done"),
        ("K3", "due"),
        ("K4", "not_yet"),
        ("K5", "not_yet"),
        ("K6", "not_yet"),
    ]
    assert slots[0].doctor_missing is False
    assert slots[2].item == "anc:K3"
    # 2-1-3: the second TM1 contact was missed, TM2 contact done.
    slots = anc_status(on, contacts, lmp=LMP, split="2-1-3")
    assert [s.state for s in slots[:3]] == ["done", "overdue", "done"]


@pytest.mark.parametrize(
    ("weeks", "days", "k1"),
    [(12, 0, "done"), (12, 1, "overdue")],
)
def test_anc_contact_at_12_weeks_is_k1_and_a_day_later_is_not(weeks, days, k1):
    contact = AncContact(LMP + timedelta(weeks=weeks, days=days))
    slots = anc_status(LMP + timedelta(weeks=14), [contact], lmp=LMP)
    assert (slots[0].code, slots[0].state) == ("K1", k1)
    assert slots[1].state == ("due" if k1 == "done" else "done")


def test_anc_slot_reason_codes():
    on = LMP + timedelta(weeks=20)
    slots = anc_status(on, [AncContact(LMP + timedelta(weeks=16))], lmp=LMP)
    got = [(s.code, s.reason_code, dict(s.params)) for s in slots[:3]]
    assert got == [
        ("K1", "trimester_passed", {"visit": "K1", "trimester": 1}),
        ("K2", "contact_done", {"visit": "K2", "done_on": LMP + timedelta(weeks=16)}),
        ("K3", "trimester_now", {"visit": "K3", "trimester": 2}),
    ]
    assert slots[0].reason == "K1 terlewat: trimester 1 sudah lewat"


def test_anc_doctor_missing_and_k6():
    contacts = [
        AncContact(LMP + timedelta(weeks=w), by_doctor=w in (10, 30))
        for w in (10, 15, 20, 26, 30, 36)
    ]
    slots = anc_status(LMP + timedelta(weeks=37), contacts, lmp=LMP)
    assert all(s.state == "done" for s in slots)
    r = anc_summary(slots, 6, 2)
    assert (r.code, r.value, r.details["pending"]) == ("k6", 6, [])
    no_doc = anc_status(LMP + timedelta(weeks=37), [AncContact(c.on) for c in contacts], lmp=LMP)
    assert [s.code for s in no_doc if s.doctor_missing] == ["K1", "K5"]
    assert anc_summary(no_doc, 6, 0).code == "k4"


def test_anc_contact_errors():
    with pytest.raises(OutOfRange) as e:
        anc_status(LMP + timedelta(weeks=10), [AncContact(LMP + timedelta(weeks=11))], lmp=LMP)
    assert e.value.field == "contact.on"


BASE = {
    "age_years": 25,
    "height_cm": 155,
    "first_pregnancy": False,
    "children": 1,
    "years_since_last_birth": 3,
}


@pytest.mark.parametrize(
    ("kwargs", "total", "code"),
    [
        ({}, 2, "krr"),  # §6.6 no factor
        ({"factors": ["twins"]}, 6, "krt"),  # §6.6
        ({"factors": ["caesarean"]}, 10, "krt"),  # §6.6
        ({"age_years": 36, "factors": ["caesarean"]}, 14, "krst"),  # §6.6
        ({"factors": ["breech", "anaemia"]}, 14, "krst"),  # §6.6
        ({"factors": ["antepartum_bleeding"]}, 10, "krt"),  # §6.6
    ],
)
def test_kspr_cases(kwargs, total, code):
    r = score_kspr(**{**BASE, **kwargs})
    assert (r.value, r.code) == (total, code)


def test_kspr_advice_and_factors():
    r = score_kspr(**{**BASE, "age_years": 36, "factors": ["caesarean"]})
    assert r.details["factors"] == [("6", "too_old", 4), ("10", "caesarean", 8)]
    assert r.details["advice"].startswith("Rujuk: persalinan di rumah sakit")
    assert r.label == "Kehamilan Risiko Sangat Tinggi (KRST)"
    assert score_kspr(**BASE).details["advice"].startswith("Persalinan ditolong tenaga")


@pytest.mark.parametrize(
    ("kwargs", "total"),
    [
        ({"height_cm": 145}, 6),
        ({"height_cm": 145.1}, 2),
        ({"age_years": 35}, 6),
        ({"age_years": 34}, 2),
        ({"years_since_last_birth": 2}, 2),
        ({"years_since_last_birth": 1.99}, 6),
        ({"years_since_last_birth": 10}, 6),
        ({"years_since_last_birth": 9.9}, 2),
        ({"children": 4}, 6),
        ({"children": 3}, 2),
    ],
)
def test_kspr_boundaries(kwargs, total):
    assert score_kspr(**{**BASE, **kwargs}).value == total


def test_kspr_first_pregnancy_boundaries():
    first = {"height_cm": 155, "first_pregnancy": True}
    assert score_kspr(age_years=16, **first).value == 6
    assert score_kspr(age_years=17, **first).value == 2
    # Primigravida of 35: item 2b and item 6 are separate boxes.
    r = score_kspr(age_years=35, **first)
    assert (r.value, r.code) == (10, "krt")
    assert score_kspr(age_years=25, years_married=4, **first).value == 6
    assert score_kspr(age_years=25, years_married=3.9, **first).value == 2


def test_kspr_errors():
    with pytest.raises(OutOfRange) as e:
        score_kspr(**{**BASE, "height_cm": 14.5})
    assert e.value.field == "height_cm"
    with pytest.raises(OutOfRange) as e:
        score_kspr(**{**BASE, "age_years": 70})
    assert e.value.field == "age_years"
    with pytest.raises(ValueError, match="unknown KSPR"):
        score_kspr(**{**BASE, "factors": ["tall"]})
    with pytest.raises(ValueError, match="first_pregnancy"):
        score_kspr(age_years=25, height_cm=155, first_pregnancy=True, factors=["caesarean"])


def test_kek():
    assert classify_kek(23.4).code == "kek_risk"
    assert classify_kek(23.5).code == "normal"
    with pytest.raises(OutOfRange) as e:
        classify_kek(235)
    assert e.value.field == "muac_cm"
