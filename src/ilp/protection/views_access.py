"""Pages of break-glass (under ``/perlindungan/``): open a case outside one's circle by its
register number, a basis and a reason first (health staff, the dinkes administrator); and
the Dinkes's list of every break-glass of the district. The case officer's access log and
the notice on the case list are included in those pages (``templatetags.protection_access``).

Views are thin: the form parses, ``services_access`` judges and writes, ``selectors_access``
reads and audits."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ilp.accounts.access import can_review_break_glass, client_ip, may_break_glass, role_required
from ilp.accounts.models import User
from ilp.core.exceptions import ValidationFailed
from ilp.core.paging import PageForm, page_message
from ilp.protection import selectors_access, services_access
from ilp.protection.forms_access import BreakGlassForm


@role_required(may_break_glass)
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    """Open a case outside the user's circle: its number, then a basis and a reason (and the
    letter's number for consent or a court order). A case the user already reads opens
    without a grant."""
    user = cast(User, request.user)
    form = BreakGlassForm(
        request.POST or None, initial={"number": str(request.GET.get("nomor") or "")[:24]}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opened = services_access.break_glass_open(
                user=user,
                number=data.get("number") or "",
                basis=data.get("basis") or "",
                reason=data.get("reason") or "",
                document=data.get("document") or "",
                ip=client_ip(request),
            )
        except ValidationFailed as exc:
            for field, msgs in exc.fields.items():
                form.add_error(field if field in form.fields else None, msgs)
            if not exc.fields:
                form.add_error(None, str(exc.message))
        else:
            if opened.grant is None:
                messages.info(request, _("Anda sudah berhak membuka kasus ini."))
            else:
                until = formats.date_format(opened.grant.expires_at, "SHORT_DATETIME_FORMAT")
                messages.warning(
                    request,
                    _("Akses darurat ke kasus %(number)s dicatat, berlaku sampai %(until)s.")
                    % {"number": opened.case.number, "until": until},
                )
            return redirect("protection:detail", case_uuid=opened.case.uuid)
    if form.errors:
        status = 422
    context = {
        "form": form,
        "hours": services_access.grant_hours(),
        "grants": selectors_access.running_grants(user),
    }
    return render(request, "protection/break_glass.html", context, status=status)


@role_required(can_review_break_glass)
@require_GET
def break_glass_list(request: HttpRequest) -> HttpResponse:
    """Every break-glass of the district: who, which case number, when, basis and reason
    (no case content)."""
    form = PageForm(request.GET)
    found = selectors_access.district_break_glass(
        request.user, page=form.number(), ip=client_ip(request)
    )
    context = {"found": found, "page_message": page_message(form, found.at)}
    return render(request, "protection/break_glass_list.html", context)
