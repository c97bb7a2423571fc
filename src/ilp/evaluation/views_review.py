"""Pages of routine evaluation: the list of puskesmas the reader evaluates, the monthly
evaluation of a puskesmas (page and PDF), the quarterly district review (page and PDF), and
the annual performance assessment (ranking, one puskesmas' indicators, the scheme the Dinkes
edits).

Rules: ``ilp.accounts.access`` (`can_view_evaluations`, `can_view_district_review`,
`can_manage_teams` for the scheme; which puskesmas: `evaluation_puskesmas`, others 404); a
malformed month, quarter or year answers 400 with the reason. A PDF is the page's own HTML
drawn by ``ilp.monitoring.pdf`` (no network) and each download is audited as an export, as
the lokmin pack's (aggregates and coaching records only: no resident in them).
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ilp.accounts.access import (
    can_manage_teams,
    can_view_district_review,
    can_view_evaluations,
    evaluation_puskesmas,
    role_required,
)
from ilp.accounts.models import User
from ilp.core.exceptions import ApplicationError, NotFound
from ilp.evaluation import district_review, performance, review, services_pkp
from ilp.evaluation.forms import apply_error
from ilp.evaluation.forms_review import SchemeForm
from ilp.monitoring import crosssector, pdf, pws, selectors
from ilp.monitoring.params import MAX_CODE, request_period
from ilp.monitoring.services import years_kept


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _code(text: str) -> str:
    if len(text) > MAX_CODE or "\x00" in text:
        raise NotFound(_("Puskesmas tidak ditemukan."))
    return text


def _month_label(year: int, month: int) -> str:
    return formats.date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")


def _statuses() -> list[tuple[str, str, str]]:
    return [(s, str(pws.STATUS_LABELS[s]), str(pws.STATUS_MEANINGS[s])) for s in selectors.STATUSES]


@role_required(can_view_evaluations)
@require_GET
def review_index(request: HttpRequest) -> HttpResponse:
    """The puskesmas the reader evaluates, each with its month's evaluation and its
    performance assessment; the quarterly review for district staff."""
    user = _user(request)
    today = timezone.localdate()
    return render(
        request,
        "evaluation/review_index.html",
        {
            "puskesmas": evaluation_puskesmas(user),
            "period": f"{today.year:04d}-{today.month:02d}",
            "quarter": crosssector.current_quarter(today),
            "district": can_view_district_review(user),
        },
    )


# ---------------------------------------------------------------- the monthly evaluation


def _monthly(request: HttpRequest, code: str, *, as_pdf: bool) -> HttpResponse:
    user = _user(request)
    facility = review.review_puskesmas(user, _code(code))
    year, month = request_period(request)
    evaluation = review.monthly_evaluation(
        user, facility, year=year, month=month, language=get_language()
    )
    query = urlencode({"period": evaluation.period})
    today = timezone.localdate()
    first, _last = years_kept(today)
    context: dict[str, Any] = {
        "ev": evaluation,
        "pack": evaluation.pack,
        "for_pdf": as_pdf,
        "month_label": _month_label(year, month),
        "statuses": _statuses(),
        "pdf_url": f"{reverse('evaluation:monthly_pdf', args=[facility.code])}?{query}",
        "lokmin_url": f"{reverse('packs:lokmin', args=[facility.code])}?{query}",
        "period_min": f"{first:04d}-01",
        "period_max": f"{today.year:04d}-{today.month:02d}",
    }
    if not as_pdf:
        return render(request, "evaluation/monthly.html", context)
    return pdf.pdf_download(
        request,
        "evaluation/monthly.html",
        context,
        filename=f"evaluasi-{pdf.safe_filename_part(facility.code)}-{evaluation.period}.pdf",
        object_type="monthly_evaluation",
        rows=sum(len(c.items) for c in evaluation.pack.clusters),
        detail={"puskesmas": facility.code, "period": evaluation.period},
    )


@role_required(can_view_evaluations)
@require_GET
def monthly(request: HttpRequest, code: str) -> HttpResponse:
    """The month's evaluation of a puskesmas, printable."""
    return _monthly(request, code, as_pdf=False)


@role_required(can_view_evaluations)
@require_GET
def monthly_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The same evaluation as a PDF download."""
    return _monthly(request, code, as_pdf=True)


# ---------------------------------------------------------------- the quarterly review


def _quarter(request: HttpRequest, *, as_pdf: bool) -> HttpResponse:
    user = _user(request)
    district_review.require_reader(user)
    text = request.GET.get("quarter", "").strip()[:16] or crosssector.current_quarter()
    year, months = crosssector.parse_quarter(text)
    found = district_review.district_review(user, year=year, months=months, language=get_language())
    context = {
        "review": found,
        "for_pdf": as_pdf,
        "months": [_month_label(year, m) for m in months],
        "generated_at": timezone.localtime(),
        "pdf_url": f"{reverse('evaluation:quarter_pdf')}?{urlencode({'quarter': found.label})}",
    }
    if not as_pdf:
        return render(request, "evaluation/quarter.html", context)
    return pdf.pdf_download(
        request,
        "evaluation/quarter.html",
        context,
        filename=f"tinjauan-triwulan-{found.label}.pdf",
        object_type="district_review",
        rows=len(found.puskesmas),
        detail={"quarter": found.label},
    )


@role_required(can_view_district_review)
@require_GET
def quarter(request: HttpRequest) -> HttpResponse:
    """The quarterly district review, printable."""
    return _quarter(request, as_pdf=False)


@role_required(can_view_district_review)
@require_GET
def quarter_pdf(request: HttpRequest) -> HttpResponse:
    """The same review as a PDF download."""
    return _quarter(request, as_pdf=True)


# ---------------------------------------------------------------- performance assessment


@role_required(can_view_evaluations)
@require_GET
def performance_page(request: HttpRequest) -> HttpResponse:
    """Every puskesmas the reader evaluates, ranked by its score of the year."""
    user = _user(request)
    year = performance.parse_year(request.GET.get("year", ""))
    scheme, scores = performance.assessment(user, year, language=get_language())
    return render(
        request,
        "evaluation/performance.html",
        {
            "year": year,
            "scheme": scheme,
            "scores": scores,
            "month_label": _month_label(year, performance.assessment_month(year)),
            "can_edit": can_manage_teams(user) and year >= timezone.localdate().year,
        },
    )


@role_required(can_view_evaluations)
@require_GET
def performance_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One puskesmas' assessment: each indicator's value, target, score and weight."""
    user = _user(request)
    year = performance.parse_year(request.GET.get("year", ""))
    scheme, score = performance.assessment_of(user, _code(code), year, language=get_language())
    return render(
        request,
        "evaluation/performance_detail.html",
        {
            "year": year,
            "scheme": scheme,
            "score": score,
            "month_label": _month_label(year, performance.assessment_month(year)),
        },
    )


@role_required(can_manage_teams)
@require_http_methods(["GET", "POST"])
def performance_scheme(request: HttpRequest) -> HttpResponse:
    """The Dinkes sets the year's thresholds and indicator weights (this year or later)."""
    user = _user(request)
    today = timezone.localdate()
    year = performance.parse_year(request.GET.get("year", "")) if request.GET else today.year
    scheme = performance.scheme_for(user.area, year)
    form = SchemeForm(request.POST or None, scheme=scheme, language=get_language())
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services_pkp.pkp_scheme_save(user=user, year=year, **form.values())
            except ApplicationError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Skema penilaian kinerja disimpan."))
                return redirect(f"{reverse('evaluation:performance')}?year={year}")
    return render(
        request,
        "evaluation/performance_scheme.html",
        {"form": form, "year": year, "scheme": scheme, "frozen": year < today.year},
        status=status,
    )
