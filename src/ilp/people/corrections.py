"""Correcting and voiding persons, families and pregnancies (never deleting them).

Who may: the author or a supervisor (``ilp.accounts.access.require_corrector``); the record's
person (or, for a family, one of its members) must be in the user's scope. Every correction
carries a reason (``ilp.core.corrections.Reason``) and the version the editor saw: a record
changed meanwhile raises ``EditConflict`` and nothing is written. The same checks as at
registration apply to the new values (NIK form and uniqueness, dates, address in scope).

A person renamed gets a new ``name_key`` (the search follows). A person registered twice is
voided with reason ``duplicate`` and ``duplicate_of`` pointing to the record kept; the NIK
becomes free for that record. After a change of a person's birth date, sex or address, or
their voiding, the hooks in :data:`PERSON_CHANGED` run in the same transaction (the care app
refreshes the person's work-list summary there: ``people`` does not import ``care``).

A person changes family only by :func:`person_move_family` (a registrar who sees both the
person and the family; audited as ``family_membership``), never as a side effect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ilp.accounts.access import (
    may_mark_deceased,
    may_move_person,
    person_in_scope,
    require_corrector,
)
from ilp.accounts.audit import audit_record
from ilp.accounts.models import AuditPurpose, User
from ilp.core.corrections import Reason, record_change, record_void
from ilp.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from ilp.core.models import CorrectionReason
from ilp.people.duplicates import kk_existence, nik_existence
from ilp.people.hooks import records_changed
from ilp.people.models import Family, Person, Pregnancy, PregnancyOutcome, Relationship, Sex
from ilp.people.names import name_key
from ilp.people.services import (
    PersonData,
    _check_person,
    _resolve_address,
    _today,
    nik_taken,
    pregnancy_errors,
)
from ilp.places.models import Area, FacilityKind

# Hooks run inside the transaction after a person's change or voiding (see the docstring).
PERSON_CHANGED: list[Callable[[Person], None]] = []

# The fields a person correction may change, in form order (conflicts and history show these).
PERSON_FIELDS = (
    "full_name",
    "nik",
    "sex",
    "birth_date",
    "birth_place",
    "bpjs_number",
    "phone",
    "disability",
    "relationship",
    "address",
    "rt",
    "hamlet",
    "village",
    "deceased_on",
)
FAMILY_FIELDS = ("kk_number", "address", "rt", "hamlet", "village")
PREGNANCY_FIELDS = ("lmp", "edd", "gravida", "para", "abortus", "outcome", "outcome_date")
# A change of these makes the person's work-list summary out of date.
_SUMMARY_FIELDS = frozenset({"birth_date", "sex", "village", "hamlet"})
# A change of these (and of the above) moves the person's indicator cells (ilp.monitoring).
_INDICATOR_FIELDS = frozenset({"disability", "deceased_on"})
_CARE_FACILITIES = (FacilityKind.POSYANDU, FacilityKind.PUSTU, FacilityKind.PUSKESMAS)


def recorder_facility(author_id: int | None) -> int | None:
    """The facility whose supervisors may correct what `author_id` registered: the author's
    posyandu, pustu or puskesmas (None for district staff and unknown authors: then the
    pustu/puskesmas whose area holds the person supervise)."""
    if author_id is None:
        return None
    row = (
        User.objects.filter(pk=author_id, facility__kind__in=_CARE_FACILITIES)
        .values_list("facility_id", flat=True)
        .first()
    )
    return row


def recorder_facilities(author_ids: set[int]) -> dict[int, int]:
    """`recorder_facility` of several authors at once (one query)."""
    return dict(
        User.objects.filter(pk__in=author_ids, facility__kind__in=_CARE_FACILITIES).values_list(
            "pk", "facility_id"
        )
    )


def _require(actor: User, person: Person, author_id: int | None) -> None:
    require_corrector(
        actor, person=person, author_id=author_id, facility_id=recorder_facility(author_id)
    )


def _after_person_change(person: Person) -> None:
    for hook in PERSON_CHANGED:
        hook(person)


def _audit(actor: User, action: str, kind: str, obj: Any, person_id: int | None, **detail) -> None:
    audit_record(
        user=actor,
        action=action,
        object_type=kind,
        object_uuid=obj.uuid,
        person_id=person_id,
        detail=detail,
    )


def _not_voided(record: Any) -> None:
    if record.voided_at is not None:
        raise Conflict(_("Data ini sudah dibatalkan; tidak dapat dikoreksi lagi."), code="voided")


# ---------------------------------------------------------------- persons


@dataclass
class PersonCorrection:
    """The new values of a person's correctable fields (all of them, as the form shows)."""

    data: PersonData
    area: Area | None
    address: str = ""
    deceased_on: date | None = None


def person_correct(
    *,
    actor: User,
    person: Person,
    new: PersonCorrection,
    version: int,
    reason: Reason,
    ip: str | None = None,
) -> list[str]:
    """Correct a person's identity, family relationship, address or date of death; returns
    the fields that changed. Raises PermissionDenied, ValidationFailed (per field),
    EditConflict (changed since `version`) or Conflict (NIK taken, voided)."""
    _require(actor, person, person.created_by_id)
    _not_voided(person)
    errors: dict[str, list[str]] = {}
    checked = _check_person(new.data, "", errors)
    today = _today()
    if new.deceased_on is not None:
        if new.deceased_on > today:
            errors["deceased_on"] = [_("Tanggal meninggal tidak boleh di masa depan.")]
        elif new.data.birth_date and new.deceased_on < new.data.birth_date:
            errors["deceased_on"] = [_("Tanggal meninggal sebelum tanggal lahir.")]
    if (
        new.data.sex == Sex.MALE
        and person.sex == Sex.FEMALE
        and person.pregnancies.active().exists()
    ):
        errors.setdefault("sex", []).append(
            _("Penduduk ini punya catatan kehamilan; batalkan dulu catatan kehamilannya.")
        )
    if (
        new.data.relationship == Relationship.HEAD
        and person.family_id
        and Family.objects.filter(pk=person.family_id, head__voided_at__isnull=True)
        .exclude(head=None)
        .exclude(head=person)
        .exists()
    ):
        errors.setdefault("relationship", []).append(
            _("KK ini sudah punya kepala keluarga; koreksi dulu data kepala keluarganya.")
        )
    if checked.nik and checked.nik != person.nik:
        # A new NIK: an existence check like at registration (audited, rate-limited).
        answer = nik_existence(actor, checked.nik, ip=ip, exclude_pk=person.pk)
        if answer.found:
            errors.setdefault("nik", []).append(answer.message())
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), fields=errors)
    rt, hamlet, village = _resolve_address(actor, rt=new.area, hamlet=None, village=None)
    d = checked.data
    changes: dict[str, Any] = {
        "full_name": d.full_name,
        "nik": checked.nik,
        "sex": d.sex,
        "birth_date": d.birth_date,
        "birth_place": d.birth_place.strip(),
        "bpjs_number": d.bpjs_number,
        "phone": d.phone.strip(),
        "disability": d.disability,
        "relationship": d.relationship,
        "address": new.address.strip(),
        "rt": rt,
        "hamlet": hamlet,
        "village": village,
        "deceased_on": new.deceased_on,
    }
    if d.full_name != person.full_name:
        changes["name_key"] = name_key(d.full_name)  # the search follows the new name
    if checked.nik != person.nik or d.sex != person.sex or d.birth_date != person.birth_date:
        changes["nik_flags"] = checked.flags
    try:
        with transaction.atomic():
            changed = record_change(
                person,
                actor=actor,
                changes=changes,
                reason=reason,
                expected_version=version,
                conflict_fields=PERSON_FIELDS,
            )
            changed = [name for name in changed if name not in ("name_key", "nik_flags")]
            if not changed:
                return []
            # The family's head follows the member's relationship.
            if d.relationship != Relationship.HEAD and person.family_id:
                Family.objects.filter(pk=person.family_id, head=person).update(head=None)
            elif d.relationship == Relationship.HEAD and person.family_id:
                Family.objects.filter(pk=person.family_id, head=None).update(head=person)
            if _SUMMARY_FIELDS & set(changed):
                _after_person_change(person)
            elif _INDICATOR_FIELDS & set(changed):
                records_changed([person.pk])
            _audit(actor, "update", "person", person, person.pk, fields=changed, reason=reason.code)
    except IntegrityError as exc:
        # Another user registered the same NIK between the check and the write.
        raise nik_taken() from exc
    return changed


def person_set_deceased(
    *, actor: User, person: Person, deceased_on: date | None, reason: Reason
) -> bool:
    """Set (or, `deceased_on` None, clear) a person's date of death as the consequence of a
    death record (``ilp.referrals.services``: recorded, or voided as a mistake); returns
    whether it changed. Audited, with the reason in the person's history like any
    correction; the work lists and reminders leave a deceased person out (they filter on
    ``deceased_on``) and the indicator cells are refreshed. Called inside the death's
    transaction; `actor` must be a death recorder for the person (`may_mark_deceased`)."""
    if not may_mark_deceased(actor, person):
        raise PermissionDenied(_("Anda tidak boleh mencatat kematian penduduk ini."))
    _not_voided(person)
    with transaction.atomic():
        changed = record_change(
            person, actor=actor, changes={"deceased_on": deceased_on}, reason=reason
        )
        if not changed:
            return False
        records_changed([person.pk])
        _audit(
            actor,
            "update",
            "person",
            person,
            person.pk,
            fields=changed,
            reason=reason.code,
            deceased_on=deceased_on.isoformat() if deceased_on else None,
        )
    return True


def person_void(
    *,
    actor: User,
    person: Person,
    version: int,
    reason: Reason,
    duplicate_of: Person | None = None,
    ip: str | None = None,
) -> None:
    """Void a person registered by mistake or twice (then `duplicate_of` is the record kept,
    which the user must also be allowed to see). The person stops counting everywhere; their
    records and history stay."""
    _require(actor, person, person.created_by_id)
    _not_voided(person)
    if duplicate_of is not None:
        if duplicate_of.pk == person.pk:
            raise ValidationFailed(
                _("Pilih penduduk lain sebagai data yang dipertahankan."),
                fields={"duplicate_of": [_("Tidak boleh orang yang sama.")]},
            )
        if duplicate_of.voided_at is not None or not person_in_scope(actor, duplicate_of):
            raise ValidationFailed(
                _("Data yang dipertahankan tidak ditemukan di wilayah Anda."),
                fields={"duplicate_of": [_("Tidak ditemukan di wilayah Anda.")]},
            )
        if reason.code != CorrectionReason.DUPLICATE:
            reason = Reason(CorrectionReason.DUPLICATE, reason.note)
    with transaction.atomic():
        record_void(
            person,
            actor=actor,
            reason=reason,
            expected_version=version,
            extra={"duplicate_of": duplicate_of} if duplicate_of is not None else None,
        )
        # A voided head heads no family any more (the KK keeps its other members).
        Family.objects.filter(head=person).update(head=None)
        _after_person_change(person)
        _audit(
            actor,
            "update",
            "person",
            person,
            person.pk,
            voided=True,
            reason=reason.code,
            duplicate_of=str(duplicate_of.uuid) if duplicate_of else None,
        )


# ---------------------------------------------------------------- families


def _require_family(actor: User, family: Family) -> Person:
    """A member of `family` the actor may see (whose scope decides), and the rights check."""
    from ilp.people.selectors import persons_visible

    member = persons_visible(actor).filter(family=family).first()
    if member is None:
        raise PermissionDenied(_("Keluarga ini di luar wilayah kerja Anda."))
    _require(actor, member, family.created_by_id)
    return member


def family_correct(
    *,
    actor: User,
    family: Family,
    kk_number: str,
    area: Area | None,
    address: str,
    version: int,
    reason: Reason,
) -> list[str]:
    """Correct a family's KK number or address (the members' own addresses are corrected on
    each member). Returns the fields that changed."""
    from ilp.people.identity import check_kk_number

    _require_family(actor, family)
    _not_voided(family)
    kk: str | None = None
    if kk_number and kk_number.strip():
        kk, kk_error = check_kk_number(kk_number)
        if kk_error:
            raise ValidationFailed(kk_error, fields={"kk_number": [kk_error]})
        message = kk_existence(actor, kk, exclude_pk=family.pk) if kk != family.kk_number else ""
        if message:
            raise ValidationFailed(message, fields={"kk_number": [message]})
    rt, hamlet, village = _resolve_address(actor, rt=area, hamlet=None, village=None)
    changes = {
        "kk_number": kk,
        "address": address.strip(),
        "rt": rt,
        "hamlet": hamlet,
        "village": village,
    }
    try:
        with transaction.atomic():
            changed = record_change(
                family,
                actor=actor,
                changes=changes,
                reason=reason,
                expected_version=version,
                conflict_fields=FAMILY_FIELDS,
            )
            if changed:
                _audit(actor, "update", "family", family, family.head_id, fields=changed)
    except IntegrityError as exc:
        message = _("Nomor KK ini sudah terdaftar.")
        raise Conflict(message, code="duplicate_kk", fields={"kk_number": [message]}) from exc
    return changed


# ---------------------------------------------------------------- pregnancies


def pregnancy_correct(
    *,
    actor: User,
    pregnancy: Pregnancy,
    lmp: date | None,
    edd: date | None,
    gravida: int,
    para: int,
    abortus: int,
    outcome: str,
    outcome_date: date | None,
    version: int,
    reason: Reason,
) -> list[str]:
    """Correct a pregnancy's dates, G-P-A or outcome with the checks of registration and
    closing. Returns the fields that changed."""
    person = pregnancy.person
    _require(actor, person, pregnancy.created_by_id)
    _not_voided(pregnancy)
    errors = pregnancy_errors(
        person=person,
        lmp=lmp,
        edd=edd,
        gravida=gravida,
        para=para,
        abortus=abortus,
        ongoing=outcome == PregnancyOutcome.ONGOING,
    )
    if outcome not in PregnancyOutcome.values:
        errors["outcome"] = [_("Pilih hasil kehamilan.")]
    elif outcome == PregnancyOutcome.ONGOING:
        if outcome_date is not None:
            errors["outcome_date"] = [_("Kehamilan yang berlangsung belum punya tanggal akhir.")]
        elif (
            Pregnancy.objects.active()
            .filter(person=person, outcome=PregnancyOutcome.ONGOING)
            .exclude(pk=pregnancy.pk)
            .exists()
        ):
            errors["outcome"] = [_("Ibu ini masih tercatat sedang hamil.")]
    elif outcome_date is None:
        errors["outcome_date"] = [_("Isi tanggal berakhirnya kehamilan.")]
    elif outcome_date > _today():
        errors["outcome_date"] = [_("Tanggal di masa depan.")]
    elif lmp and outcome_date < lmp:
        errors["outcome_date"] = [_("Tanggal sebelum HPHT.")]
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), fields=errors)
    changes = {
        "lmp": lmp,
        "edd": edd if edd is not None else pregnancy.edd,
        "gravida": gravida,
        "para": para,
        "abortus": abortus,
        "outcome": outcome,
        "outcome_date": outcome_date,
    }
    if edd is None and lmp is not None:
        from datetime import timedelta

        changes["edd"] = lmp + timedelta(days=280)
    try:
        with transaction.atomic():
            changed = record_change(
                pregnancy,
                actor=actor,
                changes=changes,
                reason=reason,
                expected_version=version,
                conflict_fields=PREGNANCY_FIELDS,
            )
            if changed:
                _audit(actor, "update", "pregnancy", pregnancy, person.pk, fields=changed)
                records_changed([person.pk])
    except IntegrityError as exc:
        message = _("Ibu ini masih tercatat sedang hamil.")
        raise Conflict(message, fields={"outcome": [message]}) from exc
    return changed


def pregnancy_void(*, actor: User, pregnancy: Pregnancy, version: int, reason: Reason) -> None:
    """Void a pregnancy recorded by mistake: it leaves the kohort, the ANC and KF lists and
    the special lists; its encounters stay (void them one by one if they were wrong too)."""
    _require(actor, pregnancy.person, pregnancy.created_by_id)
    _not_voided(pregnancy)
    with transaction.atomic():
        record_void(pregnancy, actor=actor, reason=reason, expected_version=version)
        _audit(actor, "update", "pregnancy", pregnancy, pregnancy.person_id, voided=True)
        records_changed([pregnancy.person_id])


# ---------------------------------------------------------------- moving between families


def person_move_family(
    *,
    actor: User,
    person: Person,
    family: Family,
    relationship: str,
    version: int,
    reason: Reason,
    ip: str | None = None,
) -> None:
    """Move `person` into `family` with `relationship`: the one way a person joins a family
    (possibly of another area), deliberate and audited. The actor must see both the person
    and the family (``ilp.accounts.access.may_move_person``); a head who leaves leaves the
    old family headless; a new head heads the family if it has none."""
    if not may_move_person(actor, person, family):
        raise PermissionDenied(
            _(
                "Hanya petugas yang wilayahnya mencakup penduduk dan keluarga tujuan yang boleh "
                "memindahkan anggota keluarga."
            )
        )
    _not_voided(person)
    _not_voided(family)
    errors: dict[str, list[str]] = {}
    if person.family_id == family.pk:
        errors["kk_number"] = [_("Penduduk ini sudah anggota keluarga ini.")]
    if relationship not in Relationship.values:
        errors["relationship"] = [_("Pilih hubungan dalam keluarga.")]
    elif relationship == Relationship.HEAD and family.head_id not in (None, person.pk):
        errors["relationship"] = [
            _("KK ini sudah punya kepala keluarga; koreksi dulu data kepala keluarganya.")
        ]
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), fields=errors)
    old_family = Family.objects.filter(pk=person.family_id).first() if person.family_id else None
    with transaction.atomic():
        record_change(
            person,
            actor=actor,
            changes={"family": family, "relationship": relationship},
            reason=reason,
            expected_version=version,
            conflict_fields=PERSON_FIELDS,
        )
        if old_family is not None:
            Family.objects.filter(pk=old_family.pk, head=person).update(head=None)
        if relationship == Relationship.HEAD:
            Family.objects.filter(pk=family.pk, head=None).update(head=person)
        audit_record(
            user=actor,
            action="update",
            object_type="family_membership",
            object_uuid=person.uuid,
            person_id=person.pk,
            ip=ip,
            purpose=AuditPurpose.REGISTRATION,
            detail={
                "from_family": str(old_family.uuid) if old_family else None,
                "to_family": str(family.uuid),
                "relationship": relationship,
                "reason": reason.code,
            },
        )
