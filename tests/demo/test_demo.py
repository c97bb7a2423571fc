"""The synthetic demo district: determinism, identity numbers, structure, logins, command."""

from __future__ import annotations

from datetime import date
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ilp.accounts.models import Role, User
from ilp.demo.generate import generate_district
from ilp.demo.geography import build_geography
from ilp.demo.logins import DEMO_PASSWORD
from ilp.demo.population import generate_population
from ilp.people.models import Family, Person, Pregnancy
from ilp.places.models import Area, AreaLevel, Facility, FacilityKind

TODAY = date(2026, 3, 2)
POPULATION = 500


def _draw(seed: int, population: int = POPULATION):
    geo = build_geography(np.random.default_rng([seed, 1]))
    return generate_population(
        geo, population=population, rng=np.random.default_rng([seed, 2]), today=TODAY
    )


@pytest.fixture
def demo(db):
    return generate_district(population=POPULATION, seed=7, today=TODAY)


def test_same_seed_gives_same_people():
    a, b = _draw(11), _draw(11)
    assert a.persons["nik"] == b.persons["nik"]
    assert a.persons["full_name"] == b.persons["full_name"]
    assert a.families["kk_number"] == b.families["kk_number"]
    assert a.pregnancies == b.pregnancies


def test_other_seed_gives_other_people():
    assert _draw(11).persons["nik"] != _draw(12).persons["nik"]


@pytest.mark.parametrize("population", [200, 2000, 20000])
def test_population_is_about_the_requested_size(population):
    n = _draw(3, population).n_persons
    assert population <= n < population + 15


def test_age_structure_resembles_indonesia():
    persons = _draw(5, 20000).persons
    birth = np.array(persons["birth_date"], dtype="datetime64[D]")
    age = (np.datetime64(TODAY) - birth).astype(int) / 365.2425
    assert 0.012 < (age < 1).mean() < 0.022
    assert 0.08 < (age >= 60).mean() < 0.13
    assert 0.21 < (age < 15).mean() < 0.31


@pytest.mark.django_db
def test_generated_rows_and_keys_are_consistent(demo):
    assert abs(Person.objects.count() - POPULATION) < 15
    assert demo.persons == Person.objects.count()
    # Deferred foreign keys are checked at commit, which tests never reach: check now.
    connection.check_constraints()


@pytest.mark.django_db
def test_every_nik_is_well_formed_and_unique(demo):
    rows = list(
        Person.objects.exclude(nik=None).values_list("nik", "sex", "birth_date", "nik_flags")
    )
    niks = [r[0] for r in rows]
    assert len(niks) == len(set(niks))
    assert len(rows) > 0.9 * Person.objects.count()
    district_codes = {
        a.replace(".", "")
        for a in Area.objects.filter(level=AreaLevel.DISTRICT).values_list("code", flat=True)
    }
    for nik, sex, birth, flags in rows:
        assert len(nik) == 16 and nik.isdigit()
        assert nik[12:] != "0000"
        assert ("region_unknown" in flags) == (nik[:6] not in district_codes)
        if not flags:
            day = int(nik[6:8])
            assert (day > 40) == (sex == "F")
            assert day % 40 == birth.day
            assert int(nik[8:10]) == birth.month
            assert int(nik[10:12]) == birth.year % 100


@pytest.mark.django_db
def test_persons_without_nik_have_a_local_id(demo):
    without = Person.objects.filter(nik=None)
    assert without.exists()
    assert not without.filter(local_id="").exists()
    ids = list(Person.objects.values_list("local_id", flat=True))
    assert len(ids) == len(set(ids))


@pytest.mark.django_db
def test_every_family_has_exactly_one_head(demo):
    for family in Family.objects.prefetch_related("members"):
        heads = [p for p in family.members.all() if p.relationship == "head"]
        assert len(heads) == 1
        assert family.head_id == heads[0].pk
        assert len(family.kk_number) == 16
        assert family.kk_number[:6] in {"527101", "527102", "527103", "527104", "527105", "527106"}


@pytest.mark.django_db
def test_every_person_lives_in_the_district(demo):
    assert not Person.objects.exclude(village__code__startswith="52.71.").exists()
    assert not Person.objects.exclude(village__level=AreaLevel.VILLAGE).exists()
    mismatched = [
        p
        for p in Person.objects.select_related("rt", "hamlet")
        if p.rt.parent_id != p.hamlet_id or p.hamlet.parent_id != p.village_id
    ]
    assert mismatched == []
    assert all(p.name_key == p.full_name.lower() for p in Person.objects.all()[:200])


@pytest.mark.django_db
def test_mothers_are_women_in_the_same_family(demo):
    children = Person.objects.exclude(mother=None).select_related("mother")
    assert children.exists()
    for child in children:
        assert child.mother.sex == "F"
        assert child.mother.family_id == child.family_id
        assert child.mother.birth_date < child.birth_date


@pytest.mark.django_db
def test_pregnancies_are_consistent(demo):
    ongoing = Pregnancy.objects.filter(outcome="ongoing")
    assert ongoing.exists()
    for p in Pregnancy.objects.select_related("person"):
        assert p.person.sex == "F"
        assert (p.edd - p.lmp).days == 280
        assert p.gravida == p.para + p.abortus + 1
    for p in ongoing:
        assert 0 < (TODAY - p.lmp).days < 280


@pytest.mark.django_db
def test_facility_network(demo):
    villages = Area.objects.filter(level=AreaLevel.VILLAGE)
    hamlets = Area.objects.filter(level=AreaLevel.HAMLET)
    assert villages.count() == 50
    assert Area.objects.filter(level=AreaLevel.DISTRICT).count() == 6
    assert Facility.objects.filter(kind=FacilityKind.PUSKESMAS).count() == 11
    assert (
        Facility.objects.filter(kind=FacilityKind.DINKES).get().service_areas.get().code == "52.71"
    )
    assert 2 <= Facility.objects.filter(kind=FacilityKind.HOSPITAL).count() <= 3
    for village in villages:
        pustu = Facility.objects.get(kind=FacilityKind.PUSTU, service_areas=village)
        assert pustu.parent.kind == FacilityKind.PUSKESMAS
        assert pustu.parent.service_areas.filter(pk=village.pk).exists()
    for hamlet in hamlets:
        posyandu = Facility.objects.get(kind=FacilityKind.POSYANDU, service_areas=hamlet)
        assert posyandu.parent.kind == FacilityKind.PUSTU
        assert posyandu.parent.area_id == hamlet.parent_id
        assert hamlet.children.filter(level=AreaLevel.RT).exists()


@pytest.mark.django_db
def test_one_login_per_role(demo):
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {r.value for r in Role}
    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD)
        assert user.facility_id or user.area_id
    assert User.objects.get(username="dinkes").is_superuser
    assert User.objects.filter(role=Role.CROSS_SECTOR).count() == 2


@pytest.mark.django_db
def test_command_refuses_existing_data_then_if_empty_skips():
    out = StringIO()
    call_command("demo", population=300, stdout=out)
    assert "dinkes" in out.getvalue() and DEMO_PASSWORD in out.getvalue()
    count = Person.objects.count()
    with pytest.raises(CommandError, match="already"):
        call_command("demo", population=300, stdout=StringIO())
    out = StringIO()
    call_command("demo", population=300, if_empty=True, stdout=out)
    assert Person.objects.count() == count
    assert "puskesmas.ampenan" in out.getvalue()


@pytest.mark.django_db
def test_command_reset_generates_anew():
    call_command("demo", population=300, seed=1, stdout=StringIO())
    call_command("demo", population=400, seed=2, reset=True, stdout=StringIO())
    assert 400 <= Person.objects.count() < 415
    assert Area.objects.filter(code="52.71").count() == 1
    assert User.objects.filter(username="dinkes").count() == 1
    connection.check_constraints()
