"""Reads of administrative areas and facilities.

Areas and facilities are reference data, not personal data: the caller decides who may read
them (the API lets any logged-in user with a role). Subtrees are code prefixes (see models).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ilp.places.models import Area, Facility


def area_by_code(code: str) -> Area | None:
    """The area with this exact code, or None."""
    return Area.objects.select_related("parent").filter(code=(code or "").strip()).first()


def area_list(
    *, level: int | None = None, parent: Area | None = None, query: str = ""
) -> QuerySet[Area]:
    """Areas ordered by code, filtered by level, direct parent and a code prefix or name part."""
    areas = Area.objects.select_related("parent").order_by("code")
    if level is not None:
        areas = areas.filter(level=level)
    if parent is not None:
        areas = areas.filter(parent=parent)
    text = (query or "").strip()
    if text:
        areas = areas.filter(Q(code__startswith=text) | Q(name__icontains=text))
    return areas


def facility_list(*, kind: str = "", area: Area | None = None) -> QuerySet[Facility]:
    """Active facilities ordered by kind and code; with `area`, those located in it or below."""
    facilities = (
        Facility.objects.filter(is_active=True)
        .select_related("area", "parent")
        .prefetch_related("service_areas")
        .order_by("kind", "code")
    )
    if kind:
        facilities = facilities.filter(kind=kind)
    if area is not None:
        facilities = facilities.filter(Q(area=area) | Q(area__code__startswith=f"{area.code}."))
    return facilities
