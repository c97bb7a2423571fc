"""JSON API of referrals: the list (``GET /api/v1/referrals``), one referral
(``GET /api/v1/referrals/{id}``), a new one (``POST /api/v1/referrals``) and a step on one
(``POST /api/v1/referrals/{id}/events``), so a hospital's system can receive, answer,
refuse or redirect the referrals sent to it.

Scope as the pages (``ilp.accounts.access.referral_scope_q``): the sending side the referrals
from the facilities it records at, the receiving side those sent to its facility, the dinkes
administrator every one from or to a facility of the district (reads only); every other role
403. One referral outside the caller's scope answers 404, as one that does not exist. Every
read is audited (the list as one event naming every person listed, one referral as a view of
it); writes go through ``ilp.referrals.services`` (its checks, messages and audit).

Writes answer the service's errors in the API's one envelope: 422 ``invalid`` with messages
per field (in the request's language), 403 ``forbidden`` (not the caller's side or facility),
409 ``invalid_transition`` (a step out of order), ``referral_ended`` (it already ended) and
``state_changed`` (someone changed it since the caller read it: the state sent as
``expected_state`` is not the current one, or another change won the race).

FHIR mapping (R4 ``ServiceRequest`` with its ``Task``; codes in ``ilp.standards.referral_fhir``,
which cites the value sets). The detail's FHIR-named fields map one to one:

==================  ===========================================================================
field               FHIR element
==================  ===========================================================================
``id``              ServiceRequest.identifier (ILP's UUID; the SATUSEHAT id comes on sending)
``status``          ServiceRequest.status (active, completed, revoked, entered-in-error)
``intent``          ServiceRequest.intent, always ``order``
``priority``        ServiceRequest.priority from the kind (stat, asap, routine)
``subject``         ServiceRequest.subject: a Patient reference, ``identifier`` the NIK
                    (system ``https://fhir.kemkes.go.id/id/nik``) only for a caller who may
                    see it (``may_see_referred_nik``), else null
``requester``       ServiceRequest.requester: the sending Organization (facility code)
``performer``       ServiceRequest.performer[0]: the receiving Organization (facility code)
``reasonCode``      ServiceRequest.reasonCode: ICD-10 (``http://hl7.org/fhir/sid/icd-10``) code
                    and WHO's title, ``text`` the reason written by the sender
``authoredOn``      ServiceRequest.authoredOn: when it was decided to refer (``decided_at``)
``replaces``        ServiceRequest.replaces: the redirected leg this one continues (``previous``)
``taskStatus``      Task.status (requested, received, in-progress, completed, rejected, …)
``businessStatus``  Task.businessStatus: ILP's state (``state``) with its label
``statusReason``    Task.statusReason: why it ended (refused, redirected, cancelled, not
                    arrived): the reason code, its label and the note
``output``          Task.output: the receiver's answer (diagnosis as ICD-10, care, advice,
                    rujuk balik plan); null until answered
``history``         Task history (one entry per step): action, state from → to, ``at`` (when
                    it happened), ``recorded_at``, ``by`` (username)
==================  ===========================================================================

Codings carry no ``system`` for ILP's own codes (state, reason): the SATUSEHAT interface
assigns them. The list's fields (``id``, ``person``, ``from_facility``, ``to_facility``,
``kind``, ``state``, ``diagnosis``, ``previous`` and the timestamps) are in the detail too,
with the same values.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, cast, get_args
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import AfterValidator, ConfigDict, Field

from ilp.accounts.access import (
    can_send_referrals,
    can_use_referrals,
    client_ip,
    may_see_referred_nik,
    person_scope_q,
)
from ilp.accounts.audit import audit_bulk_view, audit_record
from ilp.accounts.models import Role, User
from ilp.care.selectors import encounter_for_user
from ilp.core.exceptions import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from ilp.people.models import Person
from ilp.places.api import ERRORS_READ, ErrorOut, Text
from ilp.places.models import Facility
from ilp.referrals import selectors, services
from ilp.referrals.models import (
    END_REASONS,
    EndReason,
    Referral,
    ReferralAction,
    ReferralEvent,
    ReferralKind,
    ReferralState,
)
from ilp.standards import icd10
from ilp.standards import referral as rules
from ilp.standards import referral_fhir as fhir

router = Router(tags=["referrals"])

ERRORS_WRITE = {**ERRORS_READ, 409: ErrorOut}

State = Literal[
    "created",
    "departed",
    "received",
    "handled",
    "answered",
    "closed",
    "refused",
    "redirected",
    "cancelled",
    "not_arrived",
]
Kind = Literal["emergency", "maternal", "neonatal", "planned", "back"]
Action = Literal[
    "depart",
    "receive",
    "handle",
    "answer",
    "close",
    "refuse",
    "redirect",
    "cancel",
    "not_arrive",
]
Reason = Literal[
    "no_bed",
    "no_icu",
    "no_competence",
    "no_equipment",
    "condition_improved",
    "person_declined",
    "died",
    "went_elsewhere",
    "wrong_entry",
    "other",
]
Transport = Literal["ambulance", "desa_vehicle", "private", "public", "on_foot", "other"]
Companion = Literal["none", "family", "kader", "midwife", "nurse", "doctor"]


# ---------------------------------------------------------------------------------------------
# Shapes


class ReferralOut(Schema):
    id: str = Field(description="The referral's UUID")
    person: str = Field(description="The referred person's UUID")
    from_facility: str = Field(description="Code of the sending facility")
    to_facility: str = Field(description="Code of the receiving facility")
    kind: Kind
    state: State
    diagnosis: str = Field(description="WHO ICD-10 code (e.g. O14.1), or ''")
    previous: str | None = Field(description="UUID of the redirected leg this one continues")
    detected_at: datetime
    decided_at: datetime
    departed_at: datetime | None
    received_at: datetime | None
    handled_at: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None
    ended_at: datetime | None = Field(
        description="When it was refused, redirected, cancelled or marked not arrived"
    )


class CodingOut(Schema):
    system: str | None = Field(description="Code system URI; null for ILP's own codes")
    code: str
    display: str


class ConceptOut(Schema):
    coding: list[CodingOut]
    text: str


class IdentifierOut(Schema):
    system: str | None = Field(description="null for ILP's facility codes")
    value: str


class PatientRefOut(Schema):
    type: Literal["Patient"]
    id: str = Field(description="ILP's person UUID (the list's `person`)")
    identifier: IdentifierOut | None = Field(
        description="The NIK, only when the caller may see it (the receiving side, or the "
        "person within the caller's area)"
    )
    display: str = Field(description="The person's name")


class OrganizationRefOut(Schema):
    type: Literal["Organization"]
    identifier: IdentifierOut = Field(description="The facility code")
    display: str


class AnswerOut(Schema):
    diagnosis: ConceptOut | None = Field(description="Final diagnosis (ICD-10)")
    care: str
    advice: str
    back_referral_plan: str = Field(description="Rujuk balik plan")


class HistoryOut(Schema):
    action: Literal["create", Action]
    action_label: str
    from_state: State | Literal[""] = Field(description="Empty for the creation")
    to_state: State
    at: datetime = Field(description="When it happened")
    recorded_at: datetime = Field(description="When it was recorded")
    by: str | None = Field(description="Username of who recorded it")
    note: str
    reason: Reason | None = Field(description="End reason code (refuse, redirect, cancel, …)")
    redirect_to: str | None = Field(description="Facility code a redirect sent the person to")
    onward: str | None = Field(description="UUID of the leg a redirect opened")


class ReferralDetailOut(ReferralOut):
    onward: str | None = Field(description="UUID of the leg a redirect of this one opened")
    reason: str = Field(description="Why the person is referred (the sender's words)")
    care_given: str
    transport: Transport | Literal[""]
    accompanied_by: Companion | Literal[""]
    status: Literal["active", "completed", "revoked", "entered-in-error"]
    intent: Literal["order"]
    priority: Literal["routine", "urgent", "asap", "stat"]
    subject: PatientRefOut
    requester: OrganizationRefOut
    performer: list[OrganizationRefOut]
    reasonCode: list[ConceptOut]  # noqa: N815 - the FHIR element's name
    authoredOn: datetime  # noqa: N815
    replaces: list[str] = Field(description="UUID of the leg this one continues, if any")
    taskStatus: str  # noqa: N815
    businessStatus: ConceptOut  # noqa: N815
    statusReason: ConceptOut | None  # noqa: N815
    output: AnswerOut | None
    history: list[HistoryOut]


class ReferralsIn(Schema):
    state: State | None = None


class _Input(Schema):
    model_config = ConfigDict(extra="forbid")


def _aware(value: datetime) -> datetime:
    # A time without an offset is the district's local time, as the web forms read it.
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


When = Annotated[datetime, AfterValidator(_aware)]


class ReferralIn(_Input):
    """A new referral (the web form's fields). The person within the caller's area (a
    hospital: a person referred to it), facilities by code."""

    person: UUID = Field(description="The person's UUID")
    from_facility: str | None = Field(
        None, max_length=32, description="Code of the sending facility (default: the caller's)"
    )
    to_facility: str = Field(max_length=32, description="Code of the receiving facility")
    kind: Kind
    reason: Text = Field(max_length=4000, description="Why the person is referred")
    diagnosis: str = Field("", max_length=16, description="WHO ICD-10 code, e.g. O14.1")
    encounter: UUID | None = Field(None, description="The encounter whose findings triggered it")
    detected_at: When | None = Field(None, description="When the finding was made")
    decided_at: When | None = Field(None, description="When it was decided to refer (now)")
    care_given: Text = Field("", max_length=4000, description="Care given before transfer")
    transport: Transport | Literal[""] = ""
    accompanied_by: Companion | Literal[""] = ""


class AnswerIn(_Input):
    diagnosis: str = Field("", max_length=16, description="Final diagnosis, WHO ICD-10 code")
    care: Text = Field("", max_length=4000, description="Care given (required)")
    advice: Text = Field("", max_length=4000)
    back_referral_plan: Text = Field("", max_length=4000, description="Rujuk balik plan")


class EventIn(_Input):
    """One step. The sender: depart, close, cancel; the receiver: receive, handle, answer
    (with `answer`), refuse, redirect (with `redirect_to`), not_arrive. Ends need a `reason`
    (`other` with a `note`)."""

    action: Action
    at: When | None = Field(None, description="When it happened (default now; not in the future)")
    expected_state: State | None = Field(
        None, description="The state the caller read: another one now answers 409 state_changed"
    )
    reason: Reason | Literal[""] = Field("", description="End reason code")
    note: Text = Field("", max_length=4000)
    redirect_to: str | None = Field(None, max_length=32, description="Facility code")
    answer: AnswerIn | None = None


# ---------------------------------------------------------------------------------------------
# Conversions


def _coding(system: str | None, code: str, display: str) -> CodingOut:
    return CodingOut(system=system, code=code, display=display)


def _icd10(code: str, text: str = "") -> ConceptOut | None:
    if not code:
        return None
    title = icd10.description(code)
    return ConceptOut(coding=[_coding(fhir.ICD10_SYSTEM, code, title)], text=text or title)


def _organization(facility: Facility) -> OrganizationRefOut:
    return OrganizationRefOut(
        type="Organization",
        identifier=IdentifierOut(system=None, value=facility.code),
        display=facility.name,
    )


def _list_fields(r: Referral) -> dict[str, Any]:
    return {
        "id": str(r.uuid),
        "person": str(r.person.uuid),
        "from_facility": r.from_facility.code,
        "to_facility": r.to_facility.code,
        "kind": r.kind,
        "state": r.state,
        "diagnosis": r.diagnosis_code,
        "previous": str(r.previous.uuid) if r.previous is not None else None,
        **r.stamps(),
    }


def _out(r: Referral) -> ReferralOut:
    return ReferralOut(**_list_fields(r))


def _history(e: ReferralEvent) -> HistoryOut:
    detail = e.detail or {}
    return HistoryOut(
        action=cast(Any, e.action),
        action_label=str(ReferralAction(e.action).label),
        from_state=cast(Any, e.from_state),
        to_state=cast(State, e.to_state),
        at=e.occurred_at,
        recorded_at=e.recorded_at,
        by=e.by.username if e.by is not None else None,
        note=e.note,
        reason=detail.get("reason") or None,
        redirect_to=detail.get("redirect_to") or None,
        onward=detail.get("onward") or None,
    )


def _detail(user: User, r: Referral) -> ReferralDetailOut:
    """The referral with its FHIR-shaped fields and history (three queries besides the
    referral: history, onward leg, and the person's scope unless the caller receives it)."""
    onward = selectors.onward_of(r)
    person = r.person
    nik = person.nik if person.nik and may_see_referred_nik(user, r) else ""
    ended = r.end_reason and r.state in (
        ReferralState.REFUSED,
        ReferralState.REDIRECTED,
        ReferralState.CANCELLED,
        ReferralState.NOT_ARRIVED,
    )
    state_label = str(ReferralState(r.state).label)
    answered = r.answered_at is not None
    return ReferralDetailOut(
        **_list_fields(r),
        onward=str(onward.uuid) if onward is not None else None,
        reason=r.reason,
        care_given=r.care_given,
        transport=cast(Any, r.transport),
        accompanied_by=cast(Any, r.accompanied_by),
        status=cast(Any, fhir.request_status(r.state, r.end_reason)),
        intent="order",
        priority=cast(Any, fhir.priority(r.kind)),
        subject=PatientRefOut(
            type="Patient",
            id=str(person.uuid),
            identifier=IdentifierOut(system=fhir.NIK_SYSTEM, value=nik) if nik else None,
            display=person.full_name,
        ),
        requester=_organization(r.from_facility),
        performer=[_organization(r.to_facility)],
        reasonCode=[_icd10(r.diagnosis_code, r.reason) or ConceptOut(coding=[], text=r.reason)],
        authoredOn=r.decided_at,
        replaces=[str(r.previous.uuid)] if r.previous is not None else [],
        taskStatus=fhir.task_status(r.state, r.end_reason),
        businessStatus=ConceptOut(coding=[_coding(None, r.state, state_label)], text=state_label),
        statusReason=ConceptOut(
            coding=[_coding(None, r.end_reason, str(EndReason(r.end_reason).label))],
            text=r.end_note or str(EndReason(r.end_reason).label),
        )
        if ended
        else None,
        output=AnswerOut(
            diagnosis=_icd10(r.answer_diagnosis_code),
            care=r.answer_care,
            advice=r.answer_advice,
            back_referral_plan=r.back_referral_plan,
        )
        if answered
        else None,
        history=[_history(e) for e in selectors.history(r)],
    )


def _require_reader(user: User) -> None:
    if not can_use_referrals(user):
        raise PermissionDenied(_("Peran Anda tidak dapat membaca rujukan."))


def _get(user: User, raw: str) -> Referral:
    try:
        uuid = UUID(raw)
    except ValueError:
        raise NotFound(_("Rujukan tidak ditemukan.")) from None
    return selectors.referral_get(user, uuid)


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _facility(field: str, code: str) -> Facility:
    found = Facility.objects.filter(code=code).first()
    if found is None:
        raise _invalid(field, _("Fasilitas dengan kode %(code)s tidak dikenal.") % {"code": code})
    return found


def _renamed(exc: ApplicationError, names: dict[str, str]) -> ApplicationError:
    """The service names its fields as the model does; the API's input names them its way."""
    if exc.fields:
        renamed: dict[str, list[str]] = {}
        for key, messages in exc.fields.items():
            renamed.setdefault(names.get(key, key), []).extend(messages)
        exc.fields = renamed
    return exc


# The service's field names → this API's (the rest are the same).
CREATE_FIELDS = {"diagnosis_code": "diagnosis"}
EVENT_FIELDS = {
    "occurred_at": "at",
    "end_reason": "reason",
    "answer_diagnosis_code": "answer.diagnosis",
    "answer_care": "answer.care",
    "answer_advice": "answer.advice",
    "back_referral_plan": "answer.back_referral_plan",
}


# The fields that belong to some actions only: sent with another, they would be dropped.
ACTION_ONLY: dict[str, frozenset[str]] = {
    "answer": frozenset({"answer"}),
    "redirect_to": frozenset({"redirect"}),
    "reason": frozenset(END_REASONS),
}


def _refuse_unused(body: EventIn) -> None:
    """Refuse a field the action does not take (an answer sent with `handle`), rather than
    drop what the client meant to record."""
    fields: dict[str, list[str]] = {}
    for field, actions in ACTION_ONLY.items():
        if getattr(body, field) and body.action not in actions:
            allowed = ", ".join(a for a in rules.ACTIONS if a in actions)
            fields[field] = [
                _("Isian ini hanya untuk tindakan: %(actions)s.") % {"actions": allowed}
            ]
    if fields:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), fields=fields)


# ---------------------------------------------------------------------------------------------
# Endpoints


@router.get("", response={200: list[ReferralOut], **ERRORS_READ})
def referral_list(request: HttpRequest, filters: Query[ReferralsIn]) -> list[ReferralOut]:
    """The referrals the caller reads, newest decision first."""
    user = cast(User, request.user)
    _require_reader(user)
    found = selectors.referrals_for(user).select_related("previous").order_by("-decided_at", "-pk")
    if filters.state:
        found = found.filter(state=filters.state)
    rows = list(found)
    audit_bulk_view(
        user=user,
        object_type="referral",
        person_ids=[r.person_id for r in rows],
        ip=client_ip(request),
        detail={"api": "referrals"},
    )
    return [_out(r) for r in rows]


@router.get("/{referral_id}", response={200: ReferralDetailOut, **ERRORS_READ})
def referral_detail(request: HttpRequest, referral_id: str) -> ReferralDetailOut:
    """One referral the caller reads (404 outside their scope), FHIR-shaped, with its
    history; audited as the page is."""
    user = cast(User, request.user)
    _require_reader(user)
    referral = _get(user, referral_id)
    audit_record(
        user=user,
        action="view",
        object_type="referral",
        object_uuid=referral.uuid,
        person_id=referral.person_id,
        ip=client_ip(request),
        detail={"api": "referral"},
    )
    return _detail(user, referral)


def _person(user: User, uuid: UUID) -> Person:
    """The person to refer: within the caller's area, or (hospital staff, who read no
    registry) referred to their hospital; otherwise the same message either way."""
    found: Person | None
    if user.role == Role.HOSPITAL:
        found = Person.objects.filter(uuid=uuid, referrals__to_facility_id=user.facility_id).first()
    else:
        found = Person.objects.filter(person_scope_q(user), uuid=uuid).first()
    if found is None:
        raise _invalid("person", _("Penduduk tidak ditemukan di wilayah Anda."))
    return cast(Person, found)


@router.post("", response={201: ReferralDetailOut, **ERRORS_WRITE})
def referral_create(request: HttpRequest, body: ReferralIn) -> Status[ReferralDetailOut]:
    """Refer a person (201, the new referral as `GET` shows it). The web form's checks:
    not to the sending facility itself nor to an inactive one, not for a deceased person,
    ICD-10 codes known, times not in the future and in order; 403 when the caller does not
    work at the sending facility."""
    user = cast(User, request.user)
    if not can_send_referrals(user):
        raise PermissionDenied(_("Peran Anda tidak boleh membuat rujukan."))
    if body.from_facility:
        source = _facility("from_facility", body.from_facility)
    elif user.facility is not None:
        source = user.facility
    else:
        raise _invalid("from_facility", _("Isi kode fasilitas pengirim."))
    services.require_refer_from(user, source)
    target = _facility("to_facility", body.to_facility)
    person = _person(user, body.person)
    encounter = None
    if body.encounter is not None:
        try:
            encounter = encounter_for_user(user, body.encounter, ip=client_ip(request))
        except NotFound as exc:
            raise _invalid("encounter", str(exc.message)) from None
    try:
        referral = services.referral_create(
            user=user,
            person=person,
            from_facility=source,
            to_facility=target,
            kind=body.kind,
            reason=body.reason,
            diagnosis_code=body.diagnosis,
            encounter=encounter,
            detected_at=body.detected_at,
            decided_at=body.decided_at,
            care_given=body.care_given,
            transport=body.transport,
            accompanied_by=body.accompanied_by,
        )
    except ApplicationError as exc:
        raise _renamed(exc, CREATE_FIELDS) from None
    return Status(201, _detail(user, selectors.referral_get(user, referral.uuid)))


@router.post("/{referral_id}/events", response={200: ReferralDetailOut, **ERRORS_WRITE})
def referral_event(request: HttpRequest, referral_id: str, body: EventIn) -> ReferralDetailOut:
    """Take one step on a referral (the referral after it). 403 when the step belongs to
    the other side (an answer from a facility that did not receive it), 409 when it is out of
    order, the referral ended, or it changed since `expected_state` was read."""
    user = cast(User, request.user)
    _require_reader(user)
    referral = _get(user, referral_id)
    _refuse_unused(body)
    redirect_to = None
    if body.redirect_to:
        redirect_to = _facility("redirect_to", body.redirect_to)
    answer = body.answer or AnswerIn.model_validate({})
    try:
        services.referral_act(
            user=user,
            referral=referral,
            action=body.action,
            occurred_at=body.at,
            note=body.note,
            end_reason=body.reason,
            redirect_to=redirect_to,
            answer_diagnosis_code=answer.diagnosis,
            answer_care=answer.care,
            answer_advice=answer.advice,
            back_referral_plan=answer.back_referral_plan,
            expected_state=body.expected_state or "",
        )
    except ApplicationError as exc:
        raise _renamed(exc, EVENT_FIELDS) from None
    return _detail(user, selectors.referral_get(user, referral.uuid))


# Every kind, state and reason of the model is one of the API's literals (checked at import,
# so a new model choice cannot silently fall out of the schema).
assert set(ReferralKind.values) == set(get_args(Kind))  # noqa: S101
assert set(ReferralState.values) == set(get_args(State))  # noqa: S101
assert set(EndReason.values) == set(get_args(Reason))  # noqa: S101
