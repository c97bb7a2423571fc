"""Pages of evaluation and coaching: the teams (and puskesmas without one), a team's visits,
a visit (its frozen snapshot of indicators and data quality, its history, findings,
recommendations with their history, evidence files and the actions the viewer may take), the
puskesmas' own recommendations to answer (with evidence files), a camat's or kepala desa's
tasks to answer, and the Dinkes' list of every open recommendation. A visit's re-planning and
cancelling are in ``views_visit``, the evidence download in ``views_evidence``. Views are thin:
forms parse, services write, selectors read; access rules are ``ilp.accounts.access``
predicates."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ilp.accounts.access import (
    can_answer_area_tasks,
    can_answer_recommendations,
    can_join_teams,
    can_manage_teams,
    can_read_recommendations,
    can_use_coaching,
    can_write_recommendations,
    is_specialist,
    is_team_member,
    role_required,
)
from ilp.accounts.models import User
from ilp.core.exceptions import ApplicationError
from ilp.core.paging import PageForm
from ilp.evaluation import evidence, selectors, services, snapshot_rows
from ilp.evaluation.forms import (
    EVIDENCE_ACCEPT,
    ActionForm,
    FindingsForm,
    OpenFilterForm,
    RecommendationForm,
    TeamForm,
    VisitForm,
    apply_error,
)
from ilp.evaluation.forms_checklists import answer_choices
from ilp.evaluation.models import CoachingVisit, Recommendation, VisitState
from ilp.evaluation.views_checklists import checklist_blocks
from ilp.monitoring.catalogue import load_catalogue

ACTION_LABELS = dict(ActionForm.base_fields["action"].choices)  # type: ignore[attr-defined]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@role_required(can_read_recommendations)
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """Where coaching starts: a puskesmas' recommendations, a camat's or kepala desa's tasks,
    or the teams."""
    if can_answer_recommendations(_user(request)):
        return redirect("evaluation:puskesmas")
    if is_specialist(_user(request)):
        return redirect("evaluation:programmes")
    if can_answer_area_tasks(_user(request)):
        return redirect("evaluation:tasks")
    return redirect("evaluation:teams")


# ---------------------------------------------------------------- teams


@role_required(can_join_teams)
@require_http_methods(["GET"])
def teams(request: HttpRequest) -> HttpResponse:
    """The teams (all of the district for its dinkes administrator, else the user's own) and
    the district's puskesmas no active team coaches."""
    user = _user(request)
    return render(
        request,
        "evaluation/teams.html",
        {
            "teams": selectors.teams_for(user),
            "without_team": selectors.puskesmas_without_team(user),
            "can_manage": can_manage_teams(user),
        },
    )


def _team_form_page(request: HttpRequest, team: Any = None) -> HttpResponse:
    user = _user(request)
    puskesmas = selectors.district_puskesmas(user)
    initial = TeamForm.initial_of(team) if team is not None else None
    form = TeamForm(request.POST or None, user=user, puskesmas=puskesmas, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if team is None:
                    data.pop("is_active")
                    services.team_create(user=user, **data)
                else:
                    services.team_update(user=user, team=team, **data)
            except ApplicationError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Tim TPCB disimpan."))
                return redirect("evaluation:teams")
    return render(request, "evaluation/team_form.html", {"form": form, "team": team}, status=status)


@role_required(can_manage_teams)
@require_http_methods(["GET", "POST"])
def team_new(request: HttpRequest) -> HttpResponse:
    """Form a new TPCB team."""
    return _team_form_page(request)


@role_required(can_manage_teams)
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, team_uuid: str) -> HttpResponse:
    """Change a team (members, lead, puskesmas, decree, active)."""
    return _team_form_page(request, selectors.team_get(_user(request), team_uuid))


@role_required(can_join_teams)
@require_http_methods(["GET", "POST"])
def team_detail(request: HttpRequest, team_uuid: str) -> HttpResponse:
    """A team's visits; its members plan a new one here."""
    user = _user(request)
    team = selectors.team_get(user, team_uuid)
    member = is_team_member(user, team)
    form = VisitForm(request.POST or None, team=team) if member else None
    status = 200
    if request.method == "POST":
        if form is None:
            return render(
                request,
                "error.html",
                {"message": _("Hanya anggota tim yang merencanakan kunjungannya.")},
                status=403,
            )
        status = 422
        if form.is_valid():
            try:
                visit = services.visit_plan(user=user, team=team, **form.cleaned_data)
            except ApplicationError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Kunjungan direncanakan."))
                return redirect("evaluation:visit", visit_uuid=visit.uuid)
    context = {"team": team, "visits": selectors.team_visits(team), "form": form}
    return render(request, "evaluation/team.html", context, status=status)


# ---------------------------------------------------------------- a visit


def _rec_rows(
    user: User, recs: list[Recommendation], errors: dict[int, Any] | None = None
) -> list[dict[str, Any]]:
    """Each recommendation with what the page shows beside it: its indicator's name and
    movement, whether it is overdue, the actions the viewer may take and a form for them."""
    language = get_language() or "id"
    catalogue = load_catalogue()
    moves = selectors.movements(user, recs)
    today = timezone.localdate()
    rights = services.ActionRights(user)
    rows = []
    for rec in recs:
        actions = rights.allowed(rec)
        error = (errors or {}).get(rec.pk)
        rows.append(
            {
                "rec": rec,
                "indicator_name": catalogue[rec.indicator].name(language)
                if rec.indicator in catalogue
                else "",
                "movement": moves.get(rec.pk),
                "quality": snapshot_rows.quality_reason(
                    rec.quality_check, rec.visit.snapshot if rec.visit else None
                ),
                "overdue": selectors.is_overdue(rec, today),
                "actions": [(a, ACTION_LABELS[a]) for a in actions],
                "answerable": "answer" in actions,
                "action_form": error if error is not None else ActionForm(),
                "editable": rights.may_edit(rec),
            }
        )
    return rows


def _visit_page(
    request: HttpRequest,
    visit: CoachingVisit,
    *,
    status: int = 200,
    findings_form: FindingsForm | None = None,
    rec_form: RecommendationForm | None = None,
    errors: dict[int, Any] | None = None,
    answer_error: dict[str, Any] | None = None,
) -> HttpResponse:
    user = _user(request)
    member = is_team_member(user, visit.team)
    language = get_language() or "id"
    planned = visit.state == VisitState.PLANNED
    context = {
        "checklists": checklist_blocks(visit, answer_error),
        "answers": answer_choices(),
        "visit": visit,
        "member": member,
        "planned": planned,
        "cancelled": visit.state == VisitState.CANCELLED,
        "snapshot": snapshot_rows.indicator_rows(visit.snapshot),
        "quality": snapshot_rows.quality_part(visit.snapshot),
        "rows": _rec_rows(user, list(selectors.visit_recommendations(visit)), errors),
        "findings_form": findings_form or FindingsForm(initial={"findings": visit.findings}),
        "rec_form": rec_form or RecommendationForm(visit=visit, language=language),
        "back": "visit",
        **_evidence_limits(),
    }
    return render(request, "evaluation/visit.html", context, status=status)


def _evidence_limits() -> dict[str, Any]:
    """What the answer form says of evidence files (the limits the service applies)."""
    return {
        "evidence_accept": EVIDENCE_ACCEPT,
        "evidence_max_bytes": evidence.max_bytes(),
        "evidence_max_files": evidence.max_files(),
    }


# The visit page as the checklist views render it again (an answer refused without htmx).
visit_page = _visit_page


@role_required(can_use_coaching)
@require_http_methods(["GET"])
def visit_detail(request: HttpRequest, visit_uuid: str) -> HttpResponse:
    """A visit: snapshot, findings, recommendations with history and actions."""
    return _visit_page(request, selectors.visit_get(_user(request), visit_uuid))


@role_required(can_join_teams)
@require_POST
def visit_findings(request: HttpRequest, visit_uuid: str) -> HttpResponse:
    user = _user(request)
    visit = selectors.visit_get(user, visit_uuid)
    form = FindingsForm(request.POST)
    if form.is_valid():
        try:
            services.visit_findings_set(user=user, visit=visit, **form.cleaned_data)
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Temuan disimpan."))
            return redirect("evaluation:visit", visit_uuid=visit.uuid)
    return _visit_page(request, visit, status=422, findings_form=form)


@role_required(can_join_teams)
@require_POST
def visit_done(request: HttpRequest, visit_uuid: str) -> HttpResponse:
    user = _user(request)
    visit = selectors.visit_get(user, visit_uuid)
    try:
        services.visit_mark_done(user=user, visit=visit)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Kunjungan selesai; potret indikator dibekukan."))
    return redirect("evaluation:visit", visit_uuid=visit.uuid)


@role_required(can_join_teams)
@require_POST
def recommendation_new(request: HttpRequest, visit_uuid: str) -> HttpResponse:
    user = _user(request)
    visit = selectors.visit_get(user, visit_uuid)
    form = RecommendationForm(request.POST, visit=visit, language=get_language() or "id")
    if form.is_valid():
        try:
            services.recommendation_create(user=user, visit=visit, content=form.content())
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Rekomendasi ditambahkan."))
            return redirect("evaluation:visit", visit_uuid=visit.uuid)
    return _visit_page(request, visit, status=422, rec_form=form)


@role_required(can_write_recommendations)
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, recommendation_uuid: str) -> HttpResponse:
    """Change what a recommendation says (the team; not once verified)."""
    user = _user(request)
    rec = selectors.recommendation_get(user, recommendation_uuid)
    initial = {
        "what": rec.what,
        "indicator": rec.indicator,
        "quality_check": rec.quality_check,
        "why": rec.why,
        "owner_role": rec.owner_role,
        "owner_user": rec.owner_user_id,
        "owner_area": rec.owner_area_id,
        "due_date": rec.due_date,
        "checklist_item": str(rec.checklist_item.uuid) if rec.checklist_item else "",
    }
    form = RecommendationForm(
        request.POST or None, visit=rec.origin, language=get_language() or "id", initial=initial
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.recommendation_update(
                    user=user, recommendation=rec, content=form.content()
                )
            except ApplicationError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Rekomendasi diubah."))
                return _origin_redirect(rec)
    return render(
        request, "evaluation/recommendation_form.html", {"form": form, "rec": rec}, status=status
    )


@role_required(can_read_recommendations)
@require_POST
def recommendation_action(request: HttpRequest, recommendation_uuid: str) -> HttpResponse:
    """Answer (with evidence files), accept, send back or verify a recommendation; back to the
    page it came from, or that page again with the refusal beside the recommendation (the
    note kept; the files must be chosen again, a browser does not keep them)."""
    user = _user(request)
    rec = selectors.recommendation_get(user, recommendation_uuid)
    form = ActionForm(request.POST, request.FILES)
    # A camat or kepala desa opens no visit page: always back to their tasks.
    back = "tugas" if can_answer_area_tasks(user) else request.POST.get("back")
    if form.is_valid():
        try:
            services.recommendation_act(
                user=user,
                recommendation=rec,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
                files=form.cleaned_data["evidence"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Rekomendasi diperbarui."))
            if back == "puskesmas":
                return redirect("evaluation:puskesmas")
            if back == "tugas":
                return redirect("evaluation:tasks")
            return _origin_redirect(rec)
    if back == "tugas":
        return _tasks_page(request, status=422, errors={rec.pk: form})
    if back == "puskesmas" and can_answer_recommendations(user):
        return _puskesmas_page(request, status=422, errors={rec.pk: form})
    if rec.death_review is not None:
        from ilp.evaluation.death_views import review_page

        return review_page(request, rec.death_review, status=422, errors={rec.pk: form})
    if rec.session is not None:
        from ilp.evaluation.programme_views import session_page

        return session_page(request, rec.session, status=422, errors={rec.pk: form})
    return _visit_page(request, rec.visit, status=422, errors={rec.pk: form})  # type: ignore[arg-type]


def _origin_redirect(rec: Recommendation) -> HttpResponse:
    """Back to the page of the visit, specialist session or death review that gave it."""
    if rec.death_review is not None:
        return redirect("evaluation:death_review", death_uuid=rec.death_review.death.uuid)
    if rec.session is not None:
        return redirect("evaluation:session", session_uuid=rec.session.uuid)
    return redirect("evaluation:visit", visit_uuid=rec.origin.uuid)


# ---------------------------------------------------------------- lists


def _puskesmas_page(
    request: HttpRequest, *, status: int = 200, errors: dict[int, Any] | None = None
) -> HttpResponse:
    user = _user(request)
    recs = list(selectors.puskesmas_recommendations(user))
    context = {"rows": _rec_rows(user, recs, errors), "back": "puskesmas", **_evidence_limits()}
    return render(request, "evaluation/puskesmas.html", context, status=status)


@role_required(can_answer_recommendations)
@require_http_methods(["GET"])
def puskesmas_list(request: HttpRequest) -> HttpResponse:
    """The recommendations addressed to the user's puskesmas, to answer."""
    return _puskesmas_page(request)


def _tasks_page(
    request: HttpRequest, *, status: int = 200, errors: dict[int, Any] | None = None
) -> HttpResponse:
    user = _user(request)
    recs = list(selectors.area_tasks(user))
    language = get_language() or "id"
    catalogue = load_catalogue()
    today = timezone.localdate()
    rights = services.ActionRights(user)
    rows = [
        {
            "rec": rec,
            "indicator_name": catalogue[rec.indicator].name(language)
            if rec.indicator in catalogue
            else "",
            "overdue": selectors.is_overdue(rec, today),
            "can_answer": "answer" in rights.allowed(rec),
            # A camat follows the tasks of his desa; their kepala desa answers them.
            "follow_only": rec.owner_area_id != user.area_id,
            "action_form": (errors or {}).get(rec.pk) or ActionForm(),
        }
        for rec in recs
    ]
    return render(request, "evaluation/tasks.html", {"rows": rows}, status=status)


@role_required(can_answer_area_tasks)
@require_http_methods(["GET"])
def task_list(request: HttpRequest) -> HttpResponse:
    """A camat's or kepala desa's tasks from coaching (recommendations addressed to their
    kecamatan or desa), to answer; no personal data: who acted is shown by role only."""
    return _tasks_page(request)


@role_required(can_manage_teams)
@require_http_methods(["GET"])
def open_list(request: HttpRequest) -> HttpResponse:
    """Every open recommendation of the district, overdue first, by team and cluster."""
    user = _user(request)
    # the filter names the teams only: no members or puskesmas read
    teams = selectors.teams_for(user).prefetch_related(None)
    form = OpenFilterForm(request.GET or None, teams=teams)
    team = cluster = None
    if form.is_valid():
        team, cluster = form.cleaned_data["team"], form.cleaned_data["cluster"]
    page = PageForm(request.GET).number()
    found = selectors.open_recommendations(user, team=team, cluster=cluster or "", page=page)
    today = timezone.localdate()
    rows = [{"rec": r, "overdue": selectors.is_overdue(r, today)} for r in found.rows]
    template = (
        "evaluation/_open_rows.html"
        if request.headers.get("HX-Request")
        else "evaluation/open.html"
    )
    # The pager's links keep the filters.
    kept = {k: v for k, v in request.GET.items() if k in ("team", "cluster") and v}
    context = {"form": form, "rows": rows, "found": found, "filters": urlencode(kept)}
    return render(request, template, context)
