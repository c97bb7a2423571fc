"""JSON API for persons, families and pregnancies (/api/v1/persons, /api/v1/families).

Every read goes through the scoped selectors (which audit it) and every write through the
services, exactly like the web pages; this module only parses, converts and shapes. Persons
and families are addressed by their public UUID. A record outside the user's scope and a
record that does not exist answer the same 404, so the API never reveals existence.
"""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from ilp.accounts.access import can_register
from ilp.accounts.models import User
from ilp.core.corrections import Reason, reason_check
from ilp.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from ilp.people import corrections, selectors, services
from ilp.people.models import Family, NikFlag, Person, Pregnancy
from ilp.people.schemas import (
    CodeLabelOut,
    CorrectionIn,
    FamilyIn,
    FamilyMemberIn,
    FamilyOut,
    FamilyPatchIn,
    PersonIn,
    PersonListOut,
    PersonOut,
    PersonPatchIn,
    PersonSearchIn,
    PersonVoidIn,
    PregnancyIn,
    PregnancyOut,
    PregnancyPatchIn,
    VoidIn,
)
from ilp.places import selectors as place_selectors
from ilp.places.api import ERRORS_READ, ErrorBody, ErrorOut, area_ref, client_ip
from ilp.places.models import Area, AreaLevel

ERRORS_WRITE = {**ERRORS_READ, 409: ErrorOut}


class DuplicateCandidateOut(Schema):
    uuid: UUID
    full_name: str
    birth_date: str
    local_id: str
    member: int | None = None


class DuplicateErrorBody(ErrorBody):
    candidates: list[DuplicateCandidateOut] = Field(
        [], description="Only with code `duplicate_suspected`"
    )


class DuplicateErrorOut(Schema):
    """409 `duplicate_nik` (the NIK or KK is taken), or `duplicate_suspected`: similar
    persons the user may see; check them, then resend with `confirm_not_duplicate: true`."""

    error: DuplicateErrorBody


# ---------------------------------------------------------------------------------------------
# Conversions


def _person_not_found() -> NotFound:
    return NotFound(_("Penduduk tidak ditemukan di wilayah Anda."))


def _family_not_found() -> NotFound:
    return NotFound(_("Keluarga tidak ditemukan di wilayah Anda."))


def _uuid_or_404(raw: str, not_found: NotFound) -> UUID:
    try:
        return UUID(raw)
    except (ValueError, TypeError):
        raise not_found from None


def _address_area(code: str) -> Area:
    area = place_selectors.area_by_code(code)
    if area is None:
        raise ValidationFailed(
            _("Kode wilayah tidak dikenal."),
            fields={
                "area_code": [_("Kode wilayah tidak dikenal: isi kode RT, dusun/RW atau desa.")]
            },
        )
    return area


def _address_kwargs(area: Area) -> dict[str, Area | None]:
    """The services take the most precise area given and derive the ones above it; they
    refuse a kecamatan or higher with a message on "area"."""
    if area.level == AreaLevel.RT:
        return {"rt": area, "hamlet": None, "village": None}
    if area.level == AreaLevel.HAMLET:
        return {"rt": None, "hamlet": area, "village": None}
    return {"rt": None, "hamlet": None, "village": area}


_ADDRESS_FIELDS = ("area", "rt", "hamlet", "village")


def _as_validation_failed(exc: ValidationFailed | DjangoValidationError) -> ValidationFailed:
    """The services report the address on "area"; the API's field is "area_code". A model
    `full_clean()` refusal that slipped past the services' own checks becomes the same 422
    instead of a server error."""
    if isinstance(exc, DjangoValidationError):
        fields = getattr(exc, "message_dict", None) or {"body": exc.messages}
        exc = ValidationFailed(_("Periksa kembali isian yang ditandai."), fields=fields)
    for name in _ADDRESS_FIELDS:
        if name in exc.fields:
            exc.fields.setdefault("area_code", []).extend(exc.fields.pop(name))
    return exc


def _person_data(data: PersonIn | FamilyMemberIn) -> services.PersonData:
    return services.PersonData(
        full_name=data.full_name,
        sex=data.sex.value,
        birth_date=data.birth_date,
        nik=data.nik,
        relationship=data.relationship.value if data.relationship else "",
        bpjs_number=data.bpjs_number,
        phone=data.phone,
        birth_place=data.birth_place,
        disability=data.disability.value,
    )


def _summary(p: Person) -> dict[str, Any]:
    return {
        "uuid": p.uuid,
        "local_id": p.local_id,
        "nik": p.nik,
        "full_name": p.full_name,
        "sex": p.sex,
        "birth_date": p.birth_date,
        "relationship": p.relationship,
        "family_uuid": p.family.uuid if p.family_id else None,
        "village": area_ref(p.village),
        "hamlet": area_ref(p.hamlet),
        "deceased_on": p.deceased_on,
    }


def _pregnancy_out(preg: Pregnancy) -> dict[str, Any]:
    return {
        "uuid": preg.uuid,
        "lmp": preg.lmp,
        "edd": preg.edd,
        "gravida": preg.gravida,
        "para": preg.para,
        "abortus": preg.abortus,
        "outcome": preg.outcome,
        "outcome_label": str(preg.get_outcome_display()),
        "outcome_date": preg.outcome_date,
        "version": preg.version,
        "voided_at": preg.voided_at,
        "void_reason": preg.void_reason,
    }


def _flag_label(flag: str) -> str:
    try:
        return str(NikFlag(flag).label)
    except ValueError:
        return flag


def _person_out(p: Person) -> dict[str, Any]:
    stage = selectors.person_life_stage(p)
    # LABELS_ID are the Indonesian labels; gettext gives the English ones once catalogued.
    stages = [
        CodeLabelOut(code=code, label=_(label))
        for code, label in zip(stage["stages"], stage["labels"], strict=True)
    ]
    return {
        **_summary(p),
        "nik_flags": [{"code": f, "label": _flag_label(f)} for f in p.nik_flags or []],
        "bpjs_number": p.bpjs_number,
        "sex_label": str(p.get_sex_display()),
        "birth_place": p.birth_place,
        "address": p.address,
        "rt": area_ref(p.rt),
        "phone": p.phone,
        "disability": p.disability,
        "life_stage": {
            "main": stage["main"],
            "main_label": _(stage["main_label"]) if stage["main_label"] else "",
            "stages": stages,
        },
        "pregnancies": [_pregnancy_out(x) for x in selectors.person_pregnancies(p)],
        "version": p.version,
        "voided_at": p.voided_at,
        "void_reason": p.void_reason,
        "duplicate_of": p.duplicate_of.uuid if p.duplicate_of_id else None,
    }


def _family_out(view: selectors.FamilyView) -> dict[str, Any]:
    """A family as the user may see it: outside the user's area, no KK number, address or
    head, and the members there only counted."""
    family = view.family
    for m in view.members:
        m.family = family  # already loaded: avoid one query per member for family_uuid
    shown = view.in_scope
    return {
        "uuid": family.uuid,
        "in_scope": shown,
        "kk_number": family.kk_number if shown else None,
        "address": family.address if shown else "",
        "rt": area_ref(family.rt) if shown else None,
        "hamlet": area_ref(family.hamlet) if shown else None,
        "village": area_ref(family.village) if shown else None,
        "head_uuid": family.head.uuid if shown and family.head_id else None,
        "members": [_summary(m) for m in view.members],
        "members_outside_scope": view.hidden_count,
        "version": family.version,
    }


def _family_written(user: Any, family: Family, ip: str | None) -> dict[str, Any]:
    """The family just registered or corrected, as the user may see it (audited)."""
    return _family_out(selectors.family_view(user, family.uuid, ip=ip))


def duplicate_suspected_body(user: Any, exc: services.DuplicateSuspected) -> dict[str, Any]:
    """The 409 envelope: only candidates the user may see (uuid, name, birth date, ILP number).

    The check itself runs over the whole desa, so the message may appear with an empty list
    when the similar person lives in a dusun the user does not serve."""
    ids = {p.pk for found in exc.candidates.values() for p in found}
    visible = set(selectors.persons_visible(user).filter(pk__in=ids).values_list("pk", flat=True))
    candidates = []
    for prefix, found in exc.candidates.items():
        member = int(prefix.split(".")[1]) if prefix.startswith("members.") else None
        candidates += [
            {
                "uuid": str(p.uuid),
                "full_name": p.full_name,
                "birth_date": p.birth_date.isoformat(),
                "local_id": p.local_id,
                "member": member,
            }
            for p in found
            if p.pk in visible
        ]
    return {"error": {**exc.as_dict(), "candidates": candidates}}


# ---------------------------------------------------------------------------------------------
# Persons

persons = Router(tags=["persons"])


@persons.get("", response={200: PersonListOut, **ERRORS_READ})
def search_persons(request: HttpRequest, filters: Query[PersonSearchIn]):
    """Search the persons the user may see, at most `limit` (the search is audited)."""
    found = selectors.person_search(
        cast(User, request.user), filters.q, limit=filters.limit, ip=client_ip(request)
    )
    return {
        "items": [_summary(p) for p in found],
        "total": found.total,
        "total_capped": found.capped,
    }


@persons.post("", response={201: PersonOut, 200: PersonOut, **ERRORS_WRITE, 409: DuplicateErrorOut})
def register_person(request: HttpRequest, payload: PersonIn):
    """Register one person (201). A NIK already registered answers 409 `duplicate_nik`; a
    similar person in the same desa answers 409 `duplicate_suspected` until confirmed. The
    same `client_id` again answers 200 with the person stored the first time."""
    user = cast(User, request.user)
    if not can_register(user):
        raise PermissionDenied(_("Peran Anda tidak boleh mendaftarkan penduduk."))
    area = _address_area(payload.area_code)
    family = None
    if payload.family_uuid is not None:
        try:
            family = selectors.family_detail(user, payload.family_uuid, ip=client_ip(request))
        except (NotFound, PermissionDenied) as exc:
            raise ValidationFailed(
                exc.message, fields={"family_uuid": [str(exc.message)]}
            ) from None
    try:
        person = services.person_register(
            actor=user,
            data=_person_data(payload),
            **_address_kwargs(area),
            address=payload.address,
            family=family,
            confirm_not_duplicate=payload.confirm_not_duplicate,
            ip=client_ip(request),
            client_id=payload.client_id,
        )
    except (ValidationFailed, DjangoValidationError) as exc:
        raise _as_validation_failed(exc) from None
    replayed = getattr(person, "replayed", False)
    person = _person_for_output(person.pk)
    return Status(200 if replayed else 201, _person_out(person))


def _person_for_output(pk: int) -> Person:
    return Person.objects.select_related("village", "hamlet", "rt", "family", "duplicate_of").get(
        pk=pk
    )


@persons.get("/{person_uuid}", response={200: PersonOut, **ERRORS_READ})
def get_person(request: HttpRequest, person_uuid: str):
    """One person with life stages, NIK warnings and pregnancies (the read is audited)."""
    uuid = _uuid_or_404(person_uuid, _person_not_found())
    person = selectors.person_detail(cast(User, request.user), uuid, ip=client_ip(request))
    return _person_out(person)


@persons.post("/{person_uuid}/pregnancies", response={201: PregnancyOut, **ERRORS_WRITE})
def register_pregnancy(request: HttpRequest, person_uuid: str, payload: PregnancyIn):
    """Open a pregnancy episode for a woman; the EDD follows from the LMP when not given."""
    uuid = _uuid_or_404(person_uuid, _person_not_found())
    person = selectors.person_detail(cast(User, request.user), uuid, ip=client_ip(request))
    try:
        pregnancy = services.pregnancy_register(
            actor=cast(User, request.user),
            person=person,
            lmp=payload.lmp,
            edd=payload.edd,
            gravida=payload.gravida,
            para=payload.para,
            abortus=payload.abortus,
        )
    except IntegrityError:
        # Two requests opened a pregnancy at once; the database kept only one.
        raise Conflict(
            _("Ibu ini masih tercatat sedang hamil."),
            code="pregnancy_ongoing",
            fields={"person": [_("Ibu ini masih tercatat sedang hamil.")]},
        ) from None
    return Status(201, _pregnancy_out(pregnancy))


# ---------------------------------------------------------------------------------------------
# Families

families = Router(tags=["families"])


@families.post(
    "", response={201: FamilyOut, 200: FamilyOut, **ERRORS_WRITE, 409: DuplicateErrorOut}
)
def register_family(request: HttpRequest, payload: FamilyIn):
    """Register a family (KK) with its members: exactly one member has relationship `head`
    (201). The same `client_id` again answers 200 with the family stored the first time."""
    user = cast(User, request.user)
    if not can_register(user):
        raise PermissionDenied(_("Peran Anda tidak boleh mendaftarkan penduduk."))
    area = _address_area(payload.area_code)
    try:
        family = services.family_register(
            actor=user,
            kk_number=payload.kk_number,
            members=[_person_data(m) for m in payload.members],
            **_address_kwargs(area),
            address=payload.address,
            confirm_not_duplicate=payload.confirm_not_duplicate,
            ip=client_ip(request),
            client_id=payload.client_id,
        )
    except (ValidationFailed, DjangoValidationError) as exc:
        raise _as_validation_failed(exc) from None
    replayed = getattr(family, "replayed", False)
    return Status(200 if replayed else 201, _family_written(user, family, client_ip(request)))


@families.get("/{family_uuid}", response={200: FamilyOut, **ERRORS_READ})
def get_family(request: HttpRequest, family_uuid: str):
    """One family with the members the user may see, head first. A family living outside
    the user's area (`in_scope` false) comes without KK number, address or head; its members
    outside the area are only counted (`members_outside_scope`)."""
    uuid = _uuid_or_404(family_uuid, _family_not_found())
    return _family_out(selectors.family_view(cast(User, request.user), uuid, ip=client_ip(request)))


# ---------------------------------------------------------------------------------------------
# Corrections: PATCH with the version read, a reason; 409 `edit_conflict` with the changes


class ChangeOut(Schema):
    field: str
    label: str
    seen: str = Field(description="The value at the version sent")
    now: str = Field(description="The value stored now")
    by: str
    at: str | None


class ConflictBody(ErrorBody):
    version: int | None = Field(None, description="With `edit_conflict`: the version now")
    changes: list[ChangeOut] = Field([], description="With `edit_conflict`: what changed")


class ConflictOut(Schema):
    """409 `edit_conflict`: the record changed since `version` (see `changes`; resend with
    the new version to overwrite), `voided`, or `duplicate_nik`."""

    error: ConflictBody


ERRORS_CORRECT = {**ERRORS_WRITE, 409: ConflictOut}


def _sent(payload: Schema, name: str) -> bool:
    return name in payload.model_fields_set


def _reason(payload: CorrectionIn) -> Reason:
    return reason_check(payload.reason.value, payload.note)


def _pregnancy_of(request: HttpRequest, person_uuid: str, pregnancy_uuid: str) -> Pregnancy:
    not_found = NotFound(_("Kehamilan tidak ditemukan di wilayah Anda."))
    person = _uuid_or_404(person_uuid, not_found)
    pregnancy = selectors.pregnancy_detail(
        cast(User, request.user), _uuid_or_404(pregnancy_uuid, not_found), ip=client_ip(request)
    )
    if pregnancy.person.uuid != person:
        raise not_found
    return pregnancy


@persons.patch("/{person_uuid}", response={200: PersonOut, **ERRORS_CORRECT})
def correct_person(request: HttpRequest, person_uuid: str, payload: PersonPatchIn):
    """Correct a person's fields (only those sent). Renaming updates the search; the old
    values stay in the history with who, when and the reason."""
    uuid = _uuid_or_404(person_uuid, _person_not_found())
    person = selectors.person_detail(cast(User, request.user), uuid, ip=client_ip(request))
    data = services.PersonData(
        full_name=payload.full_name if _sent(payload, "full_name") else person.full_name,
        sex=payload.sex.value if payload.sex else person.sex,
        birth_date=payload.birth_date if _sent(payload, "birth_date") else person.birth_date,
        nik=(payload.nik or "") if _sent(payload, "nik") else (person.nik or ""),
        relationship=payload.relationship.value if payload.relationship else person.relationship,
        bpjs_number=payload.bpjs_number if payload.bpjs_number is not None else person.bpjs_number,
        phone=payload.phone if payload.phone is not None else person.phone,
        birth_place=payload.birth_place if payload.birth_place is not None else person.birth_place,
        disability=payload.disability.value if payload.disability else person.disability,
    )
    area = (
        _address_area(payload.area_code)
        if payload.area_code
        else (person.rt or person.hamlet or person.village)
    )
    try:
        corrections.person_correct(
            actor=cast(User, request.user),
            person=person,
            new=corrections.PersonCorrection(
                data=data,
                area=area,
                address=payload.address if payload.address is not None else person.address,
                deceased_on=payload.deceased_on
                if _sent(payload, "deceased_on")
                else person.deceased_on,
            ),
            version=payload.version,
            reason=_reason(payload),
            ip=client_ip(request),
        )
    except (ValidationFailed, DjangoValidationError) as exc:
        raise _as_validation_failed(exc) from None
    return _person_out(_person_for_output(person.pk))


@persons.post("/{person_uuid}/void", response={200: PersonOut, **ERRORS_CORRECT})
def void_person(request: HttpRequest, person_uuid: str, payload: PersonVoidIn):
    """Void a person registered by mistake or twice (`duplicate_of`: the record kept). The
    person stops counting everywhere; nothing is deleted."""
    uuid = _uuid_or_404(person_uuid, _person_not_found())
    person = selectors.person_detail(cast(User, request.user), uuid, ip=client_ip(request))
    kept = None
    if payload.duplicate_of is not None:
        try:
            kept = selectors.person_detail(cast(User, request.user), payload.duplicate_of)
        except NotFound as exc:
            raise ValidationFailed(
                exc.message, fields={"duplicate_of": [str(exc.message)]}
            ) from None
    corrections.person_void(
        actor=cast(User, request.user),
        person=person,
        version=payload.version,
        reason=_reason(payload),
        duplicate_of=kept,
        ip=client_ip(request),
    )
    return _person_out(_person_for_output(person.pk))


@persons.patch(
    "/{person_uuid}/pregnancies/{pregnancy_uuid}", response={200: PregnancyOut, **ERRORS_CORRECT}
)
def correct_pregnancy(
    request: HttpRequest, person_uuid: str, pregnancy_uuid: str, payload: PregnancyPatchIn
):
    """Correct a pregnancy's dates, G-P-A or outcome (only the fields sent)."""
    pregnancy = _pregnancy_of(request, person_uuid, pregnancy_uuid)

    def value(name: str):
        return getattr(payload, name) if _sent(payload, name) else getattr(pregnancy, name)

    outcome = value("outcome")
    corrections.pregnancy_correct(
        actor=cast(User, request.user),
        pregnancy=pregnancy,
        lmp=value("lmp"),
        edd=value("edd"),
        gravida=value("gravida") or pregnancy.gravida,
        para=value("para") if value("para") is not None else pregnancy.para,
        abortus=value("abortus") if value("abortus") is not None else pregnancy.abortus,
        outcome=getattr(outcome, "value", outcome) or pregnancy.outcome,
        outcome_date=value("outcome_date"),
        version=payload.version,
        reason=_reason(payload),
    )
    pregnancy.refresh_from_db()
    return _pregnancy_out(pregnancy)


@persons.post(
    "/{person_uuid}/pregnancies/{pregnancy_uuid}/void",
    response={200: PregnancyOut, **ERRORS_CORRECT},
)
def void_pregnancy(request: HttpRequest, person_uuid: str, pregnancy_uuid: str, payload: VoidIn):
    """Void a pregnancy recorded by mistake: it leaves the kohort and every list."""
    pregnancy = _pregnancy_of(request, person_uuid, pregnancy_uuid)
    corrections.pregnancy_void(
        actor=cast(User, request.user),
        pregnancy=pregnancy,
        version=payload.version,
        reason=_reason(payload),
    )
    return _pregnancy_out(pregnancy)


@families.patch("/{family_uuid}", response={200: FamilyOut, **ERRORS_CORRECT})
def correct_family(request: HttpRequest, family_uuid: str, payload: FamilyPatchIn):
    """Correct a family's KK number or address (only the fields sent)."""
    uuid = _uuid_or_404(family_uuid, _family_not_found())
    family = selectors.family_detail(cast(User, request.user), uuid, ip=client_ip(request))
    area = (
        _address_area(payload.area_code)
        if payload.area_code
        else (family.rt or family.hamlet or family.village)
    )
    try:
        corrections.family_correct(
            actor=cast(User, request.user),
            family=family,
            kk_number=(payload.kk_number or "")
            if _sent(payload, "kk_number")
            else (family.kk_number or ""),
            area=area,
            address=payload.address if payload.address is not None else family.address,
            version=payload.version,
            reason=_reason(payload),
        )
    except (ValidationFailed, DjangoValidationError) as exc:
        raise _as_validation_failed(exc) from None
    return _family_written(request.user, family, client_ip(request))
