"""Blood pressure and anaemia, classified the same way in every package that measures them
(pregnant women get their own alerts: ``pregnant=True``).
"""

from __future__ import annotations

from typing import Any

from ilp.care.evaluation.common import action_text, alert_text, out_of_range
from ilp.care.evaluation.outcome import Evaluation
from ilp.care.services import plausibility as P
from ilp.care.texts import rule_class
from ilp.people.models import Person
from ilp.standards import anaemia, blood_pressure
from ilp.standards.result import OutOfRange


def evaluate_blood_pressure(ev: Evaluation, *, pregnant: bool = False) -> None:
    v = ev.values
    if v.get("sbp") is None or v.get("dbp") is None or "dbp" in ev.errors:
        return
    try:
        rule = blood_pressure.classify_blood_pressure(v["sbp"], v["dbp"])
    except OutOfRange as exc:
        out_of_range(ev, "sbp" if exc.field == "systolic" else "dbp", exc)
        return
    hypertensive = bool(rule.details.get("hypertensive"))
    ev.result(
        "bp",
        rule,
        value=f"{P.fmt(v['sbp'])}/{P.fmt(v['dbp'])}",
        abnormal=hypertensive or rule.code == "high_normal",
        screening={"answers": {"sbp": v["sbp"], "dbp": v["dbp"]}},
    )
    if pregnant:
        if rule.code in ("grade_2", "grade_3"):
            ev.alert(
                "danger",
                alert_text("preg_hypertension_severe"),
                action_text("refer_now_hospital"),
                task="refer",
                due_days=0,
            )
        elif hypertensive:
            ev.alert(
                "danger",
                alert_text("preg_hypertension"),
                action_text("refer"),
                task="refer",
                due_days=1,
            )
        return
    if rule.code == "grade_3":
        ev.alert("danger", rule_class(rule), action_text("refer"), task="refer", due_days=1)
    elif hypertensive:
        ev.alert(
            "warning",
            rule_class(rule),
            action_text("refer_bp_monthly"),
            task="follow_up",
            due_days=30,
        )
    elif rule.code == "high_normal":
        ev.alert("warning", rule_class(rule), action_text("repeat_1m"))


def evaluate_anaemia(ev: Evaluation, person: Person, months: int, **kwargs: Any) -> None:
    hb = ev.values.get("hb")
    if hb is None:
        return
    try:
        rule = anaemia.classify_anaemia(hb, age_months=months, sex=person.sex, **kwargs)
    except OutOfRange as exc:
        out_of_range(ev, "hb" if exc.field == "hb_g_dl" else "on", exc)
        return
    abnormal = rule.code == "anaemia"
    ev.result("anaemia", rule, abnormal=abnormal, screening={"answers": {"hb": hb}})
    if abnormal:
        severe = rule.details.get("severity") == "severe"
        ev.alert(
            "danger" if severe else "warning",
            rule_class(rule),
            action_text("refer") if severe else action_text("iron_recheck"),
            task="refer" if severe else "follow_up",
            due_days=1 if severe else 30,
        )
