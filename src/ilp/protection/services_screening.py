"""Record a KtP/A screening (``Screening``) and, when it is positive, open a case.

Who: a trained health worker of a puskesmas or pustu, for a person of their area
(``ilp.accounts.access.may_screen``; DOMAIN.md §5.1: "skrining dilakukan oleh tenaga
kesehatan yang terlatih di Puskesmas dan Pustu"). The instrument follows the person: the WAST
for a woman of 18 or more, the child signs and Adams category under 18
(``ilp.standards.ktpa_screening.instrument_for``). At least one sign is recorded (WHO: ask only
those who show the signs). The rules of ``ilp.standards.ktpa_screening`` decide the result;
each refusal is a specific message on its field (the WAST item, ``signs``,
``child_category``, ``screened_at``).

A positive result (one WAST answer above the lowest level, or Adams category 2 or 3) opens a
case through ``ilp.protection.services.case_open`` (arrival route "screening", the screened
person as victim, the screening worker assigned as case officer) and links it. Everything is
audited through ``ilp.protection.audit`` (never with the person's id, so nothing shows in
the person's access history); a refusal is audited too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilp.accounts.access import may_screen
from ilp.accounts.audit import audit_record
from ilp.accounts.models import AuditAction, User
from ilp.core.exceptions import PermissionDenied, ValidationFailed
from ilp.people.models import Person
from ilp.protection.audit import audit_case
from ilp.protection.models import ArrivalRoute, Case
from ilp.protection.models_screening import Screening, WastItem
from ilp.protection.services import case_open
from ilp.standards import ktpa_screening as rules
from ilp.standards.lifestage import completed_years

# The audit rows of screenings (a case's own rows are "protection_case", ``audit_case``).
OBJECT_TYPE = "protection_screening"
# A screening time this far ahead of the server clock is a typing error (phone clocks drift).
CLOCK_SLACK = timedelta(minutes=10)


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _messages() -> dict[str, str]:
    return {
        "missing_answer": _("Pilih salah satu jawaban."),
        "invalid_answer": _("Jawaban ini bukan pilihan untuk pertanyaan ini."),
        "unknown_item": _("Ada jawaban untuk pertanyaan yang tidak dikenal."),
        "unknown_sign": _("Tanda ini tidak dikenal untuk skrining ini."),
        "no_sign": _(
            "Catat sedikitnya satu tanda yang menjadi alasan skrining: skrining hanya untuk yang "
            "menunjukkan tanda kekerasan, bukan untuk semua orang."
        ),
        "unknown_category": _("Pilih kategori hasil penilaian anak (Adams)."),
    }


def _problem(problems: dict[str, list[str]], exc: rules.ScreeningInputError, field: str) -> None:
    """Add the rule's error code as its message on its field (a WAST item's own field)."""
    message = _messages().get(exc.code, _("Isian skrining tidak valid."))
    if field == "answers" and exc.item in WastItem.values:
        field = exc.item
    problems.setdefault(field, []).append(message)


def _wast(answers: dict[str, str], problems: dict[str, list[str]]) -> rules.WastResult | None:
    """The WAST result, or None with every refused item in `problems` (the rule names the
    first; each refused item is then set aside with a neutral answer to find the next)."""
    trial = dict(answers)
    for _attempt in range(len(rules.WAST_ITEMS) + len(trial) + 1):
        try:
            result = rules.wast_result(trial)
        except rules.ScreeningInputError as exc:
            _problem(problems, exc, "answers")
            if exc.item in rules.WAST_SCALES:
                trial[exc.item] = rules.WAST_SCALES[exc.item][-1]
            else:
                trial.pop(exc.item, None)
            continue
        return None if problems else result
    return None


def screening_instrument(person: Person, on: datetime | None = None) -> str | None:
    """The instrument for `person` on the day of `on` (now by default): see the module
    docstring; None for a man of 18 or more."""
    day = timezone.localtime(on or timezone.now()).date()
    age = completed_years(person.birth_date, day) if person.birth_date <= day else None
    return rules.instrument_for(age, person.sex)


def screening_record(
    *,
    user: User,
    person: Person,
    signs: Iterable[str],
    answers: Mapping[str, str] | None = None,
    child_category: str = "",
    screened_at: datetime | None = None,
    ip: str | None = None,
) -> Screening:
    """Record a screening of `person` by `user` at the user's facility (see the module
    docstring); returns it, with ``case`` set when it opened one."""
    if not may_screen(user, person):
        _audit(user, AuditAction.DENIED, None, ip)
        raise PermissionDenied(_("Anda tidak boleh melakukan skrining KtP/A untuk orang ini."))
    if person.voided_at is not None:
        raise _invalid("person", _("Data orang ini sudah dibatalkan; skrining tidak dicatat."))
    now = timezone.now()
    screened_at = screened_at or now
    if screened_at > now + CLOCK_SLACK:
        raise _invalid("screened_at", _("Waktu skrining tidak boleh di masa depan."))
    if timezone.localtime(screened_at).date() < person.birth_date:
        raise _invalid("screened_at", _("Waktu skrining tidak boleh sebelum tanggal lahir."))
    instrument = screening_instrument(person, screened_at)
    if instrument is None:
        raise _invalid(
            "person",
            _(
                "Skrining KtP/A untuk perempuan dewasa (WAST) dan anak di bawah 18 tahun; "
                "orang ini tidak termasuk."
            ),
        )
    problems: dict[str, list[str]] = {}
    valid_signs: tuple[str, ...] = ()
    try:
        valid_signs = rules.require_signs(instrument, signs)
    except rules.ScreeningInputError as exc:
        _problem(problems, exc, "signs")
    result: rules.WastResult | rules.ChildResult | None = None
    answers = dict(answers or {})
    stored_answers: dict[str, str] = {}
    if instrument == rules.WAST:
        result = _wast(answers, problems)
        stored_answers = {item: answers.get(item, "") for item in rules.WAST_ITEMS}
    else:
        try:
            result = rules.child_result(child_category)
        except rules.ScreeningInputError as exc:
            _problem(problems, exc, "child_category")
    if problems or result is None:
        first = next(iter(problems.values()))[0]
        raise ValidationFailed(first, fields=problems)
    category = result.category if isinstance(result, rules.ChildResult) else ""
    screening = Screening(
        person=person,
        facility=user.facility,
        screened_at=screened_at,
        screened_by=user,
        instrument=instrument,
        answers=stored_answers,
        result=result.result,
        child_category=category,
        signs=list(valid_signs),
        created_by=user,
        updated_by=user,
    )
    screening.full_clean()
    with transaction.atomic():
        screening.save()
        if result.open_case:
            screening.case = _open_case(user, screening, ip)
            screening.save(update_fields=["case", "updated_at"])
        _audit(user, AuditAction.CREATE, screening, ip)
    return screening


def _open_case(user: User, screening: Screening, ip: str | None) -> Case:
    """The case a positive screening opens: arrived by screening at its time, the screened
    person its victim, the worker in its circle (``case_open``; a puskesmas worker is its
    officer)."""
    case: Case = case_open(
        user=user,
        arrival_route=ArrivalRoute.SCREENING,
        arrived_at=screening.screened_at,
        victim={"person": screening.person},
        ip=ip,
    )
    audit_case(
        user=user,
        action=AuditAction.CREATE,
        case=case,
        ip=ip,
        detail={"what": "screening", "screening": str(screening.uuid)},
    )
    return case


def _audit(user: User, action: str, screening: Screening | None, ip: str | None) -> None:
    """One audit row of a screening (or of a refused one): its instrument, result and case,
    never its answers, signs or the person's id (the person's access history must not show
    it)."""
    detail: dict[str, Any] = {"what": "screening"}
    if screening is not None:
        detail.update(instrument=screening.instrument, result=screening.result)
        if screening.case is not None:
            detail["case"] = str(screening.case.uuid)
    audit_record(
        user=user,
        action=action,
        object_type=OBJECT_TYPE,
        object_uuid=screening.uuid if screening is not None else None,
        ip=ip,
        detail=detail,
    )
