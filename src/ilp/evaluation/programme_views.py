"""Pages of specialist coaching programmes (under ``/pembinaan/program/`` and
``/pembinaan/sesi/``): the programmes with their coverage, a programme (coverage, score change
per topic and per puskesmas, sessions, a new session), a session (participants, scores on a
phone, cases, recommendations in the same loop as a visit's). Thin: forms parse, services
write, selectors read, rules are ``ilp.accounts.access`` predicates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ilp.accounts.access import (
    can_manage_programmes,
    can_use_programmes,
    can_view_sessions,
    may_run_programme,
    role_required,
)
from ilp.core.exceptions import ApplicationError, PermissionDenied
from ilp.evaluation import programme_selectors as selectors
from ilp.evaluation import programme_services as services
from ilp.evaluation.forms import RecommendationForm, apply_error
from ilp.evaluation.programme_forms import (
    CaseReviewForm,
    ParticipantsForm,
    ProgrammeForm,
    ScoresForm,
    SessionForm,
)
from ilp.evaluation.programme_models import CoachingProgramme, CoachingSession
from ilp.evaluation.services import NOT_PROGRAMME_RUNNER
from ilp.evaluation.views import _rec_rows, _user


@role_required(can_use_programmes)
@require_http_methods(["GET"])
def programmes(request: HttpRequest) -> HttpResponse:
    """The programmes the user opens, each with its coverage."""
    user = _user(request)
    context = {
        "programmes": selectors.programmes_for(user),
        "can_manage": can_manage_programmes(user),
    }
    return render(request, "evaluation/programmes.html", context)


def _programme_form_page(
    request: HttpRequest, programme: CoachingProgramme | None = None
) -> HttpResponse:
    from ilp.evaluation.selectors import district_puskesmas

    user = _user(request)
    initial = ProgrammeForm.initial_of(programme) if programme is not None else None
    form = ProgrammeForm(
        request.POST or None,
        specialists=selectors.district_specialists(user),
        puskesmas=district_puskesmas(user),
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                saved = services.programme_save(user=user, programme=programme, **form.values())
            except ApplicationError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Program pendampingan disimpan."))
                return redirect("evaluation:programme", programme_uuid=saved.uuid)
    context = {"form": form, "programme": programme}
    return render(request, "evaluation/programme_form.html", context, status=status)


@role_required(can_manage_programmes)
@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest) -> HttpResponse:
    """Form a programme: specialists, topics, puskesmas to cover, period."""
    return _programme_form_page(request)


@role_required(can_manage_programmes)
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, programme_uuid: str) -> HttpResponse:
    """Change a programme (topics added or renamed, never removed; made inactive)."""
    return _programme_form_page(request, selectors.programme_get(_user(request), programme_uuid))


@role_required(can_use_programmes)
@require_http_methods(["GET", "POST"])
def programme_detail(request: HttpRequest, programme_uuid: str) -> HttpResponse:
    """Coverage, score change per topic and per puskesmas, the sessions; a new session."""
    user = _user(request)
    programme = selectors.programme_get(user, programme_uuid)
    runs = may_run_programme(user, programme) and programme.is_active
    form = SessionForm(request.POST or None, programme=programme) if runs else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(NOT_PROGRAMME_RUNNER)
        status = 422
        if form.is_valid():
            try:
                session = services.session_create(
                    user=user, programme=programme, **form.cleaned_data
                )
            except ApplicationError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Sesi dicatat."))
                return redirect("evaluation:session", session_uuid=session.uuid)
    context = {
        "programme": programme,
        "figures": selectors.programme_figures(programme),
        "sessions": selectors.programme_sessions(programme),
        "form": form,
        "can_manage": can_manage_programmes(user),
    }
    return render(request, "evaluation/programme.html", context, status=status)


def session_page(
    request: HttpRequest,
    session: CoachingSession,
    *,
    status: int = 200,
    errors: dict[int, Any] | None = None,
    **forms: Any,
) -> HttpResponse:
    """The session page; `forms` replace the blank ones (a refused form shown again)."""
    user = _user(request)
    runs = may_run_programme(user, session.programme)
    participants = selectors.session_participants(session)
    topics = list(session.programme.topics.all())
    language = get_language() or "id"
    context = {
        "session": session,
        "runs": runs,
        "participants": participants,
        "topics": topics,
        "cases": session.case_reviews.select_related("topic"),
        "rows": _rec_rows(user, list(selectors.session_recommendations(session)), errors),
        "back": "session",
    }
    if runs:
        context.update(
            participants_form=ParticipantsForm(staff=selectors.puskesmas_staff(session)),
            scores_form=ScoresForm(participants=participants, topics=topics),
            case_form=CaseReviewForm(programme=session.programme),
            rec_form=RecommendationForm(visit=session, language=language),
        )
        context.update(forms)
    return render(request, "evaluation/session.html", context, status=status)


@role_required(can_view_sessions)
@require_http_methods(["GET"])
def session_detail(request: HttpRequest, session_uuid: str) -> HttpResponse:
    """A session: participants and their scores, cases, recommendations and their actions."""
    return session_page(request, selectors.session_get(_user(request), session_uuid))


def _session_post(
    request: HttpRequest, session_uuid: str, form_name: str, make_form: Any, write: Any, done: str
) -> HttpResponse:
    """Parse one of the session page's forms, write it, back to the page (or the page again
    with the form's errors)."""
    user = _user(request)
    session = selectors.session_get(user, session_uuid)
    form = make_form(session)
    if form.is_valid():
        try:
            write(user, session, form)
        except PermissionDenied:
            raise  # a 403, not a message on the form
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("evaluation:session", session_uuid=session.uuid)
    return session_page(request, session, status=422, **{form_name: form})


@role_required(can_use_programmes)
@require_POST
def session_participants(request: HttpRequest, session_uuid: str) -> HttpResponse:
    return _session_post(
        request,
        session_uuid,
        "participants_form",
        lambda s: ParticipantsForm(request.POST, staff=selectors.puskesmas_staff(s)),
        lambda u, s, f: services.session_participants_add(user=u, session=s, **f.values()),
        _("Peserta ditambahkan."),
    )


@role_required(can_use_programmes)
@require_POST
def session_scores(request: HttpRequest, session_uuid: str) -> HttpResponse:
    return _session_post(
        request,
        session_uuid,
        "scores_form",
        lambda s: ScoresForm(
            request.POST,
            participants=selectors.session_participants(s),
            topics=list(s.programme.topics.all()),
        ),
        lambda u, s, f: services.session_scores_set(user=u, session=s, entries=f.entries()),
        _("Nilai disimpan."),
    )


@role_required(can_use_programmes)
@require_POST
def session_case(request: HttpRequest, session_uuid: str) -> HttpResponse:
    return _session_post(
        request,
        session_uuid,
        "case_form",
        lambda s: CaseReviewForm(request.POST, programme=s.programme),
        lambda u, s, f: services.case_review_add(user=u, session=s, **f.cleaned_data),
        _("Kajian kasus ditambahkan."),
    )


@role_required(can_use_programmes)
@require_POST
def session_recommendation_new(request: HttpRequest, session_uuid: str) -> HttpResponse:
    return _session_post(
        request,
        session_uuid,
        "rec_form",
        lambda s: RecommendationForm(request.POST, visit=s, language=get_language() or "id"),
        lambda u, s, f: services.session_recommendation_create(
            user=u, session=s, content=f.content()
        ),
        _("Rekomendasi ditambahkan."),
    )
