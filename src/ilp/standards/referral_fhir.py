"""How a referral maps onto FHIR R4 ``ServiceRequest`` and ``Task`` codes, so the later
SATUSEHAT interface (DOMAIN.md §8) maps ILP's referral API directly.

Sources:
- HL7 FHIR R4 (4.0.1) ServiceRequest: ``status`` is bound (required) to the value set
  *RequestStatus* (http://hl7.org/fhir/R4/valueset-request-status.html: draft, active,
  on-hold, revoked, completed, entered-in-error, unknown), ``intent`` to *RequestIntent*
  (``order``: "the request represents a request/demand and authorization for action by a
  Practitioner"), ``priority`` to *RequestPriority*
  (http://hl7.org/fhir/R4/valueset-request-priority.html: routine < urgent < asap < stat,
  stat "an emergency"), ``reasonCode`` a CodeableConcept.
- HL7 FHIR R4 Task: ``status`` bound to *TaskStatus*
  (http://hl7.org/fhir/R4/valueset-task-status.html: requested, received, accepted, rejected,
  ready, cancelled, in-progress, on-hold, failed, completed, entered-in-error) and
  ``businessStatus`` a free CodeableConcept ("the current status of the task" in the
  business's own terms — here the ILP state).
- SATUSEHAT identifier and code systems (DOMAIN.md §8.3, §8.5): NIK
  ``https://fhir.kemkes.go.id/id/nik``; ICD-10 ``http://hl7.org/fhir/sid/icd-10``.

Choices (ILP's, not the standard's):
- ServiceRequest.status: the request is ``active`` while the receiver has not answered
  (created, departed, received, handled), ``completed`` once answered (answered, closed),
  ``revoked`` when it ended before its answer (refused, redirected, cancelled, not arrived),
  and ``entered-in-error`` when it was cancelled as a wrong entry.
- Task.status: created and departed ``requested`` (the receiver has not taken it on),
  received ``received``, handled ``in-progress``, answered and closed ``completed``, refused
  and redirected ``rejected`` (the performer declined; a redirect opens a new request that
  ``replaces`` this one), cancelled ``cancelled`` (a wrong entry ``entered-in-error``), not
  arrived ``failed``.
- priority: an emergency ``stat``; maternal and neonatal referrals (awaited within hours,
  the same urgency in the incoming list) ``asap``; planned and back referrals ``routine``.
"""

from __future__ import annotations

from ilp.standards import referral as rules

NIK_SYSTEM = "https://fhir.kemkes.go.id/id/nik"
ICD10_SYSTEM = "http://hl7.org/fhir/sid/icd-10"
INTENT = "order"

REQUEST_STATUS: dict[str, str] = {
    rules.CREATED: "active",
    rules.DEPARTED: "active",
    rules.RECEIVED: "active",
    rules.HANDLED: "active",
    rules.ANSWERED: "completed",
    rules.CLOSED: "completed",
    rules.REFUSED: "revoked",
    rules.REDIRECTED: "revoked",
    rules.CANCELLED: "revoked",
    rules.NOT_ARRIVED: "revoked",
}

TASK_STATUS: dict[str, str] = {
    rules.CREATED: "requested",
    rules.DEPARTED: "requested",
    rules.RECEIVED: "received",
    rules.HANDLED: "in-progress",
    rules.ANSWERED: "completed",
    rules.CLOSED: "completed",
    rules.REFUSED: "rejected",
    rules.REDIRECTED: "rejected",
    rules.CANCELLED: "cancelled",
    rules.NOT_ARRIVED: "failed",
}

PRIORITY: dict[str, str] = {
    "emergency": "stat",
    "maternal": "asap",
    "neonatal": "asap",
    "planned": "routine",
    "back": "routine",
}

# The end reason that makes a cancelled referral a record made in error.
WRONG_ENTRY = "wrong_entry"


def request_status(state: str, end_reason: str = "") -> str:
    """ServiceRequest.status of a referral in `state` (ended for `end_reason`)."""
    if state == rules.CANCELLED and end_reason == WRONG_ENTRY:
        return "entered-in-error"
    return REQUEST_STATUS[state]


def task_status(state: str, end_reason: str = "") -> str:
    """Task.status of a referral in `state` (ended for `end_reason`)."""
    if state == rules.CANCELLED and end_reason == WRONG_ENTRY:
        return "entered-in-error"
    return TASK_STATUS[state]


def priority(kind: str) -> str:
    """ServiceRequest.priority of a referral of `kind`."""
    return PRIORITY[kind]
