"""Writes of maternal and perinatal deaths: record one, record its notification later, void
one recorded by mistake.

Recording checks the user's right (``ilp.accounts.access.may_record_death``) and the facts
against the rules of ``ilp.standards.deaths`` (a maternal death is a woman's, while pregnant or
within 42 days of the pregnancy's end; a stillbirth ends a pregnancy of at least 28 weeks; a
neonatal death is a baby's under 28 days; never before birth nor in the future; one death per
person, one stillbirth per pregnancy), each refusal a specific message on its field. The
person who died gets their date of death through ``ilp.people.corrections`` (audited, in their
history), so every work list and reminder leaves them out; a voided death restores them.

Then the hooks of :data:`DEATH_RECORDED` run in the same transaction: ``ilp.evaluation`` opens
the death's AMP-SR review there (this app does not import evaluation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import may_record_death
from ilp.accounts.audit import audit_record
from ilp.accounts.models import AuditAction, User
from ilp.core.corrections import Reason, record_change, record_void
from ilp.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from ilp.core.models import CorrectionReason
from ilp.people.corrections import person_set_deceased
from ilp.people.models import Person, Pregnancy, PregnancyOutcome, Sex
from ilp.places.models import Facility
from ilp.referrals.models import FACILITY_PLACES, Death, DeathKind, DeathPlace, Referral
from ilp.standards import deaths as rules
from ilp.standards import icd10
from ilp.standards.pregnancy import gestational_age
from ilp.standards.result import OutOfRange

# Hooks run inside the transaction after a death is recorded: f(death, user).
DEATH_RECORDED: list[Callable[[Death, User], None]] = []


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _audit(user: User, action: str, death: Death, detail: dict[str, Any]) -> None:
    audit_record(
        user=user,
        action=action,
        object_type="death",
        object_uuid=death.uuid,
        person_id=death.person_id,
        detail=detail,
    )


@dataclass(frozen=True)
class DeathData:
    """What a death record says (parsed by the form or the caller)."""

    kind: str
    died_at: datetime | None
    place: str
    facility: Facility | None = None
    pregnancy: Pregnancy | None = None
    cause_code: str = ""
    referral: Referral | None = None
    care_path_note: str = ""
    notified_by_facility: Facility | None = None
    notified_by_name: str = ""
    notified_at: datetime | None = None


def _cause(code: str) -> str:
    code = (code or "").strip()
    if not code:
        return ""
    found = icd10.normalise(code)
    if found is None:
        raise _invalid(
            "cause_code",
            _("Kode ICD-10 %(code)s tidak dikenal (WHO ICD-10 2019): tulis mis. O72.1.")
            % {"code": code},
        )
    return found


def _check_pregnancy(person: Person, data: DeathData, died_on: Any) -> Pregnancy:
    """The pregnancy a maternal death or a stillbirth belongs to (see the module docstring)."""
    if person.sex != Sex.FEMALE:
        raise _invalid("kind", _("Kematian ibu dan lahir mati hanya dicatat untuk perempuan."))
    pregnancies = person.pregnancies.active()
    if data.pregnancy is None:
        if not pregnancies.exists():
            raise _invalid(
                "pregnancy",
                _(
                    "%(name)s tidak punya catatan kehamilan; catat dulu kehamilannya di halaman "
                    "penduduk."
                )
                % {"name": person.full_name},
            )
        raise _invalid("pregnancy", _("Pilih kehamilan yang berakhir dengan kematian ini."))
    pregnancy = data.pregnancy
    if pregnancy.person_id != person.pk or pregnancy.voided_at is not None:
        raise _invalid("pregnancy", _("Kehamilan ini bukan kehamilan orang ini."))
    if pregnancy.lmp is not None and died_on < pregnancy.lmp:
        raise _invalid("died_at", _("Waktu meninggal tidak boleh sebelum HPHT kehamilan ini."))
    ongoing = pregnancy.outcome == PregnancyOutcome.ONGOING
    if data.kind == DeathKind.MATERNAL:
        end = None if ongoing else pregnancy.outcome_date
        if end is not None and died_on < end:
            end = None  # died before the recorded end: still pregnant at death
        if not rules.is_maternal(died_on, end):
            raise _invalid(
                "died_at",
                _(
                    "Kehamilan ini berakhir pada %(date)s, lebih dari %(days)s hari sebelum "
                    "kematian: bukan kematian ibu (WHO ICD-10)."
                )
                % {
                    "date": formats.date_format(pregnancy.outcome_date or died_on),
                    "days": rules.MATERNAL_DAYS_AFTER_END,
                },
            )
        return pregnancy
    if not ongoing and pregnancy.outcome != PregnancyOutcome.STILLBIRTH:
        raise _invalid(
            "pregnancy",
            _("Kehamilan ini tercatat berakhir “%(outcome)s”, bukan lahir mati.")
            % {"outcome": PregnancyOutcome(pregnancy.outcome).label},
        )
    weeks = None
    if pregnancy.lmp is not None:
        try:
            weeks = gestational_age(died_on, lmp=pregnancy.lmp).weeks
        except OutOfRange:
            weeks = None
    if not rules.is_stillbirth(weeks):
        raise _invalid(
            "pregnancy",
            _(
                "Umur kehamilan %(weeks)s minggu: di bawah %(min)s minggu dicatat sebagai "
                "keguguran, bukan lahir mati (WHO)."
            )
            % {"weeks": weeks, "min": rules.STILLBIRTH_MIN_WEEKS},
        )
    if Death.objects.active().filter(pregnancy=pregnancy, kind=DeathKind.STILLBIRTH).exists():
        raise _invalid("pregnancy", _("Lahir mati dari kehamilan ini sudah dicatat."))
    return pregnancy


def _check_place(data: DeathData) -> Facility | None:
    if data.place not in DeathPlace.values:
        raise _invalid("place", _("Pilih tempat meninggal."))
    kind = FACILITY_PLACES.get(DeathPlace(data.place))
    if kind is not None:
        if data.facility is None:
            raise _invalid("facility", _("Pilih fasilitas tempat meninggal."))
        if data.facility.kind != kind:
            raise _invalid(
                "facility",
                _("%(facility)s bukan %(place)s.")
                % {"facility": data.facility, "place": DeathPlace(data.place).label},
            )
        return data.facility
    if data.place == DeathPlace.OTHER_FACILITY:
        return data.facility
    if data.facility is not None:
        raise _invalid(
            "facility",
            _("Meninggal di rumah atau dalam perjalanan: kosongkan fasilitasnya."),
        )
    return None


def _check_times(person: Person, data: DeathData, now: datetime) -> datetime:
    died_at = data.died_at
    if died_at is None:
        raise _invalid("died_at", _("Isi waktu meninggal."))
    if died_at > now:
        raise _invalid("died_at", _("Waktu meninggal tidak boleh di masa depan."))
    died_on = timezone.localtime(died_at).date()
    if died_on < person.birth_date:
        raise _invalid(
            "died_at",
            _("Waktu meninggal tidak boleh sebelum tanggal lahir (%(date)s).")
            % {"date": formats.date_format(person.birth_date)},
        )
    if data.notified_at is not None:
        if data.notified_at > now:
            raise _invalid("notified_at", _("Waktu notifikasi tidak boleh di masa depan."))
        if data.notified_at < died_at:
            raise _invalid("notified_at", _("Waktu notifikasi tidak boleh sebelum kematian."))
    return died_at


def death_record(*, user: User, person: Person, data: DeathData) -> Death:
    """Record a death (see the module docstring); returns it, its review opened."""
    if data.kind not in DeathKind.values:
        raise _invalid("kind", _("Pilih jenis kematian."))
    facility = _check_place(data)
    if not may_record_death(user, person, facility):
        raise PermissionDenied(_("Anda tidak boleh mencatat kematian penduduk ini di sini."))
    if person.voided_at is not None:
        raise _invalid("person", _("Data orang ini sudah dibatalkan; kematian tidak dicatat."))
    now = timezone.now()
    died_at = _check_times(person, data, now)
    died_on = timezone.localtime(died_at).date()
    pregnancy = None
    if data.kind == DeathKind.NEONATAL:
        age = rules.age_in_days(person.birth_date, died_on)
        if not rules.is_neonatal(person.birth_date, died_on):
            raise _invalid(
                "kind",
                _(
                    "Umur %(name)s saat meninggal %(days)s hari: kematian neonatal hanya di "
                    "bawah %(limit)s hari."
                )
                % {"name": person.full_name, "days": age, "limit": rules.NEONATAL_DAYS},
            )
    else:
        pregnancy = _check_pregnancy(person, data, died_on)
    counted = Death.objects.active().filter(person=person).exclude(kind=DeathKind.STILLBIRTH)
    if data.kind != DeathKind.STILLBIRTH and counted.exists():
        raise _invalid("kind", _("Kematian orang ini sudah dicatat."))
    cause = _cause(data.cause_code)
    if data.referral is not None and data.referral.person_id != person.pk:
        raise _invalid("referral", _("Rujukan ini bukan rujukan orang ini."))
    death = Death(
        person=person,
        kind=data.kind,
        pregnancy=pregnancy,
        died_at=died_at,
        place=data.place,
        facility=facility,
        cause_code=cause,
        referral=data.referral,
        care_path_note=(data.care_path_note or "").strip(),
        notified_by_facility=data.notified_by_facility,
        notified_by_name=(data.notified_by_name or "").strip(),
        notified_at=data.notified_at,
        created_by=user,
        updated_by=user,
    )
    try:
        with transaction.atomic():
            death.save()
            if death.marks_deceased:
                person_set_deceased(
                    actor=user,
                    person=person,
                    deceased_on=died_on,
                    reason=Reason(CorrectionReason.NEW_INFORMATION, f"death {death.uuid}"),
                )
            for hook in DEATH_RECORDED:
                hook(death, user)
            _audit(
                user,
                AuditAction.CREATE,
                death,
                {"kind": death.kind, "place": death.place, "cause": cause},
            )
    except IntegrityError as exc:
        # Another user recorded the same death between the check and the write.
        raise _invalid("kind", _("Kematian orang ini sudah dicatat.")) from exc
    return death


def death_notify(
    *,
    user: User,
    death: Death,
    notified_at: datetime | None,
    by_facility: Facility | None,
    by_name: str = "",
) -> Death:
    """Record when (and by whom) a death recorded without it was notified; a notification
    recorded already is not overwritten (Conflict)."""
    if not may_record_death(user, death.person, death.facility):
        raise PermissionDenied(_("Anda tidak boleh mengubah catatan kematian ini."))
    if death.voided_at is not None:
        raise Conflict(_("Catatan kematian ini sudah dibatalkan."))
    if death.notified_at is not None:
        raise Conflict(_("Notifikasi kematian ini sudah tercatat."))
    now = timezone.now()
    if notified_at is None:
        raise _invalid("notified_at", _("Isi waktu notifikasi."))
    if notified_at > now:
        raise _invalid("notified_at", _("Waktu notifikasi tidak boleh di masa depan."))
    if notified_at < death.died_at:
        raise _invalid("notified_at", _("Waktu notifikasi tidak boleh sebelum kematian."))
    with transaction.atomic():
        record_change(
            death,
            actor=user,
            changes={
                "notified_at": notified_at,
                "notified_by_facility": by_facility,
                "notified_by_name": (by_name or "").strip(),
            },
            reason=Reason(CorrectionReason.NEW_INFORMATION),
        )
        _audit(user, AuditAction.UPDATE, death, {"notified_at": notified_at.isoformat()})
    return death


def death_void(*, user: User, death: Death, reason: Reason) -> Death:
    """Void a death recorded by mistake (the row and its history stay); the person's date of
    death is cleared again unless another counted death of theirs holds it."""
    if not may_record_death(user, death.person, death.facility):
        raise PermissionDenied(_("Anda tidak boleh membatalkan catatan kematian ini."))
    if death.voided_at is not None:
        raise Conflict(_("Catatan kematian ini sudah dibatalkan."))
    person = death.person
    with transaction.atomic():
        record_void(death, actor=user, reason=reason)
        still_dead = (
            Death.objects.active().filter(person=person).exclude(kind=DeathKind.STILLBIRTH).exists()
        )
        if death.marks_deceased and not still_dead:
            person.refresh_from_db()
            person_set_deceased(actor=user, person=person, deceased_on=None, reason=reason)
        _audit(user, AuditAction.UPDATE, death, {"voided": True, "reason": reason.code})
    return death
