"""Work lists of who is due or overdue, special lists, and the scoped selectors over them.

User-facing (scoped, audited) — call these from views and the API:

- :func:`worklist_for_user` ``(user, facility, *, on, cluster=None, kinds=None, ip=None)``
- :func:`special_lists_for_user` ``(user, facility, *, on, which=SPECIAL_LISTS, ip=None)``
- :func:`facilities_for_user` ``(user)``: the posyandu, pustu and puskesmas whose lists the
  user may open; :func:`facility_tree` ``(user)`` the same as a kecamatan → puskesmas → pustu
  → posyandu tree.
- ``ilp.care.worklists.tasks``: a facility's open and closed tasks; ``.groups``: a list by
  desa and posyandu, with contacts; ``.labels``: what a reader sees for the codes.

Internal (a facility, no user; for the CLI, the bench and the kohort):
:func:`compute_worklist`, :func:`compute_special_lists`, :func:`load_persons`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from django.db.models import QuerySet

from ilp.accounts.access import (
    can_view_personal_data,
    person_scope_q,
    scope_hamlets,
    scope_villages,
)
from ilp.accounts.audit import audit_bulk_view
from ilp.accounts.models import Role
from ilp.care.worklists.engine import (
    ITEM_KINDS,
    PersonRow,
    WorkItem,
    compute_worklist,
    load_persons,
)
from ilp.care.worklists.special import SPECIAL_LISTS, SpecialItem, compute_special_lists
from ilp.core.exceptions import NotFound, PermissionDenied
from ilp.places.models import AreaLevel, Facility, FacilityKind

__all__ = [
    "ITEM_KINDS",
    "SPECIAL_LISTS",
    "PersonRow",
    "SpecialItem",
    "WorkItem",
    "compute_special_lists",
    "compute_worklist",
    "facilities_for_user",
    "facility_tree",
    "facility_for_user",
    "load_persons",
    "special_lists_for_user",
    "worklist_for_user",
]

LIST_KINDS = (FacilityKind.POSYANDU, FacilityKind.PUSTU, FacilityKind.PUSKESMAS)


def facilities_for_user(user) -> QuerySet[Facility]:
    """Posyandu, pustu and puskesmas whose whole working area lies in the user's scope."""
    if not can_view_personal_data(user):
        return Facility.objects.none()
    if user.role == Role.KADER:
        return Facility.objects.filter(kind=FacilityKind.POSYANDU, pk=user.facility_id)
    # The user's scope read once (it was read again for each of a district's ~400 facilities).
    hamlets = set(scope_hamlets(user).values_list("pk", flat=True))
    villages = set(scope_villages(user).values_list("pk", flat=True))
    # What each facility serves as plain rows (no Area objects: a district has ~400
    # facilities serving ~2,000 areas).
    served: dict[int, list[tuple[int, int]]] = {}
    kinds: dict[int, str] = {}
    for fid, kind, area, level in Facility.service_areas.through.objects.filter(
        facility__kind__in=LIST_KINDS, facility__is_active=True
    ).values_list("facility_id", "facility__kind", "area_id", "area__level"):
        served.setdefault(fid, []).append((area, level))
        kinds[fid] = kind
    ok = [fid for fid, areas in served.items() if _within(kinds[fid], areas, hamlets, villages)]
    return Facility.objects.filter(pk__in=ok)


def _within(
    kind: str, served: list[tuple[int, int]], hamlets: set[int], villages: set[int]
) -> bool:
    """Whether a facility of `kind` serving these (area, level) lies in the user's scope."""
    if kind == FacilityKind.POSYANDU:
        return all(level == AreaLevel.HAMLET and a in hamlets for a, level in served)
    return all(level == AreaLevel.VILLAGE and a in villages for a, level in served)


@dataclass
class FacilityNode:
    """One facility of the work-list index with the facilities below it (puskesmas → pustu →
    posyandu) and where it is (``place``: its desa, or dusun for a posyandu)."""

    facility: Facility
    place: str
    children: list[FacilityNode] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, URL), set by a view


@dataclass
class DistrictNode:
    """A kecamatan of the index and its puskesmas (with everything below them)."""

    name: str
    facilities: list[FacilityNode] = field(default_factory=list)


def facility_tree(user) -> list[DistrictNode]:
    """The facilities whose lists the user may open, as a tree: kecamatan → puskesmas → pustu
    → posyandu, each sorted by name. A facility whose parent the user may not open (a pustu
    user sees no puskesmas) is a root under its own kecamatan. Three queries besides the
    scope (``facilities_for_user``): the facilities with their area, kecamatan and parent."""
    facilities = list(
        facilities_for_user(user)
        .select_related("area", "area__parent", "area__parent__parent")
        .order_by("name", "code")
    )
    nodes = {f.pk: FacilityNode(f, _place(f)) for f in facilities}
    districts: dict[str, DistrictNode] = {}
    for f in facilities:
        node = nodes[f.pk]
        parent = nodes.get(f.parent_id)
        if parent is not None:
            parent.children.append(node)
            continue
        name = _district_name(f)
        districts.setdefault(name, DistrictNode(name)).facilities.append(node)
    return [districts[k] for k in sorted(districts)]


def _place(f: Facility) -> str:
    """Where a facility is: "dusun, desa" for a posyandu, its desa otherwise."""
    area = f.area
    if area is None:
        return ""
    if area.level == AreaLevel.HAMLET and area.parent_id:
        return f"{area.name}, {area.parent.name}"
    return area.name


def _district_name(f: Facility) -> str:
    """The kecamatan a facility lies in (its area, or the area's ancestors)."""
    area = f.area
    while area is not None and area.level > AreaLevel.DISTRICT:
        area = area.parent if area.parent_id else None
    return area.name if area is not None else ""


def _serves_within(f: Facility, hamlets: set[int], villages: set[int]) -> bool:
    served = [(a.pk, a.level) for a in f.service_areas.all()]
    return bool(served) and _within(f.kind, served, hamlets, villages)


def facility_for_user(user, facility: Facility | UUID | str) -> Facility:
    """The facility (object, UUID or code) if its work list is within the user's scope.

    Raises PermissionDenied when the role reads no personal data, NotFound when the facility
    does not exist or lies outside the user's scope (we do not tell which).
    """
    if not can_view_personal_data(user):
        raise PermissionDenied("Peran Anda tidak dapat melihat daftar kerja.")
    if not isinstance(facility, Facility):
        qs = Facility.objects.filter(kind__in=LIST_KINDS)
        try:
            facility = qs.get(uuid=UUID(str(facility)))
        except (ValueError, Facility.DoesNotExist):
            facility = qs.filter(code=str(facility)).first()
    if facility is None or facility.kind not in LIST_KINDS:
        raise NotFound("Fasilitas tidak ditemukan.")
    if user.role == Role.KADER:
        ok = facility.kind == FacilityKind.POSYANDU and facility.pk == user.facility_id
    else:
        hamlets = set(scope_hamlets(user).values_list("pk", flat=True))
        villages = set(scope_villages(user).values_list("pk", flat=True))
        ok = _serves_within(facility, hamlets, villages)
    if not ok:
        raise NotFound("Fasilitas tidak ditemukan.")
    return facility


def worklist_for_user(
    user,
    facility: Facility | UUID | str,
    *,
    on: date,
    cluster: str | None = None,
    kinds=None,
    ip: str | None = None,
) -> list[WorkItem]:
    """The work list of a posyandu, pustu or puskesmas the user may see, on `on`, audited."""
    facility = facility_for_user(user, facility)
    items = compute_worklist(
        facility, on=on, cluster=cluster, kinds=kinds, person_q=person_scope_q(user)
    )
    audit_bulk_view(
        user=user,
        object_type="worklist",
        person_ids=sorted({i.person.id for i in items}),
        ip=ip,
        detail={"facility": facility.code, "date": on.isoformat()},
    )
    return items


def special_lists_for_user(
    user,
    facility: Facility | UUID | str,
    *,
    on: date,
    which: tuple[str, ...] = SPECIAL_LISTS,
    ip: str | None = None,
) -> dict[str, list[SpecialItem]]:
    """The special lists of a facility's area the user may see, on `on`, audited."""
    facility = facility_for_user(user, facility)
    persons = load_persons(facility, on, person_scope_q(user))
    lists = compute_special_lists(facility, on=on, persons=persons, which=which)
    audit_bulk_view(
        user=user,
        object_type="special_list",
        person_ids=sorted({i.person.id for items in lists.values() for i in items}),
        ip=ip,
        detail={"facility": facility.code, "date": on.isoformat()},
    )
    return lists
