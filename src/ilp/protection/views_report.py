"""The Dinkes report of KtP/A speed (``/perlindungan/laporan/``): per month of arrival the
district's cases and the times to first medical contact and examination, small counts
suppressed (``ilp.protection.speed``); and the same as CSV, logged as an export. No case, no
name, no facility row."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ilp.accounts.access import can_view_protection_report, client_ip, role_required
from ilp.accounts.audit import audit_export, audit_record
from ilp.accounts.models import AuditAction
from ilp.protection import speed
from ilp.protection.forms_report import SpeedReportForm

OBJECT_TYPE = "protection_report"


def _report(request: HttpRequest) -> tuple[SpeedReportForm, speed.SpeedReport | None]:
    form = SpeedReportForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, speed.speed_report(request.user, start=data["dari"], end=data["sampai"])


def _period(report: speed.SpeedReport) -> dict[str, str]:
    return {"from": f"{report.start:%Y-%m}", "to": f"{report.end:%Y-%m}"}


@role_required(can_view_protection_report)
@require_http_methods(["GET"])
def report(request: HttpRequest) -> HttpResponse:
    """The report for the chosen months (default: the twelve up to this one)."""
    form, found = _report(request)
    if found is not None:
        audit_record(
            user=request.user,
            action=AuditAction.VIEW,
            object_type=OBJECT_TYPE,
            ip=client_ip(request),
            detail=_period(found),
        )
    goals = speed.step_targets()
    return render(
        request,
        "protection/report.html",
        {"form": form, "report": found, "csv_query": request.GET.urlencode(), "goals": goals},
        status=200 if found else 400,
    )


@role_required(can_view_protection_report)
@require_http_methods(["GET"])
def report_csv(request: HttpRequest) -> HttpResponse:
    """The report as CSV (a row per month and the total, times in minutes), logged as an
    export of aggregates (no person in it)."""
    form, found = _report(request)
    if found is None:
        errors = form.errors.as_text()
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    table = speed.report_table(found)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"laporan-ktpa-kecepatan-{found.start:%Y-%m}-{found.end:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    csv.writer(response).writerows(table)
    audit_export(
        user=request.user,
        object_type=OBJECT_TYPE,
        file_format="csv",
        person_ids=[],
        row_count=len(table) - 1,
        ip=client_ip(request),
        detail=_period(found),
    )
    return response
