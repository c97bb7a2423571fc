"""'child' package: WHO z-scores and Permenkes categories (CLINICAL.md §6.2), KMS trend."""

from __future__ import annotations

from datetime import date

import pytest

from ilp.care.services import evaluate_package
from ilp.care.services.taskspec import TaskSpec
from ilp.care.services.trend import kbm_grams, weight_trend
from ilp.care.views.results import alert_lines, decorate
from ilp.core.texts import Text
from tests.care import born_days_before, resident

ON = date(2025, 3, 10)


def _by_code(ev):
    return {r["code"]: r for r in decorate(ev.results)}


def test_who_row_112_is_gizi_buruk_with_referral(district):
    girl = resident(district, "Anak Seratus Dua Belas", "F", born_days_before(ON, 90))
    ev = evaluate_package(
        person=girl,
        on=ON,
        package="child",
        values={"weight": 4.5, "height": 60.4, "measured": "lying", "head": 39.5},
    )
    assert ev.errors == {}
    assert ev.warnings == {}
    r = _by_code(ev)
    assert (r["wflh"]["value"], r["wflh"]["class_code"], r["wflh"]["abnormal"]) == (
        -3.26,
        "gizi_buruk",
        True,
    )
    assert (r["wfa"]["value"], r["wfa"]["class_label"]) == (-2.02, "Berat badan kurang")
    assert (r["lhfa"]["value"], r["lhfa"]["class_code"], r["lhfa"]["abnormal"]) == (
        0.34,
        "normal",
        False,
    )
    assert r["bfa"]["value"] == -3.01
    assert r["hcfa"]["value"] == 0.01
    assert {"level": "danger", "message": "Gizi buruk", "action": "Rujuk ke puskesmas"} in (
        alert_lines(ev.alerts)
    )
    assert TaskSpec("refer", Text("care.alert.severe_wasting"), 0) in ev.tasks


def test_who_row_1_is_normal_without_alerts(district):
    girl = resident(district, "Anak Satu", "F", born_days_before(ON, 683))
    ev = evaluate_package(
        person=girl,
        on=ON,
        package="child",
        values={"weight": 10.4, "height": 84.8, "measured": "lying", "muac": 14.9},
    )
    r = _by_code(ev)
    assert [r[k]["value"] for k in ("lhfa", "wfa", "wflh", "bfa", "acfa")] == [
        -0.07,
        -0.57,
        -0.81,
        -0.79,
        0.11,
    ]
    assert [r[k]["class_label"] for k in ("lhfa", "wfa", "wflh")] == [
        "Normal",
        "Berat badan normal",
        "Gizi baik",
    ]
    assert alert_lines(ev.alerts) == []
    assert not any(x["abnormal"] for x in ev.results)


def test_who_row_109_standing_under_two_years_is_tall(district):
    girl = resident(district, "Anak Seratus Sembilan", "F", born_days_before(ON, 719))
    ev = evaluate_package(
        person=girl,
        on=ON,
        package="child",
        values={"weight": 15.1, "height": 97.8, "measured": "standing"},
    )
    r = _by_code(ev)
    assert (r["lhfa"]["value"], r["lhfa"]["class_code"]) == (3.87, "tinggi")
    assert (r["wfa"]["value"], r["wfa"]["class_code"]) == (2.18, "risiko_bb_lebih")
    assert (r["wflh"]["value"], r["wflh"]["class_code"]) == (0.36, "gizi_baik")


def test_oedema_is_gizi_buruk_and_weight_indices_missing(district):
    boy = resident(district, "Anak Edema", "M", born_days_before(ON, 400))
    ev = evaluate_package(
        person=boy,
        on=ON,
        package="child",
        values={"weight": 9.0, "height": 75.0, "measured": "lying", "oedema": True},
    )
    r = _by_code(ev)
    assert "wfa" not in r and "wflh" not in r
    assert "lhfa" in r
    assert alert_lines(ev.alerts)[0] == {
        "level": "danger",
        "message": "Edema bilateral: gizi buruk",
        "action": "Rujuk ke puskesmas",
    }


def test_who_flag_is_a_warning_not_an_error(district):
    # WHO row 371 pattern: girl 955 days, 7.6 kg → WFA -4.32 (not flagged); 4.0 kg is < -6.
    girl = resident(district, "Anak Ringan", "F", born_days_before(ON, 955))
    ev = evaluate_package(person=girl, on=ON, package="child", values={"weight": 4.0})
    assert ev.errors == {}
    assert list(ev.warnings) == ["weight"]
    assert ev.warnings["weight"][0].startswith("BB/U z = -")
    assert ev.warnings["weight"][0].endswith("di luar batas WHO; periksa ulang pengukuran.")


def test_length_without_position_is_an_error(district):
    ev = evaluate_package(
        person=district.rina, on=ON, package="child", values={"weight": 9.0, "height": 75}
    )
    assert ev.errors == {
        "measured": ["Pilih cara ukur: telentang (panjang) atau berdiri (tinggi)."]
    }


def test_child_package_refuses_five_year_olds(district):
    ev = evaluate_package(person=district.siti, on=ON, package="child", values={"weight": 50})
    assert ev.errors == {"package": ["Layanan balita untuk anak umur 0–59 bulan."]}


def test_vitamin_a_due_in_february_and_august(district):
    feb = date(2025, 2, 10)
    ev = evaluate_package(person=district.rina, on=feb, package="child", values={"weight": 8.5})
    assert {
        "level": "warning",
        "message": "Vitamin A belum diberikan bulan ini",
        "action": "Berikan kapsul vitamin A biru (100.000 IU)",
    } in alert_lines(ev.alerts)
    given = evaluate_package(
        person=district.rina, on=feb, package="child", values={"weight": 8.5, "vitamin_a": True}
    )
    assert given.supplies == {"vita_blue": 1}
    assert not any(a["message"].startswith("Vitamin A") for a in alert_lines(given.alerts))
    march = evaluate_package(person=district.rina, on=ON, package="child", values={"weight": 9})
    assert not any(a["message"].startswith("Vitamin A") for a in alert_lines(march.alerts))


@pytest.mark.parametrize(
    ("dev", "level", "action"),
    [
        ("meragukan", "warning", "Stimulasi di rumah; ulangi dalam 2 minggu"),
        ("penyimpangan", "danger", "Rujuk ke puskesmas"),
    ],
)
def test_development_screening_alerts(district, dev, level, action):
    ev = evaluate_package(person=district.rina, on=ON, package="child", values={"development": dev})
    assert [(a["level"], a["action"]) for a in alert_lines(ev.alerts)] == [(level, action)]


# --- KMS trend (pure) ---


def test_kbm_table():
    assert [kbm_grams(m) for m in (0, 1, 2, 3, 4, 6, 8, 11, 12, 59)] == [
        None,
        800,
        900,
        800,
        600,
        400,
        300,
        200,
        200,
        200,
    ]


def test_trend_n_t_b_o_and_2t():
    birth = date(2024, 5, 2)
    # 10 months old on 2025-03-10: KBM 300 g.
    assert weight_trend(birth, ON, 9.0, []).code == "B"
    assert weight_trend(birth, ON, 9.0, [(date(2025, 1, 10), 8.0)]).code == "O"
    n = weight_trend(birth, ON, 9.0, [(date(2025, 2, 10), 8.7)])
    assert (n.code, n.gain_g, n.kbm_g, n.two_t) == ("N", 300, 300, False)
    t = weight_trend(birth, ON, 8.9, [(date(2025, 2, 10), 8.7)])
    assert (t.code, t.gain_g, t.two_t) == ("T", 200, False)
    # February was T too (9 months, KBM 300 g: 8.7 - 8.5 = 200 g) → 2T.
    two = weight_trend(birth, ON, 8.9, [(date(2025, 1, 12), 8.5), (date(2025, 2, 10), 8.7)])
    assert (two.code, two.two_t) == ("T", True)
    # A re-weighing earlier this month is ignored; the last weighing of February counts.
    again = weight_trend(
        birth, ON, 9.0, [(date(2025, 2, 3), 8.0), (date(2025, 2, 20), 8.7), (date(2025, 3, 2), 9)]
    )
    assert (again.code, again.gain_g) == ("N", 300)
