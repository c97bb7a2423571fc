"""Pages of the targets: the district's sasaran proyeksi (upload a year's Excel sheet,
download the template, the uploads kept) and the puskesmas' annual targets (SK target
kinerja). Access: ``ilp.accounts.access`` (`can_upload_sasaran`, `can_set_puskesmas_targets`)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ilp.accounts.access import (
    can_set_puskesmas_targets,
    can_upload_sasaran,
    role_required,
    target_puskesmas,
)
from ilp.accounts.models import User
from ilp.core.exceptions import ApplicationError
from ilp.monitoring import targets
from ilp.monitoring.catalogue import load_catalogue
from ilp.monitoring.forms_targets import PuskesmasTargetForm, SasaranUploadForm
from ilp.monitoring.models import PuskesmasTarget

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@role_required(can_upload_sasaran)
@require_http_methods(["GET", "POST"])
def sasaran_page(request: HttpRequest) -> HttpResponse:
    """Upload a year's sasaran proyeksi; the uploads kept, newest first."""
    user = cast(User, request.user)
    form = SasaranUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            # Read at most one byte past the limit: the service refuses the rest.
            data = upload_file.read(targets.MAX_BYTES + 1)
            try:
                upload = targets.sasaran_upload(
                    user=user,
                    year=form.cleaned_data["year"],
                    data=data,
                    file_name=upload_file.name or "",
                )
            except ApplicationError as exc:
                form.add_error(None, str(exc.message))
                errors = exc.fields.get("file", [])
                status = 422
            else:
                count = upload.rows.values("area").distinct().count()
                messages.success(
                    request,
                    _("Sasaran proyeksi %(year)s disimpan untuk %(count)s desa/kelurahan.")
                    % {"year": upload.year, "count": count},
                )
                return redirect("sasaran_proyeksi")
        else:
            status = 422
    context = {
        "form": form,
        "errors": errors,
        "uploads": targets.sasaran_uploads(user),
        "columns": targets.COLUMNS,
    }
    return render(request, "monitoring/sasaran.html", context, status=status)


@role_required(can_upload_sasaran)
@require_http_methods(["GET"])
def sasaran_template_download(request: HttpRequest) -> HttpResponse:
    """The template sheet: the expected columns and the district's desa."""
    data = targets.sasaran_template(cast(User, request.user))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="sasaran-proyeksi.xlsx"'
    return response


@role_required(can_set_puskesmas_targets)
@require_http_methods(["GET", "POST"])
def puskesmas_targets_page(request: HttpRequest) -> HttpResponse:
    """Set a puskesmas' annual target for an indicator and year; the targets set."""
    user = cast(User, request.user)
    language = get_language() or "id"
    form = PuskesmasTargetForm(request.POST or None, user=user, language=language)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                targets.set_puskesmas_target(
                    user=user,
                    facility=data["puskesmas"],
                    year=data["year"],
                    indicator=data["indicator"],
                    target=data["target"],
                )
            except ApplicationError as exc:
                form.add_error(None, str(exc.message))
                status = 422
            else:
                messages.success(request, _("Target puskesmas disimpan."))
                return redirect("puskesmas_targets")
        else:
            status = 422
    catalogue = load_catalogue()
    rows = [
        {
            "target": t,
            "name": catalogue[t.indicator].name(language) if t.indicator in catalogue else "",
            "national": catalogue[t.indicator].target if t.indicator in catalogue else None,
        }
        for t in PuskesmasTarget.objects.filter(facility__in=target_puskesmas(user))
        .select_related("facility", "set_by")
        .order_by("-year", "facility__code", "indicator")
    ]
    return render(
        request, "monitoring/puskesmas_targets.html", {"form": form, "rows": rows}, status=status
    )
