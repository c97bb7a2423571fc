"""The page of one death and its AMP-SR review (``/pembinaan/kematian/<death uuid>/``): the
death (kind, time, place, cause with its ICD-MM group), the notification check against the
limit (``ILP_DEATH_NOTIFY_HOURS``), the path of care before it, the review (meeting,
avoidable factors, summary) and its recommendations with their actions; the reviewers'
forms (review, new recommendation) and the recorder's (notification, void)."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ilp.accounts.access import (
    can_review_deaths,
    can_view_deaths,
    client_ip,
    may_record_death,
    may_review_death,
    role_required,
)
from ilp.accounts.audit import audit_record
from ilp.accounts.models import User
from ilp.core.exceptions import ApplicationError, PermissionDenied
from ilp.evaluation import death_services, selectors
from ilp.evaluation.death_forms import ReviewForm
from ilp.evaluation.death_models import DELAY_LABELS, AvoidableFactor, DeathReview
from ilp.evaluation.forms import RecommendationForm, apply_error
from ilp.evaluation.views import _rec_rows
from ilp.referrals.forms import DeathForm, VoidForm
from ilp.referrals.models import Referral
from ilp.referrals.selectors_deaths import care_path, death_facilities, death_get, may_void
from ilp.standards import deaths as rules
from ilp.standards import icd10


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _factors(codes: list[str]) -> list[dict[str, Any]]:
    """The review's factor codes grouped under their delay, labelled."""
    groups = []
    for delay in rules.DELAYS:
        labels = [AvoidableFactor(c).label for c in codes if rules.FACTORS.get(c) == delay]
        if labels:
            groups.append({"delay": DELAY_LABELS[delay], "factors": labels})
    return groups


def review_page(
    request: HttpRequest,
    review: DeathReview,
    *,
    status: int = 200,
    errors: dict[int, Any] | None = None,
    **forms: Any,
) -> HttpResponse:
    """The page; `forms` replace the blank ones (a refused form shown again)."""
    user = _user(request)
    death = review.death
    reviews = may_review_death(user, review) and death.voided_at is None
    records = death.voided_at is None and may_record_death(user, death.person, death.facility)
    recs = list(selectors.recommendations_for(user).filter(death_review=review))
    maternal = death.kind == "maternal"
    context: dict[str, Any] = {
        "death": death,
        "review": review,
        "notification": rules.notification_check(
            death.died_at, death.notified_at, timezone.now(), settings.ILP_DEATH_NOTIFY_HOURS
        ),
        "cause_title": icd10.description(death.cause_code),
        "icdmm_group": rules.icdmm_group(death.cause_code, maternal=maternal),
        "path": care_path(death),
        "factor_groups": _factors(review.factors),
        "rows": _rec_rows(user, recs, errors),
        "back": "death",
        "reviews": reviews,
        "may_notify": records and death.notified_at is None,
        "may_void": may_void(user, death),
    }
    if reviews:
        context["review_form"] = ReviewForm(
            initial={
                "version": review.version,
                "meeting_date": review.meeting_date,
                "participants": review.participants,
                "factors": review.factors,
                "summary": review.summary,
            }
        )
        context["rec_form"] = RecommendationForm(visit=review, language=get_language() or "id")
    if context["may_notify"]:
        context["notify_form"] = DeathForm(
            facilities=death_facilities(),
            pregnancies=death.person.pregnancies.none(),
            referrals=Referral.objects.none(),
        )
    if context["may_void"]:
        context["void_form"] = VoidForm()
    context.update(forms)
    return render(request, "evaluation/death_review.html", context, status=status)


def _review(request: HttpRequest, death_uuid: str) -> DeathReview:
    death = death_get(_user(request), death_uuid)
    return DeathReview.objects.select_related("puskesmas", "district").get(death=death)


@role_required(can_view_deaths)
@require_http_methods(["GET"])
def death_review(request: HttpRequest, death_uuid: str) -> HttpResponse:
    """One death and its review (see the module docstring)."""
    review = _review(request, death_uuid)
    audit_record(
        user=request.user,
        action="view",
        object_type="death",
        object_uuid=review.death.uuid,
        person_id=review.death.person_id,
        ip=client_ip(request),
    )
    return review_page(request, review)


@role_required(can_review_deaths)
@require_POST
def death_review_save(request: HttpRequest, death_uuid: str) -> HttpResponse:
    """Record the review meeting, factors and summary."""
    user = _user(request)
    review = _review(request, death_uuid)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            death_services.review_update(user=user, review=review, **form.cleaned_data)
        except ApplicationError as exc:
            if isinstance(exc, PermissionDenied):
                raise
            apply_error(form, exc)
        else:
            messages.success(request, _("Pengkajian disimpan."))
            return redirect("evaluation:death_review", death_uuid=review.death.uuid)
    return review_page(request, review, status=422, review_form=form)


@role_required(can_review_deaths)
@require_POST
def death_review_recommendation(request: HttpRequest, death_uuid: str) -> HttpResponse:
    """Add a recommendation to the review."""
    user = _user(request)
    review = _review(request, death_uuid)
    form = RecommendationForm(request.POST, visit=review, language=get_language() or "id")
    if form.is_valid():
        try:
            death_services.review_recommendation_create(
                user=user, review=review, content=form.content()
            )
        except ApplicationError as exc:
            if isinstance(exc, PermissionDenied):
                raise
            apply_error(form, exc)
        else:
            messages.success(request, _("Rekomendasi ditambahkan."))
            return redirect("evaluation:death_review", death_uuid=review.death.uuid)
    return review_page(request, review, status=422, rec_form=form)
