"""Correcting and voiding care records: encounters, their measurements, immunisation doses;
and doses copied from the KIA book.

Who may: the author (``recorded_by`` / ``created_by``) or a supervisor of the facility the
record was made at (``ilp.accounts.access.require_corrector``), for a person in scope. Every
change carries a reason and the version the editor saw (``ilp.core.corrections``).

Correcting a measurement re-runs the package evaluation of its encounter
(:func:`encounter_reevaluate`, the one call into the evaluation) on the encounter's input
with the corrected values, refuses impossible values and asks to confirm unusual ones as
recording does, then in one transaction: the encounter's results, alerts and flag; its
observations (changed rows keep their history, a removed value is voided); its screenings;
its follow-up tasks (a finding that disappeared closes the task it opened, a new finding opens
one); the person's work-list summary. Voiding an encounter voids everything it holds,
closes its open tasks and reopens the tasks it had closed (``ilp.care.services.tasks``).
Voiding or correcting a dose recomputes the child's dose windows, so the dose is due again
on the work list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import require_corrector, require_recording_for
from ilp.accounts.audit import audit_record
from ilp.accounts.models import User
from ilp.care.evaluation.engine import evaluate
from ilp.care.evaluation.history import load_history
from ilp.care.evaluation.outcome import Evaluation
from ilp.care.models import (
    DoseSource,
    Encounter,
    ImmunizationRecord,
    Observation,
    Screening,
    Supply,
    Task,
    TaskCloseReason,
    TaskStatus,
)
from ilp.care.services import plausibility as P
from ilp.care.services.encounters import (
    _observations,
    _open_tasks,
    require_storable,
    results_snapshot,
)
from ilp.care.services.summary import summaries_refresh
from ilp.care.services.tasks import (
    cancel_tasks,
    close_satisfied_tasks,
    reopen_tasks_closed_by,
)
from ilp.care.texts import dose_state_reason
from ilp.core.corrections import Reason, record_change, record_void, void_rows
from ilp.core.exceptions import Conflict, ValidationFailed
from ilp.core.history import write_baseline
from ilp.core.texts import Text
from ilp.people.models import Person
from ilp.standards import immunization as imm
from ilp.standards.result import OutOfRange

# The encounter fields a correction changes (its history and conflicts show these).
ENCOUNTER_FIELDS = ("results", "alerts", "flagged", "values")
OBSERVATION_FIELDS = ("value", "value_text", "flagged")
DOSE_FIELDS = (
    "dose_code",
    "date",
    "lot_number",
    "expiry_date",
    "valid",
    "invalid_reason_code",
    "invalid_reason_params",
)
# Measurement kinds a correction form offers (questionnaires are recorded anew).
_MEASURED = ("number", "int")


def _audit(actor: User, action: str, kind: str, record: Any, person_id: int, detail: dict) -> None:
    audit_record(
        user=actor,
        action=action,
        object_type=kind,
        object_uuid=record.uuid,
        person_id=person_id,
        detail=detail,
    )


def _voided_conflict() -> Conflict:
    return Conflict(_("Data ini sudah dibatalkan; tidak dapat dikoreksi lagi."), code="voided")


# ---------------------------------------------------------------- evaluation of a correction


def encounter_values(encounter: Encounter) -> dict[str, Any]:
    """The input the encounter's evaluation ran on: the stored values, or for an encounter
    stored before they were kept, what its measurements say (questionnaire answers of such
    an encounter are not rebuilt). The doses are the encounter's doses that count."""
    doses = [
        {"dose_code": d.dose_code, "lot_number": d.lot_number, "expiry_date": d.expiry_date}
        for d in encounter.immunizations.active().order_by("pk")
    ]
    if encounter.values:
        values = {k: v for k, v in encounter.values.items() if k != "doses"}
    else:
        values = {}
        for obs in encounter.observations.active():
            spec = P.SPECS.get(obs.code)
            if spec is None or not spec.observe:
                continue  # derived values (BMI, gestational age) are computed again
            if spec.kind in _MEASURED:
                values[obs.code] = obs.value
            elif spec.kind == "bool":
                values[obs.code] = obs.value_text == "true"
            else:
                values[obs.code] = obs.value_text
            if obs.code == "height" and obs.loinc:
                values["measured"] = "lying" if obs.loinc == P.LOINC_LENGTH_LYING else "standing"
        if encounter.visit_number is not None:
            values["visit_number"] = encounter.visit_number
    if doses:
        values["doses"] = doses
    return values


def encounter_reevaluate(encounter: Encounter, values: dict[str, Any]) -> Evaluation:
    """The package evaluation of `encounter` on `values`, as if recorded now with them: its
    own records are not its history. The one call into the evaluation (``eval`` may swap the
    entry point here)."""
    history = load_history(
        encounter.person, encounter.date, encounter.package, pregnancy=encounter.pregnancy
    )
    if encounter.visit_number is not None:
        history.anc_visits.discard(encounter.visit_number)
    own = {(d.dose_code, d.date) for d in encounter.immunizations.all()}
    history.doses = [d for d in history.doses if (d[0], d[1]) not in own]
    return evaluate(
        person=encounter.person,
        on=encounter.date,
        package=encounter.package,
        values=values,
        history=history,
    )


def correctable_measurements(encounter: Encounter) -> list[str]:
    """The measured values of the encounter a correction form offers, in SPECS order."""
    values = encounter_values(encounter)
    return [
        key
        for key, spec in P.SPECS.items()
        if spec.kind in _MEASURED and spec.observe and key in values
    ]


# ---------------------------------------------------------------- encounters


def _require(actor: User, encounter: Encounter) -> None:
    require_corrector(
        actor,
        person=encounter.person,
        author_id=encounter.recorded_by_id,
        facility_id=encounter.facility_id,
    )


@dataclass(frozen=True)
class CorrectionResult:
    encounter: Encounter
    evaluation: Evaluation
    changed: bool


def encounter_correct(
    *,
    actor: User,
    encounter: Encounter,
    changes: dict[str, Any],
    version: int,
    reason: Reason,
    confirm_unusual: bool = False,
) -> CorrectionResult:
    """Correct measured values of an encounter (``{key: new value}``; ``None`` removes the
    value, e.g. a height that was not measured) and re-run its evaluation (see the module
    docstring). Raises PermissionDenied, ValidationFailed (per field; code
    ``needs_confirmation`` for unusual values not confirmed), EditConflict."""
    _require(actor, encounter)
    if encounter.voided_at is not None:
        raise _voided_conflict()
    values = encounter_values(encounter)
    offered = set(correctable_measurements(encounter)) | {"measured"}
    unknown = sorted(set(changes) - offered)
    if unknown:
        raise ValidationFailed(
            _("Periksa kembali isian yang ditandai."),
            fields={key: [_("Nilai ini tidak tercatat pada pelayanan ini.")] for key in unknown},
        )
    for key, value in changes.items():
        if value is None or value == "":
            values.pop(key, None)
            if key == "height":
                values.pop("measured", None)  # how a length was measured goes with it
        else:
            values[key] = value
    ev = encounter_reevaluate(encounter, values)
    require_storable(ev, confirm_unusual=confirm_unusual)
    complete = bool(encounter.values)
    stored_values = {k: v for k, v in ev.values.items() if k != "doses"}
    with transaction.atomic():
        changed = record_change(
            encounter,
            actor=actor,
            changes={
                "results": results_snapshot(ev),
                "alerts": ev.alerts,
                "flagged": bool(ev.warnings),
                "values": stored_values,
            },
            reason=reason,
            expected_version=version,
            conflict_fields=ENCOUNTER_FIELDS,
        )
        if not changed:
            return CorrectionResult(encounter, ev, changed=False)
        _sync_observations(encounter, ev, actor, reason)
        _sync_screenings(encounter, ev, actor, reason, complete=complete)
        _follow_tasks(actor, encounter, ev, complete=complete)
        # The tasks this encounter closed are judged again on the corrected values.
        reopen_tasks_closed_by(encounter, actor=actor)
        close_satisfied_tasks(encounter, actor=actor)
        summaries_refresh([encounter.person_id])
        _audit(
            actor,
            "update",
            "encounter",
            encounter,
            encounter.person_id,
            {"fields": sorted(changes), "reason": reason.code},
        )
    return CorrectionResult(encounter, ev, changed=True)


def _sync_observations(encounter: Encounter, ev: Evaluation, actor: User, reason: Reason) -> None:
    """Make the encounter's observations what the evaluation measured: a changed value is
    saved with its history, a value no longer there is voided, a new one is added."""
    wanted = {o.code: o for o in _observations(encounter, encounter.person, encounter.date, ev)}
    stored = {o.code: o for o in encounter.observations.active()}
    for code, obs in stored.items():
        new = wanted.pop(code, None)
        if new is None:
            record_void(obs, actor=actor, reason=reason)
            continue
        same = (obs.value, obs.value_text, obs.flagged, obs.loinc) == (
            new.value,
            new.value_text,
            new.flagged,
            new.loinc,
        )
        if same:
            continue
        write_baseline(obs)
        obs.value, obs.value_text, obs.flagged, obs.loinc = (
            new.value,
            new.value_text,
            new.flagged,
            new.loinc,
        )
        obs._history_user = actor
        obs._change_reason = reason.code
        obs._change_note = reason.note
        obs.save(update_fields=["value", "value_text", "flagged", "loinc"])
    if wanted:
        Observation.objects.bulk_create(wanted.values())


def _sync_screenings(
    encounter: Encounter, ev: Evaluation, actor: User, reason: Reason, *, complete: bool
) -> None:
    """Screening rows follow the evaluation. For an encounter whose input was rebuilt from its
    measurements (``complete`` false) the questionnaires were not re-run, so their rows stay."""
    wanted = {s["instrument"]: s for s in ev.screenings}
    stored = {s.instrument: s for s in encounter.screenings.active()}
    fields = ("answers", "score", "result_code", "label_code", "label_params", "abnormal")
    for instrument, row in stored.items():
        new = wanted.pop(instrument, None)
        if new is None:
            if complete:
                void_rows(Screening.objects.filter(pk=row.pk), actor=actor, reason=reason)
            continue
        if any(getattr(row, f) != new[f] for f in fields):
            for f in fields:
                setattr(row, f, new[f])
            row.save(update_fields=list(fields))
    Screening.objects.bulk_create(
        [
            Screening(encounter=encounter, person_id=encounter.person_id, date=encounter.date, **s)
            for s in wanted.values()
        ]
    )


def _task_key(kind: str, reason: Any) -> tuple[str, Any]:
    # Codes with parameters (``Text``): never compared as rendered sentences.
    return (kind, reason)


def _follow_tasks(actor: User, encounter: Encounter, ev: Evaluation, *, complete: bool) -> None:
    """A finding the corrected evaluation no longer makes closes the open task it opened
    (cancelled); a new finding opens its task (deduplicated as at recording)."""
    if complete:
        still = {_task_key(t.kind, t.reason) for t in ev.tasks}
        stale = [
            t.pk
            for t in Task.objects.filter(source_encounter=encounter, status=TaskStatus.OPEN)
            if _task_key(t.kind, t.reason) not in still
        ]
        cancel_tasks(
            Task.objects.filter(pk__in=stale),
            actor=actor,
            reason=TaskCloseReason.FINDING_CORRECTED,
        )
    _open_tasks(
        actor=actor,
        person=encounter.person,
        on=encounter.date,
        facility=encounter.facility,
        ev=ev,
        encounter=encounter,
    )


def encounter_void(*, actor: User, encounter: Encounter, version: int, reason: Reason) -> None:
    """Void an encounter recorded by mistake (wrong person, wrong date, not done, twice):
    it and everything it holds stop counting; the tasks it opened are closed."""
    _require(actor, encounter)
    if encounter.voided_at is not None:
        raise _voided_conflict()
    with transaction.atomic():
        record_void(encounter, actor=actor, reason=reason, expected_version=version)
        for model in (Observation, Screening, Supply, ImmunizationRecord):
            void_rows(model.objects.filter(encounter=encounter), actor=actor, reason=reason)
        cancel_tasks(
            Task.objects.filter(source_encounter=encounter),
            actor=actor,
            reason=TaskCloseReason.SOURCE_VOIDED,
        )
        reopen_tasks_closed_by(encounter, actor=actor)
        summaries_refresh([encounter.person_id])
        _audit(
            actor,
            "update",
            "encounter",
            encounter,
            encounter.person_id,
            {"voided": True, "reason": reason.code},
        )


# ---------------------------------------------------------------- doses


def _dose_state(
    person: Person, code: str, on: date, others: list[tuple[str, date]]
) -> tuple[bool, Text | None]:
    """The schedule's verdict on dose `code` given on `on`, after the person's other doses
    that count: (valid, reason as a code with parameters, None when valid). Raises
    ValidationFailed when the schedule has no such dose for this person."""
    given = [imm.GivenDose(c, d) for c, d in others if d <= on] + [imm.GivenDose(code, on)]
    try:
        states = {
            s.code: s
            for s in imm.immunization_status(
                sex=person.sex, birth=person.birth_date, doses=given, on=on
            )
        }
    except (ValueError, OutOfRange) as exc:
        message = _("Riwayat imunisasi tidak dapat diperiksa.")
        raise ValidationFailed(message, fields={"dose_code": [message]}) from exc
    st = states.get(code)
    if st is None:
        message = _("Dosis %(c)s tidak berlaku untuk anak ini.") % {"c": code}
        raise ValidationFailed(message, fields={"dose_code": [message]})
    valid = st.state == "given" and st.given_on == on
    if valid:
        return True, None
    return False, dose_state_reason(st) or Text("care.class.dose.invalid")


def _dose_errors(person: Person, code: str, on: date | None, today: date) -> dict:
    errors: dict[str, list[str]] = {}
    if code not in imm.dose_codes():
        errors["dose_code"] = [_("Jenis/dosis vaksin tidak dikenal.")]
    if on is None:
        errors["date"] = [_("Tanggal pemberian wajib diisi.")]
    elif on > today:
        errors["date"] = [_("Tanggal pemberian tidak boleh di masa depan.")]
    elif on < person.birth_date:
        errors["date"] = [_("Tanggal pemberian sebelum tanggal lahir.")]
    return errors


def _other_doses(person: Person, exclude_pk: int | None = None) -> list[tuple[str, date]]:
    qs = ImmunizationRecord.objects.active().filter(person=person, valid=True)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs.values_list("dose_code", "date"))


def dose_record_from_book(
    *,
    actor: User,
    person: Person,
    dose_code: str,
    given_on: date | None,
    lot_number: str = "",
    confirm_invalid: bool = False,
    client_id: UUID | None = None,
) -> ImmunizationRecord:
    """Record a past dose copied from the child's KIA book (``source = kia_book``): the date
    written in the book, no encounter, the lot number only if the book has it (SATUSEHAT
    asks for lot and expiry only when a health worker vaccinated, DOMAIN.md §8.7). The
    schedule's validity rules apply: a dose the schedule has not for this child is refused; a
    dose given too early or too soon after the previous one is stored as not valid (to be
    repeated) only once confirmed (``ValidationFailed`` code ``needs_confirmation``)."""
    require_recording_for(actor, person, None)  # no facility: the dose was given elsewhere
    if client_id is not None:
        # The form's client id becomes the dose's public id: sent twice, stored once.
        stored = ImmunizationRecord.objects.filter(uuid=client_id).first()
        if stored is not None:
            if (stored.person_id, stored.created_by_id, stored.source) != (
                person.pk,
                actor.pk,
                DoseSource.KIA_BOOK,
            ):
                raise Conflict(
                    _("Id formulir ini sudah dipakai; muat ulang formulirnya."),
                    code="client_id_reused",
                )
            stored.replayed = True
            return stored
    code = (dose_code or "").strip()
    errors = _dose_errors(person, code, given_on, timezone.localdate())
    lot = (lot_number or "").strip()
    if len(lot) > 32:
        errors["lot_number"] = [_("Nomor batch terlalu panjang (maksimal 32 karakter).")]
    if not errors:
        taken = (
            ImmunizationRecord.objects.active()
            .filter(person=person, dose_code=code)
            .filter(valid=True)
            .values_list("date", flat=True)
            .first()
        )
        if taken is not None:
            errors["dose_code"] = [
                _("Dosis %(c)s sudah tercatat pada %(d)s.")
                % {"c": code, "d": taken.strftime("%d-%m-%Y")}
            ]
        elif (
            ImmunizationRecord.objects.active()
            .filter(person=person, dose_code=code, date=given_on)
            .exists()
        ):
            errors["dose_code"] = [_("Dosis ini pada tanggal itu sudah tercatat.")]
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), fields=errors)
    valid, why = _dose_state(person, code, given_on, _other_doses(person))
    if not valid and not confirm_invalid:
        message = _("Menurut jadwal, dosis ini tidak sah: %(r)s. Simpan sebagai tidak sah?") % {
            "r": why
        }
        raise ValidationFailed(message, code="needs_confirmation", fields={"dose_code": [message]})
    with transaction.atomic():
        dose = ImmunizationRecord.objects.create(
            **({"uuid": client_id} if client_id is not None else {}),
            person=person,
            encounter=None,
            date=given_on,
            dose_code=code,
            lot_number=lot,
            expiry_date=None,
            facility=None,
            valid=valid,
            **ImmunizationRecord.invalid_reason_columns(why),
            source=DoseSource.KIA_BOOK,
            created_by=actor,
            updated_by=actor,
        )
        summaries_refresh([person.pk])
        _audit(
            actor,
            "create",
            "immunization",
            dose,
            person.pk,
            {"source": DoseSource.KIA_BOOK, "dose_code": code, "valid": valid},
        )
    return dose


def _require_dose(actor: User, dose: ImmunizationRecord) -> None:
    require_corrector(
        actor, person=dose.person, author_id=dose.created_by_id, facility_id=dose.facility_id
    )


def dose_correct(
    *,
    actor: User,
    dose: ImmunizationRecord,
    dose_code: str,
    given_on: date | None,
    lot_number: str,
    expiry_date: date | None,
    version: int,
    reason: Reason,
) -> list[str]:
    """Correct a dose's code, lot number or expiry (and the date of a dose from the book; a
    dose given at an encounter has its encounter's date). Its validity is judged again; the
    child's dose windows follow. Returns the fields that changed."""
    _require_dose(actor, dose)
    if dose.voided_at is not None:
        raise _voided_conflict()
    person = dose.person
    if dose.source != DoseSource.KIA_BOOK:
        given_on = dose.date
    code = (dose_code or "").strip()
    errors = _dose_errors(person, code, given_on, timezone.localdate())
    lot = (lot_number or "").strip()
    if dose.source == DoseSource.GIVEN:
        # SATUSEHAT rules 10306/10307: a health worker's dose has its lot and expiry.
        if not lot:
            errors["lot_number"] = [_("Nomor batch vaksin wajib diisi.")]
        if expiry_date is None:
            errors["expiry_date"] = [_("Tanggal kedaluwarsa vaksin wajib diisi.")]
        elif given_on and expiry_date < given_on:
            errors["expiry_date"] = [_("Vaksin sudah kedaluwarsa sebelum tanggal imunisasi.")]
    if (
        not errors
        and code != dose.dose_code
        and any(c == code for c, _d in _other_doses(person, exclude_pk=dose.pk))
    ):
        errors["dose_code"] = [_("Dosis %(c)s sudah tercatat.") % {"c": code}]
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), fields=errors)
    valid, why = _dose_state(person, code, given_on, _other_doses(person, exclude_pk=dose.pk))
    with transaction.atomic():
        changed = record_change(
            dose,
            actor=actor,
            changes={
                "dose_code": code,
                "date": given_on,
                "lot_number": lot,
                "expiry_date": expiry_date,
                "valid": valid,
                **ImmunizationRecord.invalid_reason_columns(why),
            },
            reason=reason,
            expected_version=version,
            conflict_fields=DOSE_FIELDS,
        )
        if changed:
            summaries_refresh([person.pk])
            _audit(
                actor,
                "update",
                "immunization",
                dose,
                person.pk,
                {"fields": changed, "reason": reason.code},
            )
    return changed


def dose_void(*, actor: User, dose: ImmunizationRecord, version: int, reason: Reason) -> None:
    """Void a dose recorded by mistake: it stops counting, so the child is due for it again
    (the dose windows are recomputed in the same transaction)."""
    _require_dose(actor, dose)
    if dose.voided_at is not None:
        raise _voided_conflict()
    with transaction.atomic():
        record_void(dose, actor=actor, reason=reason, expected_version=version)
        summaries_refresh([dose.person_id])
        _audit(
            actor,
            "update",
            "immunization",
            dose,
            dose.person_id,
            {"voided": True, "reason": reason.code},
        )
