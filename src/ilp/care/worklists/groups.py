"""A pustu's or puskesmas's work list grouped by desa and posyandu, with what a home visit
needs (address, RT, phone) for the persons shown.

A posyandu's list is one dusun and stays as it is. A pustu or puskesmas list is ordered by
desa, then by the posyandu serving the person's dusun (those living where no posyandu serves
come last in their desa), and by urgency within each group (the engine's order, kept by a
stable sort). Two queries for the groups (the area's desa, the posyandu of its dusun), one for
the contacts of the persons asked for (a page, or an export).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ilp.care.worklists.engine import WorkItem
from ilp.people.models import Person
from ilp.places.models import Area, AreaLevel, Facility, FacilityKind

_LAST = "\uffff"  # sorts after any name


@dataclass(frozen=True, slots=True)
class Group:
    """Where a person of a list lives: desa and the posyandu serving their dusun."""

    village: str
    posyandu: str


@dataclass(frozen=True, slots=True)
class Contact:
    """How to reach a person for a home visit: address, RT and a phone (their own, else their
    mother's, else their family head's)."""

    address: str
    rt: str
    phone: str


def groups_of(facility: Facility) -> tuple[dict[int, str], dict[int, str]]:
    """(village id → desa name, hamlet id → posyandu name) for the facility's area."""
    villages = dict(
        Area.objects.filter(level=AreaLevel.VILLAGE, served_by=facility).values_list("id", "name")
    )
    posyandu: dict[int, str] = {}
    for hamlet, name in (
        Facility.objects.filter(
            kind=FacilityKind.POSYANDU,
            is_active=True,
            service_areas__parent_id__in=list(villages),
        )
        .order_by("name", "code")
        .values_list("service_areas__id", "name")
    ):
        posyandu.setdefault(hamlet, name)
    return villages, posyandu


def grouped(facility: Facility, items: list[WorkItem]) -> tuple[list[WorkItem], dict[int, Group]]:
    """The items ordered by desa and posyandu (a posyandu's list as it is) and each listed
    person's group."""
    if facility.kind == FacilityKind.POSYANDU:
        return items, {}
    villages, posyandu = groups_of(facility)
    none = _("Tanpa posyandu")
    groups: dict[int, Group] = {}
    keys: dict[int, tuple[str, str]] = {}
    for it in items:
        p = it.person
        if p.id in groups:
            continue
        village = villages.get(p.village_id, "")
        post = posyandu.get(p.hamlet_id) if p.hamlet_id is not None else None
        groups[p.id] = Group(village, post or none)
        keys[p.id] = (village, post or _LAST)
    ordered = sorted(items, key=lambda it: keys[it.person.id])  # stable: urgency kept inside
    return ordered, groups


def contacts(person_ids: Iterable[int]) -> dict[int, Contact]:
    """Address, RT and phone of these persons, in one query."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    out = {}
    for pid, address, family_address, rt, phone, mother_phone, head_phone in Person.objects.filter(
        pk__in=ids
    ).values_list(
        "id",
        "address",
        "family__address",
        "rt__name",
        "phone",
        "mother__phone",
        "family__head__phone",
    ):
        out[pid] = Contact(
            address or family_address or "",
            rt or "",
            phone or mother_phone or head_phone or "",
        )
    return out
