"""One demo login per role (two for the hospital role: the city's RSUD and the province's
referral hospital), all with the same printed password."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from ilp.accounts.models import Cluster, Role, User
from ilp.demo.geography import FacilityRow
from ilp.places.models import Area, Facility, FacilityKind

DEMO_PASSWORD = "ilp-demo-2026"  # noqa: S105 - printed on purpose: demo data only
DEMO_PUSKESMAS = "Puskesmas Ampenan"
DEMO_KECAMATAN = "52.71.01"
# The two hospitals whose staff get a demo login (``geography``'s hospitals: the city's RSUD
# and the province's referral hospital), by code, with the login's short name.
DEMO_HOSPITALS = (("RS-5271-01", "rs.kota-mataram"), ("RS-5271-02", "rs.provinsi-ntb"))


@dataclass
class DemoLogin:
    role: str
    username: str
    scope: str
    exists: bool = True


def _slug(name: str) -> str:
    return slugify(name)


def demo_workplaces(
    facilities: list[FacilityRow],
) -> tuple[FacilityRow, FacilityRow, FacilityRow]:
    """The puskesmas, pustu and posyandu the demo logins work at, among the generated rows.

    The same choice as :func:`demo_login_specs` makes in the database (first by code), so the
    generator can populate these places densely before any row is written."""
    puskesmas = next(
        f for f in facilities if f.kind == FacilityKind.PUSKESMAS and f.name == DEMO_PUSKESMAS
    )
    pustu = min(
        (f for f in facilities if f.kind == FacilityKind.PUSTU and f.parent_id == puskesmas.id),
        key=lambda f: f.code,
    )
    posyandu = min(
        (f for f in facilities if f.kind == FacilityKind.POSYANDU and f.parent_id == pustu.id),
        key=lambda f: f.code,
    )
    return puskesmas, pustu, posyandu


def demo_login_specs() -> list[dict]:
    """The demo users to create, resolved against the district in the database."""
    city = Area.objects.get(code="52.71")
    kecamatan = Area.objects.get(code=DEMO_KECAMATAN)
    puskesmas = Facility.objects.get(kind=FacilityKind.PUSKESMAS, name=DEMO_PUSKESMAS)
    pustu = (
        Facility.objects.filter(kind=FacilityKind.PUSTU, parent=puskesmas)
        .select_related("area")
        .order_by("code")
        .first()
    )
    desa = pustu.area
    posyandu = (
        Facility.objects.filter(kind=FacilityKind.POSYANDU, parent=pustu)
        .select_related("area")
        .order_by("code")
        .first()
    )
    return [
        {
            "username": "dinkes",
            "role": Role.DINKES_ADMIN,
            "area": city,
            "facility": Facility.objects.filter(kind=FacilityKind.DINKES).first(),
            "is_staff": True,
            "is_superuser": True,
            "first_name": "Admin Dinkes",
        },
        {"username": "tpcb", "role": Role.TPCB, "area": city, "first_name": "Analis TPCB"},
        {
            "username": puskesmas_login(puskesmas.name),
            "role": Role.PUSKESMAS,
            "facility": puskesmas,
            "cluster": Cluster.K2,
            "first_name": "Petugas KIA",
        },
        {
            "username": f"bidan.{_slug(desa.name)}",
            "role": Role.PUSTU,
            "facility": pustu,
            "first_name": "Bidan",
        },
        {
            "username": f"kader.{_slug(posyandu.area.name)}",
            "role": Role.KADER,
            "facility": posyandu,
            "first_name": "Kader",
        },
        {"username": "ppa", "role": Role.PROTECTION, "area": city, "first_name": "UPTD PPA"},
        {
            "username": "dpo",
            "role": Role.DATA_PROTECTION,
            "area": city,
            "first_name": "Pejabat PDP",
        },
        {
            "username": "spesialis.obgyn",
            "role": Role.SPECIALIST,
            "area": city,
            "first_name": "dr. Spesialis Obgin",
        },
        {
            "username": f"camat.{_slug(kecamatan.name)}",
            "role": Role.CROSS_SECTOR,
            "area": kecamatan,
            "first_name": "Camat",
        },
        {
            "username": f"kades.{_slug(desa.name)}",
            "role": Role.CROSS_SECTOR,
            "area": desa,
            "first_name": "Lurah",
        },
        *hospital_login_specs(),
    ]


def hospital_login_specs() -> list[dict[str, Any]]:
    """The staff logins of the two demo hospitals (role hospital: their referrals only)."""
    hospitals = {
        f.code: f
        for f in Facility.objects.filter(
            kind=FacilityKind.HOSPITAL, code__in=[code for code, _login in DEMO_HOSPITALS]
        )
    }
    return [
        {
            "username": username,
            "role": Role.HOSPITAL,
            "facility": hospitals[code],
            "first_name": f"Petugas {hospitals[code].name}",
        }
        for code, username in DEMO_HOSPITALS
        if code in hospitals
    ]


def puskesmas_login(name: str) -> str:
    """The username of a puskesmas' demo staff login ("Puskesmas Ampenan" → puskesmas.ampenan)."""
    return f"puskesmas.{_slug(name.removeprefix('Puskesmas '))}"


def coaching_login_specs() -> list[dict[str, Any]]:
    """The logins the demo's coaching adds (``ilp.demo.coaching``): three more TPCB analysts for
    its two teams, the paediatrician of the specialist programme, and one staff login
    (Klaster 1, management) at every puskesmas but the demo one, who answers its
    recommendations."""
    city = Area.objects.get(code="52.71")
    analysts = [
        {"username": f"tpcb.{topic}", "role": Role.TPCB, "area": city, "first_name": name}
        for topic, name in (
            ("kia", "Analis TPCB KIA"),
            ("gizi", "Analis TPCB Gizi"),
            ("ptm", "Analis TPCB PTM"),
        )
    ]
    staff = [
        {
            "username": puskesmas_login(f.name),
            "role": Role.PUSKESMAS,
            "facility": f,
            "cluster": Cluster.K1,
            "first_name": f"Petugas {f.name}",
        }
        for f in Facility.objects.filter(kind=FacilityKind.PUSKESMAS)
        .exclude(name=DEMO_PUSKESMAS)
        .order_by("code")
    ]
    # The specialist programme's paediatrician, beside the demo's obstetrician (one per role
    # in ``demo_login_specs``).
    paediatrician = {
        "username": "spesialis.anak",
        "role": Role.SPECIALIST,
        "area": city,
        "first_name": "dr. Spesialis Anak",
    }
    return [*analysts, paediatrician, *staff]


def ensure_demo_logins(specs: list[dict[str, Any]] | None = None) -> list[DemoLogin]:
    """Create the missing demo users (existing ones are left as they are); list them all.
    `specs`: the users to ensure (default: one per role, ``demo_login_specs``)."""
    logins = []
    password_hash = None
    for spec in demo_login_specs() if specs is None else specs:
        spec = dict(spec)
        username = spec.pop("username")
        user = User.objects.filter(username=username).first()
        if user is None:
            # One hash for all: the password is the same and PBKDF2 is slow on purpose.
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user = User(username=username, password=password_hash, **spec)
            user.save()
        logins.append(DemoLogin(str(user.role), username, _scope(user)))
    return logins


def _scope(user: User) -> str:
    parts = []
    if user.facility_id:
        parts.append(user.facility.name)
    if user.area_id:
        parts.append(f"{user.area.get_level_display()} {user.area.name}")
    if user.cluster:
        parts.append(f"klaster {user.cluster}")
    return "; ".join(parts)


def demo_usernames() -> list[str]:
    """Usernames the demo creates (needs the district in the database)."""
    return [spec["username"] for spec in demo_login_specs() + coaching_login_specs()]
