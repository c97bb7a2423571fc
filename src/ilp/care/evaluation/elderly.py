"""The elderly (package ``elderly``): the productive-age screening plus SKILAS (ICOPE step 1)
and the Barthel index of independence (`ilp.standards.elderly`).
"""

from __future__ import annotations

from datetime import date
from typing import cast

from django.utils.translation import gettext as _

from ilp.care.evaluation import ages
from ilp.care.evaluation import questionnaires as Q
from ilp.care.evaluation.adult import evaluate_adult
from ilp.care.evaluation.common import action_text, bool_answers, out_of_range
from ilp.care.evaluation.history import History
from ilp.care.evaluation.outcome import Evaluation
from ilp.care.texts import rule_class, rule_reason
from ilp.people.models import Person
from ilp.standards import elderly
from ilp.standards.result import OutOfRange


def evaluate_elderly(
    ev: Evaluation, person: Person, on: date, months: int, history: History
) -> None:
    if months not in ages.ELDERLY:
        ev.error("package", _("Skrining lansia untuk umur 60 tahun ke atas."))
        return
    evaluate_adult(ev, person, on, months, history)
    raw = ev.values.get("skilas")
    if raw is not None:
        answers = bool_answers(ev, "skilas", raw, Q.SKILAS.codes)
        if answers is not None:
            try:
                rule = elderly.screen_skilas(muac_cm=ev.values.get("muac"), **answers)
            except OutOfRange as exc:
                out_of_range(ev, "muac", exc)
            else:
                abnormal = rule.code == "refer"
                ev.result("skilas", rule, abnormal=abnormal, screening={"answers": answers})
                if abnormal:
                    ev.alert(
                        "warning",
                        rule_reason(rule) or rule_class(rule),
                        action_text("refer"),
                        task="refer",
                        due_days=14,
                    )
    raw = ev.values.get("barthel")
    if raw is not None:
        if not isinstance(raw, dict):
            ev.error("barthel", _("Isi sepuluh butir indeks Barthel."))
            return
        try:
            rule = elderly.score_barthel(
                cast(dict[str, int], {k: raw.get(k) for k in elderly.BARTHEL_ITEMS})
                if set(raw) <= set(elderly.BARTHEL_ITEMS)
                else raw
            )
        except OutOfRange as exc:
            ev.error(
                "barthel",
                _("Butir %(f)s: nilai %(v)s di luar 0–%(h)s.")
                % {"f": exc.field.removeprefix("barthel."), "v": exc.value, "h": exc.high},
            )
            return
        except ValueError:
            ev.error("barthel", _("Isi sepuluh butir indeks Barthel."))
            return
        abnormal = rule.code != "independent"
        ev.result(
            "barthel",
            rule,
            abnormal=abnormal,
            screening={"answers": dict(raw)},
        )
        if rule.details.get("home_care"):
            ev.alert(
                "warning",
                rule_class(rule),
                action_text("home_care"),
                task="home_visit",
                due_days=14,
            )
