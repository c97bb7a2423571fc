"""Pages of visum et repertum: record the police request, the examination, the issued letter,
its delivery and the evidence handed over (the case's health circle, from the case page);
the letter as PDF; the letter template the dinkes administrator adjusts.

Views are thin: forms parse, ``services_visum`` writes and judges, ``selectors_visum`` reads.
A refusal shows as its message on the form, in the case page (422)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ilp.accounts.access import (
    PROTECTION_HEALTH_ROLES,
    can_manage_visum_template,
    can_use_protection,
    client_ip,
    is_protection_health_staff,
    role_required,
    sees_clinical,
)
from ilp.accounts.models import AuditAction, User
from ilp.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from ilp.core.pdf import html_to_pdf
from ilp.protection import selectors, selectors_visum, services_visum
from ilp.protection.audit import audit_case
from ilp.protection.forms import apply_error
from ilp.protection.forms_visum import (
    CustodyForm,
    DeliverForm,
    ExamineForm,
    IssueForm,
    TemplateForm,
    VisumRequestForm,
    VoidForm,
)
from ilp.protection.models import Case
from ilp.protection.models_visum import Visum, VisumKind, VisumState, VisumTemplate
from ilp.protection.views import _detail_context


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _refused(request: HttpRequest, case: Case, form: Any, what: str, visum: Any) -> HttpResponse:
    """The case page again, with `form` (and its messages) open in the visum section."""
    context = _detail_context(request, case)
    context["visum_error"] = {"what": what, "visum": visum, "form": form}
    return render(request, "protection/detail.html", context, status=422)


def _write(
    request: HttpRequest,
    case_uuid: Any,
    visum_uuid: Any,
    what: str,
    make_form: Any,
    write: Any,
    done: str,
) -> HttpResponse:
    """Parse the form `make_form(case)` makes of the POST, hand its values to
    `write(user, case, visum, data, ip)`, and go back to the case's visum section with
    `done`; a refused value shows on the form (422). A refused access is the service's 403."""
    user = _user(request)
    ip = client_ip(request)
    case = selectors.case_for_user(user=user, case_uuid=case_uuid, ip=ip, what=f"visum_{what}")
    visum = selectors_visum.visum_of_case(case, visum_uuid) if visum_uuid else None
    form = make_form(case)
    if form.is_valid():
        try:
            write(user, case, visum, form.cleaned_data, ip)
        except ValidationFailed as exc:
            apply_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(f"{case_url(case)}#visum")
    return _refused(request, case, form, what, visum)


def case_url(case: Case) -> str:
    from django.urls import reverse

    return reverse("protection:detail", kwargs={"case_uuid": case.uuid})


def examiner_choices(case: Case, user: Any) -> list[tuple[str, str]]:
    """The health workers of the case's circle who may be named as examiner (the user first)."""
    rows = [(str(user.pk), user.get_full_name() or user.username)]
    circle = case.assignments.filter(
        removed_at__isnull=True, user__is_active=True, user__role__in=PROTECTION_HEALTH_ROLES
    ).exclude(user_id=user.pk)
    for a in circle.select_related("user").order_by("user__first_name", "user__username"):
        rows.append((str(a.user_id), a.user.get_full_name() or a.user.username))
    return rows


@role_required(is_protection_health_staff)
@require_POST
def request_record(request: HttpRequest, case_uuid: Any) -> HttpResponse:
    """Record a police investigator's written request for a visum."""

    def make(case: Case) -> VisumRequestForm:
        return VisumRequestForm(request.POST, victims=selectors_visum.victim_choices(case))

    def write(user: User, case: Case, _v: Any, data: dict[str, Any], ip: str | None) -> None:
        services_visum.visum_request_record(
            user=user,
            case=case,
            party=selectors_visum.victim_by_uuid(case, data.get("party") or ""),
            kind=data.get("kind") or "",
            request_number=data.get("request_number") or "",
            request_date=data.get("request_date"),
            investigator_name=data.get("investigator_name") or "",
            investigator_unit=data.get("investigator_unit") or "",
            received_at=data.get("received_at"),
            ip=ip,
        )

    return _write(request, case_uuid, None, "request", make, write, _("Permintaan visum dicatat."))


@role_required(is_protection_health_staff)
@require_POST
def examine(request: HttpRequest, case_uuid: Any, visum_uuid: Any) -> HttpResponse:
    """Record the examination: examiner, chaperone, consent, findings."""
    user = _user(request)

    def make(case: Case) -> ExamineForm:
        return ExamineForm(request.POST, examiners=examiner_choices(case, user))

    def write(user: User, case: Case, visum: Visum, data: dict[str, Any], ip: str | None) -> None:
        raw = str(data.get("examiner") or "")
        examiner = User.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        services_visum.visum_examine(
            user=user,
            visum=visum,
            examiner=examiner,
            examined_at=data.get("examined_at"),
            chaperone_name=data.get("chaperone_name") or "",
            chaperone_female=bool(data.get("chaperone_female")),
            consent_by=data.get("consent_by") or "",
            consent_name=data.get("consent_name") or "",
            consent_at=data.get("consent_at"),
            findings=data.get("findings") or "",
            ip=ip,
        )

    return _write(
        request, case_uuid, visum_uuid, "examine", make, write, _("Pemeriksaan visum dicatat.")
    )


@role_required(is_protection_health_staff)
@require_POST
def issue(request: HttpRequest, case_uuid: Any, visum_uuid: Any) -> HttpResponse:
    """Issue the letter (its number and date)."""

    def write(user: User, case: Case, visum: Visum, data: dict[str, Any], ip: str | None) -> None:
        services_visum.visum_issue(
            user=user,
            visum=visum,
            letter_number=data.get("letter_number") or "",
            letter_date=data.get("letter_date"),
            ip=ip,
        )

    return _write(
        request,
        case_uuid,
        visum_uuid,
        "issue",
        lambda case: IssueForm(request.POST),
        write,
        _("Surat visum diterbitkan."),
    )


@role_required(is_protection_health_staff)
@require_POST
def deliver(request: HttpRequest, case_uuid: Any, visum_uuid: Any) -> HttpResponse:
    """Record the letter handed to the police."""

    def write(user: User, case: Case, visum: Visum, data: dict[str, Any], ip: str | None) -> None:
        services_visum.visum_deliver(
            user=user,
            visum=visum,
            delivered_to=data.get("delivered_to") or "",
            delivered_at=data.get("delivered_at"),
            ip=ip,
        )

    return _write(
        request,
        case_uuid,
        visum_uuid,
        "deliver",
        lambda case: DeliverForm(request.POST),
        write,
        _("Penyerahan surat visum dicatat."),
    )


@role_required(is_protection_health_staff)
@require_POST
def custody(request: HttpRequest, case_uuid: Any, visum_uuid: Any) -> HttpResponse:
    """Add a hand-over of evidence to the chain of custody."""

    def write(user: User, case: Case, visum: Visum, data: dict[str, Any], ip: str | None) -> None:
        services_visum.custody_add(
            user=user,
            visum=visum,
            item=data.get("item") or "",
            handed_by=data.get("handed_by") or "",
            handed_to=data.get("handed_to") or "",
            at=data.get("at"),
            note=data.get("note") or "",
            ip=ip,
        )

    return _write(
        request,
        case_uuid,
        visum_uuid,
        "custody",
        lambda case: CustodyForm(request.POST),
        write,
        _("Serah terima barang bukti dicatat."),
    )


@role_required(is_protection_health_staff)
@require_POST
def void(request: HttpRequest, case_uuid: Any, visum_uuid: Any) -> HttpResponse:
    """Void a visum recorded by mistake."""

    def write(user: User, case: Case, visum: Visum, data: dict[str, Any], ip: str | None) -> None:
        services_visum.visum_void(
            user=user,
            visum=visum,
            reason=data.get("reason") or "",
            note=data.get("note") or "",
            ip=ip,
        )

    return _write(
        request,
        case_uuid,
        visum_uuid,
        "void",
        lambda case: VoidForm(request.POST),
        write,
        _("Visum dibatalkan."),
    )


@role_required(can_use_protection)
@require_http_methods(["GET"])
def letter(request: HttpRequest, case_uuid: Any, visum_uuid: Any) -> HttpResponse:
    """The visum letter as PDF, from the district's template (or the built-in one): for
    those who read the case's clinical part, once the letter is issued. Each download is
    audited on the case."""
    user = _user(request)
    ip = client_ip(request)
    case = selectors.case_for_user(user=user, case_uuid=case_uuid, ip=ip, what="visum_letter")
    visum = selectors_visum.visum_of_case(case, visum_uuid)
    if not sees_clinical(user, case):
        audit_case(
            user=user,
            action=AuditAction.DENIED,
            case=case,
            ip=ip,
            detail={"what": "visum_letter", "visum": str(visum.uuid)},
        )
        raise PermissionDenied(
            _("Surat visum memuat temuan klinis: hanya untuk tim penanganan kasus.")
        )
    if visum.is_voided or visum.state not in (VisumState.ISSUED, VisumState.DELIVERED):
        raise NotFound(_("Surat visum ini belum diterbitkan."))
    # The visum is an Indonesian legal document: filled in Indonesian whatever the UI language.
    with translation.override("id"):
        html = render_to_string(
            "protection/visum_letter.html",
            {"visum": visum, "case": case, "body": selectors_visum.letter_html(visum)},
        )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="visum-{visum.uuid}.pdf"'
    response["Cache-Control"] = "private, no-store"
    audit_case(
        user=user,
        action=AuditAction.EXPORT,
        case=case,
        ip=ip,
        detail={"what": "visum_letter", "visum": str(visum.uuid), "format": "pdf"},
    )
    return response


@role_required(can_manage_visum_template)
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest) -> HttpResponse:
    """The district's visum letter (physical or psychiatric): the dinkes administrator saves
    a new version; the placeholders it may name are listed beside it."""
    user = _user(request)
    kind = request.POST.get("kind") or request.GET.get("jenis") or VisumKind.PHYSICAL
    if kind not in VisumKind.values:
        kind = VisumKind.PHYSICAL
    status = 200
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                services_visum.template_save(
                    user=user,
                    kind=form.cleaned_data["kind"],
                    body=form.cleaned_data.get("body") or "",
                    ip=client_ip(request),
                )
            except ValidationFailed as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Templat surat visum disimpan sebagai versi baru."))
                return redirect(f"{request.path}?jenis={form.cleaned_data['kind']}")
        status = 422
    else:
        form = TemplateForm(
            initial={"kind": kind, "body": services_visum.template_body(user.area, kind)}
        )
    versions = VisumTemplate.objects.filter(area=user.area, kind=kind).select_related("created_by")[
        :20
    ]
    context = {
        "form": form,
        "kind": kind,
        "kinds": VisumKind.choices,
        "versions": versions,
        "placeholders": services_visum.PLACEHOLDERS,
    }
    return render(request, "protection/visum_template.html", context, status=status)
