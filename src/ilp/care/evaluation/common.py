"""Pieces every life stage's evaluator uses: alert texts, range errors, the comparison with
the last measurement, yes/no questionnaires, TB results and supplies given.

Local decision: fever is a temperature of 38.0 °C or more (Buku KIA; Buku Bagan MTBS).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from ilp.care.evaluation import ages
from ilp.care.evaluation.history import History
from ilp.care.evaluation.outcome import Evaluation
from ilp.care.services import plausibility as P
from ilp.care.texts import rule_class
from ilp.core.texts import Text
from ilp.people.models import Person
from ilp.standards.result import OutOfRange, RuleResult

FEVER_C = 38.0


def alert_text(name: str, **params: Any) -> Text:
    return Text(f"care.alert.{name}", params)


def action_text(name: str, **params: Any) -> Text:
    return Text(f"care.action.{name}", params)


def out_of_range(ev: Evaluation, key: str, exc: OutOfRange) -> None:
    ev.error(
        key,
        _("Nilai %(value)s di luar rentang yang mungkin (%(low)s–%(high)s).")
        % {"value": exc.value, "low": exc.low, "high": exc.high},
    )


def check_previous(ev: Evaluation, on: date, adult: bool, history: History, person: Person) -> None:
    v = ev.values
    lying = v.get("measured") == "lying"
    previous_weight = None
    if history.weights:
        d, w = max(history.weights, key=lambda x: x[0])
        previous_weight = P.Previous(d, w)
    P.check_against_previous(
        on=on,
        adult=adult,
        weight=v.get("weight"),
        height=v.get("height"),
        lying=lying,
        previous_weight=previous_weight,
        previous_height=history.last_height,
        errors=ev.errors,
        warnings=ev.warnings,
        sex=person.sex,
        birth=person.birth_date,
    )


def bool_answers(
    ev: Evaluation, key: str, raw: Any, names: tuple[str, ...]
) -> dict[str, bool] | None:
    if not isinstance(raw, dict) or any(k not in names for k in raw):
        ev.error(key, _("Jawaban kuesioner tidak lengkap atau tidak dikenal."))
        return None
    out = {}
    for name in names:
        value = raw.get(name, False)
        if not isinstance(value, bool):
            ev.error(key, _("Jawaban kuesioner harus ya atau tidak."))
            return None
        out[name] = value
    return out


def tb_result(ev: Evaluation, rule: RuleResult, answers: dict[str, bool]) -> None:
    abnormal = rule.code != "not_presumptive"
    ev.result("tb", rule, abnormal=abnormal, screening={"answers": answers})
    if rule.code == "presumptive_tb":
        ev.alert(
            "warning",
            rule_class(rule),
            action_text("refer_tcm"),
            task="refer",
            due_days=7,
        )
    elif abnormal:
        ev.alert(
            "warning",
            rule_class(rule),
            action_text("contact_investigation"),
            task="follow_up",
            due_days=14,
        )


def supplies(ev: Evaluation, person: Person, months: int) -> None:
    tablets = ev.values.get("iron_tablets")
    if tablets:
        ev.supplies["ttd"] = ev.supplies.get("ttd", 0) + tablets
    if ev.values.get("vitamin_a"):
        if months < ages.VITAMIN_A.low:
            ev.error("vitamin_a", _("Vitamin A diberikan mulai umur 6 bulan."))
        else:
            item = "vita_blue" if months in ages.VITAMIN_A_BLUE else "vita_red"
            ev.supplies[item] = ev.supplies.get(item, 0) + 1
