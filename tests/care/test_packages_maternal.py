"""'postpartum', 'newborn', 'delivery' and 'home_visit' packages: windows and danger signs."""

from __future__ import annotations

from datetime import date, timedelta

from ilp.care.services import evaluate_package
from ilp.care.views.results import alert_lines, decorate
from ilp.people.models import Pregnancy
from tests.care import born_days_before, resident

ON = date(2025, 3, 10)


def test_postpartum_kf2_in_window_and_fever_refers(district):
    Pregnancy.objects.create(
        person=district.siti,
        lmp=ON - timedelta(days=285),
        edd=ON - timedelta(days=5),
        outcome="live_birth",
        outcome_date=ON - timedelta(days=4),
    )
    ev = evaluate_package(
        person=district.siti,
        on=ON,
        package="postpartum",
        values={"visit_number": 2, "temperature": 38.5},
    )
    assert ev.errors == {}
    assert alert_lines(ev.alerts) == [
        {"level": "danger", "message": "Demam masa nifas", "action": "Rujuk ke puskesmas"}
    ]
    late = evaluate_package(
        person=district.siti, on=ON, package="postpartum", values={"visit_number": 1}
    )
    assert alert_lines(late.alerts)[0]["message"] == "KF1 di luar jadwal (6–48 jam setelah lahir)"


def test_newborn_hypothermia_and_low_weight(district):
    baby = resident(district, "Bayi Baru", "M", born_days_before(ON, 5))
    ev = evaluate_package(
        person=baby,
        on=ON,
        package="newborn",
        values={"visit_number": 2, "temperature": 35.8, "weight": 2.4},
    )
    assert ev.errors == {}
    assert alert_lines(ev.alerts)[0] == {
        "level": "danger",
        "message": "Hipotermia pada bayi (35,8 °C)",
        "action": "Rujuk ke puskesmas",
    }
    old = evaluate_package(person=district.rina, on=ON, package="newborn", values={})
    assert old.errors == {"package": ["Kunjungan neonatal untuk bayi umur 0–28 hari."]}


def test_delivery_low_birth_weight_and_home_visit_not_met(district):
    ev = evaluate_package(
        person=district.siti,
        on=ON,
        package="delivery",
        values={"birth_weight": 2.3, "attendant": "health_worker", "delivery_place": "facility"},
    )
    bw = next(r for r in decorate(ev.results) if r["code"] == "birth_weight")
    assert (bw["class_code"], bw["abnormal"]) == ("bblr", True)
    hv = evaluate_package(
        person=district.budi, on=ON, package="home_visit", values={"visit_result": "not_home"}
    )
    assert [t.kind for t in hv.tasks] == ["home_visit"]
