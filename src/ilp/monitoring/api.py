"""JSON API of the indicators: the catalogue (``GET /api/v1/indicators``) and an
indicator's values for an area and its child areas, or for a puskesmas' working area and its
desa (``GET /api/v1/indicators/{code}/values``).

Both read through ``ilp.monitoring.selectors`` with the reader's scope and suppression
(``ilp.accounts.access``: deny by default; a cross-sector reader gets counts below 5 as
``null`` with ``"suppressed": true``). Unknown indicator or area: 404; a malformed period,
one outside the kept years or not yet begun, or a breakdown the indicator has not: 422.
"""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Query, Router, Schema
from pydantic import Field

from ilp.accounts.models import User
from ilp.monitoring import selectors
from ilp.monitoring.catalogue import Indicator
from ilp.places.api import ERRORS_READ, Text

router = Router(tags=["monitoring"])


class IndicatorOut(Schema):
    code: str
    name: str = Field(description="In the request's language")
    cluster: str
    spm: int | None
    period: str = Field(description="monthly | cumulative-year | annual")
    direction: str = Field(description="up: higher is better; down: lower is better")
    target: float = Field(description="National annual target, percent")
    numerator: str = Field(description="Who counts as served, from which records")
    denominator: str = Field(description="Who is a target (sasaran riil), from which records")
    standard: str = Field(description='What "sesuai standar" means here')
    disaggregations: list[str]
    source: str


class ValuesIn(Schema):
    area: Text = Field(
        max_length=64,
        description="Kode wilayah (52.71.01.1001) atau kode puskesmas (wilayah kerjanya)",
    )
    period: Text = Field(max_length=16, description="TTTT-BB")
    by: Text | None = Field(None, max_length=16, description="sex | age | disability")


class ValueOut(Schema):
    area: str
    area_name: str
    area_level: int | None = Field(description="1 provinsi … 5 dusun/RW; null for a puskesmas")
    area_kind: str = Field(description="area | puskesmas (its working area)")
    period: str
    group: str | None = Field(description="The breakdown's value when `by` is given")
    numerator: int | None
    denominator: int | None = Field(description="Sasaran riil: residents in the registry")
    value: float | None = Field(description="Percent; null with no target or suppressed")
    denominator_projected: int | None = Field(
        description="Sasaran proyeksi: the Dinkes' uploaded yearly target population of the "
        "area's desa; null below the desa, for a breakdown group, or with no upload"
    )
    value_projected: float | None = Field(
        description="Percent of the numerator over the projected denominator; null as above "
        "or when the numerator is suppressed"
    )
    target: float = Field(
        description="Target line of the month, percent: the annual target (the puskesmas' own "
        "for the year when set for this area, else the national one) × month/12 for a "
        "cumulative-year indicator, the annual target itself otherwise"
    )
    status: str | None = Field(
        description=" | ".join(selectors.STATUSES)
        + "; null with no value, or when this or last month's counts are suppressed for the "
        "reader (rising/falling would tell the direction of a hidden change)"
    )
    suppressed: bool


def _out(indicator: Indicator, language: str) -> IndicatorOut:
    return IndicatorOut(
        code=indicator.code,
        name=indicator.name(language),
        cluster=indicator.cluster,
        spm=indicator.spm,
        period=indicator.period,
        direction=indicator.direction,
        target=indicator.target,
        numerator=indicator.numerator.counts,
        denominator=indicator.denominator.counts,
        standard=indicator.standard,
        disaggregations=list(indicator.disaggregations),
        source=indicator.source,
    )


@router.get("", response={200: list[IndicatorOut], **ERRORS_READ})
def indicator_list(request: HttpRequest) -> list[IndicatorOut]:
    """The indicator catalogue."""
    language = get_language() or "id"
    return [_out(i, language) for i in selectors.catalogue_for(cast(User, request.user))]


@router.get("/{code}/values", response={200: list[ValueOut], **ERRORS_READ})
def indicator_values(request: HttpRequest, code: str, filters: Query[ValuesIn]) -> list[ValueOut]:
    """The indicator's values for the area and its child areas in the period."""
    user = cast(User, request.user)  # the API's auth lets only signed-in users through
    selectors.require_indicator_reader(user)
    indicator = selectors.indicator_get(code)
    year, month = selectors.parse_period(filters.period)
    rows = selectors.indicator_values(
        user, indicator, area_code=filters.area, year=year, month=month, by=filters.by
    )
    period = f"{year:04d}-{month:02d}"
    return [
        ValueOut(
            area=r.place.code,
            area_name=r.place.name,
            area_level=r.place.level,
            area_kind=r.place.kind,
            period=period,
            group=r.group,
            numerator=r.numerator,
            denominator=r.denominator,
            value=r.value,
            denominator_projected=r.denominator_projected,
            value_projected=r.value_projected,
            target=r.target,
            status=r.status,
            suppressed=r.suppressed,
        )
        for r in rows
    ]
