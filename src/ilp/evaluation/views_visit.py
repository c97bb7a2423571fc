"""Pages that change a planned visit: re-plan it (date, who goes) and cancel it with a reason
(the team's members; refused once the visit is done or cancelled, with the service's
message), and the live indicator and data-quality values shown on a visit not done yet
(loaded after the visit page, since the data-quality scorecard reads the month's records)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ilp.accounts.access import can_join_teams, can_use_coaching, is_team_member, role_required
from ilp.accounts.models import User
from ilp.core.exceptions import ApplicationError, Conflict, PermissionDenied
from ilp.evaluation import selectors, services, snapshot_rows
from ilp.evaluation.forms import VisitCancelForm, VisitReplanForm, apply_error
from ilp.evaluation.models import CoachingVisit, VisitState


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _editable_visit(request: HttpRequest, visit_uuid: str) -> CoachingVisit:
    """The visit, if the user is one of its team's members and it is still planned (else
    403 or the conflict page with the service's message)."""
    user = _user(request)
    visit = selectors.visit_get(user, visit_uuid)
    if not is_team_member(user, visit.team):
        raise PermissionDenied(_("Hanya anggota tim kunjungan ini yang boleh melakukannya."))
    if visit.state == VisitState.DONE:
        raise Conflict(services.VISIT_DONE)
    if visit.state == VisitState.CANCELLED:
        raise Conflict(services.VISIT_CANCELLED)
    return visit


def _page(
    request: HttpRequest,
    visit: CoachingVisit,
    replan: VisitReplanForm | None = None,
    cancel: VisitCancelForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "visit": visit,
        "replan_form": replan or VisitReplanForm(visit=visit),
        "cancel_form": cancel or VisitCancelForm(),
    }
    return render(request, "evaluation/visit_edit.html", context, status=status)


@role_required(can_join_teams)
@require_http_methods(["GET", "POST"])
def visit_edit(request: HttpRequest, visit_uuid: str) -> HttpResponse:
    """Re-plan a planned visit: its date and who goes."""
    visit = _editable_visit(request, visit_uuid)
    if request.method == "GET":
        return _page(request, visit)
    form = VisitReplanForm(request.POST, visit=visit)
    if form.is_valid():
        try:
            services.visit_replan(user=_user(request), visit=visit, **form.cleaned_data)
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Kunjungan dijadwalkan ulang."))
            return redirect("evaluation:visit", visit_uuid=visit.uuid)
    return _page(request, visit, replan=form, status=422)


@role_required(can_join_teams)
@require_POST
def visit_cancel(request: HttpRequest, visit_uuid: str) -> HttpResponse:
    """Cancel a planned visit with the reason."""
    visit = _editable_visit(request, visit_uuid)
    form = VisitCancelForm(request.POST)
    if form.is_valid():
        try:
            services.visit_cancel(user=_user(request), visit=visit, **form.cleaned_data)
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Kunjungan dibatalkan."))
            return redirect("evaluation:visit", visit_uuid=visit.uuid)
    return _page(request, visit, cancel=form, status=422)


@role_required(can_use_coaching)
@require_GET
def visit_live(request: HttpRequest, visit_uuid: str) -> HttpResponse:
    """The puskesmas' indicator values and data quality read now, for a visit not yet done
    (a done visit shows its frozen snapshot instead: 409)."""
    user = _user(request)
    visit = selectors.visit_get(user, visit_uuid)
    if visit.state != VisitState.PLANNED:
        raise Conflict(_("Nilai langsung hanya untuk kunjungan yang direncanakan."))
    snapshot = services.visit_snapshot(user, visit)
    context = {
        "visit": visit,
        "live": True,
        "snapshot_month": snapshot,
        "snapshot": snapshot_rows.indicator_rows(snapshot),
        "quality": snapshot_rows.quality_part(snapshot),
    }
    return render(request, "evaluation/_snapshot.html", context)
