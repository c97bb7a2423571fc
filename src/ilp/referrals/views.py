"""Pages of referrals (under ``/rujukan/``): the sending side's open referrals (the overdue
ones marked), the receiving facility's incoming list by urgency, one referral with its
timeline, delays and the actions the viewer may take, its letter (``surat.pdf``), the
referred person's summary for the receiving side (``ringkasan/``: all a hospital's staff see
of the person), a person's referrals (``orang/<uuid>/``, loaded into the person page), the
form that creates one in one click, everything known filled in (``selectors.propose``):
from an alert of an encounter (``?encounter=<uuid>&alert=<code>``), a work list's finding
(``?person=<uuid>&finding=<code>``), a person page (``?person=<uuid>``) or, as a back
referral, a referral the user's facility received and handled (``?back=<uuid>``); and the
delay report per facility and month (``laporan/``, with its CSV: aggregates only, no person
named). Views are thin: forms parse, services write, selectors read; the rules are
``ilp.accounts.access`` predicates."""

from __future__ import annotations

import csv
from datetime import date
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ilp.accounts.access import (
    can_receive_referrals,
    can_record_deaths,
    can_send_referrals,
    can_use_referrals,
    can_view_referral_report,
    client_ip,
    may_refer_back,
    role_required,
)
from ilp.accounts.audit import audit_bulk_view, audit_export, audit_record
from ilp.accounts.models import Role, User
from ilp.care.presenters import present_alerts
from ilp.care.selectors import encounter_for_user
from ilp.core.exceptions import ApplicationError, BadParameter, PermissionDenied
from ilp.core.paging import PageForm, page_message
from ilp.core.pdf import html_to_pdf
from ilp.people.selectors import person_detail
from ilp.referrals import selectors, services
from ilp.referrals.forms import ActionForm, DelayReportForm, ReferralForm, apply_error
from ilp.referrals.models import EndReason, Referral, ReferralAction
from ilp.referrals.summary import referred_person_summary
from ilp.standards import icd10
from ilp.standards.lifestage import completed_months

# The person's own fields are all the form shows (no family, no mother).
_PERSON_RELATED = ("village",)

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


def _list_context(
    request: HttpRequest, found: selectors.ReferralPage, form: PageForm, which: str
) -> dict[str, Any]:
    """A page of a referral list: its rows (the persons on it audited as one list read), the
    counts over the whole list, the pager and what it says about a bad page asked for."""
    _audit_list(request, found.rows, which)
    return {
        "rows": _rows(found.rows),
        "found": found,
        "page_message": page_message(form, found.at),
    }


@role_required(can_use_referrals)
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """The open referrals the user's side sent (every open one of the district for the dinkes
    administrator), oldest decision first, the overdue ones marked; a page at a time."""
    user = _user(request)
    form = PageForm(request.GET)
    found = selectors.outgoing_open(user, page=form.number())
    context = {
        **_list_context(request, found, form, "outgoing"),
        "can_receive": can_receive_referrals(user),
        "can_send": can_send_referrals(user),
    }
    return render(request, "referrals/index.html", context)


@role_required(can_receive_referrals)
@require_http_methods(["GET"])
def incoming(request: HttpRequest) -> HttpResponse:
    """The referrals waiting for the user's facility, most urgent first; a page at a time."""
    form = PageForm(request.GET)
    found = selectors.incoming(_user(request), page=form.number())
    # "Muat ulang" (htmx) reloads the counts with the rows: a new urgent referral shows in both.
    template = (
        "referrals/_incoming_body.html"
        if request.headers.get("HX-Request")
        else "referrals/incoming.html"
    )
    context = {**_list_context(request, found, form, "incoming"), "show_from": True}
    return render(request, template, context)


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
        "can_refer_back": may_refer_back(user, referral),
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


def age_text(birth: date | None, on: date) -> str:
    """A person's age on `on` as a letter writes it: years, or months under one, or days
    under one month."""
    if birth is None:
        return ""
    months = completed_months(birth, on)
    if months >= 12:
        return _("%(n)d tahun") % {"n": months // 12}
    if months >= 1:
        return _("%(n)d bulan") % {"n": months}
    return _("%(n)d hari") % {"n": (on - birth).days}


@role_required(can_use_referrals)
@require_http_methods(["GET"])
def letter(request: HttpRequest, referral_uuid: str) -> HttpResponse:
    """The referral letter (surat rujukan) as PDF: the sending facility's header, the target,
    the patient's identity, findings, diagnosis, care before transfer, transport, companion,
    the referring worker, and the receiver's answer once given. Readable by whoever reads the
    referral; each download audited as an export of that person."""
    user = _user(request)
    referral = selectors.referral_for_letter(user, referral_uuid)
    decided_on = timezone.localtime(referral.decided_at).date()
    context = {
        "ref": referral,
        "person": referral.person,
        "age": age_text(referral.person.birth_date, decided_on),
        "alerts": present_alerts(referral.trigger_alerts),
        "diagnosis_title": icd10.description(referral.diagnosis_code),
        "answer_diagnosis_title": icd10.description(referral.answer_diagnosis_code),
        "answered": referral.answered_at is not None,
        "worker": referral.created_by,
    }
    html = render_to_string("referrals/letter.html", context, request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="surat-rujukan-{referral.uuid}.pdf"'
    response["Cache-Control"] = "private, no-store"
    audit_export(
        user=user,
        object_type="referral",
        file_format="pdf",
        person_ids=[referral.person_id],
        row_count=1,
        ip=client_ip(request),
        detail={"referral": str(referral.uuid), "document": "surat_rujukan"},
    )
    return response


@role_required(can_use_referrals)
@require_http_methods(["GET"])
def person_referrals(request: HttpRequest, person_uuid: str) -> HttpResponse:
    """A person's referrals the user reads (the person page loads it with htmx; without, a
    page of its own); the read is audited."""
    found = selectors.person_referrals(_user(request), person_uuid)
    _audit_list(request, found, "person")
    context = {"rows": _rows(found), "person_uuid": person_uuid}
    template = (
        "referrals/_person.html" if request.headers.get("HX-Request") else "referrals/person.html"
    )
    return render(request, template, context)


@role_required(can_use_referrals)
@require_http_methods(["GET"])
def summary(request: HttpRequest, referral_uuid: str) -> HttpResponse:
    """The referred person's summary, read through the referral (identity basics, pregnancy,
    recent results, the triggering alerts): one audited read of the person."""
    referral = selectors.referral_get(_user(request), referral_uuid)
    found = referred_person_summary(referral)
    audit_record(
        user=request.user,
        action="view",
        object_type="person",
        object_uuid=referral.person.uuid,
        person_id=referral.person_id,
        ip=client_ip(request),
        detail={"referral": str(referral.uuid), "page": "referral_summary"},
    )
    return render(request, "referrals/summary.html", {"ref": referral, "s": found})


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
    """Refer a person, everything known filled in (``selectors.propose``): from an alert of an
    encounter (``?encounter=<uuid>&alert=<code>``: its person, facility, findings, kind,
    target and ICD-10 code), from a work list (``?person=<uuid>&finding=<code>``), from a
    person page (``?person=<uuid>``) or as the back referral of a referral the user's
    facility received and handled (``?back=<uuid>``). The user confirms with one POST."""
    user = _user(request)
    ip = client_ip(request)
    source = request.GET
    encounter = person = back = None
    if source.get("encounter"):
        encounter = encounter_for_user(user, source["encounter"], ip=ip)
        person = encounter.person
    elif source.get("back"):
        back = selectors.referral_get(user, source["back"])
        if not may_refer_back(user, back):
            raise PermissionDenied(
                _(
                    "Rujuk balik dibuat oleh petugas %(facility)s (penerima rujukan ini) "
                    "setelah pasien ditangani."
                )
                % {"facility": back.to_facility}
            )
        person = back.person
        audit_record(
            user=user,
            action="view",
            object_type="referral",
            object_uuid=back.uuid,
            person_id=back.person_id,
            ip=ip,
            detail={"page": "back_referral"},
        )
    elif source.get("person"):
        person = person_detail(user, source["person"], ip=ip, related=_PERSON_RELATED)
    else:
        raise BadParameter(_("Buka formulir rujukan dari catatan pelayanan atau halaman penduduk."))
    alert_code = source.get("alert", "")
    proposal = selectors.propose(
        user,
        person,
        encounter=encounter,
        alert_code=alert_code,
        finding_code="" if encounter is not None else source.get("finding", ""),
        facilities=request.method == "GET",
    )
    initial = dict(proposal.initial)
    if back is not None:
        initial.update(selectors.back_referral_initial(back))
    form = ReferralForm(
        request.POST or None,
        sources=selectors.referring_facilities(user),
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
                    user=user,
                    person=person,
                    encounter=encounter,
                    first_alert=alert_code,
                    finding_code=proposal.finding_code,
                    **data,
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
        "back": back,
        "alerts": present_alerts(proposal.findings),
        "diagnosis_title": icd10.description(str(form["diagnosis_code"].value() or "")),
    }
    return render(request, "referrals/new.html", context, status=status)


def _report(
    request: HttpRequest, *, detailed: bool
) -> tuple[DelayReportForm, selectors.DelayReportPage | None]:
    """The report the query asks for: per facility and month when `detailed` (the CSV) or the
    period is one month; else per facility over the period, with the total of each month."""
    # Always bound: an empty query is valid and means this month, by sending facility.
    form = DelayReportForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    start, end = data["dari"], data["sampai"]
    one_month = (start.year, start.month) == (end.year, end.month)
    page = selectors.delay_report(
        _user(request), start=start, end=end, side=data["sisi"], per_month=detailed or one_month
    )
    return form, page


@role_required(can_view_referral_report)
@require_http_methods(["GET"])
def report(request: HttpRequest) -> HttpResponse:
    """The delay report: per facility (and month, for one month; over the period with the
    district's total per month, for several), the referrals, share answered (and within the
    allowance), median and p90 of each delay and the share arriving too late."""
    form, page = _report(request, detailed=False)
    context = {
        "form": form,
        "page": page,
        "delay_labels": selectors.delay_labels(),
        "csv_query": request.GET.urlencode(),
        "arrival_hours": settings.ILP_REFERRAL_ARRIVAL_HOURS,
        "arrival_days": settings.ILP_REFERRAL_ARRIVAL_DAYS,
    }
    return render(request, "referrals/report.html", context, status=200 if page else 400)


@role_required(can_view_referral_report)
@require_http_methods(["GET"])
def report_csv(request: HttpRequest) -> HttpResponse:
    """The delay report as CSV (one row per facility and month, delays in minutes); logged as
    an export of aggregates (no person in it)."""
    form, page = _report(request, detailed=True)
    if page is None:
        return HttpResponse(
            "\n".join(f"{k}: {' '.join(str(m) for m in v)}" for k, v in form.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"laporan-rujukan-{page.side}-{page.start:%Y-%m}-{page.end:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerows(selectors.report_table(page))
    audit_export(
        user=request.user,
        object_type="referral_report",
        file_format="csv",
        person_ids=[],
        row_count=len(page.rows),
        ip=client_ip(request),
        detail={"side": page.side, "from": f"{page.start:%Y-%m}", "to": f"{page.end:%Y-%m}"},
    )
    return response
