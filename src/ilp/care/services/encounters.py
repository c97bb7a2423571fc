"""Recording one encounter: permission, validation, and one transaction for everything.

Order of work in `encounter_record`: who may record (role, person in scope, facility the
actor works at) → the same `client_id` already stored? return it → every value checked
(`ilp.care.evaluation.engine.evaluate`; impossible values refuse the whole form) → unusual
values need `confirm_unusual` → one transaction writes the encounter, its observations, screenings,
immunisations, supplies and follow-up tasks, and the audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ilp.accounts.access import FACILITIES_OF_PLACE, place_fits_facility, require_recording_for
from ilp.accounts.audit import audit_record
from ilp.accounts.models import User
from ilp.care.evaluation.engine import evaluate
from ilp.care.evaluation.history import load_history
from ilp.care.evaluation.outcome import Evaluation
from ilp.care.evaluation.registry import PACKAGES, visit_label
from ilp.care.models import (
    ClusterCode,
    Encounter,
    ImmunizationRecord,
    Observation,
    PosyanduSession,
    Screening,
    Supply,
    SupplyItem,
    Task,
    TaskStatus,
)
from ilp.care.services import plausibility as P
from ilp.care.services.summary import summary_note_encounter
from ilp.care.services.tasks import close_satisfied_tasks
from ilp.care.worklists import rules
from ilp.core.exceptions import Conflict, ValidationFailed
from ilp.core.texts import Text
from ilp.people.models import Person, Pregnancy
from ilp.places.models import Facility

# Default cluster per package (DOMAIN.md §1.2): mothers and children → Klaster 2, adults and
# elderly → Klaster 3; a home visit follows the person's age.
PACKAGE_CLUSTER = {
    "anc": ClusterCode.K2,
    "delivery": ClusterCode.K2,
    "postpartum": ClusterCode.K2,
    "newborn": ClusterCode.K2,
    "child": ClusterCode.K2,
    "immunization": ClusterCode.K2,
    "school": ClusterCode.K2,
    "adult": ClusterCode.K3,
    "elderly": ClusterCode.K3,
}


@dataclass(frozen=True)
class RecordResult:
    encounter: Encounter
    evaluation: Evaluation
    created: bool


def require_storable(ev: Evaluation, *, confirm_unusual: bool) -> None:
    """Refuse an evaluation with impossible values, or with unusual ones not confirmed
    (ValidationFailed per field; code ``needs_confirmation`` for the latter)."""
    if ev.errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), fields=ev.errors)
    if ev.warnings and not confirm_unusual:
        raise ValidationFailed(
            _("Ada nilai yang tidak biasa. Ukur ulang, atau konfirmasi bahwa nilainya benar."),
            code="needs_confirmation",
            fields=ev.warnings,
        )


def results_snapshot(ev: Evaluation) -> dict[str, Any]:
    """What an encounter stores of its evaluation (``Encounter.results``)."""
    return {"items": ev.results, "extra": ev.extra, "warnings": ev.warnings}


def _stored_evaluation(encounter: Encounter) -> Evaluation:
    results = encounter.results or {}
    return Evaluation(results=list(results.get("items", [])), alerts=list(encounter.alerts))


def _existing(
    client_id: UUID | None, person: Person, actor: User, request_digest: str = ""
) -> Encounter | None:
    """The encounter stored earlier under `client_id`, or None. Conflict when the id was
    used for another person; with a `request_digest` (API), also when another user or
    another body used it (a resend is the same body from the same user)."""
    if client_id is None:
        return None
    found = Encounter.objects.filter(client_id=client_id).first()
    if found is None:
        return None
    if found.person_id != person.pk:
        raise Conflict(
            _("Id formulir ini sudah dipakai untuk penduduk lain."), code="client_id_reused"
        )
    if request_digest and (
        found.recorded_by_id != actor.pk or found.request_digest != request_digest
    ):
        raise Conflict(
            _("Id formulir ini sudah dipakai untuk pelayanan lain; muat ulang formulirnya."),
            code="client_id_reused",
        )
    return found


def _observations(
    encounter: Encounter, person: Person, on: date, ev: Evaluation
) -> list[Observation]:
    rows = []
    for key, value in ev.values.items():
        spec = P.SPECS[key]
        if not spec.observe:
            continue
        loinc = spec.loinc
        if key == "height" and ev.values.get("measured") == "lying":
            loinc = P.LOINC_LENGTH_LYING
        obs = Observation(
            encounter=encounter,
            person=person,
            date=on,
            code=key,
            unit=spec.unit,
            loinc=loinc,
            flagged=key in ev.warnings,
        )
        if spec.kind in ("number", "int"):
            obs.value = float(value)
        elif spec.kind == "bool":
            obs.value_text = "true" if value else "false"
        else:
            obs.value_text = str(value)[:64]
        rows.append(obs)
    bmi = ev.extra.get("bmi")
    if bmi is not None:
        rows.append(
            Observation(
                encounter=encounter,
                person=person,
                date=on,
                code="bmi",
                value=bmi,
                unit="kg/m2",
                loinc="39156-5",
            )
        )
    ga = ev.extra.get("gestational_age_weeks")
    if ga is not None:
        rows.append(
            Observation(
                encounter=encounter,
                person=person,
                date=on,
                code="gestational_age",
                value=ga,
                unit="wk",
                loinc="18185-9",
            )
        )
    return rows


def _open_tasks(
    *,
    actor: User,
    person: Person,
    on: date,
    facility: Facility,
    ev: Evaluation,
    encounter: Encounter | None = None,
) -> list[Task]:
    """Open one task per follow-up the evaluation asked for, unless the same one is open."""
    if not ev.tasks:
        return []
    # Same kind and same reason (code and parameters, never the rendered sentence).
    open_now = {
        (kind, Text.from_json({"code": code, "params": params or {}}))
        for kind, code, params in Task.objects.filter(
            person=person, status=TaskStatus.OPEN
        ).values_list("kind", "reason_code", "reason_params")
    }
    new: list[Task] = []
    for spec in ev.tasks:
        if spec.key in open_now:
            continue
        open_now.add(spec.key)
        new.append(
            Task(
                person=person,
                kind=spec.kind,
                **Task.reason_columns(spec.reason),
                due_date=on + timedelta(days=spec.due_days),
                facility=facility,
                source_encounter=encounter,
                created_by=actor,
                updated_by=actor,
            )
        )
    return Task.objects.bulk_create(new)


def encounter_record(
    *,
    actor: User,
    person: Person,
    on: date,
    package: str,
    place_kind: str,
    facility: Facility,
    values: dict[str, Any],
    cluster: str | None = None,
    session: PosyanduSession | None = None,
    pregnancy: Pregnancy | None = None,
    visit_number: int | None = None,
    immunizations: list[dict[str, Any]] | tuple[dict[str, Any], ...] = (),
    supplies: dict[str, int] | None = None,
    confirm_unusual: bool = False,
    client_id: UUID | None = None,
    notes: str = "",
    request_digest: str = "",
) -> RecordResult:
    """Record one encounter with its values; see the module docstring for the order of checks.

    Raises PermissionDenied (role, scope, facility), ValidationFailed with per-field messages
    (code ``invalid``; ``needs_confirmation`` for unusual values when not confirmed), Conflict
    (client_id reused for another person). The same `client_id` again returns the stored
    encounter with ``created=False`` and writes nothing.
    """
    require_recording_for(actor, person, facility)
    found = _existing(client_id, person, actor, request_digest)
    if found is not None:
        return RecordResult(found, _stored_evaluation(found), created=False)

    errors: dict[str, list[str]] = {}
    if package not in PACKAGES:
        errors["package"] = [_("Layanan tidak dikenal.")]
    if place_kind not in FACILITIES_OF_PLACE:
        errors["place_kind"] = [_("Tempat pelayanan tidak dikenal.")]
    elif not place_fits_facility(place_kind, facility):
        errors["place_kind"] = [_("Tempat pelayanan tidak sesuai dengan jenis fasilitas.")]
    if cluster is None:
        if package == "home_visit":
            cluster = ClusterCode.K2 if (on - person.birth_date).days < 18 * 365 else ClusterCode.K3
        else:
            cluster = PACKAGE_CLUSTER.get(package, ClusterCode.CROSS)
    if cluster not in ClusterCode.values:
        errors["cluster"] = [_("Klaster tidak dikenal.")]
    if session is not None and (
        session.posyandu_id != facility.pk or session.date != on or place_kind != "posyandu"
    ):
        errors["session"] = [_("Sesi posyandu tidak sesuai dengan tanggal dan tempat.")]
    if pregnancy is not None and pregnancy.person_id != person.pk:
        errors["pregnancy"] = [_("Kehamilan ini milik penduduk lain.")]
    extra_supplies: dict[str, int] = {}
    for item, quantity in (supplies or {}).items():
        if item not in SupplyItem.values:
            errors.setdefault("supplies", []).append(_("Jenis barang tidak dikenal."))
        elif not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            errors.setdefault("supplies", []).append(_("Jumlah harus bilangan bulat ≥ 1."))
        else:
            extra_supplies[item] = quantity
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), fields=errors)

    values = dict(values or {})
    if visit_number is not None:
        values.setdefault("visit_number", visit_number)
    if immunizations:
        values["doses"] = list(immunizations)
    history = load_history(person, on, package, pregnancy=pregnancy)
    ev = evaluate(person=person, on=on, package=package, values=values, history=history)
    require_storable(ev, confirm_unusual=confirm_unusual)
    for item, quantity in extra_supplies.items():
        ev.supplies[item] = ev.supplies.get(item, 0) + quantity

    # Every field was checked above, so no full_clean(): it would re-read each foreign key
    # (five queries) on the posyandu's hot path; the DB constraints still guard the rows.
    encounter = Encounter(
        client_id=client_id,
        person=person,
        date=on,
        place_kind=place_kind,
        facility=facility,
        session=session,
        cluster=cluster,
        package=package,
        visit_number=ev.values.get("visit_number"),
        pregnancy=history.pregnancy if package in ("anc", "delivery", "postpartum") else None,
        recorded_by=actor,
        results=results_snapshot(ev),
        alerts=ev.alerts,
        flagged=bool(ev.warnings),
        values=ev.values,
        notes=notes.strip(),
        request_digest=request_digest,
        created_by=actor,
        updated_by=actor,
    )
    try:
        with transaction.atomic():
            encounter.save()
            _write_children(encounter, person, on, facility, actor, ev)
            summary_note_encounter(
                person,
                on=on,
                weighed=ev.values.get(rules.OBS_WEIGHT) is not None,
                package=package,
                doses=bool(ev.immunizations),
            )
            close_satisfied_tasks(encounter, actor=actor)
            _open_tasks(
                actor=actor, person=person, on=on, facility=facility, ev=ev, encounter=encounter
            )
            audit_record(
                user=actor,
                action="create",
                object_type="encounter",
                object_uuid=encounter.uuid,
                person_id=person.pk,
                detail={"package": package, "flagged": encounter.flagged},
            )
    except IntegrityError:
        # The same form arrived twice at once: the other request stored it first.
        stored = _existing(client_id, person, actor, request_digest)
        if stored is not None:
            return RecordResult(stored, _stored_evaluation(stored), created=False)
        # Or another form took the same visit number (the database's one-per-pregnancy rule).
        if encounter.visit_number is not None and _visit_taken(encounter):
            raise _visit_conflict(encounter) from None
        raise
    return RecordResult(encounter, ev, created=True)


def _visit_taken(encounter: Encounter) -> bool:
    """Whether an active encounter already holds `encounter`'s visit number (the unique
    constraints ``one_visit_number_per_pregnancy`` / ``one_newborn_visit_number``)."""
    same = Encounter.objects.active().filter(
        package=encounter.package, visit_number=encounter.visit_number
    )
    if encounter.pregnancy_id is not None:
        return same.filter(pregnancy_id=encounter.pregnancy_id).exists()
    return encounter.package == "newborn" and same.filter(person_id=encounter.person_id).exists()


def _visit_conflict(encounter: Encounter) -> Conflict:
    visit = visit_label(encounter.package, encounter.visit_number)
    message = _("Kunjungan %(visit)s sudah tercatat; pilih kunjungan berikutnya.") % {
        "visit": visit
    }
    return Conflict(message, code="visit_recorded", fields={"visit_number": [message]})


def _write_children(
    encounter: Encounter,
    person: Person,
    on: date,
    facility: Facility,
    actor: User,
    ev: Evaluation,
) -> None:
    Observation.objects.bulk_create(_observations(encounter, person, on, ev))
    if ev.screenings:
        Screening.objects.bulk_create(
            [Screening(encounter=encounter, person=person, date=on, **s) for s in ev.screenings]
        )
    if ev.supplies:
        Supply.objects.bulk_create(
            [
                Supply(encounter=encounter, person=person, date=on, item=item, quantity=n)
                for item, n in ev.supplies.items()
            ]
        )
    if ev.immunizations:
        ImmunizationRecord.objects.bulk_create(
            [
                ImmunizationRecord(
                    person=person,
                    encounter=encounter,
                    date=on,
                    dose_code=d["dose_code"],
                    lot_number=d["lot_number"],
                    expiry_date=d["expiry_date"],
                    facility=facility,
                    valid=d["valid"],
                    invalid_reason_code=d["invalid_reason_code"],
                    invalid_reason_params=d["invalid_reason_params"],
                    created_by=actor,
                    updated_by=actor,
                )
                for d in ev.immunizations
            ]
        )
