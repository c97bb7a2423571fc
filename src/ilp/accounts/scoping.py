"""Area scoping: the one place that decides which persons and areas a user may see.

Every selector that returns personal data filters with `person_scope_q`; access is denied by
default (a user without a role, a child-protection partner outside their cases, and a
cross-sector viewer see no person at all).

| role          | personal data                         | aggregates of        |
| ------------- | ------------------------------------- | -------------------- |
| dinkes_admin  | whole district (user.area)            | whole district       |
| tpcb          | whole district (user.area)            | whole district       |
| puskesmas     | desa of the puskesmas working area    | that working area    |
| pustu         | its desa                              | its desa             |
| kader         | dusun/RW served by the posyandu       | those dusun/RW       |
| protection    | none here (only their cases)          | none                 |
| cross_sector  | none                                  | user.area (kecamatan or desa) |
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ilp.accounts.models import Role, User
from ilp.places.models import Area, AreaLevel

PERSONAL_DATA_ROLES = frozenset(
    {Role.DINKES_ADMIN, Role.TPCB, Role.PUSKESMAS, Role.PUSTU, Role.KADER}
)
# Roles that register and edit families and persons (within their scope).
REGISTRAR_ROLES = frozenset({Role.DINKES_ADMIN, Role.PUSKESMAS, Role.PUSTU, Role.KADER})
DISTRICT_ROLES = frozenset({Role.DINKES_ADMIN, Role.TPCB})

_NOTHING = Q(pk__in=[])


def can_view_personal_data(user: User) -> bool:
    """Whether the user's role reads person records at all."""
    return bool(user.is_authenticated and user.is_active and user.role in PERSONAL_DATA_ROLES)


def can_register(user: User) -> bool:
    """Whether the user's role registers families and persons."""
    return bool(user.is_authenticated and user.is_active and user.role in REGISTRAR_ROLES)


def scope_villages(user: User) -> QuerySet[Area]:
    """The desa/kelurahan whose residents the user may see (empty for kader: see hamlets)."""
    if not can_view_personal_data(user):
        return Area.objects.none()
    if user.role in DISTRICT_ROLES:
        if user.area_id is None:
            return Area.objects.none()
        return Area.objects.filter(level=AreaLevel.VILLAGE, code__startswith=f"{user.area.code}.")
    if user.role in (Role.PUSKESMAS, Role.PUSTU) and user.facility_id:
        return Area.objects.filter(level=AreaLevel.VILLAGE, served_by=user.facility_id)
    if user.role == Role.KADER and user.facility_id:
        return Area.objects.filter(
            level=AreaLevel.VILLAGE,
            children__served_by=user.facility_id,
        ).distinct()
    return Area.objects.none()


def scope_hamlets(user: User) -> QuerySet[Area]:
    """The dusun/RW the user may see and register people in."""
    if not can_view_personal_data(user):
        return Area.objects.none()
    if user.role == Role.KADER:
        if not user.facility_id:
            return Area.objects.none()
        return Area.objects.filter(level=AreaLevel.HAMLET, served_by=user.facility_id)
    return Area.objects.filter(level=AreaLevel.HAMLET, parent__in=scope_villages(user))


def person_scope_q(user: User, prefix: str = "") -> Q:
    """A filter over Person (or, with `prefix` like ``"person__"``, over rows that point to a
    person) that keeps only the persons the user may see."""
    if not can_view_personal_data(user):
        return _NOTHING
    if user.role == Role.KADER:
        if not user.facility_id:
            return _NOTHING
        return Q(**{f"{prefix}hamlet__served_by": user.facility_id})
    if user.role in DISTRICT_ROLES:
        if user.area_id is None:
            return _NOTHING
        return Q(**{f"{prefix}village__code__startswith": f"{user.area.code}."})
    if user.role in (Role.PUSKESMAS, Role.PUSTU):
        if not user.facility_id:
            return _NOTHING
        # A literal id list (one small query) rather than a join through the working-area
        # table: PostgreSQL can then range-scan (village, name_key) per desa.
        villages = list(
            Area.objects.filter(level=AreaLevel.VILLAGE, served_by=user.facility_id).values_list(
                "id", flat=True
            )
        )
        return Q(**{f"{prefix}village_id__in": villages})
    return _NOTHING


def aggregate_areas(user: User) -> QuerySet[Area]:
    """Areas whose aggregate figures the user may see (no personal data involved)."""
    if not (user.is_authenticated and user.is_active):
        return Area.objects.none()
    if user.role in DISTRICT_ROLES or user.role == Role.CROSS_SECTOR:
        if user.area_id is None:
            return Area.objects.none()
        return Area.objects.filter(Q(pk=user.area_id) | Q(code__startswith=f"{user.area.code}."))
    if user.role in (Role.PUSKESMAS, Role.PUSTU, Role.KADER):
        return Area.objects.filter(Q(pk__in=scope_villages(user)) | Q(pk__in=scope_hamlets(user)))
    return Area.objects.none()


def area_in_scope(user: User, area: Area) -> bool:
    """Whether the user may register or see people living in `area` (a desa, dusun or RT)."""
    if area.level == AreaLevel.RT:
        area = area.parent
    if area.level == AreaLevel.HAMLET:
        return scope_hamlets(user).filter(pk=area.pk).exists()
    if area.level == AreaLevel.VILLAGE:
        if user.role == Role.KADER:
            return False
        return scope_villages(user).filter(pk=area.pk).exists()
    return False


def can_manage_users(user: User) -> bool:
    """Whether the user resets other users' passwords and second factor and issues API tokens
    (the dinkes administrator; superusers use the admin)."""
    return bool(user.is_authenticated and user.is_active and user.role == Role.DINKES_ADMIN)


def manageable_users(user: User) -> QuerySet[User]:
    """The accounts a dinkes administrator may manage: everyone but superusers (who hold more
    rights than the administrator) and the administrator themself (own account page)."""
    if not can_manage_users(user):
        return User.objects.none()
    return User.objects.filter(is_superuser=False).exclude(pk=user.pk)
