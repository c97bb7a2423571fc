"""Children under five: growth (WHO z-scores, Permenkes 2/2020 classes), the KMS weight trend,
development (KPSP), vitamin A and TB symptom screening (package ``child``).

`child_growth` also serves newborns and, for BMI-for-age, school children and adolescents.
Local decisions: severe acute malnutrition by LiLA < 11.5 cm or bilateral oedema at 6–59
months (Kemenkes, Pedoman Pencegahan dan Tata Laksana Gizi Buruk pada Balita 2019); vitamin
A in February and August at 6–59 months (DOMAIN.md §3.4); the KMS trend (`services.trend`).
"""

from __future__ import annotations

import math
from datetime import date

from django.utils.translation import gettext as _

from ilp.care.evaluation import ages
from ilp.care.evaluation import questionnaires as Q
from ilp.care.evaluation.common import (
    action_text,
    alert_text,
    bool_answers,
    check_previous,
    out_of_range,
    supplies,
    tb_result,
)
from ilp.care.evaluation.history import History
from ilp.care.evaluation.outcome import Evaluation
from ilp.care.services import plausibility as P
from ilp.care.services.trend import SOURCE as TREND_SOURCE
from ilp.care.services.trend import trend_reason, weight_trend
from ilp.care.texts import rule_class
from ilp.people.models import Person
from ilp.standards import growth as growth_std
from ilp.standards import tuberculosis
from ilp.standards.result import OutOfRange

SAM_MUAC_CM = 11.5


_FLAG_FIELDS = {
    "wfa": "weight",
    "lhfa": "height",
    "wflh": "weight",
    "bfa": "weight",
    "hcfa": "head",
    "acfa": "muac",
}


# LiLA/U and LK/U (no Permenkes 2/2020 category): WHO Child Growth Standards (2007) arm and
# head circumference-for-age, read with the usual −2/−3 SD cut-offs. (low edge, class) pairs,
# lowest first; a z at or above every edge is "normal" unless above a "high" edge.
_CIRCUMFERENCE_BANDS: dict[str, tuple[tuple[float, str], ...]] = {
    "acfa": ((-3.0, "very_low"), (-2.0, "low")),
    "hcfa": ((-2.0, "low"),),
}


_CIRCUMFERENCE_HIGH = {"hcfa": 2.0}


def _circumference_class(key: str, z: float) -> str:
    for edge, code in _CIRCUMFERENCE_BANDS[key]:
        if z < edge:
            return code
    high = _CIRCUMFERENCE_HIGH.get(key)
    return "high" if high is not None and z > high else "normal"


def child_growth(
    ev: Evaluation, person: Person, on: date, months: int, *, school: bool = False
) -> growth_std.Assessment | None:
    v = ev.values
    if all(v.get(k) is None for k in ("weight", "height", "muac", "head")):
        return None
    if v.get("height") is not None and v.get("measured") is None and not school:
        ev.error("measured", _("Pilih cara ukur: telentang (panjang) atau berdiri (tinggi)."))
        return None
    try:
        a = growth_std.assess(
            person.sex,
            person.birth_date,
            on,
            weight_kg=v.get("weight"),
            length_cm=v.get("height"),
            measured=v.get("measured") or ("standing" if school else None),
            oedema=v.get("oedema", False),
            head_cm=v.get("head"),
            muac_cm=v.get("muac"),
        )
    except OutOfRange as exc:
        key = {
            "weight_kg": "weight",
            "length_cm": "height",
            "head_cm": "head",
            "muac_cm": "muac",
        }.get(exc.field, "on")
        out_of_range(ev, key, exc)
        return None
    ev.extra["growth"] = {k: r.z for k, r in a.indicators.items() if r.z is not None}
    if a.bmi is not None and not math.isnan(a.bmi):
        ev.extra["bmi"] = round(a.bmi, 2)
    if a.c9mo:
        ev.warn("measured", _("Bayi di bawah 9 bulan diukur berdiri; ukur telentang."))
    for key, ind in a.indicators.items():
        if ind.flagged:
            ev.warn(
                _FLAG_FIELDS[key],
                _("%(index)s z = %(z)s di luar batas WHO; periksa ulang pengukuran.")
                % {"index": growth_std.INDEX_LABELS[key], "z": P.fmt(ind.z or 0)},
            )
    normal = {"bb_normal", "normal", "gizi_baik", "tinggi"}
    for key in ("wfa", "lhfa", "wflh", "bfa", "hcfa", "acfa"):
        ind = a.indicators[key]
        if ind.z is None and ind.category is None:
            continue
        if school and key not in ("bfa", "lhfa"):
            continue
        cat = ind.category
        if cat is None and key in _CIRCUMFERENCE_BANDS and ind.z is not None:
            # No Permenkes category: WHO's −2/−3 SD cut-offs, so a low z is never green.
            local = _circumference_class(key, ind.z)
            ev.result(
                key,
                value=ind.z,
                class_code=local,
                abnormal=local != "normal",
                screening={"answers": {"z": ind.z, "reference": a.reference}},
            )
            continue
        abnormal = cat is not None and cat.code not in normal
        ev.result(
            key,
            cat,
            value=ind.z,
            abnormal=abnormal,
            screening={"answers": {"z": ind.z, "reference": a.reference}} if cat else None,
        )
    cats = {
        k: (ind.category.code if ind.category is not None else None)
        for k, ind in a.indicators.items()
    }
    if school:
        if cats["bfa"] in ("gizi_buruk", "gizi_kurang"):
            ev.alert(
                "warning",
                alert_text("school_thin"),
                action_text("refer"),
                task="refer",
                due_days=14,
            )
        elif cats["bfa"] == "obesitas":
            ev.alert("warning", alert_text("school_obese"), action_text("nutrition_activity"))
        return a
    severe = cats["wflh"] == "gizi_buruk" or (cats["wflh"] is None and cats["bfa"] == "gizi_buruk")
    if v.get("oedema"):
        ev.alert(
            "danger",
            alert_text("oedema"),
            action_text("refer"),
            task="refer",
            due_days=0,
        )
    elif severe or (
        v.get("muac") is not None and months in ages.SAM_MUAC and v["muac"] < SAM_MUAC_CM
    ):
        ev.alert(
            "danger", alert_text("severe_wasting"), action_text("refer"), task="refer", due_days=0
        )
    elif cats["wflh"] == "gizi_kurang":
        ev.alert(
            "warning",
            alert_text("wasting"),
            action_text("refer_pmt"),
            task="follow_up",
            due_days=14,
        )
    elif cats["wfa"] == "bb_sangat_kurang":
        ev.alert(
            "warning",
            alert_text("severely_underweight"),
            action_text("refer"),
            task="refer",
            due_days=7,
        )
    stunting = a.indicators["lhfa"].category
    if stunting is not None and stunting.code in ("pendek", "sangat_pendek"):
        ev.alert(
            "warning",
            alert_text("stunting", label=rule_class(stunting)),
            action_text("refer_confirm"),
            task="follow_up",
            due_days=30,
        )
    if cats["wflh"] in ("gizi_lebih", "obesitas"):
        ev.alert("warning", alert_text("overweight"), action_text("nutrition"))
    return a


def _child_trend(ev: Evaluation, person: Person, on: date, history: History) -> None:
    weight = ev.values.get("weight")
    if weight is None:
        return
    t = weight_trend(person.birth_date, on, weight, history.weights)
    if t.code is None:
        return
    ev.extra["trend"] = t.code
    ev.extra["two_t"] = t.two_t
    ev.result(
        "weight_trend",
        class_code="2T" if t.two_t else t.code,
        reason=trend_reason(t),
        value=t.gain_g,
        abnormal=t.code == "T",
        screening={"answers": {"gain_g": t.gain_g, "kbm_g": t.kbm_g, "two_t": t.two_t}},
    )
    ev.results[-1]["source"] = TREND_SOURCE
    if t.two_t:
        ev.alert(
            "danger",
            alert_text("two_t"),
            action_text("home_visit_refer"),
            task="home_visit",
            due_days=7,
        )
    elif t.code == "T":
        ev.alert(
            "warning",
            alert_text("not_gaining"),
            action_text("nutrition_reweigh"),
        )


def evaluate_child(ev: Evaluation, person: Person, on: date, months: int, history: History) -> None:
    if months not in ages.BALITA:
        ev.error("package", _("Layanan balita untuk anak umur 0–59 bulan."))
        return
    check_previous(ev, on, False, history, person)
    child_growth(ev, person, on, months)
    _child_trend(ev, person, on, history)
    supplies(ev, person, months)
    dev = ev.values.get("development")
    if dev is not None:
        ev.result(
            "kpsp",
            value=dev,
            class_code=dev,
            abnormal=dev != "sesuai",
            screening={"answers": {"result": dev}},
        )
        if dev == "meragukan":
            ev.alert(
                "warning",
                alert_text("dev_doubtful"),
                action_text("stimulate_2w"),
                task="follow_up",
                due_days=14,
            )
        elif dev == "penyimpangan":
            ev.alert(
                "danger",
                alert_text("dev_deviation"),
                action_text("refer"),
                task="refer",
                due_days=7,
            )
    if (
        on.month in (2, 8)
        and months in ages.VITAMIN_A
        and not ev.values.get("vitamin_a")
        and not history.vitamin_a_this_month
    ):
        ev.alert(
            "warning",
            alert_text("vitamin_a_due"),
            action_text("vitamin_a_blue" if months in ages.VITAMIN_A_BLUE else "vitamin_a_red"),
        )
    raw = ev.values.get("tb")
    if raw is not None:
        answers = bool_answers(ev, "tb", raw, Q.TB_CHILD.codes)
        if answers is not None:
            tb_result(ev, tuberculosis.screen_tb_child(**answers), answers)
