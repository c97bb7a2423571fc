"""Data-quality pages: the scorecard of a district, kecamatan or puskesmas for a month with
its ranked problems, the same as an Excel sheet, and the records behind one measure of one
puskesmas or posyandu (personal data: scoped and audited by ``ilp.monitoring.quality``).

Rule of every page: ``can_view_data_quality``. A malformed period answers 400 with the
reason; an unknown or out-of-scope place or an unknown measure answers 404.
"""

from __future__ import annotations

import io
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font

from ilp.accounts.access import can_view_data_quality, client_ip
from ilp.accounts.models import User
from ilp.accounts.views import role_required
from ilp.core.exceptions import NotFound
from ilp.core.spreadsheets import write_cell
from ilp.monitoring import quality
from ilp.monitoring.params import request_code, request_period
from ilp.monitoring.services import years_kept
from ilp.standards import data_quality as dq


def _card(request: HttpRequest) -> quality.Scorecard:
    user = cast(User, request.user)
    area = request_code(request, "area", lambda: quality.default_place(user))
    year, month = request_period(request)
    return quality.scorecard(user, area_code=area, year=year, month=month)


@require_GET
@role_required(can_view_data_quality)
def home_problems(request: HttpRequest) -> HttpResponse:
    """The home page's five worst data-quality problems of the reader's own place in the last
    complete month (the month the lokmin reviews). Loaded by htmx after the home page, since
    the scorecard reads the month's records; without script the home page links the
    scorecard instead."""
    user = cast(User, request.user)
    place = quality.default_place(user)
    if not place:
        raise NotFound(_("Akun Anda belum terhubung dengan wilayah."))
    today = timezone.localdate()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    card = quality.scorecard(user, area_code=place, year=year, month=month)
    return render(
        request,
        "monitoring/quality/_home_problems.html",
        {
            "problems": quality.problems_of(card, HOME_PROBLEMS),
            "problems_title": _("Masalah mutu data, bulan %(period)s") % {"period": card.period},
            "scorecard_url": quality.page_url(place, card.period),
        },
    )


HOME_PROBLEMS = 5


@require_GET
@role_required(can_view_data_quality)
def scorecard_page(request: HttpRequest) -> HttpResponse:
    card = _card(request)
    today = timezone.localdate()
    first, _last = years_kept(today)
    helps = [
        (str(quality.MEASURE_LABELS[c]), str(quality.MEASURE_HELP[c]), dq.THRESHOLDS[c].source)
        for c in quality.MEASURES
    ]
    return render(
        request,
        "monitoring/quality/scorecard.html",
        {
            "card": card,
            "labels": [str(quality.MEASURE_LABELS[c]) for c in quality.MEASURES],
            "problems": quality.problems_of(card),
            "helps": helps,
            "excel_url": request.get_full_path().replace("/mutu-data/", "/mutu-data/excel/", 1),
            "up_url": quality.page_url(quality.default_place(cast(User, request.user)), card.period)
            if card.top.kind == "puskesmas"
            and card.top.code != quality.default_place(cast(User, request.user))
            else "",
            "period_min": f"{first:04d}-01",
            "period_max": f"{today.year:04d}-{today.month:02d}",
        },
    )


@require_GET
@role_required(can_view_data_quality)
def scorecard_excel(request: HttpRequest) -> HttpResponse:
    """The scorecard as one sheet: values as numbers, statuses in words (no person)."""
    card = _card(request)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Mutu data")[:31]
    write_cell(ws, 1, 1, f"{_('Mutu data')} · {card.top.name} · {card.period}").font = Font(
        bold=True, size=12
    )
    headers = [_("Tempat"), _("Kode")]
    for code in quality.MEASURES:
        label = str(quality.MEASURE_LABELS[code])
        headers += [label, f"{label}: {_('status')}"]
    for c, h in enumerate(headers, start=1):
        write_cell(ws, 3, c, h).font = Font(bold=True)
    for r, row in enumerate([card.top, *card.rows], start=4):
        cells: list[object] = [row.name, row.code]
        for m in row.cells:
            cells += [m.value, m.status_label]
        for c, v in enumerate(cells, start=1):
            write_cell(ws, r, c, v)
    ws.column_dimensions["A"].width = 28
    ws.freeze_panes = "C4"
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "-" for ch in card.top.code)
    response["Content-Disposition"] = f'attachment; filename="mutu-data-{safe}-{card.period}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@role_required(can_view_data_quality)
def records_page(request: HttpRequest, measure: str) -> HttpResponse:
    user = cast(User, request.user)
    if measure not in quality.MEASURES:
        raise NotFound(_("Ukuran mutu data %(code)s tidak dikenal.") % {"code": measure})
    place = request_code(request, "place", lambda: quality.default_place(user))
    year, month = request_period(request)
    records = quality.quality_records(
        user, measure, place=place, year=year, month=month, ip=client_ip(request)
    )
    return render(
        request,
        "monitoring/quality/records.html",
        {
            "records": records,
            "rows": [
                [
                    {
                        "label": column,
                        "text": cell[0] if isinstance(cell, tuple) else cell,
                        "url": cell[1] if isinstance(cell, tuple) else "",
                    }
                    for column, cell in zip(records.columns, row, strict=True)
                ]
                for row in records.rows
            ],
            "label": str(quality.RECORDS_TITLES.get(measure, quality.MEASURE_LABELS[measure])),
            "help": str(quality.MEASURE_HELP[measure]),
            "back_url": quality.page_url(
                records.place.code
                if records.place.kind == "puskesmas"
                else quality.default_place(user),
                records.period,
            ),
            "limit": quality.RECORD_LIMIT,
        },
    )
