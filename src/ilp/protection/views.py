"""Pages of protection (under ``/perlindungan/``): the user's cases (and, for a puskesmas,
the new ones no officer took yet), a new case (health staff; a partner refers a person in),
one case as the user may see it, and its writes: take it, add a party, record a timed step,
write the clinical notes and consent, add a worker to its circle, close it.

Views are thin: forms parse, services write, selectors read and audit. A case outside the
user's scope answers 404, like one that does not exist."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ilp.accounts.access import (
    can_review_break_glass,
    can_screen,
    can_use_protection,
    client_ip,
    is_partner_user,
    is_protection_health_staff,
    may_act_on_case,
    may_open_case,
    role_required,
)
from ilp.accounts.models import Role, User
from ilp.core.exceptions import ApplicationError, NotFound, ValidationFailed
from ilp.core.paging import PageForm, page_message
from ilp.places.models import AreaLevel
from ilp.protection import selectors, services
from ilp.protection.forms import (
    CaseOpenForm,
    CloseForm,
    NotesForm,
    PartyForm,
    StepForm,
    apply_error,
    person_by_nik,
)
from ilp.protection.models import Case, PartyRole
from ilp.protection.views_attachment import attachment_context
from ilp.protection.views_partner import partner_context


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _district(user: User) -> Any:
    """The district of a partner user (their account's area, its regency)."""
    area = user.area
    while area is not None and area.level > AreaLevel.REGENCY and area.parent_id is not None:
        area = area.parent
    return area


@role_required(can_use_protection)
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """The cases the user reads, urgent and newest first; a puskesmas also sees the new cases
    of its puskesmas no officer took yet (number, arrival, urgency: nothing else)."""
    user = _user(request)
    form = PageForm(request.GET)
    closed = request.GET.get("status") == "ditutup"
    found = selectors.my_cases(user, page=form.number(), closed=closed)
    context = {
        "found": found,
        "closed": closed,
        "page_message": page_message(form, found.at),
        "unassigned": selectors.unassigned_cases(user),
        "can_open": may_open_case(user),
        "partner": is_partner_user(user),
        "health": is_protection_health_staff(user),
        "can_screen": can_screen(user),
        "can_review_break_glass": can_review_break_glass(user),
    }
    return render(request, "protection/index.html", context)


def _victim_fields(form: CaseOpenForm | PartyForm, person: Any) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "person": person,
        "alias": data.get("alias") or "",
        "sex": data.get("sex") or "",
        "age_years": data.get("age_years"),
        "disabilities": data.get("disabilities") or [],
        "accommodations": data.get("accommodations") or [],
        "guardian_name": data.get("guardian_name") or "",
    }


@role_required(may_open_case)
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """Open a case (health staff) or refer a person into health care (partner staff)."""
    user = _user(request)
    partner = is_partner_user(user)
    form = CaseOpenForm(request.POST or None, partner=partner, district=_district(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = None
        if not partner and data.get("nik"):
            person = person_by_nik(user, data["nik"])
            if person is None:
                form.add_error("nik", _("NIK ini tidak ditemukan di wilayah Anda."))
        if form.is_valid():
            facility = data.get("facility")
            if partner and facility is None and data.get("village") is not None:
                facility = data["village"].served_by.filter(kind="puskesmas").first()
            try:
                case = services.case_open(
                    user=user,
                    arrival_route=data.get("arrival_route") or ("partner" if partner else ""),
                    arrived_at=data.get("arrived_at"),
                    kinds=data.get("kinds") or [],
                    occurred_on=data.get("occurred_on"),
                    occurred_place=data.get("occurred_place") or "unknown",
                    summary=data.get("summary") or "",
                    urgent=bool(data.get("urgent")),
                    facility=facility,
                    victim=_victim_fields(form, person),
                    ip=client_ip(request),
                )
            except ApplicationError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Kasus %(number)s dibuka.") % {"number": case.number})
                return redirect("protection:detail", case_uuid=case.uuid)
    return render(request, "protection/new.html", {"form": form, "partner": partner})


def _case(request: HttpRequest, case_uuid: Any, what: str = "case") -> Case:
    return selectors.case_for_user(
        user=request.user, case_uuid=case_uuid, ip=client_ip(request), what=what
    )


def _detail_context(request: HttpRequest, case: Case, **forms: Any) -> dict[str, Any]:
    user = _user(request)
    view = selectors.case_view(user, case)
    actor = may_act_on_case(user, case)
    return {
        "view": view,
        "case": case,
        "actor": actor,
        "officer": case.officer_id == user.pk,
        "step_form": forms.get("step_form") or StepForm(),
        "party_form": forms.get("party_form") or PartyForm(),
        "notes_form": forms.get("notes_form")
        or NotesForm(
            initial={
                "clinical_notes": case.clinical_notes,
                "partner_may_read_clinical": case.partner_may_read_clinical,
                "version": case.version,
            }
        ),
        "close_form": forms.get("close_form") or CloseForm(),
        "assignable": _assignable(case) if case.officer_id == user.pk else [],
        "break_glass": selectors.active_break_glass(user, case),
        **attachment_context(user, case, forms.get("attachment_form")),
        **partner_context(user, case, forms),
    }


def _assignable(case: Case) -> list[User]:
    from django.db.models import Q

    circle = case.assignments.filter(removed_at__isnull=True).values("user_id")
    return list(
        User.objects.filter(
            Q(facility_id=case.facility_id) | Q(facility__parent_id=case.facility_id),
            role__in=[Role.PUSKESMAS, Role.PUSTU],
            is_active=True,
        )
        .exclude(pk__in=circle)
        .order_by("first_name", "username")[:100]
    )


@role_required(can_use_protection)
@require_http_methods(["GET"])
def detail(request: HttpRequest, case_uuid: Any) -> HttpResponse:
    """One case as the user may see it (a partner: without the clinical part unless the
    victim or guardian consented)."""
    case = _case(request, case_uuid)
    return render(request, "protection/detail.html", _detail_context(request, case))


@role_required(is_protection_health_staff)
@require_POST
def take(request: HttpRequest, case_uuid: Any) -> HttpResponse:
    """Take a new case of the user's puskesmas: become its officer."""
    user = _user(request)
    case = selectors.unassigned_case(user, case_uuid)
    if case is None:
        from ilp.protection.audit import audit_case

        audit_case(
            user=user,
            action="denied",
            case_uuid=None,
            ip=client_ip(request),
            detail={"what": "take"},
        )
        raise NotFound(_("Kasus tidak ditemukan, atau Anda tidak berhak membukanya."))
    try:
        services.case_take(user=user, case=case, ip=client_ip(request))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("protection:index")
    messages.success(
        request, _("Anda sekarang petugas kasus %(number)s.") % {"number": case.number}
    )
    return redirect("protection:detail", case_uuid=case.uuid)


@role_required(is_protection_health_staff)
@require_POST
def party(request: HttpRequest, case_uuid: Any) -> HttpResponse:
    """Add a victim or an alleged perpetrator."""
    user = _user(request)
    case = _case(request, case_uuid, "party")
    form = PartyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        person = person_by_nik(user, data["nik"]) if data.get("nik") else None
        guardian = person_by_nik(user, data["guardian_nik"]) if data.get("guardian_nik") else None
        if data.get("nik") and person is None:
            form.add_error("nik", _("NIK ini tidak ditemukan di wilayah Anda."))
        if data.get("guardian_nik") and guardian is None:
            form.add_error("guardian_nik", _("NIK ini tidak ditemukan di wilayah Anda."))
        if not data.get("role"):
            form.add_error("role", _("Pilih peran: korban atau terduga pelaku."))
    if form.is_valid():
        fields = _victim_fields(form, person)
        fields.update(
            guardian_person=guardian if data["role"] == PartyRole.VICTIM else None,
            relation_to_victim=data.get("relation_to_victim") or "",
        )
        try:
            services.party_add(
                user=user, case=case, role=data["role"], ip=client_ip(request), **fields
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Pihak kasus dicatat."))
            return redirect("protection:detail", case_uuid=case.uuid)
    return render(
        request,
        "protection/detail.html",
        _detail_context(request, case, party_form=form),
        status=422,
    )


def _post_form(
    request: HttpRequest,
    case_uuid: Any,
    what: str,
    form: Any,
    write: Any,
    done: str,
) -> HttpResponse:
    """Parse `form`, hand its values to `write(user, case, data, ip)` and go back to the case
    with `done`; a refusal shows on the form in the case page (422)."""
    user = _user(request)
    case = _case(request, case_uuid, what)
    if form.is_valid():
        try:
            write(user, case, form.cleaned_data, client_ip(request))
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("protection:detail", case_uuid=case.uuid)
    context = _detail_context(request, case, **{f"{what}_form": form})
    return render(request, "protection/detail.html", context, status=422)


@role_required(is_protection_health_staff)
@require_POST
def step(request: HttpRequest, case_uuid: Any) -> HttpResponse:
    """Record a timed step of the case."""

    def write(user: User, case: Case, data: dict[str, Any], ip: str | None) -> None:
        services.step_record(
            user=user,
            case=case,
            step=data.get("step") or "",
            at=data.get("at"),
            note=data.get("note") or "",
            ip=ip,
        )

    form = StepForm(request.POST)
    return _post_form(request, case_uuid, "step", form, write, _("Langkah penanganan dicatat."))


@role_required(is_protection_health_staff)
@require_POST
def notes(request: HttpRequest, case_uuid: Any) -> HttpResponse:
    """Write the clinical notes and the consent to share them with partners."""

    def write(user: User, case: Case, data: dict[str, Any], ip: str | None) -> None:
        services.case_update_notes(
            user=user,
            case=case,
            clinical_notes=data.get("clinical_notes") or "",
            partner_may_read_clinical=bool(data.get("partner_may_read_clinical")),
            version=data["version"],
            ip=ip,
        )

    form = NotesForm(request.POST)
    return _post_form(request, case_uuid, "notes", form, write, _("Catatan klinis disimpan."))


@role_required(is_protection_health_staff)
@require_POST
def assign(request: HttpRequest, case_uuid: Any) -> HttpResponse:
    """The officer adds a worker to the case's circle."""
    user = _user(request)
    case = _case(request, case_uuid, "assign")
    raw = str(request.POST.get("member") or "").strip()
    member = User.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 12 else None
    try:
        if member is None:
            raise ValidationFailed(_("Pilih petugas puskesmas ini atau pustu-nya."))
        services.assignment_add(user=user, case=case, member=member, ip=client_ip(request))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Petugas ditambahkan ke kasus."))
    return redirect("protection:detail", case_uuid=case.uuid)


@role_required(is_protection_health_staff)
@require_POST
def close(request: HttpRequest, case_uuid: Any) -> HttpResponse:
    """The officer closes the case."""

    def write(user: User, case: Case, data: dict[str, Any], ip: str | None) -> None:
        services.case_close(user=user, case=case, note=data.get("note") or "", ip=ip)

    form = CloseForm(request.POST)
    return _post_form(request, case_uuid, "close", form, write, _("Kasus ditutup."))
