"""Shared pytest fixtures: a small fixed district and named personas, one per role.

District 52.71 "Kota Uji" with two kecamatan:
  52.71.01 Kecamatan Barat: desa 52.71.01.1001 Ampel (dusun 01 Ampel Timur, 02 Ampel Barat)
                            desa 52.71.01.1002 Batu  (dusun 01 Batu Atas)
  52.71.02 Kecamatan Timur: desa 52.71.02.1001 Cemara (dusun 01 Cemara Raya)
Each dusun has RT 001 and 002. Puskesmas Barat serves Ampel and Batu; Puskesmas Timur serves
Cemara; one pustu per desa; one posyandu per dusun.

Personas (password "pw-test-123"): dinkes (admin), tpcb, pkm_barat (puskesmas, k2),
bidan_ampel (pustu Ampel), kader_ampel_timur, kader_ampel_barat, kader_cemara, ppa
(protection), camat_barat (cross-sector, kecamatan Barat), kades_ampel (cross-sector, desa
Ampel), norole (logged in, no role).
"""

from __future__ import annotations

import copy
from datetime import date
from types import SimpleNamespace

import pytest

PASSWORD = "pw-test-123"


def pytest_configure(config):
    """Test-only settings: a fast password hasher (the fixture creates a dozen users per test;
    PBKDF2 would spend seconds on each)."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default UI language: a request with Accept-Language: en in
    one test must not leave English active for the next."""
    from django.utils import translation

    translation.activate("id")
    yield
    translation.deactivate()


def _area(code: str, name: str, level: int, parent=None, kind: str = ""):
    from ilp.places.models import Area

    return Area.objects.create(code=code, name=name, level=level, parent=parent, kind=kind)


def _facility(kind: str, code: str, name: str, area, parent=None, serves=()):
    from ilp.places.models import Facility

    f = Facility.objects.create(kind=kind, code=code, name=name, area=area, parent=parent)
    f.service_areas.set(serves)
    return f


def _person(
    name: str,
    sex: str,
    birth: date,
    rt,
    *,
    nik: str | None = None,
    family=None,
    relationship: str = "",
):
    from ilp.people.models import Person
    from ilp.people.names import name_key

    hamlet = rt.parent
    return Person.objects.create(
        nik=nik,
        local_id=f"ILPT{Person.objects.count() + 1:06d}",
        full_name=name,
        name_key=name_key(name),
        sex=sex,
        birth_date=birth,
        rt=rt,
        hamlet=hamlet,
        village=hamlet.parent,
        family=family,
        relationship=relationship,
    )


def build_district() -> SimpleNamespace:
    """Create the fixed test district with facilities, a few residents and one user per role."""
    from ilp.accounts.models import Role, User
    from ilp.people.models import Family
    from ilp.places.models import AreaLevel as L

    d = SimpleNamespace()
    d.province = _area("52", "Nusa Tenggara Barat", L.PROVINCE)
    d.city = _area("52.71", "Kota Uji", L.REGENCY, d.province, "kota")
    d.kec_barat = _area("52.71.01", "Barat", L.DISTRICT, d.city)
    d.kec_timur = _area("52.71.02", "Timur", L.DISTRICT, d.city)
    d.ampel = _area("52.71.01.1001", "Ampel", L.VILLAGE, d.kec_barat, "kelurahan")
    d.batu = _area("52.71.01.1002", "Batu", L.VILLAGE, d.kec_barat, "desa")
    d.cemara = _area("52.71.02.1001", "Cemara", L.VILLAGE, d.kec_timur, "kelurahan")
    d.ampel_timur = _area("52.71.01.1001.01", "Ampel Timur", L.HAMLET, d.ampel, "lingkungan")
    d.ampel_barat = _area("52.71.01.1001.02", "Ampel Barat", L.HAMLET, d.ampel, "lingkungan")
    d.batu_atas = _area("52.71.01.1002.01", "Batu Atas", L.HAMLET, d.batu, "dusun")
    d.cemara_raya = _area("52.71.02.1001.01", "Cemara Raya", L.HAMLET, d.cemara, "lingkungan")
    d.rts = {}
    for hamlet in (d.ampel_timur, d.ampel_barat, d.batu_atas, d.cemara_raya):
        for n in (1, 2):
            d.rts[(hamlet.code, n)] = _area(f"{hamlet.code}.{n:03d}", f"RT {n:03d}", L.RT, hamlet)
    d.rt_ampel_timur = d.rts[(d.ampel_timur.code, 1)]
    d.rt_ampel_barat = d.rts[(d.ampel_barat.code, 1)]
    d.rt_batu = d.rts[(d.batu_atas.code, 1)]
    d.rt_cemara = d.rts[(d.cemara_raya.code, 1)]

    d.dinkes_f = _facility(
        "dinkes", "DINKES-5271", "Dinas Kesehatan Kota Uji", d.city, serves=[d.city]
    )
    d.pkm_barat_f = _facility(
        "puskesmas", "P5271010101", "Puskesmas Barat", d.ampel, serves=[d.ampel, d.batu]
    )
    d.pkm_timur_f = _facility(
        "puskesmas", "P5271020101", "Puskesmas Timur", d.cemara, serves=[d.cemara]
    )
    d.pustu_ampel_f = _facility(
        "pustu", "PUSTU-AMPEL", "Pustu Ampel", d.ampel, d.pkm_barat_f, serves=[d.ampel]
    )
    d.pustu_batu_f = _facility(
        "pustu", "PUSTU-BATU", "Pustu Batu", d.batu, d.pkm_barat_f, serves=[d.batu]
    )
    d.pustu_cemara_f = _facility(
        "pustu", "PUSTU-CEMARA", "Pustu Cemara", d.cemara, d.pkm_timur_f, serves=[d.cemara]
    )
    d.pos_ampel_timur_f = _facility(
        "posyandu",
        "POS-AT",
        "Posyandu Melati",
        d.ampel_timur,
        d.pustu_ampel_f,
        serves=[d.ampel_timur],
    )
    d.pos_ampel_barat_f = _facility(
        "posyandu",
        "POS-AB",
        "Posyandu Mawar",
        d.ampel_barat,
        d.pustu_ampel_f,
        serves=[d.ampel_barat],
    )
    d.pos_batu_f = _facility(
        "posyandu", "POS-BA", "Posyandu Kenanga", d.batu_atas, d.pustu_batu_f, serves=[d.batu_atas]
    )
    d.pos_cemara_f = _facility(
        "posyandu",
        "POS-CR",
        "Posyandu Anggrek",
        d.cemara_raya,
        d.pustu_cemara_f,
        serves=[d.cemara_raya],
    )
    d.hospital_f = _facility("hospital", "RS-UJI", "RSUD Kota Uji", d.cemara)

    def user(username, role, *, facility=None, area=None, cluster="", **extra):
        return User.objects.create_user(
            username=username,
            password=PASSWORD,
            role=role,
            facility=facility,
            area=area,
            cluster=cluster,
            **extra,
        )

    d.dinkes = user("dinkes", Role.DINKES_ADMIN, area=d.city, facility=d.dinkes_f, is_staff=True)
    d.tpcb = user("tpcb", Role.TPCB, area=d.city)
    d.pkm_barat = user("pkm_barat", Role.PUSKESMAS, facility=d.pkm_barat_f, cluster="k2")
    d.bidan_ampel = user("bidan_ampel", Role.PUSTU, facility=d.pustu_ampel_f)
    d.kader_ampel_timur = user("kader_ampel_timur", Role.KADER, facility=d.pos_ampel_timur_f)
    d.kader_ampel_barat = user("kader_ampel_barat", Role.KADER, facility=d.pos_ampel_barat_f)
    d.kader_cemara = user("kader_cemara", Role.KADER, facility=d.pos_cemara_f)
    d.ppa = user("ppa", Role.PROTECTION, area=d.city)
    d.camat_barat = user("camat_barat", Role.CROSS_SECTOR, area=d.kec_barat)
    d.kades_ampel = user("kades_ampel", Role.CROSS_SECTOR, area=d.ampel)
    d.norole = user("norole", "")
    d.rs_uji = user("rs_uji", Role.HOSPITAL, facility=d.hospital_f)

    # Residents: one family in Ampel Timur, one person in each other dusun.
    d.family_ampel = Family.objects.create(
        kk_number="5271011203150001", rt=d.rt_ampel_timur, hamlet=d.ampel_timur, village=d.ampel
    )
    d.budi = _person(
        "Budi Santoso",
        "M",
        date(1985, 3, 12),
        d.rt_ampel_timur,
        nik="5271011203850001",
        family=d.family_ampel,
        relationship="head",
    )
    d.siti = _person(
        "Siti Aminah",
        "F",
        date(1990, 7, 21),
        d.rt_ampel_timur,
        nik="5271016107900002",
        family=d.family_ampel,
        relationship="spouse",
    )
    d.rina = _person(
        "Rina Lestari",
        "F",
        date(2024, 5, 2),
        d.rt_ampel_timur,
        family=d.family_ampel,
        relationship="child",
    )
    d.family_ampel.head = d.budi
    d.family_ampel.save()
    d.ahmad = _person(
        "Ahmad Fauzi", "M", date(1960, 1, 5), d.rt_ampel_barat, nik="5271010501600003"
    )
    d.wayan = _person("Wayan Sudarma", "M", date(2001, 9, 30), d.rt_batu, nik="5271013009010004")
    d.dewi = _person("Dewi Kartika", "F", date(1995, 2, 14), d.rt_cemara, nik="5271025402950005")
    return d


# -- the district, built once per session --------------------------------------------------
#
# Building the district takes some 60 INSERTs; done for each of ~750 tests it was a large part
# of the suite's time. It is now committed once (after the test database is created) and every
# test gets a deep copy of the same instances: an ordinary test runs in a transaction that is
# rolled back, so what it changes in the rows (a password, a lockout, a second factor) is
# undone, and what it changes on the instances stays in its copy.
#
# Two kinds of tests see the database differently:
# - tests that use the database but not `district` expect it empty (the demo generator builds
#   its own district with the same codes): `_no_district_unless_asked` deletes the shared rows
#   inside their transaction, so the deletion is rolled back with the rest;
# - transactional tests (`transactional_db`, `live_server`: the browser tests, the backup)
#   see the committed rows, and pytest-django empties every table after each of them;
#   `pytest_runtest_teardown` builds the district again for the tests that follow.
# pytest-django runs the transactional tests after the others, so that happens a dozen times.


class _Shared:
    """The committed district: its instances and, per model, the rows that building it added
    (users and persons write history rows too, which the deletion must also remove)."""

    district: SimpleNamespace | None = None
    rows: dict = {}  # model -> primary keys added by build_district()


def _seed() -> None:
    """Build and commit the district; remember its instances and the rows it added."""
    from django.apps import apps
    from django.db import transaction

    models = [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy]
    before = {m: set(m._base_manager.values_list("pk", flat=True)) for m in models}
    with transaction.atomic():
        _Shared.district = build_district()
    added = {m: set(m._base_manager.values_list("pk", flat=True)) - before[m] for m in models}
    _Shared.rows = {m: pks for m, pks in added.items() if pks}


def _unseed() -> None:
    """Delete the district's rows, in one transaction (a savepoint within a test's).

    Plain DELETEs rather than the ORM's: areas and facilities protect their parents and each
    other, and every row that references them is among the deleted ones, so the foreign keys
    (checked at the end of the transaction) hold again by then."""
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for model, pks in _Shared.rows.items():
            pk = model._meta.pk
            placeholders = ", ".join(["%s"] * len(pks))
            cursor.execute(
                f"DELETE FROM {quote(model._meta.db_table)} "  # noqa: S608 - names, not input
                f"WHERE {quote(pk.column)} IN ({placeholders})",
                [pk.get_db_prep_value(v, connection) for v in pks],
            )


def _is_transactional(item: pytest.Item) -> bool:
    """Whether pytest-django runs the test outside a transaction (and empties the tables after
    it): the same rule as its own `_django_db_helper`."""
    names = getattr(item, "fixturenames", ())
    if "transactional_db" in names or "live_server" in names:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    return bool(
        marker.kwargs.get("transaction")
        or marker.kwargs.get("reset_sequences")
        or (marker.args and marker.args[0])
    )


@pytest.fixture(scope="session")
def _shared_district(django_db_setup, django_db_blocker):
    """Commit the district once, right after the test database is created."""
    with django_db_blocker.unblock():
        _seed()


@pytest.fixture
def district(_shared_district, db) -> SimpleNamespace:
    """The fixed test district with facilities, a few residents and one user per role: a copy
    of the committed instances (a test that changes an instance changes only its copy)."""
    from ilp.places.models import Area

    assert _Shared.district is not None
    if not Area.objects.filter(pk=_Shared.district.province.pk).exists():
        # The tables were emptied and nothing built the district again (a transactional test
        # ran last before an interrupted or reordered run): build it for this test, inside its
        # transaction when it has one (then the next test finds it gone and builds it again).
        _seed()
    return copy.deepcopy(_Shared.district)


@pytest.fixture(autouse=True)
def _no_district_unless_asked(request):
    """A database test that does not ask for the district finds the database as migrations
    left it: the shared rows are deleted inside its transaction (and come back with the
    rollback)."""
    names = request.fixturenames
    if "district" in names or _Shared.district is None:
        return
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        names
    )
    if not uses_db:
        return
    request.getfixturevalue("transactional_db" if _is_transactional(request.node) else "db")
    _unseed()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test pytest-django has emptied every table: build the district
    again for the next test (unless this was the last one; the database goes away then)."""
    result = yield
    if _Shared.district is not None and nextitem is not None and _is_transactional(item):
        from pytest_django.plugin import blocking_manager_key

        from ilp.places.models import Area

        with item.config.stash[blocking_manager_key].unblock():
            if not Area.objects.filter(pk=_Shared.district.province.pk).exists():
                _seed()
    return result


@pytest.fixture
def client_for(client):
    """Log the test client in as a persona: `client_for(district.kader_ampel_timur)`."""

    def login(user):
        client.force_login(user)
        return client

    return login
