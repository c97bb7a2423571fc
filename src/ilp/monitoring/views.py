"""PWS pages (Pemantauan Wilayah Setempat): the indicators by cluster, and one indicator for an
area and month — a bar per child area against the month's target line, the change from last
month, the status in words, the 12-month trend, an Excel download and a print layout.

Every page's rule is ``can_view_indicators`` (``ilp.accounts.access``, the rule of the JSON
API); the area is one the reader may read (``indicator_areas``), otherwise 404. A malformed
area or period answers 400 with the reason; an unknown indicator or area answers 404.
"""

from __future__ import annotations

import io
from typing import cast
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ilp.accounts.access import (
    can_view_data_quality,
    can_view_death_counts,
    can_view_indicators,
    can_view_protection_report,
    can_view_referral_report,
)
from ilp.accounts.models import User
from ilp.accounts.views import role_required
from ilp.monitoring import dashboard, maps, pws, selectors
from ilp.monitoring.catalogue import CLUSTERS, Indicator
from ilp.monitoring.death_family import death_family
from ilp.monitoring.ktpa_screening_family import ktpa_screening_family
from ilp.monitoring.params import request_code, request_period
from ilp.monitoring.referral_family import referral_family
from ilp.monitoring.services import years_kept


def _request_values(request: HttpRequest, code: str) -> tuple[Indicator, str, int, int]:
    """The indicator, area code and month the request names (defaults: the reader's own area,
    the current month)."""
    indicator = selectors.indicator_get(code)
    return (indicator, *_request_area_period(request))


def _request_area_period(request: HttpRequest) -> tuple[str, int, int]:
    """The area code and month the request names (defaults: the reader's own area, the
    current month)."""
    area = request_code(request, "area", lambda: pws.default_area(cast(User, request.user)))
    year, month = request_period(request)
    return area, year, month


@require_GET
@role_required(can_view_indicators)
def pws_index(request: HttpRequest) -> HttpResponse:
    """The catalogue's indicators by cluster, each linked to its PWS page."""
    language = get_language() or "id"
    by_cluster: dict[str, list[tuple[Indicator, str]]] = {c: [] for c in CLUSTERS}
    for indicator in selectors.catalogue_for(cast(User, request.user)):
        by_cluster[indicator.cluster].append((indicator, indicator.name(language)))
    clusters = [(str(pws.CLUSTER_LABELS[c]), items) for c, items in by_cluster.items() if items]
    return render(
        request,
        "monitoring/index.html",
        {
            "clusters": clusters,
            "data_quality": can_view_data_quality(request.user),
            "referrals": can_view_referral_report(request.user),
            "death_counts": can_view_death_counts(request.user),
            "protection_report": can_view_protection_report(request.user),
        },
    )


@require_GET
@role_required(can_view_indicators)
def pws_page(request: HttpRequest, indicator_code: str) -> HttpResponse:
    user = cast(User, request.user)
    indicator, area, year, month = _request_values(request, indicator_code)
    table = pws.pws_table(user, indicator, area_code=area, year=year, month=month)
    language = get_language() or "id"
    name = indicator.name(language)
    title = _("Tren %(indicator)s, %(area)s, 12 bulan terakhir") % {
        "indicator": name,
        "area": table.top.name,
    }
    points = pws.trend(user, indicator, area_code=area, year=year, month=month)
    today = timezone.localdate()
    first, _last = years_kept(today)
    return render(
        request,
        "monitoring/pws.html",
        {
            "indicator": indicator,
            "indicator_name": name,
            "table": table,
            "rows": [table.top, *table.children],
            "map_rows": maps.desa_rows(user, table),
            "trend_svg": pws.trend_svg(points, title),
            "trend_title": title,
            "trend": [(f"{y:04d}-{m:02d}", v, t) for (y, m), v, t in points],
            "statuses": [
                (
                    s,
                    pws.status_tone(indicator, s),
                    pws.STATUS_LABELS[s],
                    pws.status_meaning(indicator, s),
                )
                for s in selectors.STATUSES
            ],
            "excel_url": pws.page_url(indicator.code, area, table.period).replace(
                "/?", "/excel/?", 1
            ),
            "period_min": f"{first:04d}-01",
            "period_max": f"{today.year:04d}-{today.month:02d}",
            "area": area,
        },
    )


@require_GET
@role_required(can_view_indicators)
def pws_excel(request: HttpRequest, indicator_code: str) -> HttpResponse:
    """The page's table as an Excel file (aggregates only: no person is named)."""
    user = cast(User, request.user)
    indicator, area, year, month = _request_values(request, indicator_code)
    table = pws.pws_table(user, indicator, area_code=area, year=year, month=month)
    buffer = io.BytesIO()
    pws.write_pws_xlsx(table, buffer, get_language() or "id")
    return _xlsx_response(buffer, f"pws-{indicator.code}-{area}-{table.period}.xlsx")


def _summary(request: HttpRequest) -> tuple[str, dashboard.Summary]:
    area, year, month = _request_area_period(request)
    page = dashboard.summary(
        cast(User, request.user),
        area_code=area,
        year=year,
        month=month,
        language=get_language() or "id",
    )
    return area, page


@require_GET
@role_required(can_view_indicators)
def pws_summary(request: HttpRequest) -> HttpResponse:
    """Every indicator for an area and month, by cluster (``ilp.monitoring.dashboard``)."""
    area, page = _summary(request)
    today = timezone.localdate()
    first, _last = years_kept(today)
    query = urlencode({"area": area, "period": page.period})
    year, month = (int(part) for part in page.period.split("-"))
    return render(
        request,
        "monitoring/summary.html",
        {
            "page": page,
            "area": area,
            "excel_url": f"{reverse('monitoring:summary_excel')}?{query}",
            # the Rujukan family: per facility, not per area (ilp.monitoring.referral_family)
            "family": referral_family(cast(User, request.user), year, month),
            # maternal and infant deaths: yearly events per area (ilp.monitoring.death_family)
            "death_family": death_family(cast(User, request.user), area, year),
            # KtP/A screenings: counts per area and month (ilp.monitoring.ktpa_screening_family)
            "screening_family": ktpa_screening_family(cast(User, request.user), area, year, month),
            "period_min": f"{first:04d}-01",
            "period_max": f"{today.year:04d}-{today.month:02d}",
        },
    )


@require_GET
@role_required(can_view_indicators)
def pws_summary_excel(request: HttpRequest) -> HttpResponse:
    """The summary's rows as an Excel file (aggregates only: no person is named)."""
    area, page = _summary(request)
    buffer = io.BytesIO()
    dashboard.write_summary_xlsx(page, buffer)
    return _xlsx_response(buffer, f"ringkasan-pws-{area}-{page.period}.xlsx")


def _xlsx_response(buffer: io.BytesIO, filename: str) -> HttpResponse:
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "-" for ch in filename)
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["Cache-Control"] = "private, no-store"
    return response
