"""JSON API for administrative areas and facilities (/api/v1/places/...).

Areas and facilities are reference data, not personal data: any logged-in user with a role may
read them. This module also holds the small input types and the error shape every router of
the API shares (places is the base app, so the people router may import from here).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from ilp.accounts.models import Role
from ilp.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from ilp.places import selectors
from ilp.places.models import Area, Facility, FacilityKind

# ---------------------------------------------------------------------------------------------
# Shared input types and the error shape


def _no_control_characters(value: str) -> str:
    # NUL and other control characters are never legitimate in a name, number or address, and
    # PostgreSQL refuses NUL outright: stop them here instead of as a database error.
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in value):
        raise PydanticCustomError("control_characters", "control characters are not allowed")
    return value


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    # pydantic would also take a Unix timestamp or "20240131"; dates travel as YYYY-MM-DD only.
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise PydanticCustomError("date_format", "date must be YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_invalid", "no such calendar date") from None


Text = Annotated[str, AfterValidator(_no_control_characters)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class ErrorBody(Schema):
    code: str = Field(description="Stable machine-readable code, e.g. `not_found`")
    message: str = Field(description="Message for the user, in the request's language")
    fields: dict[str, list[str]] = Field(description="Messages per input field (may be empty)")


class ErrorOut(Schema):
    """The one error envelope of the API."""

    error: ErrorBody


ERRORS_READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def require_role(user: Any) -> None:
    """Reference data is for staff and partners with a role, not for bare accounts."""
    if not (user.is_authenticated and user.is_active and user.role in Role.values):
        raise PermissionDenied(_("Akun Anda belum punya peran; hubungi admin Dinas Kesehatan."))


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


# ---------------------------------------------------------------------------------------------
# Query filters (inputs) and output shapes


class _PageIn(Schema):
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class AreaFilterIn(_PageIn):
    level: int | None = Field(None, ge=1, le=6, description="1 provinsi … 6 RT")
    parent: Text | None = Field(None, max_length=64, description="Kode wilayah induk langsung")
    q: Text | None = Field(None, max_length=100, description="Awal kode atau bagian nama")


class FacilityFilterIn(_PageIn):
    kind: FacilityKind | None = None
    area: Text | None = Field(
        None, max_length=64, description="Kode wilayah lokasi (dan di bawahnya)"
    )


class AreaRef(Schema):
    code: str
    name: str
    level: int


class AreaOut(Schema):
    code: str
    name: str
    level: int
    level_label: str
    kind: str
    parent: AreaRef | None
    ancestors: list[AreaRef] = Field(description="From the province down to the parent")


class AreaListOut(Schema):
    count: int
    items: list[AreaOut]


class FacilityOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    area: AreaRef
    parent_code: str | None
    service_area_codes: list[str]
    address: str
    phone: str


class FacilityListOut(Schema):
    count: int
    items: list[FacilityOut]


def area_ref(area: Area | None) -> dict[str, Any] | None:
    if area is None:
        return None
    return {"code": area.code, "name": area.name, "level": area.level}


def _area_out(area: Area, ancestors: list[Area] | None = None) -> dict[str, Any]:
    return {
        "code": area.code,
        "name": area.name,
        "level": area.level,
        "level_label": str(area.get_level_display()),
        "kind": area.kind,
        "parent": area_ref(area.parent),
        "ancestors": [area_ref(a) for a in ancestors or []],
    }


def _facility_out(facility: Facility) -> dict[str, Any]:
    return {
        "code": facility.code,
        "name": facility.name,
        "kind": facility.kind,
        "kind_label": str(facility.get_kind_display()),
        "area": area_ref(facility.area),
        "parent_code": facility.parent.code if facility.parent else None,
        "service_area_codes": sorted(a.code for a in facility.service_areas.all()),
        "address": facility.address,
        "phone": facility.phone,
    }


def _known_area(code: str | None, field: str) -> Area | None:
    if not code:
        return None
    area = selectors.area_by_code(code)
    if area is None:
        raise ValidationFailed(
            _("Kode wilayah tidak dikenal."), fields={field: [_("Kode wilayah tidak dikenal.")]}
        )
    return area


# ---------------------------------------------------------------------------------------------
# Endpoints

router = Router(tags=["places"])


@router.get("/areas", response={200: AreaListOut, **ERRORS_READ})
def list_areas(request: HttpRequest, filters: Query[AreaFilterIn]):
    """Areas ordered by code (not personal data: any user with a role)."""
    require_role(request.user)
    parent_area = _known_area(filters.parent, "parent")
    areas = selectors.area_list(level=filters.level, parent=parent_area, query=filters.q or "")
    page = list(areas[filters.offset : filters.offset + filters.limit])
    return {"count": areas.count(), "items": [_area_out(a) for a in page]}


@router.get("/areas/{code}", response={200: AreaOut, **ERRORS_READ})
def get_area(request: HttpRequest, code: str):
    """One area by its code, with the chain of areas above it."""
    require_role(request.user)
    area = selectors.area_by_code(code) if len(code) <= 64 and code.isprintable() else None
    if area is None:
        raise NotFound(_("Wilayah tidak ditemukan."))
    parts = area.code.split(".")
    prefixes = [".".join(parts[:i]) for i in range(1, len(parts))]
    ancestors = list(Area.objects.filter(code__in=prefixes).order_by("level"))
    return _area_out(area, ancestors)


@router.get("/facilities", response={200: FacilityListOut, **ERRORS_READ})
def list_facilities(request: HttpRequest, filters: Query[FacilityFilterIn]):
    """Active facilities, optionally of one kind and located in an area (or below it)."""
    require_role(request.user)
    area = _known_area(filters.area, "area")
    kind = filters.kind.value if filters.kind else ""
    facilities = selectors.facility_list(kind=kind, area=area)
    page = list(facilities[filters.offset : filters.offset + filters.limit])
    return {"count": facilities.count(), "items": [_facility_out(f) for f in page]}
