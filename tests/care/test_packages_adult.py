"""'adult', 'elderly', 'school' and 'anc' packages against CLINICAL.md §6.6 cases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ilp.care.services import evaluate_package
from ilp.care.views.results import alert_lines, decorate
from ilp.people.models import Pregnancy
from tests.care import resident

ON = date(2025, 3, 10)
BARTHEL_FULL = {
    "bowels": 2,
    "bladder": 2,
    "grooming": 1,
    "toilet_use": 2,
    "feeding": 2,
    "transfer": 3,
    "mobility": 3,
    "dressing": 2,
    "stairs": 2,
    "bathing": 1,
}


def _r(ev, code):
    return next(r for r in decorate(ev.results) if r["code"] == code)


@pytest.mark.parametrize(
    ("sbp", "dbp", "code", "abnormal"),
    [(140, 85, "grade_1", True), (139, 90, "grade_1", True), (118, 76, "optimal", False)],
)
def test_blood_pressure_classes(district, sbp, dbp, code, abnormal):
    ev = evaluate_package(
        person=district.budi, on=ON, package="adult", values={"sbp": sbp, "dbp": dbp}
    )
    bp = _r(ev, "bp")
    assert (bp["class_code"], bp["abnormal"], bp["value"]) == (code, abnormal, f"{sbp}/{dbp}")


def test_grade_1_asks_for_monthly_follow_up(district):
    ev = evaluate_package(
        person=district.budi, on=ON, package="adult", values={"sbp": 140, "dbp": 85}
    )
    assert alert_lines(ev.alerts) == [
        {
            "level": "warning",
            # The class label; isolated systolic hypertension is the result's reason code
            # (ilp.standards.blood_pressure, reason "isolated_systolic").
            "message": "Hipertensi derajat 1",
            "action": "Rujuk ke puskesmas; kontrol tekanan darah setiap bulan",
        }
    ]
    assert [(t.kind, t.due_days) for t in ev.tasks] == [("follow_up", 30)]


@pytest.mark.parametrize(("yes", "code"), [(5, "negative"), (6, "positive")])
def test_srq20_cutoff(district, yes, code):
    answers = [True] * yes + [False] * (20 - yes)
    ev = evaluate_package(person=district.siti, on=ON, package="adult", values={"srq20": answers})
    srq = _r(ev, "srq20")
    assert (srq["value"], srq["class_code"], srq["abnormal"]) == (yes, code, code == "positive")


def test_glucose_bmi_waist_and_tb(district):
    ev = evaluate_package(
        person=district.budi,
        on=ON,
        package="adult",
        values={
            "glucose_fasting": 126,
            "weight": 72.25,
            "height": 170,
            "waist": 90.1,
            "tb": {"cough": True},
        },
    )
    assert ev.errors == {}
    assert _r(ev, "dm")["class_code"] == "diabetes"
    # Riskesdas/SKI classes: 25.0 is "berat badan lebih" (ilp.standards.anthropometry_adult).
    assert (_r(ev, "bmi")["value"], _r(ev, "bmi")["class_code"]) == (25.0, "overweight_mild")
    assert _r(ev, "waist")["class_code"] == "central_obesity"
    assert _r(ev, "tb")["class_code"] == "presumptive_tb"
    assert sorted(t.kind for t in ev.tasks) == ["refer", "refer"]


def test_puma_only_from_40(district):
    ev = evaluate_package(
        person=district.wayan,
        on=ON,
        package="adult",
        values={"puma": {"breathless": True}},
    )
    assert ev.errors == {"puma": ["PUMA hanya untuk umur 40 tahun ke atas."]}


@pytest.mark.parametrize(
    ("total", "code"),
    [(20, "independent"), (19, "mild"), (11, "moderate"), (8, "severe"), (4, "total")],
)
def test_barthel_bands(district, total, code):
    items = dict(BARTHEL_FULL)
    drop = 20 - total
    for key in items:
        take = min(items[key], drop)
        items[key] -= take
        drop -= take
    ev = evaluate_package(
        person=district.ahmad, on=ON, package="elderly", values={"barthel": items}
    )
    b = _r(ev, "barthel")
    assert (b["value"], b["class_code"]) == (total, code)
    assert any(t.kind == "home_visit" for t in ev.tasks) is (
        code in ("moderate", "severe", "total")
    )


def test_skilas_positive_refers(district):
    ev = evaluate_package(
        person=district.ahmad,
        on=ON,
        package="elderly",
        values={"skilas": {"chair_rise_failed": True}},
    )
    assert _r(ev, "skilas")["class_code"] == "refer"
    assert alert_lines(ev.alerts)[-1]["action"] == "Rujuk ke puskesmas"


def test_elderly_package_refuses_adults(district):
    ev = evaluate_package(person=district.budi, on=ON, package="elderly", values={})
    assert ev.errors == {"package": ["Skrining lansia untuk umur 60 tahun ke atas."]}


def test_school_girl_anaemia_and_bmi_for_age(district):
    girl = resident(district, "Putri Sekolah", "F", date(2011, 6, 1))
    ev = evaluate_package(
        person=girl, on=ON, package="school", values={"weight": 40, "height": 150, "hb": 11.0}
    )
    assert ev.errors == {}
    assert _r(ev, "anaemia")["class_code"] == "anaemia"
    assert _r(ev, "bfa")["class_code"] == "gizi_baik"
    assert {
        "level": "warning",
        "message": "Remaja putri belum mendapat TTD",
        "action": "Berikan tablet tambah darah (1 tablet/minggu)",
    } in alert_lines(ev.alerts)


# --- ANC: KSPR cases of CLINICAL.md §6.6 ---


def _pregnant(person, *, gravida=2, para=1, lmp=ON - timedelta(days=150)):
    return Pregnancy.objects.create(
        person=person, lmp=lmp, edd=lmp + timedelta(days=280), gravida=gravida, para=para
    )


@pytest.mark.parametrize(
    ("factors", "score", "code"),
    [
        ([], 2, "krr"),
        (["twins"], 6, "krt"),
        (["caesarean"], 10, "krt"),
        (["breech", "anaemia"], 14, "krst"),
        (["antepartum_bleeding"], 10, "krt"),
    ],
)
def test_kspr_cases(district, factors, score, code):
    _pregnant(district.siti)  # 34 years old, second pregnancy
    ev = evaluate_package(
        person=district.siti,
        on=ON,
        package="anc",
        values={"visit_number": 3, "height": 155, "kspr": factors},
    )
    assert ev.errors == {}
    k = _r(ev, "kspr")
    assert (k["value"], k["class_code"]) == (score, code)


def test_kspr_age_36_and_caesarean_is_krst(district):
    mother = resident(district, "Ibu Tiga Puluh Enam", "F", date(1988, 12, 1))
    _pregnant(mother)
    ev = evaluate_package(
        person=mother,
        on=ON,
        package="anc",
        values={"visit_number": 2, "height": 150, "kspr": ["caesarean"]},
    )
    k = _r(ev, "kspr")
    assert (k["value"], k["class_code"]) == (14, "krst")
    assert alert_lines(ev.alerts)[-1]["level"] == "danger"
    assert ev.tasks[-1].kind == "refer"


def test_anc_kek_anaemia_by_trimester_and_bp(district):
    _pregnant(district.siti)  # 150 days = 21 weeks: trimester 2, WHO 2024 cut-off 10.5
    ev = evaluate_package(
        person=district.siti,
        on=ON,
        package="anc",
        values={"visit_number": 3, "muac": 23.0, "hb": 10.7, "sbp": 142, "dbp": 92},
    )
    assert _r(ev, "gestational_age")["value"] == 21
    assert _r(ev, "kek")["class_code"] == "kek_risk"
    assert _r(ev, "anaemia")["class_code"] == "no_anaemia"
    assert _r(ev, "bp")["class_code"] == "grade_1"
    assert {
        "level": "danger",
        "message": "Hipertensi dalam kehamilan",
        "action": "Rujuk ke puskesmas",
    } in alert_lines(ev.alerts)


def test_anc_needs_a_pregnancy_and_visit_number(district):
    ev = evaluate_package(person=district.siti, on=ON, package="anc", values={})
    assert ev.errors == {
        "pregnancy": ["Ibu ini belum tercatat sedang hamil; daftarkan kehamilannya."]
    }
    _pregnant(district.siti)
    ev = evaluate_package(person=district.siti, on=ON, package="anc", values={})
    assert ev.errors == {"visit_number": ["Isi kunjungan ke- (K1–K6)."]}
