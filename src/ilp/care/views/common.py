"""Helpers shared by the care pages: who may open a posyandu, reading a date from the URL,
turning a service's field errors into form errors.

Reads of personal records go through ``ilp.people.selectors`` (scoped and audited); the few
care reads the pages need beyond the services and work lists are here, each scoped to the
user's persons with ``person_scope_q``.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext as _

from ilp.accounts.models import Role, User
from ilp.accounts.scoping import DISTRICT_ROLES, can_view_personal_data, scope_hamlets
from ilp.core.exceptions import ApplicationError, NotFound
from ilp.places.models import Facility, FacilityKind

# Roles that record services (kader at posyandu, bidan/perawat, puskesmas, dinkes admin).
RECORDING_ROLES = frozenset({Role.DINKES_ADMIN, Role.PUSKESMAS, Role.PUSTU, Role.KADER})


def can_record(user: User) -> bool:
    """Whether the user's role records services for persons in scope."""
    return bool(can_view_personal_data(user) and user.role in RECORDING_ROLES)


def posyandu_in_scope(user: User, code: str) -> Facility:
    """The posyandu with `code` if the user works there or supervises its dusun/RW, else
    NotFound (we do not say whether it exists elsewhere)."""
    try:
        posyandu = Facility.objects.select_related("area").get(
            kind=FacilityKind.POSYANDU, code=code
        )
    except Facility.DoesNotExist as exc:
        raise NotFound(_("Posyandu tidak ditemukan di wilayah Anda.")) from exc
    if user.role == Role.KADER:
        allowed = user.facility_id == posyandu.pk
    elif user.role in DISTRICT_ROLES or user.role in (Role.PUSKESMAS, Role.PUSTU):
        allowed = posyandu.service_areas.filter(pk__in=scope_hamlets(user)).exists()
    else:
        allowed = False
    if not allowed:
        raise NotFound(_("Posyandu tidak ditemukan di wilayah Anda."))
    return posyandu


def parse_iso_date(raw: str) -> date:
    """A YYYY-MM-DD date from the URL, or NotFound."""
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise NotFound(_("Tanggal tidak valid.")) from exc


def put_errors(exc: ApplicationError, form: forms.Form, aliases: dict[str, str] | None = None):
    """Put a service's field errors on `form`; messages for fields the form does not show go
    to the top of the form (nothing is lost)."""
    aliases = aliases or {}
    placed = False
    for key, messages in exc.fields.items():
        name = aliases.get(key, key)
        for message in messages:
            if name in form.fields:
                form.add_error(name, message)
            else:
                form.add_error(None, message)
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))
