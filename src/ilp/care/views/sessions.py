"""The posyandu session page for kader: who is expected, who came, and a keyboard-first table
to enter weight, length/height and MUAC of every child, each row saved on its own via htmx.

Closing the session turns absentees into home-visit tasks (the service decides) and the page
then lists them with the follow-up and referral tasks the session produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ilp.accounts.access import (
    can_record,
    can_view_personal_data,
    may_run_session,
    role_required,
)
from ilp.accounts.views import is_htmx
from ilp.care import selectors as care_selectors
from ilp.care import services as care_services
from ilp.care.forms import AttendanceForm, OpenSessionForm, WeighingRowForm, default_measured
from ilp.care.models import Encounter, PosyanduSession
from ilp.care.views.common import put_errors
from ilp.care.views.results import alert_lines, growth_cells
from ilp.core.dates import parse_date_param, query_date
from ilp.core.exceptions import NotFound, ValidationFailed
from ilp.people.models import Person
from ilp.people.selectors import person_detail
from ilp.standards.lifestage import completed_months

BALITA_MONTHS = 60


@dataclass
class SessionRow:
    """One expected person on the session page."""

    person: Person
    months: int
    present: bool | None
    form: WeighingRowForm | None = None
    encounter: Encounter | None = None
    cells: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    needs_confirmation: bool = False
    saved: bool = False

    @property
    def is_balita(self) -> bool:
        return self.months < BALITA_MONTHS

    @property
    def years(self) -> int:
        return self.months // 12


def _session(posyandu, on: date) -> PosyanduSession:
    session = care_selectors.session_on(posyandu, on)
    if session is None:
        raise NotFound(_("Sesi posyandu pada tanggal ini belum dibuka."))
    return session


def _person_in_session(request: HttpRequest, session: PosyanduSession, person_uuid) -> Person:
    person = person_detail(request.user, person_uuid)
    return person


def _row(
    session: PosyanduSession,
    person: Person,
    *,
    present: bool | None,
    encounter: Encounter | None,
    form: WeighingRowForm | None = None,
) -> SessionRow:
    months = completed_months(person.birth_date, session.date)
    row = SessionRow(person=person, months=months, present=present, encounter=encounter)
    if months < BALITA_MONTHS:
        if form is None:
            initial = {"measured": default_measured(person.birth_date, session.date)}
            if encounter is not None:
                initial.update(_values_of(encounter))
            form = WeighingRowForm(initial=initial, auto_id=f"r{person.pk}-%s")
        row.form = form
    if encounter is not None:
        row.cells = growth_cells(encounter.results)
        row.alerts = alert_lines(encounter.alerts)
        row.saved = True
    return row


def _values_of(encounter: Encounter) -> dict[str, Any]:
    """What the row showed when it was saved, for re-display."""
    values: dict[str, Any] = {}
    for obs in encounter.observations.all():
        if obs.code in ("weight", "height", "muac") and obs.value is not None:
            values[obs.code] = f"{obs.value:g}".replace(".", ",")
        elif obs.code == "measured" and obs.value_text:
            values["measured"] = obs.value_text
        elif obs.code == "oedema":
            values["oedema"] = obs.value_text == "true"
    return values


def _rows(request: HttpRequest, session: PosyanduSession) -> list[SessionRow]:
    people = care_selectors.session_people(request.user, session)
    attendance = care_selectors.session_attendance(session)
    encounters = care_selectors.session_encounters(session)
    rows = [
        _row(session, p, present=attendance.get(p.pk), encounter=encounters.get(p.pk))
        for p in people
    ]
    rows.sort(key=lambda r: not r.is_balita)  # stable: the services' order (by name)
    return rows


@require_GET
@role_required(can_view_personal_data)
def posyandu_home(request: HttpRequest, code: str) -> HttpResponse:
    """The posyandu's sessions, with the button that opens this month's session."""
    posyandu = care_selectors.posyandu_for_user(request.user, code)
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
            "form": OpenSessionForm(initial={"on": today}),
            "can_run": may_run_session(request.user, posyandu),
        },
    )


@require_POST
@role_required(can_record)
def session_open_view(request: HttpRequest, code: str) -> HttpResponse:
    """Open a session (default today) and go to its page; opening twice is harmless. A date
    that cannot be read is refused (400), not replaced by today."""
    posyandu = care_selectors.posyandu_for_user(request.user, code)
    on = query_date(request.POST, "on", default=timezone.localdate())
    existing = care_selectors.session_on(posyandu, on)
    if existing is None:
        care_services.session_open(actor=request.user, posyandu=posyandu, on=on)
    return redirect("care:session", code=posyandu.code, on=on.isoformat())


@require_GET
@role_required(can_view_personal_data)
def session_page(request: HttpRequest, code: str, on: str) -> HttpResponse:
    posyandu = care_selectors.posyandu_for_user(request.user, code)
    day = parse_date_param(on)
    session = care_selectors.session_on(posyandu, day)
    context: dict[str, Any] = {
        "posyandu": posyandu,
        "on": day,
        "session": session,
        "can_run": may_run_session(request.user, posyandu),
    }
    if session is not None:
        rows = _rows(request, session)
        context["rows"] = [r for r in rows if r.is_balita]
        context["others"] = [r for r in rows if not r.is_balita]
        context["present_count"] = sum(1 for r in rows if r.present)
        context["expected_count"] = len(rows)
        if session.closed_at:
            context["tasks"] = care_selectors.session_tasks(session)
    return render(request, "care/session.html", context)


@require_POST
@role_required(can_record)
def session_row_save(request: HttpRequest, code: str, on: str, person_uuid) -> HttpResponse:
    """Save one child's measurements (htmx) and answer with the row, classified."""
    posyandu = care_selectors.posyandu_for_user(request.user, code)
    session = _session(posyandu, parse_date_param(on))
    person = _person_in_session(request, session, person_uuid)
    form = WeighingRowForm(request.POST, auto_id=f"r{person.pk}-%s")
    encounter = None
    needs_confirmation = False
    if session.closed_at is not None:
        # Absentees have already become home visits: later weighings go on the person page.
        form.is_valid()
        form.add_error(None, _("Sesi sudah ditutup; catat di halaman orang."))
    elif form.is_valid():
        data = form.cleaned_data
        try:
            result = care_services.session_record_weighing(
                actor=request.user,
                session=session,
                person=person,
                weight_kg=data["weight"],
                length_cm=data["height"] or None,
                measured=data["measured"] if data["height"] else None,
                muac_cm=data["muac"] or None,
                oedema=data["oedema"],
                client_id=data["client_id"],
                confirm_unusual=data["confirm_unusual"],
            )
            encounter = result.encounter
        except ValidationFailed as exc:
            needs_confirmation = exc.code == "needs_confirmation"
            put_errors(
                exc,
                form,
                aliases={
                    "weight_kg": "weight",
                    "length_cm": "height",
                    "length": "height",
                    "muac_cm": "muac",
                },
            )
    if encounter is not None:
        present = True
        # A fresh form (new client id) so that a correction is a new record, not a replay.
        saved = care_selectors.encounter_with_observations(encounter)
        row = _row(session, person, present=present, encounter=saved)
    else:
        present = care_selectors.person_attendance(session, person)
        row = _row(session, person, present=present, encounter=None, form=form)
        row.needs_confirmation = needs_confirmation
    status = 200 if encounter is not None else 422
    response = render(request, "care/_session_row.html", _row_context(row, session, posyandu))
    if not is_htmx(request):
        if encounter is not None:
            messages.success(request, _("Tersimpan: %(name)s.") % {"name": person.full_name})
            return redirect("care:session", code=posyandu.code, on=session.date.isoformat())
        response.status_code = status
    return response


def _row_context(row: SessionRow, session: PosyanduSession, posyandu) -> dict[str, Any]:
    """A row fragment plus the page's "n present" count (swapped out of band by htmx)."""
    return {
        "row": row,
        "session": session,
        "posyandu": posyandu,
        "present_count": care_selectors.present_count(session),
    }


@require_POST
@role_required(can_record)
def session_attendance(request: HttpRequest, code: str, on: str, person_uuid) -> HttpResponse:
    """Mark a person present or absent (htmx); answers with the row."""
    posyandu = care_selectors.posyandu_for_user(request.user, code)
    session = _session(posyandu, parse_date_param(on))
    person = _person_in_session(request, session, person_uuid)
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
def session_close_view(request: HttpRequest, code: str, on: str) -> HttpResponse:
    """Close the session; the page then shows the tasks it produced."""
    posyandu = care_selectors.posyandu_for_user(request.user, code)
    session = _session(posyandu, parse_date_param(on))
    tasks = care_services.session_close(actor=request.user, session=session)
    messages.success(
        request,
        _("Sesi ditutup. %(n)d sasaran yang tidak hadir menjadi tugas kunjungan rumah.")
        % {"n": len(tasks)},
    )
    return redirect(
        reverse("care:session", kwargs={"code": posyandu.code, "on": session.date.isoformat()})
        + "#tugas"
    )
