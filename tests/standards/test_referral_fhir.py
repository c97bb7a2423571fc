"""``ilp.standards.referral_fhir``: every state and kind has its FHIR code, each one a member
of the R4 value set it is bound to; a cancellation as a wrong entry is entered-in-error."""

from __future__ import annotations

import pytest

from ilp.standards import referral as rules
from ilp.standards import referral_fhir as fhir

# HL7 FHIR R4 value sets (request-status, task-status, request-priority).
REQUEST_STATUS = {
    "draft",
    "active",
    "on-hold",
    "revoked",
    "completed",
    "entered-in-error",
    "unknown",
}
TASK_STATUS = {
    "draft",
    "requested",
    "received",
    "accepted",
    "rejected",
    "ready",
    "cancelled",
    "in-progress",
    "on-hold",
    "failed",
    "completed",
    "entered-in-error",
}
PRIORITY = {"routine", "urgent", "asap", "stat"}


@pytest.mark.parametrize("state", rules.STATES)
def test_every_state_has_codes_of_the_value_sets(state):
    assert fhir.request_status(state) in REQUEST_STATUS
    assert fhir.task_status(state) in TASK_STATUS


def test_the_mapping():
    assert [fhir.request_status(s) for s in rules.STATES] == [
        "active",
        "active",
        "active",
        "active",
        "completed",
        "completed",
        "revoked",
        "revoked",
        "revoked",
        "revoked",
    ]
    assert [fhir.task_status(s) for s in rules.STATES] == [
        "requested",
        "requested",
        "received",
        "in-progress",
        "completed",
        "completed",
        "rejected",
        "rejected",
        "cancelled",
        "failed",
    ]


def test_wrong_entry_is_entered_in_error():
    assert fhir.request_status("cancelled", "wrong_entry") == "entered-in-error"
    assert fhir.task_status("cancelled", "wrong_entry") == "entered-in-error"
    assert fhir.request_status("cancelled", "person_declined") == "revoked"
    assert fhir.task_status("refused", "wrong_entry") == "rejected"


def test_priority_by_kind():
    kinds = ("emergency", "maternal", "neonatal", "planned", "back")
    assert [fhir.priority(k) for k in kinds] == ["stat", "asap", "asap", "routine", "routine"]
    assert set(fhir.PRIORITY.values()) <= PRIORITY
