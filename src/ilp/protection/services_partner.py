"""Writes of a case's work with partner organisations: refer the case to a partner (medical,
social, legal: UPTD PPA, LPA, police, hospital, social service), the partner's acknowledgement
("Terima rujukan") and follow-up, cancelling a referral with a reason, and the duty to inform
about suspected child abuse (Permenkes 68/2013: the health worker is *pemberi informasi*).

The health circle refers, cancels and records the information given
(``ilp.accounts.access.may_refer_case``); the staff of the partner a referral went to
acknowledge it and record what they did (``is_referral_partner``). The follow-up is due within
``ILP_PROTECTION_FOLLOW_UP_WORKING_DAYS`` working days of the referral (default 3, DOMAIN.md
§5.3 [S31]), counted by ``ilp.standards.working_days`` (weekends, national holidays and cuti
bersama skipped). A referral "refers back" to a partner that referred the person in just like
any other. Each write runs in one transaction and is audited (``ilp.protection.audit``); a
refusal is audited too.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import is_referral_partner, may_refer_case
from ilp.accounts.models import AuditAction, User
from ilp.protection.audit import audit_case
from ilp.protection.models import (
    Case,
    CaseReferral,
    CaseReferralState,
    CaseState,
    CaseStep,
    DutyToInform,
    FollowUpAction,
    InformedParty,
    InformMethod,
    Partner,
    ReferralAim,
    Step,
)
from ilp.protection.services import _atomic_keeping_denials, _denied, _invalid, _when
from ilp.standards.working_days import add_working_days


def follow_up_working_days() -> int:
    """The working days a partner has to follow a referral up (the setting, at least 0)."""
    return max(0, int(settings.ILP_PROTECTION_FOLLOW_UP_WORKING_DAYS))


def follow_up_due(sent_at: datetime) -> date:
    """The day a referral sent at `sent_at` is to be followed up by: the configured number of
    working days after the (local) day it was sent."""
    return add_working_days(timezone.localdate(sent_at), follow_up_working_days())


def _require_referrer(user: User, case: Case, ip: str | None, what: str) -> None:
    if not may_refer_case(user, case):
        raise _denied(
            _("Anda tidak menangani kasus ini."),
            user=user,
            action=AuditAction.DENIED,
            case=case,
            ip=ip,
            detail={"what": what},
        )


def _require_partner(user: User, referral: CaseReferral, ip: str | None, what: str) -> None:
    if not is_referral_partner(user, referral):
        raise _denied(
            _("Rujukan ini bukan untuk lembaga Anda."),
            user=user,
            action=AuditAction.DENIED,
            case=referral.case,
            ip=ip,
            detail={"what": what, "referral": str(referral.uuid)},
        )


def _serves_case(partner: Partner, case: Case) -> bool:
    """Whether the partner works in the area of the case's puskesmas (its district)."""
    code = case.facility.area.code
    return code == partner.area.code or code.startswith(f"{partner.area.code}.")


def _after_sending(field: str, at: datetime | None, referral: CaseReferral) -> datetime:
    at = _when(field, at)
    # Times are typed to the minute: the minute the referral was sent counts as after it.
    if at < referral.sent_at.replace(second=0, microsecond=0):
        raise _invalid(field, _("Waktu tidak boleh sebelum rujukan dikirim."))
    return at


def _locked(referral: CaseReferral) -> CaseReferral:
    return (
        CaseReferral.objects.select_for_update()
        .select_related("case", "partner")
        .get(pk=referral.pk)
    )


@_atomic_keeping_denials
def case_refer(
    *,
    user: User,
    case: Case,
    partner: Partner | None,
    aim: str,
    note: str = "",
    sent_at: datetime | None = None,
    ip: str | None = None,
) -> CaseReferral:
    """Refer `case` to `partner` for `aim` (medical, social, legal): its health circle only.
    The follow-up is due `follow_up_working_days()` working days later; the referral is a
    step of the case ("Dirujuk ke mitra") and lets the partner's staff read the case."""
    _require_referrer(user, case, ip, "referral")
    if case.state == CaseState.CLOSED:
        raise _invalid("partner", _("Kasus sudah ditutup."))
    if partner is None or not partner.active:
        raise _invalid("partner", _("Pilih lembaga mitra yang aktif."))
    if not _serves_case(partner, case):
        raise _invalid("partner", _("Lembaga ini tidak melayani wilayah puskesmas kasus ini."))
    if aim not in ReferralAim.values:
        raise _invalid("aim", _("Pilih jenis rujukan: medis, sosial atau hukum."))
    sent_at = _when("sent_at", sent_at, not_before=case.arrived_at)
    still_open = CaseReferral.objects.filter(
        case=case,
        partner=partner,
        aim=aim,
        state__in=[CaseReferralState.SENT, CaseReferralState.ACKNOWLEDGED],
    )
    if still_open.exists():
        raise _invalid(
            "partner",
            _("Kasus ini sudah dirujuk ke lembaga ini untuk jenis yang sama dan belum selesai."),
        )
    referral = CaseReferral(
        case=case,
        partner=partner,
        aim=aim,
        sent_at=sent_at,
        note=note.strip(),
        follow_up_due=follow_up_due(sent_at),
        created_by=user,
        updated_by=user,
    )
    referral.full_clean()
    referral.save()
    CaseStep.objects.create(
        case=case, step=Step.REFERRED, at=sent_at, note=partner.name[:500], created_by=user
    )
    if case.state == CaseState.OPEN:
        Case.objects.filter(pk=case.pk, state=CaseState.OPEN).update(state=CaseState.IN_CARE)
    audit_case(
        user=user,
        action=AuditAction.CREATE,
        case=case,
        ip=ip,
        detail={"what": "referral", "partner": partner.pk, "aim": aim},
    )
    return referral


@_atomic_keeping_denials
def case_referral_acknowledge(
    *, user: User, referral: CaseReferral, at: datetime | None = None, ip: str | None = None
) -> CaseReferral:
    """The partner's staff acknowledge a referral sent to their organisation."""
    _require_partner(user, referral, ip, "referral_ack")
    referral = _locked(referral)
    if referral.state == CaseReferralState.CANCELLED:
        raise _invalid("at", _("Rujukan ini sudah dibatalkan."))
    if referral.state != CaseReferralState.SENT:
        raise _invalid("at", _("Rujukan ini sudah diterima."))
    referral.acknowledged_at = _after_sending("at", at, referral)
    referral.acknowledged_by = user
    referral.state = CaseReferralState.ACKNOWLEDGED
    referral.updated_by = user
    referral.save()
    audit_case(
        user=user,
        action=AuditAction.UPDATE,
        case=referral.case,
        ip=ip,
        detail={"what": "referral_ack", "referral": str(referral.uuid)},
    )
    return referral


@_atomic_keeping_denials
def case_referral_follow_up(
    *,
    user: User,
    referral: CaseReferral,
    action: str,
    note: str = "",
    at: datetime | None = None,
    ip: str | None = None,
) -> CaseReferral:
    """The partner's staff record what they did for a referral and when (a referral not yet
    acknowledged is acknowledged with it)."""
    _require_partner(user, referral, ip, "referral_follow_up")
    referral = _locked(referral)
    if referral.state == CaseReferralState.CANCELLED:
        raise _invalid("action", _("Rujukan ini sudah dibatalkan."))
    if referral.state == CaseReferralState.FOLLOWED_UP:
        raise _invalid("action", _("Tindak lanjut rujukan ini sudah dicatat."))
    if action not in FollowUpAction.values:
        raise _invalid("action", _("Pilih tindakan yang dilakukan."))
    note = note.strip()
    if action == FollowUpAction.OTHER and not note:
        raise _invalid("note", _("Tulis tindakan yang dilakukan."))
    at = _after_sending("at", at, referral)
    if referral.acknowledged_at is None:
        referral.acknowledged_at = at
        referral.acknowledged_by = user
    referral.followed_up_at = at
    referral.followed_up_by = user
    referral.follow_up_action = action
    referral.follow_up_note = note
    referral.state = CaseReferralState.FOLLOWED_UP
    referral.updated_by = user
    referral.full_clean()
    referral.save()
    audit_case(
        user=user,
        action=AuditAction.UPDATE,
        case=referral.case,
        ip=ip,
        detail={"what": "referral_follow_up", "referral": str(referral.uuid), "action": action},
    )
    return referral


@_atomic_keeping_denials
def case_referral_cancel(
    *, user: User, referral: CaseReferral, reason: str, ip: str | None = None
) -> CaseReferral:
    """The health circle cancels a referral not followed up yet, with a reason; the partner
    no longer reads the case through it."""
    _require_referrer(user, referral.case, ip, "referral_cancel")
    referral = _locked(referral)
    reason = reason.strip()
    if not referral.open:
        raise _invalid("reason", _("Rujukan ini sudah ditindaklanjuti atau dibatalkan."))
    if not reason:
        raise _invalid("reason", _("Tulis alasan pembatalan."))
    referral.state = CaseReferralState.CANCELLED
    referral.cancelled_at = timezone.now()
    referral.cancelled_by = user
    referral.cancel_reason = reason
    referral.updated_by = user
    referral.full_clean()
    referral.save()
    audit_case(
        user=user,
        action=AuditAction.UPDATE,
        case=referral.case,
        ip=ip,
        detail={"what": "referral_cancel", "referral": str(referral.uuid)},
    )
    return referral


@_atomic_keeping_denials
def duty_to_inform_record(
    *,
    user: User,
    case: Case,
    informed: str,
    informed_name: str,
    method: str,
    informed_at: datetime | None = None,
    letter_number: str = "",
    note: str = "",
    ip: str | None = None,
) -> DutyToInform:
    """Record that `user` informed `informed` (a code, and the name or unit of the body told)
    of the suspected abuse, when and how (Permenkes 68/2013): the case's health circle."""
    _require_referrer(user, case, ip, "inform")
    if informed not in InformedParty.values:
        raise _invalid("informed", _("Pilih kepada siapa informasi diberikan."))
    informed_name = informed_name.strip()
    if not informed_name:
        message = _("Tulis nama lembaga, unit atau petugas yang diberi tahu.")
        raise _invalid("informed_name", message)
    if method not in InformMethod.values:
        raise _invalid("method", _("Pilih cara pemberitahuan: lisan atau tertulis."))
    letter_number = letter_number.strip()
    if method == InformMethod.WRITTEN and not letter_number:
        raise _invalid("letter_number", _("Tulis nomor surat pemberitahuan."))
    informed_at = _when("informed_at", informed_at, not_before=case.arrived_at)
    row = DutyToInform(
        case=case,
        informed=informed,
        informed_name=informed_name,
        informed_at=informed_at,
        method=method,
        letter_number=letter_number if method == InformMethod.WRITTEN else "",
        informed_by=user,
        note=note.strip(),
        created_by=user,
        updated_by=user,
    )
    row.full_clean()
    row.save()
    audit_case(
        user=user,
        action=AuditAction.CREATE,
        case=case,
        ip=ip,
        detail={"what": "inform", "informed": informed, "method": method},
    )
    return row
