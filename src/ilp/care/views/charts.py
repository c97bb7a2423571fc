"""The growth chart of a child as a stand-alone SVG file (the person page inlines the same)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from ilp.accounts.access import can_view_personal_data
from ilp.accounts.views import client_ip, role_required
from ilp.care.charts import CHARTS, child_points, growth_chart_svg
from ilp.people.selectors import person_detail


@require_GET
@role_required(can_view_personal_data)
def growth_chart(request: HttpRequest, person_uuid, indicator: str) -> HttpResponse:
    """/layanan/orang/<uuid>/grafik/<wfa|lhfa>.svg"""
    if indicator not in CHARTS:
        raise Http404
    person = person_detail(request.user, person_uuid, ip=client_ip(request))
    svg = growth_chart_svg(
        indicator=indicator,
        sex=person.sex,
        birth_date=person.birth_date,
        points=child_points(person, indicator),
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'inline; filename="{indicator}-{person.local_id}.svg"'
    return response
