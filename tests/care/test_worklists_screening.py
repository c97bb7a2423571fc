"""Work lists: annual PTM (15–59 y) and lansia (≥ 60 y) screening items on fixed dates.

A screening is an encounter of package ``adult`` or ``elderly`` (an elderly screening holds the
adult one, so it counts for PTM too; an adult encounter does not count as a lansia screening).
District fixture: Budi (1985) and Siti (1990) in Ampel Timur with baby Rina, Ahmad (born
1960-01-05) in Ampel Barat, Wayan (2001) in Batu, Dewi (1995) in Cemara.
"""

from __future__ import annotations

from datetime import date

import pytest

from ilp.care.worklists import compute_worklist, worklist_for_user
from tests.care import encounter

pytestmark = pytest.mark.django_db


def screened(person, on, facility, package="adult", cluster="k3"):
    return encounter(person, on, facility, package, cluster=cluster)


def screening_items(items, person=None):
    return {
        (i.item, i.state, i.since)
        for i in items
        if i.item.startswith("skrining:") and (person is None or i.person.id == person.pk)
    }


def test_never_screened_adults_due_from_new_year(district):
    items = compute_worklist(district.pos_ampel_timur_f, on=date(2025, 3, 10), kinds=["skrining"])
    assert screening_items(items) == {
        ("skrining:PTM", "due", date(2025, 1, 1)),
    } and {i.person.id for i in items} == {district.budi.pk, district.siti.pk}
    assert {str(i.why) for i in items} == {"Belum pernah skrining PTM"}
    # the baby is not in the PTM band
    assert district.rina.pk not in {i.person.id for i in items}


def test_never_screened_overdue_after_three_months(district):
    items = compute_worklist(district.pos_ampel_timur_f, on=date(2025, 4, 1), kinds=["skrining"])
    assert {(i.person.id, i.item, i.state, i.since) for i in items} == {
        (district.budi.pk, "skrining:PTM", "overdue", date(2025, 4, 1)),
        (district.siti.pk, "skrining:PTM", "overdue", date(2025, 4, 1)),
    }


def test_due_twelve_months_after_last_then_overdue(district):
    f = district.pos_ampel_timur_f
    screened(district.budi, date(2024, 3, 10), f)
    screened(district.siti, date(2024, 11, 1), f)  # done: not listed
    items = compute_worklist(f, on=date(2025, 3, 10), kinds=["skrining"])
    assert screening_items(items, district.budi) == {("skrining:PTM", "due", date(2025, 3, 10))}
    assert screening_items(items, district.siti) == set()
    budi = next(i for i in items if i.person.id == district.budi.pk)
    assert str(budi.why) == "Skrining PTM tahunan: terakhir 10 Maret 2024"
    assert budi.detail["last_screened"] == date(2024, 3, 10)
    # the day before twelve months have passed: nothing due
    assert compute_worklist(f, on=date(2025, 3, 9), kinds=["skrining"]) == []
    later = compute_worklist(f, on=date(2025, 6, 10), kinds=["skrining"])
    assert screening_items(later, district.budi) == {("skrining:PTM", "overdue", date(2025, 6, 10))}
    assert screening_items(later, district.siti) == set()


def test_latest_screening_counts_and_other_packages_do_not(district):
    f = district.pos_ampel_timur_f
    screened(district.budi, date(2023, 5, 1), f)
    screened(district.budi, date(2024, 12, 1), f, package="elderly")  # holds the adult screening
    screened(district.siti, date(2024, 12, 1), f, package="anc", cluster="k2")
    screened(district.siti, date(2025, 1, 5), f, package="home_visit")
    items = compute_worklist(f, on=date(2025, 3, 10), kinds=["skrining"])
    assert screening_items(items, district.budi) == set()
    assert screening_items(items, district.siti) == {("skrining:PTM", "due", date(2025, 1, 1))}


def test_screening_after_the_list_date_is_ignored(district):
    f = district.pos_ampel_timur_f
    screened(district.budi, date(2025, 3, 11), f)
    items = compute_worklist(f, on=date(2025, 3, 10), kinds=["skrining"])
    assert screening_items(items, district.budi) == {("skrining:PTM", "due", date(2025, 1, 1))}


def test_elderly_needs_an_elderly_screening(district):
    f = district.pos_ampel_barat_f  # Ahmad, 65 in 2025
    screened(district.ahmad, date(2024, 12, 1), f, package="adult")
    items = compute_worklist(f, on=date(2025, 3, 10), kinds=["skrining"])
    assert screening_items(items) == {("skrining:lansia", "due", date(2025, 1, 1))}
    assert str(items[0].why) == "Belum pernah skrining lansia"
    screened(district.ahmad, date(2024, 1, 20), f, package="elderly")
    items = compute_worklist(f, on=date(2025, 3, 10), kinds=["skrining"])
    assert screening_items(items) == {("skrining:lansia", "due", date(2025, 1, 20))}
    items = compute_worklist(f, on=date(2025, 4, 20), kinds=["skrining"])
    assert screening_items(items) == {("skrining:lansia", "overdue", date(2025, 4, 20))}
    screened(district.ahmad, date(2025, 4, 1), f, package="elderly")
    assert compute_worklist(f, on=date(2025, 4, 20), kinds=["skrining"]) == []


def test_sixtieth_birthday_switches_ptm_to_lansia(district):
    f = district.pos_ampel_barat_f  # Ahmad born 1960-01-05
    screened(district.ahmad, date(2019, 1, 4), f, package="adult")
    items = compute_worklist(f, on=date(2020, 1, 4), kinds=["skrining"])
    assert screening_items(items) == {("skrining:PTM", "due", date(2020, 1, 4))}
    items = compute_worklist(f, on=date(2020, 1, 5), kinds=["skrining"])
    assert screening_items(items) == {("skrining:lansia", "due", date(2020, 1, 5))}


def test_not_applicable_under_fifteen(district):
    # Wayan (born 2001-09-30) turns 15 on 2016-09-30.
    f = district.pos_batu_f
    assert compute_worklist(f, on=date(2016, 9, 29), kinds=["skrining"]) == []
    items = compute_worklist(f, on=date(2016, 9, 30), kinds=["skrining"])
    assert screening_items(items) == {("skrining:PTM", "due", date(2016, 9, 30))}


def test_puskesmas_lists_its_area_and_cluster_k3(district):
    on = date(2025, 3, 10)
    screened(district.siti, date(2024, 11, 1), district.pos_ampel_timur_f)
    items = compute_worklist(district.pkm_barat_f, on=on, cluster="k3")
    assert {(i.person.id, i.item) for i in items if i.item.startswith("skrining:")} == {
        (district.budi.pk, "skrining:PTM"),
        (district.ahmad.pk, "skrining:lansia"),
        (district.wayan.pk, "skrining:PTM"),
    }
    timur = compute_worklist(district.pkm_timur_f, on=on, kinds=["skrining"])
    assert {i.person.id for i in timur} == {district.dewi.pk}


def test_kader_sees_screening_items_of_own_posyandu(district):
    items = worklist_for_user(
        district.kader_ampel_timur, district.pos_ampel_timur_f, on=date(2025, 3, 10)
    )
    assert {i.person.id for i in items if i.item == "skrining:PTM"} == {
        district.budi.pk,
        district.siti.pk,
    }
