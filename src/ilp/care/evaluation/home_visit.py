"""Home visits (package ``home_visit``): whether the person was met, a finding, weight, blood
pressure for adults and temperature; not met or refused opens another home-visit task.
"""

from __future__ import annotations

from datetime import date

from ilp.care.evaluation import ages
from ilp.care.evaluation.common import FEVER_C, action_text, alert_text, check_previous
from ilp.care.evaluation.history import History
from ilp.care.evaluation.outcome import Evaluation
from ilp.care.evaluation.vitals import evaluate_blood_pressure
from ilp.people.models import Person


def evaluate_home_visit(
    ev: Evaluation, person: Person, on: date, months: int, history: History
) -> None:
    grown_up = months in ages.GROWN_UP
    check_previous(ev, on, grown_up, history, person)
    if grown_up:
        evaluate_blood_pressure(ev)
    v = ev.values
    if v.get("temperature") is not None and v["temperature"] >= FEVER_C:
        ev.alert(
            "warning",
            alert_text("fever", t=v["temperature"]),
            action_text("refer"),
            task="refer",
            due_days=1,
        )
    if v.get("visit_result") in ("not_home", "refused"):
        ev.alert(
            "warning",
            alert_text("not_met"),
            action_text("home_visit_again"),
            task="home_visit",
            due_days=7,
        )
