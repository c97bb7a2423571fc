"""Printable packs: the monthly lokmin pack of a puskesmas (page and PDF), and the cross-sector
view of a kecamatan or desa with its quarterly pack (page and PDF).

Rules: ``can_view_lokmin_pack`` and ``can_view_cross_sector`` (``ilp.accounts.access``); a
puskesmas or area outside the reader's scope is 404, a malformed month or quarter 400 with the
reason. A PDF is the page's own HTML drawn by ``ilp.monitoring.pdf`` (no network), and each
download is written to the audit log as an export (aggregates only: no person in it).
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ilp.accounts.access import (
    can_view_cross_sector,
    can_view_lokmin_pack,
    indicator_areas,
)
from ilp.accounts.models import Role, User
from ilp.accounts.views import role_required
from ilp.core.exceptions import NotFound
from ilp.monitoring import crosssector, lokmin, pdf, pws, selectors
from ilp.monitoring.params import MAX_CODE, request_period
from ilp.monitoring.services import years_kept
from ilp.places.models import Area, AreaLevel


def _code(text: str) -> str:
    if len(text) > MAX_CODE or "\x00" in text:
        raise NotFound(_("Kode wilayah tidak dikenal."))
    return text


def _month_label(year: int, month: int) -> str:
    return formats.date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")


def _period_bounds() -> dict[str, str]:
    today = timezone.localdate()
    first, _last = years_kept(today)
    return {"period_min": f"{first:04d}-01", "period_max": f"{today.year:04d}-{today.month:02d}"}


def _statuses() -> list[tuple[str, str, str]]:
    return [(s, str(pws.STATUS_LABELS[s]), str(pws.STATUS_MEANINGS[s])) for s in selectors.STATUSES]


# ---------------------------------------------------------------- the monthly lokmin pack


def _lokmin(request: HttpRequest, puskesmas_code: str, *, as_pdf: bool) -> HttpResponse:
    user = cast(User, request.user)
    facility = lokmin.pack_puskesmas(user, _code(puskesmas_code))
    year, month = request_period(request)
    pack = lokmin.lokmin_pack(user, facility, year=year, month=month, language=get_language())
    query = urlencode({"period": pack.period})
    context: dict[str, Any] = {
        "pack": pack,
        "for_pdf": as_pdf,
        "month_label": _month_label(year, month),
        "statuses": _statuses(),
        "pdf_url": f"{reverse('packs:lokmin_pdf', args=[facility.code])}?{query}",
        **_period_bounds(),
    }
    if not as_pdf:
        return render(request, "monitoring/lokmin.html", context)
    return pdf.pdf_download(
        request,
        "monitoring/lokmin.html",
        context,
        filename=f"lokmin-{pdf.safe_filename_part(facility.code)}-{pack.period}.pdf",
        object_type="lokmin_pack",
        rows=sum(len(c.items) for c in pack.clusters),
        detail={"puskesmas": facility.code, "period": pack.period},
    )


@require_GET
@role_required(can_view_lokmin_pack)
def lokmin_page(request: HttpRequest, code: str) -> HttpResponse:
    """The month's lokmin pack of a puskesmas as a printable page."""
    return _lokmin(request, code, as_pdf=False)


@require_GET
@role_required(can_view_lokmin_pack)
def lokmin_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The same pack as a PDF download."""
    return _lokmin(request, code, as_pdf=True)


# ---------------------------------------------------------------- the cross-sector view


def _area_choices(user: User) -> list[tuple[str, str]]:
    """For a district role: every kecamatan and desa it may pick (a camat or kepala desa has
    only their own area, so no choice)."""
    if user.role == Role.CROSS_SECTOR:
        return []
    areas = (
        indicator_areas(user)
        .filter(level__in=(AreaLevel.DISTRICT, AreaLevel.VILLAGE))
        .order_by("code")
        .values_list("code", "name", "level")
    )
    kecamatan = str(AreaLevel.DISTRICT.label)
    return [
        (c, f"{name} ({kecamatan})" if lv == AreaLevel.DISTRICT else f"— {name}")
        for c, name, lv in areas
    ]


def _area(request: HttpRequest) -> Area:
    return crosssector.view_area(
        cast(User, request.user), _code(request.GET.get("area", "").strip())
    )


@require_GET
@role_required(can_view_cross_sector)
def cross_sector_page(request: HttpRequest) -> HttpResponse:
    """An area's cross-sector indicators beside its kecamatan and the district, one month."""
    user = cast(User, request.user)
    area = _area(request)
    year, month = request_period(request)
    view = crosssector.cross_sector_month(area, year=year, month=month, language=get_language())
    quarter = crosssector.current_quarter(date(year, month, 1))
    return render(
        request,
        "monitoring/cross_sector.html",
        {
            "area": area,
            "view": view,
            "month_label": _month_label(year, month),
            "choices": _area_choices(user),
            "quarter": quarter,
            "quarter_url": crosssector.quarter_url(area, quarter),
            **_period_bounds(),
        },
    )


def _quarter(request: HttpRequest, *, as_pdf: bool) -> HttpResponse:
    area = _area(request)
    text = request.GET.get("quarter", "").strip()[:16] or crosssector.current_quarter()
    year, months = crosssector.parse_quarter(text)
    quarter = f"{year:04d}-T{(months[0] - 1) // 3 + 1}"
    views, table = crosssector.quarter_pack(area, year=year, months=months, language=get_language())
    context = {
        "area": area,
        "quarter": quarter,
        "views": views,
        "table": table,
        "months": [_month_label(year, m) for m in months],
        "month_heads": [formats.date_format(date(year, m, 1), "M Y") for m in months],
        "for_pdf": as_pdf,
        "generated_at": timezone.localtime(),
        "statuses": _statuses(),
        "pdf_url": crosssector.quarter_url(area, quarter, as_pdf=True),
    }
    if not as_pdf:
        return render(request, "monitoring/cross_sector_quarter.html", context)
    return pdf.pdf_download(
        request,
        "monitoring/cross_sector_quarter.html",
        context,
        filename=f"lintas-sektor-{pdf.safe_filename_part(area.code)}-{quarter}.pdf",
        object_type="cross_sector_pack",
        rows=len(table),
        detail={"area": area.code, "quarter": quarter},
    )


@require_GET
@role_required(can_view_cross_sector)
def cross_sector_quarter(request: HttpRequest) -> HttpResponse:
    """The quarterly cross-sector pack (lokmin tribulanan) as a printable page."""
    return _quarter(request, as_pdf=False)


@require_GET
@role_required(can_view_cross_sector)
def cross_sector_quarter_pdf(request: HttpRequest) -> HttpResponse:
    """The same pack as a PDF download."""
    return _quarter(request, as_pdf=True)
