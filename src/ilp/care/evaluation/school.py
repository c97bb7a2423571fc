"""School age and adolescents (package ``school``): BMI-for-age and height-for-age,
anaemia, weekly iron for girls, SRQ-20 from 15 years and smoking.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from ilp.care.evaluation import ages
from ilp.care.evaluation.adult import evaluate_smoking, evaluate_srq20
from ilp.care.evaluation.child import child_growth
from ilp.care.evaluation.common import action_text, alert_text, check_previous, supplies
from ilp.care.evaluation.history import History
from ilp.care.evaluation.outcome import Evaluation
from ilp.care.evaluation.vitals import evaluate_anaemia
from ilp.people.models import Person


def evaluate_school(
    ev: Evaluation, person: Person, on: date, months: int, history: History
) -> None:
    if months not in ages.SCHOOL:
        ev.error("package", _("Layanan usia sekolah untuk umur 5–18 tahun."))
        return
    check_previous(ev, on, False, history, person)
    child_growth(ev, person, on, months, school=True)
    evaluate_anaemia(ev, person, months)
    if person.sex == "F" and months in ages.TEEN_IRON and not ev.values.get("iron_tablets"):
        ev.alert(
            "warning",
            alert_text("teen_iron"),
            action_text("give_iron_weekly"),
        )
    evaluate_srq20(ev, months)
    evaluate_smoking(ev)
    supplies(ev, person, months)
