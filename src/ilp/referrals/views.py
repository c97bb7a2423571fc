"""Pages of referrals (under ``/rujukan/``): the sending side's open referrals (the overdue
ones marked), the receiving facility's incoming list by urgency, one referral with its
timeline, delays and the actions the viewer may take, and the form that creates one from an
encounter (``?encounter=<uuid>``: person, facility and alerts filled in) or a person
(``?person=<uuid>``). Views are thin: forms parse, services write, selectors read; the rules
are ``ilp.accounts.access`` predicates."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ilp.accounts.access import (
    can_receive_referrals,
    can_record_deaths,
    can_send_referrals,
    can_use_referrals,
    client_ip,
    role_required,
)
from ilp.accounts.audit import audit_bulk_view, audit_record
from ilp.accounts.models import Role, User
from ilp.care.presenters import present_alerts
from ilp.care.selectors import encounter_for_user
from ilp.core.exceptions import ApplicationError, BadParameter
from ilp.people.selectors import person_detail
from ilp.referrals import selectors, services
from ilp.referrals.forms import ActionForm, ReferralForm, apply_error
from ilp.referrals.models import EndReason, Referral, ReferralAction
from ilp.standards import icd10

# The fields each action's form shows (besides its time and note).
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "answer": ("answer_diagnosis_code", "answer_care", "answer_advice", "back_referral_plan"),
    "refuse": ("end_reason",),
    "redirect": ("redirect_to", "end_reason"),
    "cancel": ("end_reason",),
    "not_arrive": ("end_reason",),
}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _rows(referrals: list[Referral]) -> list[dict[str, Any]]:
    now = timezone.now()
    return [{"ref": r, "overdue": selectors.is_overdue(r, now)} for r in referrals]


def _audit_list(request: HttpRequest, referrals: list[Referral], which: str) -> None:
    audit_bulk_view(
        user=request.user,
        object_type="referral",
        person_ids=[r.person_id for r in referrals],
        ip=client_ip(request),
        detail={"list": which},
    )


@role_required(can_use_referrals)
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """The open referrals the user's side sent (every open one of the district for the dinkes
    administrator), oldest decision first, the overdue ones marked."""
    user = _user(request)
    found = selectors.outgoing_open(user)
    _audit_list(request, found, "outgoing")
    context = {
        "rows": _rows(found),
        "can_receive": can_receive_referrals(user),
        "can_send": can_send_referrals(user),
    }
    return render(request, "referrals/index.html", context)


@role_required(can_receive_referrals)
@require_http_methods(["GET"])
def incoming(request: HttpRequest) -> HttpResponse:
    """The referrals waiting for the user's facility, most urgent first."""
    found = selectors.incoming(_user(request))
    _audit_list(request, found, "incoming")
    template = (
        "referrals/_rows.html" if request.headers.get("HX-Request") else "referrals/incoming.html"
    )
    return render(request, template, {"rows": _rows(found), "show_from": True})


def _detail_page(
    request: HttpRequest,
    referral: Referral,
    *,
    status: int = 200,
    failed: tuple[str, ActionForm] | None = None,
) -> HttpResponse:
    user = _user(request)
    targets = selectors.receiving_facilities()
    forms = []
    for action in services.actions_for(user, referral):
        form = failed[1] if failed and failed[0] == action else ActionForm(targets=targets)
        forms.append(
            {
                "action": action,
                "label": ReferralAction(action).label,
                "form": form,
                "fields": [form[name] for name in ACTION_FIELDS.get(action, ())],
                "open": bool(failed and failed[0] == action),
            }
        )
    context = {
        "ref": referral,
        "overdue": selectors.is_overdue(referral, timezone.now()),
        "timeline": selectors.timeline(referral),
        "events": list(selectors.history(referral)),
        "alerts": present_alerts(referral.trigger_alerts),
        "diagnosis_title": icd10.description(referral.diagnosis_code),
        "answer_diagnosis_title": icd10.description(referral.answer_diagnosis_code),
        "onward": selectors.onward_of(referral),
        "actions": forms,
        "may_record_death": _may_record_death(user, referral),
    }
    return render(request, "referrals/detail.html", context, status=status)


def _may_record_death(user: User, referral: Referral) -> bool:
    """Whether the page offers recording the referred person's death: a referral ended
    because the person died (for whoever records deaths of the person), or any referral to
    a hospital for its staff (the service checks the rest)."""
    if not can_record_deaths(user) or referral.person.deceased_on is not None:
        return False
    if referral.end_reason == EndReason.DIED:
        return True
    return user.role == Role.HOSPITAL and referral.to_facility_id == user.facility_id


@role_required(can_use_referrals)
@require_http_methods(["GET"])
def detail(request: HttpRequest, referral_uuid: str) -> HttpResponse:
    """One referral: its findings, timeline with delays, answer, history and actions."""
    referral = selectors.referral_get(_user(request), referral_uuid)
    audit_record(
        user=request.user,
        action="view",
        object_type="referral",
        object_uuid=referral.uuid,
        person_id=referral.person_id,
        ip=client_ip(request),
    )
    return _detail_page(request, referral)


@role_required(can_use_referrals)
@require_POST
def act(request: HttpRequest, referral_uuid: str) -> HttpResponse:
    """Take one step on a referral; the page again with the refusal beside that action."""
    user = _user(request)
    referral = selectors.referral_get(user, referral_uuid)
    form = ActionForm(request.POST, targets=selectors.receiving_facilities())
    action = request.POST.get("action", "")
    status = 422
    if form.is_valid():
        try:
            services.referral_act(user=user, referral=referral, **form.cleaned_data)
        except ApplicationError as exc:
            apply_error(form, exc)
            status = exc.http_status
            if action not in services.actions_for(user, referral):
                # an action the page does not offer (another side's, out of order, taken by
                # someone else meanwhile): its refusal shows above the page, not lost
                messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Rujukan diperbarui."))
            return redirect("referrals:detail", referral_uuid=referral.uuid)
    return _detail_page(request, referral, status=status, failed=(action, form))


@role_required(can_send_referrals)
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """Refer a person: from an encounter (its person, facility and alerts filled in) or from
    a person page."""
    user = _user(request)
    ip = client_ip(request)
    source = request.GET
    encounter = person = None
    if source.get("encounter"):
        encounter = encounter_for_user(user, source["encounter"], ip=ip)
        person = encounter.person
    elif source.get("person"):
        person = person_detail(user, source["person"], ip=ip)
    else:
        raise BadParameter(_("Buka formulir rujukan dari catatan pelayanan atau halaman penduduk."))
    sources = selectors.referring_facilities(user)
    initial: dict[str, Any] = {}
    if encounter is not None:
        initial["from_facility"] = encounter.facility_id
        initial["reason"] = "; ".join(a["label"] for a in present_alerts(encounter.alerts))
    elif user.facility_id:
        initial["from_facility"] = user.facility_id
    form = ReferralForm(
        request.POST or None,
        sources=sources,
        targets=selectors.receiving_facilities(),
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                referral = services.referral_create(
                    user=user, person=person, encounter=encounter, **data
                )
            except ApplicationError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Rujukan dibuat."))
                return redirect("referrals:detail", referral_uuid=referral.uuid)
    context = {
        "form": form,
        "person": person,
        "encounter": encounter,
        "alerts": present_alerts(encounter.alerts) if encounter is not None else [],
    }
    return render(request, "referrals/new.html", context, status=status)
