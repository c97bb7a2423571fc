"""Evaluating one package: validate a form's values and compute what the health worker sees.

`evaluate_package` writes nothing. It parses and checks every value (impossible → ``errors``;
unusual → ``warnings``, which need confirmation), runs the package's evaluator (one module per
life stage, listed in `EVALUATORS`), which calls the rules of :mod:`ilp.standards`, and
returns the results and alerts shown on the form. `encounter_record` calls the same code and
stores what it returned.

The value keys of each package are its registry entry (`ilp.care.evaluation.registry`); their
types, labels and limits are in `ilp.care.evaluation.fields`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.care.evaluation import parse
from ilp.care.evaluation.adult import evaluate_adult
from ilp.care.evaluation.child import evaluate_child
from ilp.care.evaluation.elderly import evaluate_elderly
from ilp.care.evaluation.history import History, load_history
from ilp.care.evaluation.home_visit import evaluate_home_visit
from ilp.care.evaluation.immunization import evaluate_immunization
from ilp.care.evaluation.maternal import (
    evaluate_anc,
    evaluate_delivery,
    evaluate_newborn,
    evaluate_postpartum,
)
from ilp.care.evaluation.outcome import Evaluation
from ilp.care.evaluation.registry import ALLOWED, PACKAGES
from ilp.care.evaluation.school import evaluate_school
from ilp.care.services import plausibility as P
from ilp.people.models import Person
from ilp.standards.lifestage import completed_months

Evaluator = Callable[[Evaluation, Person, date, int, History], None]

EVALUATORS: dict[str, Evaluator] = {
    "anc": evaluate_anc,
    "delivery": evaluate_delivery,
    "postpartum": evaluate_postpartum,
    "newborn": evaluate_newborn,
    "child": evaluate_child,
    "immunization": evaluate_immunization,
    "school": evaluate_school,
    "adult": evaluate_adult,
    "elderly": evaluate_elderly,
    "home_visit": evaluate_home_visit,
}


def _today() -> date:
    return timezone.localdate()


def evaluate_package(
    *, person: Person, on: date, package: str, values: dict[str, Any], confirmed: bool = False
) -> Evaluation:
    """Check a package's values for `person` on `on` and compute its results; writes nothing.

    Unusual values (``warnings``) not yet ``confirmed`` are not classified: the evaluation
    then carries no results, alerts or tasks (a 102 kg typo for a toddler is not shown as
    "Obesitas")."""
    history = load_history(person, on, package) if package in PACKAGES else History()
    ev = evaluate(person=person, on=on, package=package, values=values, history=history)
    if not confirmed:
        ev.withhold_unconfirmed()
    return ev


def evaluate(
    *, person: Person, on: date, package: str, values: dict[str, Any], history: History
) -> Evaluation:
    """`evaluate_package` with the history already read (encounter_record reads it once)."""
    ev = Evaluation()
    if package not in PACKAGES:
        ev.error("package", _("Layanan tidak dikenal."))
        return ev
    P.check_date(on, person.birth_date, _today(), person.deceased_on, ev.errors)
    ev.values = P.clean_values(dict(values or {}), ALLOWED[package], ev.errors)
    parse.normalise_answers(ev.values, ev.errors)
    P.check_blood_pressure(ev.values, ev.errors)
    if ev.errors.get("on"):
        return ev
    months = completed_months(person.birth_date, on)
    EVALUATORS[package](ev, person, on, months, history)
    return ev
