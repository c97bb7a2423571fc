"""What earlier records say about a person, read once before evaluating a package.

`load_history` runs a few queries (none per value): the last weights and height, the ongoing
or last pregnancy and its ANC visits, the immunisation doses, this month's vitamin A.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ilp.care.models import Encounter, ImmunizationRecord, Observation, Supply
from ilp.care.services import plausibility as P
from ilp.people.models import Person, Pregnancy, PregnancyOutcome


@dataclass
class History:
    """What earlier records say, read before evaluating (a few queries, none per value)."""

    weights: list[tuple[date, float]] = field(default_factory=list)
    last_height: P.Previous | None = None
    pregnancy: Pregnancy | None = None
    anc_visits: set[int] = field(default_factory=set)
    doses: list[tuple[str, date, bool]] = field(default_factory=list)
    vitamin_a_this_month: bool = False


def load_history(
    person: Person, on: date, package: str, *, pregnancy: Pregnancy | None = None
) -> History:
    """Read the earlier measurements and episodes the package's checks need."""
    h = History()
    if package in ("child", "school", "adult", "elderly", "anc", "newborn", "home_visit"):
        rows = (
            Observation.objects.active()
            .filter(person=person, code__in=("weight", "height"), date__lt=on)
            .order_by("-date", "-pk")
            .values_list("code", "date", "value", "loinc")[:12]
        )
        for code, when, value, loinc in rows:
            if value is None:
                continue
            if code == "weight":
                h.weights.append((when, value))
            elif h.last_height is None:
                h.last_height = P.Previous(when, value, lying=loinc == P.LOINC_LENGTH_LYING)
    if package == "anc":
        h.pregnancy = pregnancy or (
            Pregnancy.objects.active()
            .filter(person=person, outcome=PregnancyOutcome.ONGOING)
            .first()
        )
        if h.pregnancy is not None:
            h.anc_visits = set(
                Encounter.objects.active()
                .filter(pregnancy=h.pregnancy, package="anc", visit_number__isnull=False)
                .values_list("visit_number", flat=True)
            )
    elif package in ("postpartum", "delivery"):
        h.pregnancy = pregnancy or (
            Pregnancy.objects.active().filter(person=person).order_by("-edd").first()
        )
    if package == "immunization":
        h.doses = list(
            ImmunizationRecord.objects.active()
            .filter(person=person)
            .values_list("dose_code", "date", "valid")
        )
    if package == "child" and on.month in (2, 8):
        h.vitamin_a_this_month = (
            Supply.objects.active()
            .filter(
                person=person,
                item__in=("vita_blue", "vita_red"),
                date__year=on.year,
                date__month=on.month,
            )
            .exists()
        )
    return h
