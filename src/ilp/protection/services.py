"""Writes of protection cases: open one, take it, add its parties and its timed steps,
assign staff, record consent and close it.

Every write checks the user's right (``ilp.accounts.access``), refuses bad input with a
specific message on the field (``ValidationFailed.fields``), runs in one transaction and is
audited (``ilp.protection.audit``). A step's time is given by the worker (when it happened):
never in the future, never before the case arrived. Nothing is deleted: a mistaken party or
step is voided with a reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import (
    in_case_circle,
    is_protection_health_staff,
    may_act_on_case,
    partner_id_of,
    person_in_scope,
)
from ilp.accounts.models import AuditAction, Role, User
from ilp.core.exceptions import PermissionDenied, ValidationFailed
from ilp.people.models import Person
from ilp.places.models import Facility, FacilityKind
from ilp.protection.audit import audit_case
from ilp.protection.models import (
    Accommodation,
    ArrivalRoute,
    Case,
    CaseAssignment,
    CaseParty,
    CaseState,
    CaseStep,
    Disability,
    Partner,
    PartyRole,
    Place,
    Sex,
    Step,
    ViolenceKind,
)

# DOMAIN.md §5.2 [S27]: KtP/A records are kept 18 years.
RETENTION_YEARS = 18
# Steps recorded once per case (the rest may repeat: treatment, counselling, …).
ONCE_STEPS = frozenset({Step.ARRIVAL, Step.FIRST_CONTACT, Step.CLOSED})


def _atomic_keeping_denials(func: Any) -> Any:
    """Like ``transaction.atomic``, but a refusal's audit row survives the rollback: the
    denial is written again after the transaction is undone (a refused access is logged)."""
    from functools import wraps

    @wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except PermissionDenied as exc:
            audit = getattr(exc, "audit", None)
            if audit:
                audit_case(**audit)
            raise

    return wrapped


def _denied(message: str, **audit: Any) -> PermissionDenied:
    """A refusal whose audit row (`audit`: the arguments of ``audit_case``) is written once
    the write's transaction is undone."""
    exc = PermissionDenied(message)
    exc.audit = audit  # type: ignore[attr-defined]
    return exc


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def retain_until(arrived: date) -> date:
    """The day until which a case arriving on `arrived` is kept (18 years; 29 February → 28)."""
    try:
        return arrived.replace(year=arrived.year + RETENTION_YEARS)
    except ValueError:
        return arrived.replace(year=arrived.year + RETENTION_YEARS, day=28)


def _codes(field: str, values: Iterable[str], allowed: Any, message: str) -> list[str]:
    out = []
    for v in values:
        if v not in allowed.values:
            raise _invalid(field, message)
        if v not in out:
            out.append(v)
    return out


def _when(field: str, at: datetime | None, *, not_before: datetime | None = None) -> datetime:
    now = timezone.now()
    at = at or now
    if at > now + timedelta(minutes=1):
        raise _invalid(field, _("Waktu tidak boleh di masa depan."))
    if not_before is not None and at < not_before:
        raise _invalid(field, _("Waktu tidak boleh sebelum kasus datang."))
    return at


def case_facility(user: Any, person: Person | None = None) -> Facility:
    """The puskesmas a new case of `user` belongs to: their own puskesmas, a pustu's
    puskesmas, or — for a partner's referral — the puskesmas serving the victim's desa."""
    if is_protection_health_staff(user):
        facility: Facility = user.facility
        if facility.kind == FacilityKind.PUSTU and facility.parent is not None:
            return facility.parent
        return facility
    if person is not None and person.village_id:
        served = Facility.objects.filter(
            kind=FacilityKind.PUSKESMAS, service_areas=person.village_id
        ).first()
        if served is not None:
            return served
    raise _invalid("facility", _("Pilih puskesmas yang akan menangani kasus."))


def _number(facility: Facility, when: datetime) -> str:
    year = timezone.localtime(when).year
    count = Case.objects.filter(facility=facility, number__startswith=f"KTPA-{year}-").count()
    return f"KTPA-{year}-{facility.pk:04d}-{count + 1:04d}"


@_atomic_keeping_denials
def case_open(
    *,
    user: User,
    arrival_route: str,
    arrived_at: datetime | None = None,
    kinds: Iterable[str] = (),
    occurred_on: date | None = None,
    occurred_place: str = Place.UNKNOWN,
    summary: str = "",
    urgent: bool = False,
    facility: Facility | None = None,
    victim: dict[str, Any] | None = None,
    ip: str | None = None,
) -> Case:
    """Open a case with its first victim (`victim`: the fields of `party_add`). Health staff
    open it at their puskesmas and join its circle (a puskesmas worker as its officer);
    a partner's staff refer a person in: the case lands, urgent, at the puskesmas serving the
    victim (or `facility`), with no officer until the puskesmas takes it."""
    partner_id = partner_id_of(user)
    if not is_protection_health_staff(user) and partner_id is None:
        raise _denied(
            _("Peran Anda tidak boleh membuka kasus KtP/A."),
            user=user,
            action=AuditAction.DENIED,
            ip=ip,
            detail={"what": "open"},
        )
    if arrival_route not in ArrivalRoute.values:
        raise _invalid("arrival_route", _("Pilih cara kasus datang."))
    kinds = _codes("kinds", kinds, ViolenceKind, _("Jenis kekerasan tidak dikenal."))
    if occurred_place not in Place.values:
        raise _invalid("occurred_place", _("Tempat kejadian tidak dikenal."))
    arrived_at = _when("arrived_at", arrived_at)
    if occurred_on is not None and occurred_on > timezone.localdate(arrived_at):
        raise _invalid("occurred_on", _("Tanggal kejadian tidak boleh sesudah kasus datang."))
    victim = dict(victim or {})
    if partner_id is not None:
        arrival_route, urgent = ArrivalRoute.PARTNER, True
        person = victim.get("person")
        if facility is None:
            facility = case_facility(user, person)
        elif facility.kind != FacilityKind.PUSKESMAS:
            raise _invalid("facility", _("Pilih sebuah puskesmas."))
    else:
        facility = case_facility(user)
    case = Case(
        facility=facility,
        officer=user if user.role == Role.PUSKESMAS and partner_id is None else None,
        arrival_route=arrival_route,
        referred_by=Partner.objects.get(pk=partner_id) if partner_id is not None else None,
        kinds=kinds,
        occurred_on=occurred_on,
        occurred_place=occurred_place,
        summary=summary.strip(),
        urgent=urgent,
        arrived_at=arrived_at,
        retain_until=retain_until(timezone.localdate(arrived_at)),
        created_by=user,
        updated_by=user,
    )
    for _attempt in range(5):
        case.number = _number(facility, arrived_at)
        try:
            with transaction.atomic():
                case.full_clean()
                case.save()
            break
        except IntegrityError:  # two cases numbered at once: take the next number
            continue
    if partner_id is None:
        CaseAssignment.objects.create(case=case, user=user, created_by=user)
    CaseStep.objects.create(case=case, step=Step.ARRIVAL, at=arrived_at, created_by=user)
    _party_save(
        user=user, case=case, role=PartyRole.VICTIM, partner=partner_id is not None, **victim
    )
    audit_case(user=user, action=AuditAction.CREATE, case=case, ip=ip, detail={"what": "case"})
    return case


def _party_save(
    *,
    user: User,
    case: Case,
    role: str,
    partner: bool = False,
    person: Person | None = None,
    alias: str = "",
    sex: str = "",
    age_years: int | None = None,
    disabilities: Iterable[str] = (),
    accommodations: Iterable[str] = (),
    guardian_person: Person | None = None,
    guardian_name: str = "",
    relation_to_victim: str = "",
) -> CaseParty:
    if role not in PartyRole.values:
        raise _invalid("role", _("Pilih peran: korban atau terduga pelaku."))
    alias = alias.strip()
    if person is None and not alias:
        raise _invalid(
            "alias",
            _("Pilih orang terdaftar, atau tulis nama/sebutan untuk pihak tanpa identitas."),
        )
    if person is not None and not partner and not person_in_scope(user, person):
        raise _invalid(
            "person",
            _("Orang ini di luar wilayah Anda: catat tanpa identitas (nama/sebutan)."),
        )
    if sex and sex not in Sex.values:
        raise _invalid("sex", _("Jenis kelamin tidak dikenal."))
    if age_years is not None and not 0 <= age_years <= 120:
        raise _invalid("age_years", _("Umur harus antara 0 dan 120 tahun."))
    disabilities = _codes("disabilities", disabilities, Disability, _("Disabilitas tidak dikenal."))
    accommodations = _codes(
        "accommodations", accommodations, Accommodation, _("Akomodasi tidak dikenal.")
    )
    active = CaseParty.objects.active().filter(case=case)
    if person is not None and active.filter(person=person).exists():
        raise _invalid("person", _("Orang ini sudah tercatat pada kasus ini."))
    if role == PartyRole.VICTIM and guardian_person is not None:
        if active.filter(role=PartyRole.PERPETRATOR, person=guardian_person).exists():
            raise _invalid(
                "guardian_person",
                _("Terduga pelaku tidak boleh menjadi wali korban."),
            )
        if person is not None and guardian_person.pk == person.pk:
            raise _invalid("guardian_person", _("Korban tidak dapat menjadi walinya sendiri."))
    if (
        role == PartyRole.PERPETRATOR
        and person is not None
        and active.filter(role=PartyRole.VICTIM, guardian_person=person).exists()
    ):
        raise _invalid(
            "person",
            _(
                "Orang ini tercatat sebagai wali korban: ganti wali korban lebih dulu, "
                "terduga pelaku tidak boleh menjadi wali korban."
            ),
        )
    party = CaseParty(
        case=case,
        role=role,
        person=person,
        alias=alias,
        sex=sex or (person.sex if person is not None else ""),
        age_years=age_years,
        disabilities=disabilities,
        accommodations=accommodations,
        guardian_person=guardian_person,
        guardian_name=guardian_name.strip(),
        relation_to_victim=relation_to_victim.strip(),
        created_by=user,
        updated_by=user,
    )
    party.full_clean()
    party.save()
    return party


def _require_actor(user: User, case: Case, ip: str | None, what: str) -> None:
    if not may_act_on_case(user, case):
        raise _denied(
            _("Anda tidak menangani kasus ini."),
            user=user,
            action=AuditAction.DENIED,
            case=case,
            ip=ip,
            detail={"what": what},
        )


@_atomic_keeping_denials
def party_add(
    *, user: User, case: Case, role: str, ip: str | None = None, **fields: Any
) -> CaseParty:
    """Add a victim or an alleged perpetrator to `case` (its health circle only)."""
    _require_actor(user, case, ip, "party")
    party = _party_save(user=user, case=case, role=role, **fields)
    audit_case(
        user=user,
        action=AuditAction.CREATE,
        case=case,
        ip=ip,
        detail={"what": "party", "role": role},
    )
    return party


@_atomic_keeping_denials
def case_take(*, user: User, case: Case, ip: str | None = None) -> Case:
    """A puskesmas worker takes an unassigned case of their puskesmas: they become its
    officer and join its circle."""
    if not (
        is_protection_health_staff(user)
        and user.role == Role.PUSKESMAS
        and case.facility_id == user.facility_id
    ):
        raise _denied(
            _("Kasus ini bukan untuk puskesmas Anda."),
            user=user,
            action=AuditAction.DENIED,
            case=case,
            ip=ip,
            detail={"what": "take"},
        )
    taken = Case.objects.filter(pk=case.pk, officer__isnull=True).update(
        officer=user, updated_by=user, updated_at=timezone.now()
    )
    if not taken:
        raise ValidationFailed(_("Kasus ini sudah diambil petugas lain."))
    CaseAssignment.objects.get_or_create(
        case=case, user=user, removed_at=None, defaults={"created_by": user}
    )
    case.refresh_from_db()
    audit_case(user=user, action=AuditAction.UPDATE, case=case, ip=ip, detail={"what": "take"})
    return case


@_atomic_keeping_denials
def assignment_add(
    *, user: User, case: Case, member: User, ip: str | None = None
) -> CaseAssignment:
    """The case officer adds a health worker of the case's puskesmas (or its pustu) to the
    case's circle."""
    if case.officer_id != user.pk:
        raise _denied(
            _("Hanya petugas kasus yang dapat menambah petugas."),
            user=user,
            action=AuditAction.DENIED,
            case=case,
            ip=ip,
            detail={"what": "assign"},
        )
    fac = member.facility
    ok = (
        member.is_active
        and member.role in (Role.PUSKESMAS, Role.PUSTU)
        and fac is not None
        and (fac.pk == case.facility_id or fac.parent_id == case.facility_id)
    )
    if not ok:
        raise _invalid("member", _("Pilih petugas puskesmas ini atau pustu-nya."))
    if in_case_circle(member, case):
        raise _invalid("member", _("Petugas ini sudah menangani kasus ini."))
    row = CaseAssignment.objects.create(case=case, user=member, created_by=user)
    audit_case(
        user=user,
        action=AuditAction.UPDATE,
        case=case,
        ip=ip,
        detail={"what": "assign", "member": member.pk},
    )
    return row


@_atomic_keeping_denials
def step_record(
    *,
    user: User,
    case: Case,
    step: str,
    at: datetime | None = None,
    note: str = "",
    ip: str | None = None,
) -> CaseStep:
    """Record a timed step of `case` (its health circle only). Arrival, first medical
    contact and closing are recorded once; a step moves an open case into care."""
    _require_actor(user, case, ip, "step")
    if step not in Step.values or step in (Step.ARRIVAL, Step.CLOSED):
        raise _invalid("step", _("Pilih langkah penanganan."))
    if case.state == CaseState.CLOSED:
        raise _invalid("step", _("Kasus sudah ditutup."))
    at = _when("at", at, not_before=case.arrived_at)
    if step in ONCE_STEPS and CaseStep.objects.active().filter(case=case, step=step).exists():
        raise _invalid("step", _("Langkah ini sudah tercatat untuk kasus ini."))
    row = CaseStep(case=case, step=step, at=at, note=note.strip(), created_by=user, updated_by=user)
    row.full_clean()
    row.save()
    if case.state == CaseState.OPEN:
        Case.objects.filter(pk=case.pk, state=CaseState.OPEN).update(state=CaseState.IN_CARE)
    audit_case(
        user=user,
        action=AuditAction.CREATE,
        case=case,
        ip=ip,
        detail={"what": "step", "step": step},
    )
    return row


@_atomic_keeping_denials
def case_close(
    *, user: User, case: Case, note: str = "", at: datetime | None = None, ip: str | None = None
) -> Case:
    """Close a case (its officer): the closing time is a step like the others."""
    if case.officer_id != user.pk:
        raise _denied(
            _("Hanya petugas kasus yang dapat menutup kasus."),
            user=user,
            action=AuditAction.DENIED,
            case=case,
            ip=ip,
            detail={"what": "close"},
        )
    if case.state == CaseState.CLOSED:
        raise _invalid("note", _("Kasus sudah ditutup."))
    at = _when("at", at, not_before=case.arrived_at)
    CaseStep.objects.create(case=case, step=Step.CLOSED, at=at, note=note.strip(), created_by=user)
    case.state = CaseState.CLOSED
    case.closed_at = at
    case.close_note = note.strip()[:255]
    case.updated_by = user
    case.version += 1
    case.save()
    audit_case(user=user, action=AuditAction.UPDATE, case=case, ip=ip, detail={"what": "close"})
    return case


@_atomic_keeping_denials
def case_update_notes(
    *,
    user: User,
    case: Case,
    clinical_notes: str,
    partner_may_read_clinical: bool,
    version: int,
    ip: str | None = None,
) -> Case:
    """Write the clinical notes and whether the victim or guardian consented to share them
    with the partners (its health circle; an edit from an older version is refused)."""
    _require_actor(user, case, ip, "notes")
    if version != case.version:
        raise ValidationFailed(
            _("Kasus ini sudah diubah orang lain sejak Anda membukanya; muat ulang halaman.")
        )
    case.clinical_notes = clinical_notes.strip()
    case.partner_may_read_clinical = partner_may_read_clinical
    case.version += 1
    case.updated_by = user
    case.full_clean()
    case.save()
    audit_case(user=user, action=AuditAction.UPDATE, case=case, ip=ip, detail={"what": "notes"})
    return case
