"""Scoped, audited reads of persons and families."""

import pytest

from ilp.accounts.models import AuditEvent
from ilp.core.exceptions import NotFound, PermissionDenied
from ilp.people.selectors import (
    family_detail,
    family_members,
    person_detail,
    person_life_stage,
    person_search,
)


def names(results):
    return [p.full_name for p in results]


def test_search_by_name_prefix_is_case_and_accent_insensitive(district):
    assert names(person_search(district.dinkes, "sit")) == ["Siti Aminah"]
    assert names(person_search(district.dinkes, "  SÍTI ")) == ["Siti Aminah"]


def test_search_by_nik_and_kk(district):
    d = district
    assert names(person_search(d.dinkes, d.budi.nik)) == ["Budi Santoso"]
    assert names(person_search(d.dinkes, "5271-0112-0315-0001")) == [
        "Budi Santoso",
        "Rina Lestari",
        "Siti Aminah",
    ]
    assert names(person_search(d.dinkes, d.rina.local_id.lower())) == ["Rina Lestari"]


def test_kader_never_finds_people_of_another_posyandu(district):
    d = district
    assert names(person_search(d.kader_ampel_barat, "budi")) == []
    assert names(person_search(d.kader_ampel_barat, d.budi.nik)) == []
    assert names(person_search(d.kader_ampel_barat, "ahmad")) == ["Ahmad Fauzi"]


@pytest.mark.parametrize("persona", ["ppa", "camat_barat", "kades_ampel", "norole"])
def test_roles_without_personal_access_are_refused(district, persona):
    with pytest.raises(PermissionDenied):
        person_search(getattr(district, persona), "budi")
    with pytest.raises(PermissionDenied):
        person_detail(getattr(district, persona), district.budi.uuid)


def test_detail_outside_scope_is_not_found_and_logged_inside(district):
    d = district
    with pytest.raises(NotFound):
        person_detail(d.kader_cemara, d.budi.uuid)
    with pytest.raises(NotFound):
        person_detail(d.kader_cemara, "not-a-uuid")
    p = person_detail(d.kader_ampel_timur, d.budi.uuid, ip="10.1.2.3")
    assert p == d.budi
    event = AuditEvent.objects.get(action="view", person_id=d.budi.pk)
    assert event.user == d.kader_ampel_timur and event.ip == "10.1.2.3"


def test_search_is_audited_with_result_ids(district):
    d = district
    person_search(d.bidan_ampel, "ahm")
    event = AuditEvent.objects.get(action="search")
    assert event.detail == {"query_kind": "name", "results": 1}
    assert (event.person_ids, event.purpose) == ([d.ahmad.pk], "care")


def test_family_detail_and_members(district):
    d = district
    fam = family_detail(d.kader_ampel_timur, d.family_ampel.uuid)
    assert names(family_members(d.kader_ampel_timur, fam)) == [
        "Budi Santoso",
        "Siti Aminah",
        "Rina Lestari",
    ]
    with pytest.raises(NotFound):
        family_detail(d.kader_cemara, d.family_ampel.uuid)


def test_life_stage_labels(district):
    from datetime import date

    stage = person_life_stage(district.rina, date(2025, 5, 2))
    assert stage["stages"] == ["toddler"]
    assert stage["main_label"] == "Balita"
