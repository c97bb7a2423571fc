"""Tests of the referrals app; `flagged_encounter` is shared with the browser test."""

from __future__ import annotations

from datetime import date

from ilp.care.models import Encounter

# A danger sign as the maternal evaluation stores it (ilp.care.evaluation.maternal).
BLEEDING = {
    "level": "danger",
    "code": "care.alert.bleeding",
    "params": {},
    "action_code": "care.action.refer_hospital_now",
    "action_params": {},
}


def flagged_encounter(person, facility, on: date, place_kind: str = "posyandu") -> Encounter:
    """An ANC encounter of `person` at `facility` whose evaluation flagged bleeding."""
    return Encounter.objects.create(
        person=person,
        date=on,
        place_kind=place_kind,
        facility=facility,
        cluster="k2",
        package="anc",
        alerts=[BLEEDING],
    )
