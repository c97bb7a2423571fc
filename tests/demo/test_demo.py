"""The synthetic demo district: determinism, identity numbers, structure, logins, command."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ilp.accounts.access import is_hospital_staff
from ilp.accounts.models import Role, User
from ilp.care.models import Observation
from ilp.care.services import plausibility as P
from ilp.demo.generate import (
    DEFAULT_POPULATION,
    DEFAULT_SEED,
    dense_hamlets,
    generate_district,
)
from ilp.demo.geography import build_geography
from ilp.demo.history import generate_service_history
from ilp.demo.logins import DEMO_PASSWORD, demo_workplaces
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
    # two hospitals' staff, each at its hospital (the city's RSUD, the province's)
    hospital_staff = User.objects.filter(role=Role.HOSPITAL).select_related("facility")
    assert {(u.username, u.facility.name) for u in hospital_staff} == {
        ("rs.kota-mataram", "RSUD Kota Mataram"),
        ("rs.provinsi-ntb", "RSUD Provinsi Nusa Tenggara Barat"),
    }
    assert all(is_hospital_staff(u) for u in hospital_staff)


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
    assert "rs.kota-mataram" in out.getvalue() and "rs.provinsi-ntb" in out.getvalue()


@pytest.mark.django_db
def test_command_reset_generates_anew():
    call_command("demo", population=300, seed=1, stdout=StringIO())
    call_command("demo", population=400, seed=2, reset=True, stdout=StringIO())
    assert 400 <= Person.objects.count() < 415
    assert Area.objects.filter(code="52.71").count() == 1
    assert User.objects.filter(username="dinkes").count() == 1
    connection.check_constraints()


# -- density: the demo logins' puskesmas area looks like a real one ---------------------------


def _under_five(qs, on: date = TODAY):
    return qs.filter(birth_date__gt=on - timedelta(days=1826), birth_date__lte=on)


@pytest.fixture
def dense_demo(db):
    # Small, but large enough for the kader's lingkungan and more: the density rule fills the
    # kader's posyandu first, then the midwife's kelurahan, then the puskesmas area.
    return generate_district(population=2500, seed=3, today=TODAY)


@pytest.mark.django_db
def test_the_kader_posyandu_has_a_real_posyandu_number_of_children(dense_demo):
    kader = User.objects.get(role=Role.KADER)
    hamlets = kader.facility.service_areas.all()
    children = _under_five(Person.objects.filter(hamlet__in=hamlets)).count()
    assert 50 <= children <= 100
    # The rest of the city is thinner, not empty.
    elsewhere = Person.objects.exclude(village__in=kader.facility.parent.parent.service_areas.all())
    assert _under_five(elsewhere).count() > 0
    posyandu = Facility.objects.filter(kind=FacilityKind.POSYANDU).count()
    assert _under_five(elsewhere).count() / posyandu < 5


@pytest.mark.django_db
def test_the_midwife_and_puskesmas_work_lists_are_populated(dense_demo):
    from ilp.care.worklists import compute_worklist

    bidan = User.objects.get(role=Role.PUSTU)
    puskesmas = User.objects.get(role=Role.PUSKESMAS)
    kader = User.objects.get(role=Role.KADER)
    assert kader.facility.parent == bidan.facility
    assert bidan.facility.parent == puskesmas.facility
    village = bidan.facility.service_areas.get()
    # More than the kader's own lingkungan: the midwife's other posyandu have children too.
    in_village = _under_five(Person.objects.filter(village=village))
    assert in_village.exclude(hamlet__in=kader.facility.service_areas.all()).count() >= 50
    pustu_items = compute_worklist(bidan.facility, on=TODAY)
    puskesmas_items = compute_worklist(puskesmas.facility, on=TODAY)
    assert len({i.person.id for i in pustu_items}) >= 100
    assert len(puskesmas_items) >= len(pustu_items)


def test_the_default_demo_fills_the_whole_puskesmas_area():
    """`make demo` (the default population): every posyandu of the demo puskesmas at a real
    posyandu's density, the rest of the city thinner."""
    geo = build_geography(np.random.default_rng([DEFAULT_SEED, 1]))
    pop = generate_population(
        geo,
        population=DEFAULT_POPULATION,
        rng=np.random.default_rng([DEFAULT_SEED, 2, DEFAULT_POPULATION]),
        today=TODAY,
        dense_hamlets=dense_hamlets(geo),
    )
    puskesmas, pustu, posyandu = demo_workplaces(geo.facilities)
    hamlet = np.array(pop.persons["hamlet_id"])
    village = np.array(pop.persons["village_id"])
    birth = np.array(pop.persons["birth_date"], dtype="datetime64[D]")
    young = (np.datetime64(TODAY) - birth).astype(int) < 1826
    area = [
        f
        for f in geo.facilities
        if f.kind == FacilityKind.POSYANDU
        and f.parent_id in {p.id for p in geo.facilities if p.parent_id == puskesmas.id}
    ]
    per_posyandu = [int((young & np.isin(hamlet, f.serves)).sum()) for f in area]
    assert len(area) >= 20
    assert 50 <= int((young & np.isin(hamlet, posyandu.serves)).sum()) <= 100
    assert 50 <= np.median(per_posyandu) <= 100
    assert all(35 <= n <= 120 for n in per_posyandu)
    outside = young & ~np.isin(village, puskesmas.serves)
    others = sum(1 for f in geo.facilities if f.kind == FacilityKind.POSYANDU) - len(area)
    assert 0 < outside.sum() / others < 15


def test_the_demo_logins_work_where_the_generator_put_the_density(dense_demo):
    kader = User.objects.get(role=Role.KADER)
    bidan = User.objects.get(role=Role.PUSTU)
    puskesmas = User.objects.get(role=Role.PUSKESMAS)
    geo = build_geography(np.random.default_rng([3, 1]))
    rows = demo_workplaces(geo.facilities)
    assert [r.code for r in rows] == [
        puskesmas.facility.code,
        bidan.facility.code,
        kader.facility.code,
    ]
    first = Area.objects.get(pk=dense_hamlets(geo)[0])
    assert kader.facility.service_areas.get() == first


# -- growth: plausible individual curves ------------------------------------------------------


@pytest.fixture
def weighed(db):
    generate_district(population=1200, seed=5, today=TODAY)
    generate_service_history(start=TODAY - timedelta(days=540), end=TODAY, seed=5)
    rows = (
        # The children's measurements (adults are weighed at their yearly screening too).
        Observation.objects.filter(code__in=("weight", "height"))
        .exclude(encounter__package__in=("adult", "elderly"))
        .order_by("person_id", "date", "code")
        .values_list(
            "person_id",
            "date",
            "code",
            "value",
            "loinc",
            "flagged",
            "person__birth_date",
            "person__sex",
        )
    )
    by_child: dict[int, list] = {}
    for pid, on, code, value, loinc, flagged, born, sex in rows:
        visits = by_child.setdefault(pid, [])
        if not visits or visits[-1]["on"] != on:
            visits.append({"on": on, "born": born, "sex": sex})
        visits[-1][code] = value
        visits[-1][f"{code}_flagged"] = flagged
        if code == "height":
            visits[-1]["lying"] = loinc == P.LOINC_LENGTH_LYING
    return by_child


@pytest.mark.django_db
def test_every_consecutive_weighing_passes_the_apps_plausibility_check(weighed):
    pairs = flagged = 0
    for visits in weighed.values():
        for before, after in zip(visits, visits[1:], strict=False):
            errors: dict = {}
            warnings: dict = {}
            P.check_against_previous(
                on=after["on"],
                adult=False,
                weight=after["weight"],
                height=after["height"],
                lying=after["lying"],
                previous_weight=P.Previous(before["on"], before["weight"]),
                previous_height=P.Previous(before["on"], before["height"], before["lying"]),
                errors=errors,
                warnings=warnings,
                sex=after["sex"],
                birth=after["born"],
            )
            pairs += 1
            assert errors == {}, (before, after)
            assert "height" not in warnings, (before, after)
            if "weight" in warnings:
                # A gain above WHO's weight velocity for the age (or a big jump after two
                # years): the demo stores it confirmed, as the session screen does.
                assert after["weight_flagged"]
                flagged += 1
            else:
                assert not after["weight_flagged"]
    assert pairs > 500
    assert flagged < 0.02 * pairs


@pytest.mark.django_db
def test_growth_follows_plausible_z_score_tracks(weighed):
    from ilp.standards.growth import zscores

    visits = [(pid, v) for pid, vs in weighed.items() for v in vs]
    sexes = dict(Person.objects.filter(pk__in=weighed).values_list("pk", "sex"))
    z = zscores(
        np.array([sexes[pid] for pid, _ in visits]),
        np.array([(v["on"] - v["born"]).days for _, v in visits]),
        weight_kg=np.array([v["weight"] for _, v in visits]),
        length_cm=np.array([v["height"] for _, v in visits]),
        measured=np.array(["lying" if v["lying"] else "standing" for _, v in visits]),
    )
    for indicator in ("wfa", "lhfa", "wflh"):
        values = z[indicator][~np.isnan(z[indicator])]
        assert len(values) > 500
        assert -1 < values.mean() < 1, indicator
        assert 0.6 < values.std() < 1.5, indicator
        assert np.abs(values).max() < 5, indicator
    # Some children are wasted or stunted, as in any Indonesian posyandu, but not most.
    assert 0.01 < (z["wflh"] < -2).mean() < 0.2
    assert 0.05 < (z["lhfa"] < -2).mean() < 0.4
    # Each child follows its own curve: weight-for-length moves little from month to month.
    index = 0
    steps, faltering = [], 0
    for vs in weighed.values():
        wflh = z["wflh"][index : index + len(vs)]
        index += len(vs)
        steps += np.abs(np.diff(wflh)).tolist()
        faltering += sum(b["weight"] <= a["weight"] for a, b in zip(vs, vs[1:], strict=False))
    assert np.percentile(steps, 95) < 0.8
    assert faltering > 0  # some weighings do not go up ("T" on the KMS)


# -- tasks: closed by the later service that satisfies them -----------------------------------


@pytest.mark.django_db
def test_no_generated_task_stays_open_after_a_later_service_satisfies_it():
    from collections import defaultdict

    from django.utils import timezone

    from ilp.care.models import Encounter, Screening, Task, TaskCloseReason, TaskStatus
    from ilp.care.services.tasks import _satisfies, opened_on

    generate_district(population=1200, seed=5, today=TODAY)
    generate_service_history(start=TODAY - timedelta(days=540), end=TODAY, seed=5)
    tasks = list(Task.objects.select_related("source_encounter", "source_session"))
    persons = {t.person_id for t in tasks}
    measured: dict[int, set[str]] = defaultdict(set)
    for eid, code in Observation.objects.filter(person_id__in=persons).values_list(
        "encounter_id", "code"
    ):
        measured[eid].add(code)
    topics: dict[int, set[str]] = defaultdict(set)
    for eid, instrument in Screening.objects.filter(
        person_id__in=persons, abnormal=True
    ).values_list("encounter_id", "instrument"):
        topics[eid].add(instrument)
    encounters: dict[int, list[Encounter]] = defaultdict(list)
    for e in Encounter.objects.filter(person_id__in=persons).order_by("date", "pk"):
        encounters[e.person_id].append(e)

    def first_satisfying(task: Task) -> Encounter | None:
        # The services' own rule (``close_satisfied_tasks``), on what each encounter measured.
        return next(
            (e for e in encounters[task.person_id] if _satisfies(task, e, measured[e.pk], topics)),
            None,
        )

    by_service = by_hand = still_open = 0
    for task in tasks:
        # Opened on the day of the finding or the session, not on the day of generation.
        assert opened_on(task) <= TODAY, task.pk
        first = first_satisfying(task)
        if task.status == TaskStatus.OPEN:
            assert first is None, (task.pk, task.kind, task.reason_code, first)
            still_open += 1
        elif task.close_reason == TaskCloseReason.SERVICE_RECORDED:
            assert first is not None and task.closing_encounter_id == first.pk, task.pk
            assert timezone.localdate(task.closed_at) == first.date
            by_service += 1
        else:
            # Closed by hand (as done, with its kind's reason) before any satisfying service.
            assert task.closing_encounter_id is None and task.close_reason, task.pk
            assert first is None or timezone.localdate(task.closed_at) < first.date, task.pk
            by_hand += 1
    kinds_closed = set(
        Task.objects.filter(close_reason=TaskCloseReason.SERVICE_RECORDED).values_list(
            "kind", flat=True
        )
    )
    assert by_service > 0 and by_hand > 0 and still_open > 0, (by_service, by_hand, still_open)
    assert {"home_visit", "follow_up"} <= kinds_closed
