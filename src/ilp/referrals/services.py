"""Writes of referrals: create one, and move it along its states (``ilp.standards.referral``).

Every write checks the user's right (``ilp.accounts.access``: `may_refer_from` for the
sending side, `may_receive` for the receiving one), refuses bad input with a specific message
on the field (``ValidationFailed.fields``), runs in one transaction, appends a
``ReferralEvent`` and is audited. A state change is a conditional UPDATE on the state read:
of two staff acting on the same referral at once, one wins and the other is told (Conflict).
A step's time is given by the user (when it happened; default now): never in the future, never
before the step recorded before it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ilp.accounts.access import (
    can_send_referrals,
    may_act_as_sender,
    may_receive,
    may_refer_from,
    may_refer_person,
)
from ilp.accounts.audit import audit_record
from ilp.accounts.models import AuditAction, User
from ilp.care.models import Encounter, TaskCloseReason, TaskStatus
from ilp.care.services.tasks import (
    close_back_referral_tasks,
    follow_up_facility,
    open_back_referral_task,
)
from ilp.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from ilp.people.models import Person
from ilp.places.models import Facility, FacilityKind
from ilp.referrals.models import (
    END_REASONS,
    Companion,
    EndReason,
    Referral,
    ReferralAction,
    ReferralEvent,
    ReferralKind,
    ReferralState,
    Transport,
    step_label,
)
from ilp.referrals.selectors import RECEIVING_KINDS, finding_alert
from ilp.standards import icd10, referral_findings
from ilp.standards import referral as rules


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _when(at: datetime) -> str:
    return str(formats.date_format(timezone.localtime(at), "DATETIME_FORMAT"))


def _audit(user: User, action: str, referral: Referral, detail: dict[str, Any]) -> None:
    audit_record(
        user=user,
        action=action,
        object_type="referral",
        object_uuid=referral.uuid,
        person_id=referral.person_id,
        detail=detail,
    )


def _diagnosis(field: str, code: str) -> str:
    """The code in WHO's form, "" for none; refuses an unknown one."""
    code = (code or "").strip()
    if not code:
        return ""
    found = icd10.normalise(code)
    if found is None:
        raise _invalid(
            field,
            _(
                "Kode ICD-10 %(code)s tidak dikenal (WHO ICD-10 2019): tulis kategori atau "
                "subkategori, mis. O14.1."
            )
            % {"code": code},
        )
    return found


def _target_checks(field: str, source: Facility, target: Facility) -> None:
    if target.pk == source.pk:
        raise _invalid(field, _("Rujukan tidak boleh ditujukan ke fasilitas pengirimnya sendiri."))
    if not target.is_active:
        raise _invalid(
            field,
            _("%(facility)s tidak aktif lagi; pilih fasilitas tujuan lain.") % {"facility": target},
        )
    if target.kind not in RECEIVING_KINDS:
        raise _invalid(
            field, _("Rujukan hanya dapat ditujukan ke pustu, puskesmas atau rumah sakit.")
        )


def _not_future(field: str, at: datetime, now: datetime) -> None:
    if at > now:
        raise _invalid(
            field,
            _("%(step)s tidak boleh di masa depan.") % {"step": capfirst(step_label(field))},
        )


# ---------------------------------------------------------------- create


def require_refer_from(user: User, facility: Facility) -> None:
    """PermissionDenied unless `user` sends referrals from `facility` (checked before
    anything else of a new referral, so a caller learns nothing of the person first)."""
    if not can_send_referrals(user):
        raise PermissionDenied(_("Peran Anda tidak boleh membuat rujukan."))
    if not may_refer_from(user, facility):
        raise PermissionDenied(
            _("Anda tidak bertugas di %(facility)s; rujukan dari sana tidak dapat Anda buat.")
            % {"facility": facility}
        )


def _trigger_alerts(
    encounter: Encounter | None, first_alert: str, finding_code: str
) -> list[dict[str, Any]]:
    """What the referral keeps of its trigger: the encounter's alerts (the chosen one first),
    or a work list's finding as an alert; refuses a finding that calls for no referral."""
    if encounter is not None:
        alerts = list(encounter.alerts or [])
        chosen = [a for a in alerts if isinstance(a, dict) and a.get("code") == first_alert]
        return chosen + [a for a in alerts if a not in chosen]
    if not finding_code:
        return []
    if not referral_findings.is_known(finding_code):
        raise _invalid(
            "reason", _("Temuan %(code)s tidak memerlukan rujukan.") % {"code": finding_code}
        )
    return [finding_alert(finding_code)]


def referral_create(
    *,
    user: User,
    person: Person,
    from_facility: Facility,
    to_facility: Facility | None,
    kind: str,
    reason: str,
    diagnosis_code: str = "",
    encounter: Encounter | None = None,
    detected_at: datetime | None = None,
    decided_at: datetime | None = None,
    care_given: str = "",
    transport: str = "",
    accompanied_by: str = "",
    first_alert: str = "",
    finding_code: str = "",
) -> Referral:
    """Refer `person` from `from_facility` to `to_facility`. `decided_at` (when it was
    decided to refer) defaults to now, `detected_at` (when the finding was made) to
    `decided_at`; the encounter's alerts are copied as they are now, the one coded
    `first_alert` (the alert the user referred from) first. Without an encounter, a work
    list's `finding_code` (``ilp.standards.referral_findings``) is kept as the trigger."""
    require_refer_from(user, from_facility)
    if not may_refer_person(user, person):
        raise PermissionDenied(_("Penduduk ini di luar wilayah kerja Anda."))
    if person.deceased_on is not None:
        raise _invalid(
            "person",
            _("%(name)s tercatat meninggal pada %(date)s; rujukan tidak dapat dibuat.")
            % {"name": person.full_name, "date": formats.date_format(person.deceased_on)},
        )
    if person.voided_at is not None:
        raise _invalid("person", _("Data orang ini sudah dibatalkan; rujukan tidak dapat dibuat."))
    if to_facility is None:
        raise _invalid("to_facility", _("Pilih fasilitas tujuan rujukan."))
    _target_checks("to_facility", from_facility, to_facility)
    if kind not in ReferralKind.values:
        raise _invalid("kind", _("Pilih jenis rujukan."))
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", _("Tulis alasan merujuk."))
    code = _diagnosis("diagnosis_code", diagnosis_code)
    if transport and transport not in Transport.values:
        raise _invalid("transport", _("Pilih transportasi dari daftar."))
    if accompanied_by and accompanied_by not in Companion.values:
        raise _invalid("accompanied_by", _("Pilih pendamping dari daftar."))
    if encounter is not None and (encounter.person_id != person.pk or encounter.is_voided):
        raise _invalid("encounter", _("Pelayanan pemicu bukan pelayanan orang ini."))
    trigger = _trigger_alerts(encounter, first_alert, finding_code)
    now = timezone.now()
    decided_at = decided_at or now
    detected_at = detected_at or decided_at
    _not_future("decided_at", decided_at, now)
    _not_future("detected_at", detected_at, now)
    if detected_at > decided_at:
        raise _invalid(
            "detected_at", _("Waktu temuan tidak boleh sesudah waktu diputuskan dirujuk.")
        )
    with transaction.atomic():
        referral = Referral(
            person=person,
            from_facility=from_facility,
            to_facility=to_facility,
            kind=kind,
            reason=reason,
            diagnosis_code=code,
            encounter=encounter,
            trigger_alerts=trigger,
            care_given=(care_given or "").strip(),
            transport=transport,
            accompanied_by=accompanied_by,
            state=ReferralState.CREATED,
            detected_at=detected_at,
            decided_at=decided_at,
            created_by=user,
            updated_by=user,
        )
        referral.full_clean()
        referral.save()
        ReferralEvent.objects.create(
            referral=referral,
            action=ReferralAction.CREATE,
            from_state="",
            to_state=ReferralState.CREATED,
            occurred_at=decided_at,
            by=user,
        )
        if kind == ReferralKind.BACK and from_facility.kind == FacilityKind.HOSPITAL:
            _open_follow_up(user, referral, decided_at, referral.reason)
        _audit(
            user,
            AuditAction.CREATE,
            referral,
            {
                "from": from_facility.code,
                "to": to_facility.code,
                "kind": kind,
                "diagnosis": code,
                "encounter": str(encounter.uuid) if encounter is not None else "",
            },
        )
    return referral


# ---------------------------------------------------------------- state changes


def actions_for(user: User, referral: Referral) -> list[str]:
    """The actions `user` may take on `referral` now (its state and the user's side): the
    receiving side's first (a pustu or puskesmas above the sender may be both sides, and what
    the person in front of them needs comes first)."""
    allowed = rules.allowed_actions(referral.state)
    found: list[str] = []
    if may_receive(user, referral):
        found += [a for a in allowed if rules.side_of(a) == rules.RECEIVER]
    if any(rules.side_of(a) == rules.SENDER for a in allowed) and may_act_as_sender(user, referral):
        found += [a for a in allowed if rules.side_of(a) == rules.SENDER]
    return found


def _action_label(action: str) -> str:
    return str(ReferralAction(action).label)


def _state_label(state: str) -> str:
    return str(ReferralState(state).label)


def _require_side(user: User, referral: Referral, action: str) -> None:
    if rules.side_of(action) == rules.SENDER:
        if not may_act_as_sender(user, referral):
            raise PermissionDenied(
                _(
                    "Hanya petugas %(facility)s (pengirim rujukan ini) yang boleh melakukan "
                    "tindakan “%(action)s”."
                )
                % {"facility": referral.from_facility, "action": _action_label(action)}
            )
    elif not may_receive(user, referral):
        raise PermissionDenied(
            _(
                "Hanya petugas %(facility)s (penerima rujukan ini) yang boleh melakukan "
                "tindakan “%(action)s”."
            )
            % {"facility": referral.to_facility, "action": _action_label(action)}
        )


def _require_order(referral: Referral, action: str) -> None:
    if referral.state in rules.TERMINAL:
        raise Conflict(
            _("Rujukan ini sudah berakhir (%(state)s) dan tidak dapat diubah lagi.")
            % {"state": _state_label(referral.state)},
            code="referral_ended",
        )
    sources = rules.TRANSITIONS[action][0]
    if referral.state not in sources:
        allowed = ", ".join(_state_label(s) for s in rules.STATES if s in sources)
        raise Conflict(
            _(
                "Tindakan “%(action)s” tidak dapat dilakukan pada rujukan berstatus "
                "%(state)s; hanya dari status: %(allowed)s."
            )
            % {
                "action": _action_label(action),
                "state": _state_label(referral.state),
                "allowed": allowed,
            },
            code="invalid_transition",
        )


def _require_time(referral: Referral, action: str, at: datetime, now: datetime) -> None:
    field = rules.STEP_FIELD[action]
    if at > now:
        raise _invalid("occurred_at", _("Waktu kejadian tidak boleh di masa depan."))
    earlier = rules.earlier_step(referral.stamps(), field)  # type: ignore[arg-type]
    if earlier is not None and at < earlier[1]:
        raise _invalid(
            "occurred_at",
            _("Waktu kejadian tidak boleh sebelum %(step)s (%(time)s).")
            % {"step": step_label(earlier[0]), "time": _when(earlier[1])},
        )


def _end_reason(action: str, end_reason: str, note: str) -> None:
    if end_reason not in END_REASONS[action]:
        raise _invalid("end_reason", _("Pilih alasannya dari daftar."))
    if end_reason == EndReason.OTHER and not note:
        raise _invalid("note", _("Alasan “Lainnya” perlu dijelaskan di catatan."))


def referral_act(
    *,
    user: User,
    referral: Referral,
    action: str,
    occurred_at: datetime | None = None,
    note: str = "",
    end_reason: str = "",
    redirect_to: Facility | None = None,
    answer_diagnosis_code: str = "",
    answer_care: str = "",
    answer_advice: str = "",
    back_referral_plan: str = "",
    expected_state: str = "",
) -> Referral:
    """Take one step on `referral` (``ilp.standards.referral.TRANSITIONS``): the sender
    records the departure, cancels or closes; the receiver receives, handles, answers
    (the care given required; diagnosis, advice and rujuk balik plan as known), refuses,
    redirects (to `redirect_to`: a new linked referral) or records that the person did not
    arrive. Ends need a reason code (``END_REASONS``). `expected_state`: the state the
    caller saw (a machine client's If-Match); another one now is a Conflict, as is a change
    made by someone else between this read and the write. Returns the referral as stored."""
    if action not in rules.TRANSITIONS:
        raise _invalid("action", _("Tindakan tidak dikenal."))
    _require_side(user, referral, action)
    if expected_state and expected_state != referral.state:
        raise Conflict(
            _(
                "Rujukan ini sudah diubah: statusnya sekarang %(state)s, bukan %(expected)s; "
                "baca lagi rujukannya lalu putuskan."
            )
            % {
                "state": _state_label(referral.state),
                "expected": _state_label(expected_state)
                if expected_state in ReferralState.values
                else expected_state,
            },
            code="state_changed",
        )
    _require_order(referral, action)
    now = timezone.now()
    at = occurred_at or now
    _require_time(referral, action, at, now)
    note = (note or "").strip()
    target = rules.TRANSITIONS[action][1]
    changes: dict[str, Any] = {rules.STEP_FIELD[action]: at}
    detail: dict[str, Any] = {}
    if action in END_REASONS:
        _end_reason(action, end_reason, note)
        changes.update(end_reason=end_reason, end_note=note)
        detail["reason"] = end_reason
    onward_from = None
    if action == "redirect":
        if redirect_to is None:
            raise _invalid("redirect_to", _("Pilih fasilitas tujuan pengalihan."))
        if redirect_to.pk == referral.to_facility_id:
            raise _invalid(
                "redirect_to", _("Pengalihan harus ke fasilitas lain, bukan ke fasilitas ini.")
            )
        # The onward leg starts where the person is: here once received, else still at the sender.
        received = referral.state == ReferralState.RECEIVED
        onward_from = referral.to_facility if received else referral.from_facility
        _target_checks("redirect_to", onward_from, redirect_to)
        detail["redirect_to"] = redirect_to.code
    if action == "answer":
        answer_care = (answer_care or "").strip()
        if not answer_care:
            raise _invalid("answer_care", _("Tulis tindakan yang diberikan."))
        code = _diagnosis("answer_diagnosis_code", answer_diagnosis_code)
        changes.update(
            answer_diagnosis_code=code,
            answer_care=answer_care,
            answer_advice=(answer_advice or "").strip(),
            back_referral_plan=(back_referral_plan or "").strip(),
        )
        detail["diagnosis"] = code
    with transaction.atomic():
        before = referral.state
        moved = Referral.objects.filter(pk=referral.pk, state=before).update(
            state=target, updated_by=user, updated_at=now, **changes
        )
        if not moved:
            current = Referral.objects.filter(pk=referral.pk).values_list("state", flat=True)
            raise Conflict(
                _(
                    "Rujukan ini baru saja diubah oleh petugas lain (statusnya sekarang "
                    "%(state)s); muat ulang halaman dan periksa lagi."
                )
                % {"state": _state_label(current[0])},
                code="state_changed",
            )
        if onward_from is not None and redirect_to is not None:
            onward = _onward_leg(user, referral, onward_from, redirect_to, at)
            detail["onward"] = str(onward.uuid)
        _follow_up(user, referral, action, at, changes.get("back_referral_plan", ""))
        ReferralEvent.objects.create(
            referral=referral,
            action=action,
            from_state=before,
            to_state=target,
            occurred_at=at,
            by=user,
            note=note,
            detail=detail,
        )
        _audit(
            user,
            AuditAction.UPDATE,
            referral,
            {"action": action, "from": before, "to": target, **detail},
        )
    referral.refresh_from_db()
    return referral


def _onward_leg(
    user: User, referral: Referral, source: Facility, target: Facility, at: datetime
) -> Referral:
    """The new leg a redirect opens: the same person, kind, reason, diagnosis and findings,
    decided at the time of the redirect."""
    onward = Referral(
        person_id=referral.person_id,
        from_facility=source,
        to_facility=target,
        kind=referral.kind,
        reason=referral.reason,
        diagnosis_code=referral.diagnosis_code,
        encounter_id=referral.encounter_id,
        trigger_alerts=referral.trigger_alerts,
        care_given=referral.care_given,
        transport=referral.transport,
        accompanied_by=referral.accompanied_by,
        state=ReferralState.CREATED,
        detected_at=referral.detected_at,
        decided_at=at,
        previous=referral,
        created_by=user,
        updated_by=user,
    )
    onward.save()
    ReferralEvent.objects.create(
        referral=onward,
        action=ReferralAction.CREATE,
        from_state="",
        to_state=ReferralState.CREATED,
        occurred_at=at,
        by=user,
        detail={"previous": str(referral.uuid)},
    )
    _audit(
        user,
        AuditAction.CREATE,
        onward,
        {"from": source.code, "to": target.code, "previous": str(referral.uuid)},
    )
    return onward


# ---------------------------------------------------------------- rujuk balik follow-up


def _follow_up(user: User, referral: Referral, action: str, at: datetime, plan: str) -> None:
    """What a step does to the rujuk balik follow-up on the work lists: an answer with a plan
    opens it; a back referral received at primary care closes it as done (the person was
    seen), one cancelled closes it as not needed."""
    if action == "answer" and plan and referral.kind != ReferralKind.BACK:
        _open_follow_up(user, referral, at, plan)
    elif referral.kind == ReferralKind.BACK and action == "receive":
        close_back_referral_tasks(
            referral.uuid, actor=user, status=TaskStatus.DONE, reason=TaskCloseReason.VISITED
        )
    elif referral.kind == ReferralKind.BACK and action == "cancel":
        close_back_referral_tasks(
            referral.uuid,
            actor=user,
            status=TaskStatus.CANCELLED,
            reason=TaskCloseReason.NO_LONGER_NEEDED,
        )


def _open_follow_up(user: User, referral: Referral, at: datetime, plan: str) -> None:
    """Open "Kontrol rujuk balik" for the referral's person, due
    ``ILP_BACK_REFERRAL_FOLLOW_UP_DAYS`` after `at` (the answer, or the hospital's decision to
    send them back), owned by the lowest primary-care facility serving them."""
    person = referral.person
    # The side that answered (the receiver) or sent the person back (the sender).
    back = referral.kind == ReferralKind.BACK
    hospital = referral.from_facility if back else referral.to_facility
    primary = referral.to_facility if back else referral.from_facility
    on = timezone.localdate(at)
    open_back_referral_task(
        actor=user,
        person=person,
        facility=follow_up_facility(person, primary),
        referral_uuid=referral.uuid,
        hospital=hospital.name,
        answered_on=on,
        due_date=rules.follow_up_due(on, settings.ILP_BACK_REFERRAL_FOLLOW_UP_DAYS),
        plan=plan,
    )
