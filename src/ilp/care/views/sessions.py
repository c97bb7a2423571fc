"""The posyandu session page for kader: who is expected, who came, a keyboard-first card per
child (weight, length/height, MUAC) and per adult (weight, blood pressure, waist, glucose,
smoking), each saved on its own via htmx through the same services as the package forms.

Only the posyandu's own people and visitors added explicitly are on the page; every read of it
is audited with the ids of the persons shown. Closing the session turns absent balita into
home-visit tasks (the service decides) and the page then lists them with the follow-up and
referral tasks the session produced. A user who may look at the posyandu but not run its
sessions (district roles) sees the page read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from ilp.accounts.access import (
    can_record,
    can_view_personal_data,
    client_ip,
    may_run_session,
    role_required,
)
from ilp.accounts.audit import audit_record
from ilp.accounts.views import is_htmx
from ilp.care import selectors as care_selectors
from ilp.care import services as care_services
from ilp.care.evaluation import ages
from ilp.care.forms import (
    AdultRowForm,
    AttendanceForm,
    OpenSessionForm,
    VisitorForm,
    WeighingRowForm,
    default_measured,
)
from ilp.care.models import Encounter, PosyanduSession
from ilp.care.services.sessions import adult_package, session_date_parse
from ilp.care.views.common import put_errors
from ilp.care.views.results import alert_rows, decorate, growth_cells
from ilp.core.dates import parse_date_param
from ilp.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from ilp.people.models import Person
from ilp.people.selectors import person_by_number, person_detail
from ilp.places.models import Facility
from ilp.standards.lifestage import completed_months

ROW_ALIASES = {"weight_kg": "weight", "length_cm": "height", "length": "height", "muac_cm": "muac"}


@dataclass
class SessionRow:
    """One expected person on the session page."""

    person: Person
    months: int
    present: bool | None
    sasaran: str = ""
    form: WeighingRowForm | AdultRowForm | None = None
    encounter: Encounter | None = None
    cells: list[dict[str, Any]] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    needs_confirmation: bool = False
    saved: bool = False
    # An adult due for screening who has not come (yet): a line with the attendance box,
    # the card opens when she is marked present (hundreds of adults are due in a dusun).
    compact: bool = False

    @property
    def is_balita(self) -> bool:
        return self.months in ages.BALITA

    @property
    def is_adult_row(self) -> bool:
        """Adults are screened on the session screen; a pregnant woman's check is ANC (her
        own form, other blood-pressure cut-offs)."""
        return self.months in ages.PRODUCTIVE and self.sasaran != "ibu_hamil"

    @property
    def years(self) -> int:
        return self.months // 12


def _session(posyandu: Facility, on: date) -> PosyanduSession:
    session = care_selectors.session_on(posyandu, on)
    if session is None:
        raise NotFound(_("Sesi posyandu pada tanggal ini belum dibuka."))
    return session


def _runner(request: HttpRequest, posyandu: Facility) -> None:
    """Writes on a session page only for those who run the posyandu's sessions."""
    if not may_run_session(request.user, posyandu):
        raise PermissionDenied(_("Anda tidak bertugas di posyandu ini."))


def _row_target(
    request: HttpRequest, code: str, on: str, person_uuid: UUID
) -> tuple[Facility, PosyanduSession, Person]:
    """The posyandu (which the user must run), its session on `on` and the person (scoped
    and audited by ``person_detail``) of a row write; whether the person belongs to the
    session is the services' check."""
    posyandu = care_selectors.posyandu_for_user(request.user, code)
    _runner(request, posyandu)
    session = _session(posyandu, parse_date_param(on))
    # The row shows the person's own fields; none of the person page's relations.
    person = person_detail(request.user, person_uuid, ip=client_ip(request), related=())
    return posyandu, session, person


def _row(
    session: PosyanduSession,
    person: Person,
    *,
    present: bool | None,
    encounter: Encounter | None,
    form: WeighingRowForm | AdultRowForm | None = None,
    sasaran: str = "",
    compact: bool = False,
) -> SessionRow:
    months = completed_months(person.birth_date, session.date)
    row = SessionRow(
        person=person,
        months=months,
        present=present,
        encounter=encounter,
        sasaran=sasaran or getattr(person, "sasaran", ""),
        compact=compact,
    )
    if compact:
        return row
    if form is None:
        if row.is_balita:
            initial = {"measured": default_measured(person.birth_date, session.date)}
            if encounter is not None:
                initial.update(_values_of(encounter))
            form = WeighingRowForm(initial=initial, auto_id=f"r{person.pk}-%s")
        elif row.is_adult_row:
            initial = _adult_values_of(encounter) if encounter is not None else {}
            form = AdultRowForm(initial=initial, auto_id=f"r{person.pk}-%s")
    row.form = form
    if encounter is not None:
        row.cells = growth_cells(encounter.results)
        row.results = [r for r in decorate(encounter.results) if r.get("class_label")]
        row.alerts = alert_rows(encounter.alerts)
        row.saved = True
    return row


def _decimal(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _values_of(encounter: Encounter) -> dict[str, Any]:
    """What the row showed when it was saved, for re-display."""
    values: dict[str, Any] = {}
    for obs in encounter.observations.all():
        if obs.code in ("weight", "height", "muac") and obs.value is not None:
            values[obs.code] = _decimal(obs.value)
        elif obs.code == "measured" and obs.value_text:
            values["measured"] = obs.value_text
        elif obs.code == "oedema":
            values["oedema"] = obs.value_text == "true"
    return values


def _adult_values_of(encounter: Encounter) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in AdultRowForm.NUMBERS:
        value = (encounter.values or {}).get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            values[key] = _decimal(value)
    smoking = (encounter.values or {}).get("smoking")
    if isinstance(smoking, bool):
        values["smoking"] = "true" if smoking else "false"
    return values


def _rows(request: HttpRequest, session: PosyanduSession) -> list[SessionRow]:
    people = care_selectors.session_people(request.user, session)
    attendance = care_selectors.session_attendance(session)
    encounters = care_selectors.session_encounters(session)
    rows = [
        _row(
            session,
            p,
            present=attendance.get(p.pk),
            encounter=encounters.get(p.pk),
            compact=getattr(p, "sasaran", "") in ("dewasa", "lansia")
            and p.pk not in attendance
            and p.pk not in encounters,
        )
        for p in people
    ]
    rows.sort(key=lambda r: not r.is_balita)  # stable: the services' order (by group, name)
    return rows


def _open_form_page(
    request: HttpRequest, posyandu: Facility, form: OpenSessionForm, status: int
) -> HttpResponse:
    sessions = care_selectors.recent_sessions(posyandu)
    today = timezone.localdate()
    this_month = next(
        (s for s in sessions if (s.date.year, s.date.month) == (today.year, today.month)), None
    )
    return render(
        request,
        "care/posyandu.html",
        {
            "posyandu": posyandu,
            "sessions": sessions,
            "this_month": this_month,
            "today": today,
            "form": form,
            "can_run": may_run_session(request.user, posyandu),
        },
        status=status,
    )


@require_GET
@role_required(can_view_personal_data)
def posyandu_home(request: HttpRequest, code: str) -> HttpResponse:
    """The posyandu's sessions, with the button that opens this month's session (only for
    those who run its sessions)."""
    posyandu = care_selectors.posyandu_for_user(request.user, code)
    form = OpenSessionForm(initial={"on": timezone.localdate()})
    return _open_form_page(request, posyandu, form, 200)


@require_POST
@role_required(can_record)
def session_open_view(request: HttpRequest, code: str) -> HttpResponse:
    """Open a session (default today) and go to its page; opening twice is harmless. A date
    that cannot be read, or is outside the days a session may be held (0001, 1900, tomorrow),
    is refused with the message on the date field (400), not replaced by today."""
    posyandu = care_selectors.posyandu_for_user(request.user, code)
    _runner(request, posyandu)
    raw = (request.POST.get("on") or "").strip()
    try:
        on = session_date_parse(raw) if raw else timezone.localdate()
    except ValidationFailed as exc:
        form = OpenSessionForm(request.POST)
        form.is_valid()
        form.errors.pop("on", None)
        put_errors(exc, form)
        return _open_form_page(request, posyandu, form, 400)
    existing = care_selectors.session_on(posyandu, on)
    if existing is None:
        care_services.session_open(actor=request.user, posyandu=posyandu, on=on)
    return redirect("care:session", code=posyandu.code, on=on.isoformat())


def _counts(rows: list[SessionRow]) -> dict[str, int]:
    balita = [r for r in rows if r.is_balita]
    others = [r for r in rows if not r.is_balita]
    return {
        "balita_present": sum(1 for r in balita if r.present),
        "balita_expected": len(balita),
        "others_present": sum(1 for r in others if r.present),
        "others_expected": len(others),
    }


@require_GET
@role_required(can_view_personal_data)
def session_page(request: HttpRequest, code: str, on: str) -> HttpResponse:
    """The session: balita cards, then adults and other sasaran, and once closed the tasks it
    produced — each person shown only if the user may see them; the read is audited once
    with the ids shown."""
    posyandu = care_selectors.posyandu_for_user(request.user, code)
    day = parse_date_param(on)
    session = care_selectors.session_on(posyandu, day)
    can_run = may_run_session(request.user, posyandu)
    context: dict[str, Any] = {
        "posyandu": posyandu,
        "on": day,
        "session": session,
        "can_run": can_run,
        "editable": can_run and session is not None and session.closed_at is None,
    }
    if session is not None:
        rows = _rows(request, session)
        context["rows"] = [r for r in rows if r.is_balita]
        adults = [r for r in rows if not r.is_balita and r.is_adult_row]
        context["adults"] = [r for r in adults if not r.compact]
        context["adults_waiting"] = [r for r in adults if r.compact]
        context["others"] = [r for r in rows if not r.is_balita and not r.is_adult_row]
        context.update(_counts(rows))
        shown = [r.person.pk for r in rows]
        if session.closed_at:
            tasks = care_selectors.session_tasks(request.user, session)
            context["tasks"] = tasks
            shown += [t.person_id for t in tasks if t.person_id not in shown]
        if can_run and not session.closed_at:
            context["visitor_form"] = VisitorForm()
        audit_record(
            user=request.user,
            action="view",
            object_type="posyandu_session",
            object_uuid=session.uuid,
            ip=client_ip(request),
            detail={"person_ids": sorted(set(shown))},
        )
    return render(request, "care/session.html", context)


def _closed_error(form: WeighingRowForm | AdultRowForm) -> None:
    # Absentees have already become home visits: later records go on the person page.
    form.is_valid()
    form.add_error(None, _("Sesi sudah ditutup; catat di halaman orang."))


@require_POST
@role_required(can_record)
def session_row_save(request: HttpRequest, code: str, on: str, person_uuid: UUID) -> HttpResponse:
    """Save one child's measurements (htmx) and answer with the row, classified."""
    posyandu, session, person = _row_target(request, code, on, person_uuid)
    form = WeighingRowForm(request.POST, auto_id=f"r{person.pk}-%s")
    encounter = None
    needs_confirmation = False
    if session.closed_at is not None:
        _closed_error(form)
    elif form.is_valid():
        data = form.cleaned_data
        try:
            result = care_services.session_record_weighing(
                actor=request.user,
                session=session,
                person=person,
                **form.measurements(),
                client_id=data["client_id"],
                confirm_unusual=data["confirm_unusual"],
            )
            encounter = result.encounter
        except ValidationFailed as exc:
            needs_confirmation = exc.code == "needs_confirmation"
            put_errors(exc, form, aliases=ROW_ALIASES)
    return _row_response(request, session, posyandu, person, form, encounter, needs_confirmation)


@require_POST
@role_required(can_record)
def session_adult_save(request: HttpRequest, code: str, on: str, person_uuid: UUID) -> HttpResponse:
    """Save one adult's posyandu services (htmx) through the adult/elderly package evaluation
    and answer with the card, its results and alerts."""
    posyandu, session, person = _row_target(request, code, on, person_uuid)
    form = AdultRowForm(request.POST, auto_id=f"r{person.pk}-%s")
    encounter = None
    needs_confirmation = False
    if session.closed_at is not None:
        _closed_error(form)
    elif adult_package(person, session.date) is None:
        form.is_valid()
        form.add_error(None, _("Skrining usia produktif untuk umur 15 tahun ke atas."))
    elif form.is_valid():
        try:
            result = care_services.session_record_adult(
                actor=request.user,
                session=session,
                person=person,
                values=form.values(),
                client_id=form.cleaned_data["client_id"],
                confirm_unusual=form.cleaned_data["confirm_unusual"],
            )
            encounter = result.encounter
        except ValidationFailed as exc:
            needs_confirmation = exc.code == "needs_confirmation"
            put_errors(exc, form)
    return _row_response(request, session, posyandu, person, form, encounter, needs_confirmation)


def _row_response(
    request: HttpRequest,
    session: PosyanduSession,
    posyandu: Facility,
    person: Person,
    form: WeighingRowForm | AdultRowForm,
    encounter: Encounter | None,
    needs_confirmation: bool,
) -> HttpResponse:
    """The saved (200) or refused (422 without htmx) row; without htmx a saved row goes back
    to the page with a message."""
    if encounter is not None:
        # A fresh form (new client id) so that a correction is a new record, not a replay.
        saved = care_selectors.encounter_with_observations(encounter)
        row = _row(session, person, present=True, encounter=saved)
    else:
        present = care_selectors.person_attendance(session, person)
        row = _row(session, person, present=present, encounter=None, form=form)
        row.needs_confirmation = needs_confirmation
    response = render(request, "care/_session_row.html", _row_context(row, session, posyandu))
    if not is_htmx(request):
        if encounter is not None:
            messages.success(request, _("Tersimpan: %(name)s.") % {"name": person.full_name})
            return redirect("care:session", code=posyandu.code, on=session.date.isoformat())
        response.status_code = 422
    return response


def _row_context(row: SessionRow, session: PosyanduSession, posyandu: Facility) -> dict[str, Any]:
    """A row fragment plus the page's "n present" counts, balita and others apart (swapped
    out of band by htmx)."""
    counts = care_selectors.session_present_counts(session)
    return {
        "row": row,
        "session": session,
        "posyandu": posyandu,
        "editable": session.closed_at is None,
        "oob": True,
        "balita_present": counts["balita"],
        "others_present": counts["others"],
    }


@require_POST
@role_required(can_record)
def session_attendance(request: HttpRequest, code: str, on: str, person_uuid: UUID) -> HttpResponse:
    """Mark a person present or absent (htmx); answers with the row."""
    posyandu, session, person = _row_target(request, code, on, person_uuid)
    form = AttendanceForm(request.POST)
    present = form.is_valid() and form.cleaned_data["present"]
    if session.closed_at is None:
        care_services.session_mark_attendance(
            actor=request.user, session=session, person=person, present=present
        )
    else:
        present = care_selectors.person_attendance(session, person)
    if not is_htmx(request):
        return redirect("care:session", code=posyandu.code, on=session.date.isoformat())
    encounter = care_selectors.session_encounter(session, person)
    row = _row(session, person, present=present, encounter=encounter)
    return render(request, "care/_session_row.html", _row_context(row, session, posyandu))


@require_POST
@role_required(can_record)
def session_visitor_add(request: HttpRequest, code: str, on: str) -> HttpResponse:
    """ "Tambah pengunjung": add a person from outside the posyandu's dusun/RW (by NIK or ILP
    number, within the user's scope) to the session; audited by the service."""
    posyandu = care_selectors.posyandu_for_user(request.user, code)
    _runner(request, posyandu)
    session = _session(posyandu, parse_date_param(on))
    form = VisitorForm(request.POST)
    target = reverse("care:session", kwargs={"code": posyandu.code, "on": session.date.isoformat()})
    number = form.cleaned_data["number"] if form.is_valid() else ""
    person = person_by_number(request.user, number) if number else None
    if person is None:
        messages.error(
            request,
            _("Tidak ada penduduk dengan NIK atau nomor ILP itu di wilayah kerja Anda."),
        )
        return redirect(target + "#pengunjung")
    try:
        care_services.session_add_visitor(
            actor=request.user, session=session, person=person, ip=client_ip(request)
        )
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
        return redirect(target + "#pengunjung")
    messages.success(
        request, _("%(name)s ditambahkan sebagai pengunjung.") % {"name": person.full_name}
    )
    return redirect(target + f"#row-{person.pk}")


@require_POST
@role_required(can_record)
def session_close_view(request: HttpRequest, code: str, on: str) -> HttpResponse:
    """Close the session; the message says how many balita were absent and what became of
    them, and the page then shows the tasks it produced."""
    posyandu = care_selectors.posyandu_for_user(request.user, code)
    _runner(request, posyandu)
    session = _session(posyandu, parse_date_param(on))
    try:
        closed = care_services.session_close(actor=request.user, session=session)
    except ValidationFailed as exc:
        messages.info(request, str(exc.message))
    else:
        messages.success(request, close_message(closed))
    return redirect(
        reverse("care:session", kwargs={"code": posyandu.code, "on": session.date.isoformat()})
        + "#tugas"
    )


def close_message(closed: care_services.SessionClosed) -> str:
    """ "Sesi ditutup. 7 balita tidak hadir: 6 menjadi tugas kunjungan rumah, 1 sudah punya
    tugas kunjungan rumah." — the true numbers, not the rows created by this click."""
    if closed.absent == 0:
        return _("Sesi ditutup. Semua balita sasaran hadir.")
    message = ngettext(
        "Sesi ditutup. %(absent)d balita tidak hadir: %(new)d menjadi tugas kunjungan rumah.",
        "Sesi ditutup. %(absent)d balita tidak hadir: %(new)d menjadi tugas kunjungan rumah.",
        closed.absent,
    ) % {"absent": closed.absent, "new": len(closed.tasks)}
    if closed.already_planned:
        message += " " + ngettext(
            "%(n)d sudah punya tugas kunjungan rumah yang terbuka.",
            "%(n)d sudah punya tugas kunjungan rumah yang terbuka.",
            closed.already_planned,
        ) % {"n": closed.already_planned}
    return message
