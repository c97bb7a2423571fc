"""JSON API for care records: record an encounter (``POST /api/v1/encounters``), a person's
encounters and work items (``GET /api/v1/persons/{uuid}/encounters``, ``…/work-items``).

An encounter posted here goes through exactly what the web form's save goes through
(``ilp.care.services.encounter_record``: permission, the package evaluation, confirmation of
unusual values, one transaction) and answers the same results and alerts the form shows,
through ``ilp.care.presenters``. Reads start from the scoped, audited ``person_detail``; a
person outside the user's area answers the same 404 as one that does not exist.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, cast
from uuid import UUID

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from ilp.accounts.access import can_record, recording_facility
from ilp.accounts.audit import audit_record
from ilp.accounts.models import User
from ilp.care import presenters
from ilp.care.models import VISIT_NUMBER_MAX, Encounter, PlaceKind, ServicePackage
from ilp.care.selectors import person_active_encounters, person_open_tasks
from ilp.care.services import RecordResult, encounter_record
from ilp.care.worklists import compute_worklist
from ilp.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from ilp.people.models import Person
from ilp.people.selectors import person_detail, pregnancy_detail
from ilp.places.api import ERRORS_READ, ErrorOut, IsoDate, Text, client_ip
from ilp.places.models import Facility, FacilityKind

ERRORS_WRITE = {**ERRORS_READ, 409: ErrorOut}
PAGE_LIMIT = 20
PAGE_LIMIT_MAX = 100

encounters = Router(tags=["care"])
person_care = Router(tags=["care"])


# ---------------------------------------------------------------------------------------------
# Shapes


class _Input(Schema):
    model_config = ConfigDict(extra="forbid")


class EncounterIn(_Input):
    """One service given to one person (the web form's fields). `values` are the package's
    fields by code (``weight``, ``height``, ``measured``, ``sbp``…, questionnaires as objects,
    ``doses`` as a list); numbers may use a decimal comma. Impossible values answer 422
    `invalid`; unusual ones 422 `needs_confirmation` until sent again with `confirm: true`."""

    client_id: UUID | None = Field(
        None,
        description=(
            "UUID dibuat klien sekali per formulir: kiriman ulang yang sama menjawab 200 "
            "dengan data yang sudah tersimpan; id yang sama dengan isi lain ditolak (409 "
            "`client_id_reused`)"
        ),
    )
    person: UUID = Field(description="UUID penduduk")
    package: ServicePackage = Field(description="Layanan")
    date: IsoDate = Field(description="Tanggal pelayanan")
    place_kind: PlaceKind = Field(description="Tempat pelayanan")
    facility: Text | None = Field(
        None,
        max_length=32,
        description="Kode fasilitas pencatat; kosong: fasilitas akun Anda",
    )
    values: dict[str, Any] = Field(default_factory=dict, description="Isian per kode")
    pregnancy: UUID | None = Field(None, description="UUID kehamilan (ANC, persalinan, KF)")
    visit_number: int | None = Field(
        None, ge=1, le=VISIT_NUMBER_MAX, description="Kunjungan ke- (K1–K6, KF1–KF4, KN1–KN3)"
    )
    confirm: bool = Field(False, description="Nilai tidak biasa sudah diperiksa dan benar")
    notes: Text = Field("", max_length=1000)


class ResultOut(Schema):
    code: str
    params: dict[str, Any] = {}
    label: str
    value: float | int | str | None = None
    class_code: str = ""
    class_label: str = ""
    abnormal: bool = False
    source: str = ""
    reason: str = ""


class AlertOut(Schema):
    code: str = Field(description="Kode temuan (kosong untuk catatan lama)")
    params: dict[str, Any] = {}
    level: str = Field(description="`danger` atau `warning`")
    label: str = Field(description="Temuan, dalam bahasa permintaan")
    action: str = Field(description="Tindakan, dalam bahasa permintaan")


class FacilityRef(Schema):
    code: str
    name: str
    kind: str


class EncounterOut(Schema):
    uuid: UUID
    client_id: UUID | None
    person: UUID
    date: IsoDate
    package: str
    package_label: str
    place_kind: str
    facility: FacilityRef
    cluster: str
    visit_number: int | None
    pregnancy: UUID | None
    values: dict[str, Any]
    results: list[ResultOut]
    alerts: list[AlertOut]
    flagged: bool
    notes: str
    version: int
    voided_at: Any = None


class EncounterPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[EncounterOut]


class PageIn(_Input):
    limit: int = Field(PAGE_LIMIT, ge=1, le=PAGE_LIMIT_MAX)
    offset: int = Field(0, ge=0, le=1_000_000)


class WorkItemOut(Schema):
    item: str = Field(description="`imunisasi:<dosis>`, `anc:K1`, `timbang`, `tindak-lanjut`…")
    state: str = Field(description="`due` atau `overdue`")
    since: IsoDate
    code: str = Field(description="Kode alasan (`care.why.*`, atau temuan asal tugas)")
    params: dict[str, Any] = {}
    label: str = Field(description="Alasan dalam bahasa pembaca")
    urgency: int = Field(description="2 bahaya, 1 terlambat, 0 jatuh tempo")
    danger: bool
    task: str | None = Field(None, description="UUID tugas, untuk butir dari tugas")


class TaskOut(Schema):
    uuid: UUID
    kind: str
    kind_label: str
    code: str
    params: dict[str, Any] = {}
    label: str
    due_date: IsoDate
    overdue: bool
    facility: str


class WorkItemsOut(Schema):
    date: IsoDate
    items: list[WorkItemOut]
    tasks: list[TaskOut] = Field(description="Semua tugas terbuka, juga yang belum jatuh tempo")


# ---------------------------------------------------------------------------------------------
# Conversions


def _person_not_found() -> NotFound:
    return NotFound(_("Penduduk tidak ditemukan di wilayah Anda."))


def _person(request: HttpRequest, raw: Any) -> Person:
    try:
        uuid = UUID(str(raw))
    except (ValueError, TypeError):
        raise _person_not_found() from None
    return person_detail(cast(User, request.user), uuid, ip=client_ip(request))


def _facility(user: Any, code: str | None) -> Facility:
    if code:
        found = Facility.objects.filter(
            code=code,
            kind__in=(FacilityKind.POSYANDU, FacilityKind.PUSTU, FacilityKind.PUSKESMAS),
        ).first()
        if found is None:
            message = _("Fasilitas tidak dikenal.")
            raise ValidationFailed(message, fields={"facility": [message]})
        return found
    own = recording_facility(user)
    if own is None:
        message = _("Akun Anda tidak terhubung ke posyandu, pustu atau puskesmas.")
        raise ValidationFailed(
            message, fields={"facility": [_("Isi kode fasilitas tempat pelayanan dicatat.")]}
        )
    return own


def request_digest(payload: EncounterIn) -> str:
    """A fingerprint of what was sent (all but `confirm`), to tell a resend from another
    encounter under the same `client_id`."""
    data = payload.model_dump(mode="json", exclude={"confirm"})
    text = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _audit_read(request: HttpRequest, person: Person, what: str, **detail: int) -> None:
    audit_record(
        user=request.user,
        action="view",
        object_type=what,
        person_id=person.pk,
        ip=client_ip(request),
        detail=detail,
    )


def encounter_out(e: Encounter) -> dict[str, Any]:
    return {
        "uuid": e.uuid,
        "client_id": e.client_id,
        "person": e.person.uuid,
        "date": e.date,
        "package": e.package,
        "package_label": str(e.get_package_display()),
        "place_kind": e.place_kind,
        "facility": {"code": e.facility.code, "name": e.facility.name, "kind": e.facility.kind},
        "cluster": e.cluster,
        "visit_number": e.visit_number,
        "pregnancy": e.pregnancy.uuid if e.pregnancy is not None else None,
        "values": e.values or {},
        "results": presenters.present_results(e.results),
        "alerts": presenters.present_alerts(e.alerts),
        "flagged": e.flagged,
        "notes": e.notes,
        "version": e.version,
        "voided_at": e.voided_at,
    }


# ---------------------------------------------------------------------------------------------
# Endpoints


@encounters.post("", response={201: EncounterOut, 200: EncounterOut, **ERRORS_WRITE})
def record_encounter(request: HttpRequest, payload: EncounterIn) -> Status[dict[str, Any]]:
    """Record one encounter, evaluated as the web form does (201). The same `client_id`
    with the same body answers 200 with the encounter stored the first time; with another
    body 409 `client_id_reused`. Answers the encounter with its results and alerts."""
    user = cast(User, request.user)  # the API's auth lets only signed-in users through
    if not can_record(user):
        raise PermissionDenied(_("Peran Anda tidak boleh mencatat pelayanan."))
    person = _person(request, payload.person)
    facility = _facility(user, payload.facility)
    pregnancy = None
    if payload.pregnancy is not None:
        try:
            pregnancy = pregnancy_detail(user, payload.pregnancy, ip=client_ip(request))
        except NotFound as exc:
            raise ValidationFailed(exc.message, fields={"pregnancy": [str(exc.message)]}) from None
    try:
        result = _record(user, person, facility, pregnancy, payload)
    except (ValidationFailed, Conflict) as exc:
        exc.fields = _api_fields(exc.fields, payload)
        raise
    encounter = Encounter.objects.select_related("person", "facility", "pregnancy").get(
        pk=result.encounter.pk
    )
    return Status(201 if result.created else 200, encounter_out(encounter))


def _api_fields(fields: dict[str, list[str]], payload: EncounterIn) -> dict[str, list[str]]:
    """The services name a value by its key (``weight``, ``doses.0.lot_number``) and the
    date ``on``; the API's fields are ``values.weight``, ``values.doses.0.lot_number`` and
    ``date`` (nested fields dotted, as everywhere in the API)."""
    out: dict[str, list[str]] = {}
    for key, messages in (fields or {}).items():
        root = key.split(".", 1)[0]
        if key == "on":
            key = "date"
        elif root in payload.values or (root not in EncounterIn.model_fields and root != "on"):
            key = f"values.{key}"
        out.setdefault(key, []).extend(messages)
    return out


def _record(
    user: Any, person: Person, facility: Facility, pregnancy: Any, payload: EncounterIn
) -> RecordResult:
    return encounter_record(
        actor=user,
        person=person,
        on=payload.date,
        package=payload.package.value,
        place_kind=payload.place_kind.value,
        facility=facility,
        values=payload.values,
        pregnancy=pregnancy,
        visit_number=payload.visit_number,
        confirm_unusual=payload.confirm,
        client_id=payload.client_id,
        notes=payload.notes,
        request_digest=request_digest(payload),
    )


@person_care.get("/{person_uuid}/encounters", response={200: EncounterPageOut, **ERRORS_READ})
def list_encounters(request: HttpRequest, person_uuid: str, page: Query[PageIn]) -> dict[str, Any]:
    """The person's encounters, newest first (voided ones left out), `limit` per page from
    `offset`; the read is audited."""
    person = _person(request, person_uuid)
    qs = person_active_encounters(person)
    items = list(qs[page.offset : page.offset + page.limit])
    _audit_read(request, person, "encounter_list", count=len(items), offset=page.offset)
    return {
        "count": qs.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": [encounter_out(e) for e in items],
    }


def _list_facility(person: Person) -> Facility | None:
    """The facility whose work list holds the person: the puskesmas (else pustu) serving the
    person's desa, whose list has every item kind."""
    return (
        Facility.objects.filter(
            kind__in=(FacilityKind.PUSKESMAS, FacilityKind.PUSTU),
            is_active=True,
            service_areas=person.village_id,
        )
        .order_by("-kind")  # "pustu" < "puskesmas": the puskesmas first
        .first()
    )


@person_care.get("/{person_uuid}/work-items", response={200: WorkItemsOut, **ERRORS_READ})
def list_work_items(request: HttpRequest, person_uuid: str) -> dict[str, Any]:
    """What is due or overdue for the person today (the work lists' items: doses, weighing,
    ANC/KF/KN contacts, screenings, tasks due) and every open task; the read is audited."""
    person = _person(request, person_uuid)
    today = timezone.localdate()
    facility = _list_facility(person)
    items = []
    if facility is not None and person.voided_at is None:
        items = compute_worklist(facility, on=today, person_q=Q(pk=person.pk))
    tasks = person_open_tasks(person)
    _audit_read(request, person, "work_items", items=len(items), tasks=len(tasks))
    return {
        "date": today,
        "items": [presenters.present_work_item(i) for i in items],
        "tasks": [presenters.present_task(t, today=today) for t in tasks],
    }
