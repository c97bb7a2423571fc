"""Name search finds a word inside the name, says how many it found when the list is cut,
follows renames and leaves voided persons out."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ilp.core.corrections import Reason
from ilp.people import corrections
from ilp.people.selectors import SEARCH_LIMIT, person_search
from ilp.people.services import PersonData, person_register
from tests.conftest import _person

pytestmark = pytest.mark.django_db


def names(results):
    return [p.full_name for p in results]


def test_a_word_inside_the_name_is_found_prefix_matches_first(district):
    rt = district.rt_ampel_timur
    _person("Siti Rohmah", "F", date(1990, 1, 1), rt)
    _person("Rohmah Dewi", "F", date(1992, 1, 1), rt)
    _person("Nur Rohmawati", "F", date(1994, 1, 1), rt)

    # Names that start with the words come first, then names with them inside, each by name.
    assert names(person_search(district.dinkes, "rohmah")) == [
        "Rohmah Dewi",
        "Siti Rohmah",
    ]
    assert names(person_search(district.dinkes, "ROHMA")) == [
        "Rohmah Dewi",
        "Nur Rohmawati",
        "Siti Rohmah",
    ]
    # The fixture's "Siti Aminah" by her second name, accents and case ignored.
    assert names(person_search(district.dinkes, "Amínah")) == ["Siti Aminah"]
    assert person_search(district.dinkes, "rohmah").total == 2


def test_the_count_is_true_when_the_list_is_cut(district):
    rt = district.rt_ampel_timur
    for i in range(SEARCH_LIMIT + 5):
        _person(f"Anak Rohmah {i:02d}", "F", date(2020, 1, 1), rt)

    found = person_search(district.dinkes, "rohmah")

    assert len(found) == SEARCH_LIMIT
    assert found.total == SEARCH_LIMIT + 5
    assert names(found)[:2] == ["Anak Rohmah 00", "Anak Rohmah 01"]


def test_the_page_says_how_many_were_shown_of_how_many(client_for, district):
    rt = district.rt_ampel_timur
    for i in range(SEARCH_LIMIT + 5):
        _person(f"Anak Rohmah {i:02d}", "F", date(2020, 1, 1), rt)
    client = client_for(district.dinkes)

    page = client.get(reverse("people:search"), {"q": "rohmah"}).content.decode()
    assert "20 dari 25 ditampilkan" in page
    assert "perjelas" in page.lower()

    page = client.get(reverse("people:search"), {"q": "aminah"}).content.decode()
    assert "1 penduduk ditemukan" in page
    assert "ditampilkan" not in page


def test_the_api_gives_the_true_total_too(client_for, district):
    rt = district.rt_ampel_timur
    for i in range(SEARCH_LIMIT + 5):
        _person(f"Anak Rohmah {i:02d}", "F", date(2020, 1, 1), rt)
    answer = client_for(district.dinkes).get("/api/v1/persons", {"q": "rohmah"}).json()
    assert (len(answer["items"]), answer["total"], answer["total_capped"]) == (20, 25, False)


def test_search_stays_in_scope_for_a_word_inside_the_name(district):
    # Budi Santoso lives in Ampel Timur, outside this kader's posyandu.
    assert person_search(district.kader_ampel_barat, "santoso") == []
    assert names(person_search(district.kader_ampel_timur, "santoso")) == ["Budi Santoso"]


def _registered(district, name):
    return person_register(
        actor=district.kader_ampel_timur,
        data=PersonData(full_name=name, sex="M", birth_date=date(2023, 4, 1)),
        rt=district.rt_ampel_timur,
        confirm_not_duplicate=True,
    )


def test_a_renamed_person_is_found_by_the_new_word_and_not_the_old(district):
    kader = district.kader_ampel_timur
    person = _registered(district, "Wayan Rohmat")
    assert names(person_search(kader, "rohmat")) == ["Wayan Rohmat"]

    corrections.person_correct(
        actor=kader,
        person=person,
        new=corrections.PersonCorrection(
            data=PersonData(full_name="Wayan Rahmat", sex="M", birth_date=date(2023, 4, 1)),
            area=district.rt_ampel_timur,
            address="",
            deceased_on=None,
        ),
        version=person.version,
        reason=Reason("typo", "nama di KK"),
    )

    assert person_search(kader, "rohmat") == []
    assert names(person_search(kader, "rahmat")) == ["Wayan Rahmat"]


def test_a_voided_person_is_not_found_by_a_word_inside_the_name(district):
    kader = district.kader_ampel_timur
    person = _registered(district, "Made Kembar")
    assert names(person_search(kader, "kembar")) == ["Made Kembar"]

    corrections.person_void(
        actor=kader, person=person, version=person.version, reason=Reason("typo", "dua kali")
    )

    assert person_search(kader, "kembar") == []
    assert person_search(kader, "kembar").total == 0


def test_one_letter_or_two_search_only_the_start_of_the_name(district):
    # Two letters are too short to search inside names (on a district of 500,000 it would
    # read every name): "am" finds Amir Hasan, not Siti Aminah.
    rt = district.rt_ampel_timur
    _person("Amir Hasan", "M", date(1990, 1, 1), rt)
    assert names(person_search(district.dinkes, "am")) == ["Amir Hasan"]


def test_a_search_is_a_fixed_number_of_queries(district, django_assert_max_num_queries):
    rt = district.rt_ampel_timur
    for i in range(SEARCH_LIMIT + 5):
        _person(f"Anak Rohmah {i:02d}", "F", date(2020, 1, 1), rt)
    # scope, count, prefix ids, inner ids, the rows, the audit event (and a savepoint or two)
    with django_assert_max_num_queries(8):
        found = person_search(district.dinkes, "rohmah")
    assert len(found) == SEARCH_LIMIT
