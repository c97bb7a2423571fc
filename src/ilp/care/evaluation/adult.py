"""The productive age (package ``adult``, also the core of ``elderly``): PTM screening
(blood pressure, BMI, waist, glucose), smoking, SRQ-20, PUMA, TB symptoms and breast and
cervical cancer screening for women.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from ilp.care.evaluation import ages
from ilp.care.evaluation import questionnaires as Q
from ilp.care.evaluation.child import child_growth
from ilp.care.evaluation.common import (
    action_text,
    alert_text,
    bool_answers,
    check_previous,
    out_of_range,
    tb_result,
)
from ilp.care.evaluation.history import History
from ilp.care.evaluation.outcome import Evaluation
from ilp.care.evaluation.registry import FEMALE_ONLY
from ilp.care.evaluation.vitals import evaluate_anaemia, evaluate_blood_pressure
from ilp.care.texts import rule_class
from ilp.core.texts import Text
from ilp.people.models import Person
from ilp.standards import anthropometry_adult, copd, diabetes, mental_health, tuberculosis
from ilp.standards.result import OutOfRange


def evaluate_srq20(ev: Evaluation, months: int) -> None:
    answers = ev.values.get("srq20")
    if answers is None:
        return
    if months not in ages.SRQ20:
        ev.error("srq20", _("SRQ-20 hanya untuk umur 15 tahun ke atas."))
        return
    # A list since parsing (evaluation.parse.normalise_answers).
    answers = answers if isinstance(answers, list) else []
    if len(answers) != 20 or any(not isinstance(a, bool) for a in answers):
        ev.error("srq20", _("SRQ-20 harus berisi 20 jawaban ya/tidak."))
        return
    rule = mental_health.score_srq20(answers)
    abnormal = rule.code != "negative"
    ev.result("srq20", rule, abnormal=abnormal, screening={"answers": {"items": answers}})
    if rule.code == "suicidal_ideation":
        ev.alert("danger", rule_class(rule), action_text("refer_now"), task="refer", due_days=0)
    elif abnormal:
        ev.alert(
            "warning",
            rule_class(rule),
            action_text("refer_mental"),
            task="refer",
            due_days=7,
        )


def evaluate_smoking(ev: Evaluation) -> None:
    smoking = ev.values.get("smoking")
    if smoking is None:
        return
    ev.result(
        "smoking",
        value=smoking,
        class_code="smoker" if smoking else "non_smoker",
        abnormal=smoking,
        screening={"answers": {"smoking": smoking}},
    )
    if smoking:
        ev.alert("warning", alert_text("smoking"), action_text("quit_smoking"))


def _tb_adult(ev: Evaluation) -> None:
    raw = ev.values.get("tb")
    if raw is None:
        return
    answers = bool_answers(ev, "tb", raw, Q.TB_ADULT.codes)
    if answers is None:
        return
    rule = tuberculosis.screen_tb_adult(**answers)
    tb_result(ev, rule, answers)


def _adult_bmi(ev: Evaluation, person: Person, on: date, months: int) -> None:
    v = ev.values
    if v.get("weight") is None or v.get("height") is None:
        return
    if months not in ages.GROWN_UP:
        child_growth(ev, person, on, months, school=True)
        return
    try:
        bmi = anthropometry_adult.adult_bmi(v["weight"], v["height"])
        rule = anthropometry_adult.classify_adult_bmi(bmi)
    except OutOfRange as exc:
        key = {"weight_kg": "weight", "height_cm": "height"}.get(exc.field, "weight")
        out_of_range(ev, key, exc)
        return
    ev.extra["bmi"] = bmi
    abnormal = rule.code != "normal"
    ev.result(
        "bmi",
        rule,
        abnormal=abnormal,
        screening={"answers": {"weight": v["weight"], "height": v["height"]}},
    )
    if rule.code in ("obese", "thin_severe"):
        ev.alert("warning", rule_class(rule), action_text("nutrition_activity"))


def _waist(ev: Evaluation, person: Person) -> None:
    waist = ev.values.get("waist")
    if waist is None:
        return
    rule = anthropometry_adult.classify_central_obesity(waist, person.sex)
    abnormal = rule.code == "central_obesity"
    ev.result(
        "waist",
        rule,
        abnormal=abnormal,
        screening={"answers": {"waist": waist}},
    )


def _glucose(ev: Evaluation) -> None:
    v = ev.values
    fasting, random_ = v.get("glucose_fasting"), v.get("glucose_random")
    if fasting is None and random_ is None:
        return
    rule = diabetes.classify_glucose_screening(fasting_glucose=fasting, random_glucose=random_)
    abnormal = rule.code != "normal"
    ev.result(
        "dm",
        rule,
        value=fasting if fasting is not None else random_,
        abnormal=abnormal,
        screening={"answers": {"fasting": fasting, "random": random_}},
    )
    if rule.code == "diabetes":
        ev.alert(
            "warning",
            rule_class(rule),
            action_text("refer_dm"),
            task="refer",
            due_days=7,
        )
    elif rule.code == "prediabetes":
        ev.alert("warning", rule_class(rule), action_text("lifestyle_3m"))


def _puma(ev: Evaluation, person: Person, months: int) -> None:
    raw = ev.values.get("puma")
    if raw is None:
        return
    if months not in ages.PUMA:
        ev.error("puma", _("PUMA hanya untuk umur 40 tahun ke atas."))
        return
    answers = bool_answers(ev, "puma", raw, Q.PUMA.codes)
    if answers is None:
        return
    rule = copd.score_puma(
        sex=person.sex,
        age_years=months // 12,
        cigarettes_per_day=ev.values.get("cigarettes_per_day", 0),
        smoking_years=ev.values.get("smoking_years", 0),
        **answers,
    )
    abnormal = rule.code == "high_risk"
    ev.result("puma", rule, abnormal=abnormal, screening={"answers": answers})
    if abnormal:
        ev.alert(
            "warning",
            rule_class(rule),
            action_text("refer_spirometry"),
            task="refer",
            due_days=30,
        )


def _cancer_screening(ev: Evaluation, person: Person) -> None:
    v = ev.values
    if person.sex != "F":
        for key in FEMALE_ONLY:
            if v.get(key) is not None:
                ev.error(key, _("SADANIS dan tes IVA hanya untuk perempuan."))
                v.pop(key)
    if v.get("breast_exam") is not None:
        abnormal = v["breast_exam"] == "abnormal"
        ev.result(
            "breast_exam",
            value=v["breast_exam"],
            class_code=v["breast_exam"],
            abnormal=abnormal,
            screening={"answers": {"result": v["breast_exam"]}},
        )
        if abnormal:
            ev.alert(
                "danger",
                alert_text("breast_abnormal"),
                action_text("refer_hospital"),
                task="refer",
                due_days=7,
            )
    if v.get("iva") is not None:
        abnormal = v["iva"] != "negative"
        ev.result(
            "iva",
            value=v["iva"],
            class_code=v["iva"],
            abnormal=abnormal,
            screening={"answers": {"result": v["iva"]}},
        )
        if v["iva"] == "positive":
            ev.alert(
                "warning",
                Text("care.class.iva.positive"),
                action_text("cryotherapy"),
                task="refer",
                due_days=14,
            )
        elif abnormal:
            ev.alert(
                "danger",
                Text("care.class.iva.suspect_cancer"),
                action_text("refer_hospital"),
                task="refer",
                due_days=7,
            )


def evaluate_adult(ev: Evaluation, person: Person, on: date, months: int, history: History) -> None:
    if months not in ages.PRODUCTIVE:
        ev.error("package", _("Skrining usia produktif untuk umur 15 tahun ke atas."))
        return
    check_previous(ev, on, months in ages.GROWN_UP, history, person)
    evaluate_blood_pressure(ev)
    _adult_bmi(ev, person, on, months)
    _waist(ev, person)
    _glucose(ev)
    evaluate_anaemia(ev, person, months)
    evaluate_smoking(ev)
    evaluate_srq20(ev, months)
    _puma(ev, person, months)
    _tb_adult(ev)
    _cancer_screening(ev, person)
