"""Who sees whom: the scope of every role over persons and areas."""

import pytest

from ilp.accounts.access import aggregate_areas, area_in_scope, person_scope_q
from ilp.people.models import Person


def visible(user):
    return set(Person.objects.filter(person_scope_q(user)).values_list("full_name", flat=True))


ALL = {
    "Budi Santoso",
    "Siti Aminah",
    "Rina Lestari",
    "Ahmad Fauzi",
    "Wayan Sudarma",
    "Dewi Kartika",
}
AMPEL_TIMUR = {"Budi Santoso", "Siti Aminah", "Rina Lestari"}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("dinkes", ALL),
        ("tpcb", ALL),
        ("pkm_barat", ALL - {"Dewi Kartika"}),
        ("bidan_ampel", AMPEL_TIMUR | {"Ahmad Fauzi"}),
        ("kader_ampel_timur", AMPEL_TIMUR),
        ("kader_ampel_barat", {"Ahmad Fauzi"}),
        ("kader_cemara", {"Dewi Kartika"}),
        ("ppa", set()),
        ("camat_barat", set()),
        ("kades_ampel", set()),
        ("norole", set()),
    ],
)
def test_person_scope_per_role(district, persona, expected):
    assert visible(getattr(district, persona)) == expected


def test_inactive_user_sees_nobody(district):
    district.dinkes.is_active = False
    assert visible(district.dinkes) == set()


def test_kader_without_posyandu_sees_nobody(district):
    district.kader_cemara.facility = None
    assert visible(district.kader_cemara) == set()


def test_area_in_scope_for_registration(district):
    d = district
    assert area_in_scope(d.kader_ampel_timur, d.rt_ampel_timur)
    assert not area_in_scope(d.kader_ampel_timur, d.rt_ampel_barat)
    # A kader registers in their dusun, not at desa level.
    assert not area_in_scope(d.kader_ampel_timur, d.ampel)
    assert area_in_scope(d.bidan_ampel, d.ampel)
    assert not area_in_scope(d.bidan_ampel, d.rt_batu)
    assert area_in_scope(d.pkm_barat, d.rt_batu)
    assert not area_in_scope(d.pkm_barat, d.rt_cemara)
    assert area_in_scope(d.dinkes, d.rt_cemara)
    assert not area_in_scope(d.camat_barat, d.rt_ampel_timur)


def test_cross_sector_aggregates_are_their_area_only(district):
    d = district
    codes = set(aggregate_areas(d.kades_ampel).values_list("code", flat=True))
    assert "52.71.01.1001" in codes
    assert "52.71.01.1001.01" in codes
    assert "52.71.01.1002" not in codes
    assert "52.71.02.1001" not in codes
    camat = set(aggregate_areas(d.camat_barat).values_list("code", flat=True))
    assert "52.71.01.1002" in camat and "52.71.02.1001" not in camat
    assert not aggregate_areas(d.ppa).exists()
