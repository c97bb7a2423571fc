"""Work done leaves every list: for each item kind, the service that satisfies it is recorded
through the care services and the item is gone from the posyandu, pustu and puskesmas lists;
voiding that record brings the item back (issue 8, "Work done stays on the list")."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ilp.care.services.corrections import dose_void, encounter_void
from ilp.care.worklists import compute_worklist
from ilp.core.corrections import Reason
from ilp.people.models import Pregnancy
from tests.care import record, resident

pytestmark = pytest.mark.django_db

WRONG = Reason("wrong_person")


def lists(district):
    """The three lists that cover Ampel Timur: its posyandu, the desa's pustu, the puskesmas."""
    return (district.pos_ampel_timur_f, district.pustu_ampel_f, district.pkm_barat_f)


def items_on(district, person, on, kinds=None):
    """{facility code: {(item, state)}} of `person` on every list covering Ampel Timur."""
    return {
        f.code: {
            (i.item, i.state)
            for i in compute_worklist(f, on=on, kinds=kinds)
            if i.person.id == person.pk
        }
        for f in lists(district)
    }


def everywhere(district, pairs):
    return {f.code: set(pairs) for f in lists(district)}


# -- ANC ----------------------------------------------------------------------------------


@pytest.fixture
def pregnant(district):
    Pregnancy.objects.create(person=district.siti, lmp=date(2025, 1, 1), edd=date(2025, 10, 8))
    return district.siti


def test_late_k1_leaves_the_list_and_a_void_brings_it_back(district, pregnant):
    on = date(2025, 5, 2)  # 17 weeks: the first trimester passed without a contact
    assert items_on(district, pregnant, on, ["anc"]) == everywhere(
        district, {("anc:K1", "overdue")}
    )
    k1 = record(district, pregnant, on, "anc", {"visit_number": 1})
    got = items_on(district, pregnant, on, ["anc"])
    # The first contact was made (Kohort Ibu shows K1): the next contact is K2, due in this
    # trimester, never "K1 terlambat".
    assert got == everywhere(district, {("anc:K2", "due")})
    encounter_void(actor=district.bidan_ampel, encounter=k1, version=k1.version, reason=WRONG)
    assert items_on(district, pregnant, on, ["anc"]) == everywhere(
        district, {("anc:K1", "overdue")}
    )


def test_anc_contact_in_its_trimester_leaves_the_list(district, pregnant):
    on = date(2025, 2, 20)
    assert items_on(district, pregnant, on, ["anc"]) == everywhere(district, {("anc:K1", "due")})
    record(district, pregnant, on, "anc", {"visit_number": 1})
    assert items_on(district, pregnant, on, ["anc"]) == everywhere(district, set())


# -- KF and KN ----------------------------------------------------------------------------


@pytest.fixture
def delivered(district):
    born = date(2025, 3, 1)
    Pregnancy.objects.create(
        person=district.siti,
        lmp=born - timedelta(days=275),
        edd=born + timedelta(days=5),
        outcome="live_birth",
        outcome_date=born,
    )
    return born


def test_kf_visit_after_a_missed_one_clears_the_overdue(district, delivered):
    siti = district.siti
    day4 = delivered + timedelta(days=4)
    assert items_on(district, siti, day4, ["kf"]) == everywhere(district, {("kf:KF2", "overdue")})
    visit = record(district, siti, day4, "postpartum", {"visit_number": 2})
    assert items_on(district, siti, day4, ["kf"]) == everywhere(district, set())
    # KF3's window opens on day 8: it is due, not overdue for the KF1 that can never be made up
    # (the mother was visited since).
    day10 = delivered + timedelta(days=10)
    assert items_on(district, siti, day10, ["kf"]) == everywhere(district, {("kf:KF3", "due")})
    encounter_void(actor=district.bidan_ampel, encounter=visit, version=visit.version, reason=WRONG)
    assert items_on(district, siti, day10, ["kf"]) == everywhere(district, {("kf:KF3", "overdue")})


def test_kn_visit_leaves_the_list(district):
    born = date(2025, 3, 1)
    baby = resident(district, "Bayi Melati", "F", born)
    day4 = born + timedelta(days=4)
    assert items_on(district, baby, day4, ["kn"]) == everywhere(district, {("kn:KN2", "overdue")})
    record(district, baby, day4, "newborn", {"visit_number": 2, "weight": 3.2})
    assert items_on(district, baby, day4, ["kn"]) == everywhere(district, set())
    day10 = born + timedelta(days=10)
    assert items_on(district, baby, day10, ["kn"]) == everywhere(district, {("kn:KN3", "due")})


# -- immunisation and weighing ------------------------------------------------------------


def test_dose_leaves_the_list_and_a_voided_dose_comes_back(district):
    baby = resident(district, "Bayi Kenanga", "M", date(2025, 1, 10))
    on = date(2025, 3, 15)
    before = items_on(district, baby, on, ["imunisasi"])
    assert ("imunisasi:PCV1", "due") in before[district.pos_ampel_timur_f.code]
    enc = record(
        district,
        baby,
        on,
        "immunization",
        {},
        immunizations=[{"dose_code": "PCV1", "lot_number": "P1", "expiry_date": "2027-01-01"}],
    )
    after = items_on(district, baby, on, ["imunisasi"])
    for code in after:
        assert ("imunisasi:PCV1", "due") not in after[code]
    dose = enc.immunizations.get()
    dose_void(actor=district.bidan_ampel, dose=dose, version=dose.version, reason=WRONG)
    assert items_on(district, baby, on, ["imunisasi"]) == before


def test_weighing_leaves_the_list_and_a_void_brings_it_back(district):
    on = date(2025, 3, 15)
    rina = district.rina
    before = items_on(district, rina, on, ["timbang"])
    assert before == everywhere(district, {("timbang", "overdue")})
    enc = record(
        district,
        rina,
        on,
        "child",
        {"weight": 9.0, "height": 74.0, "measured": "lying"},
        actor=district.kader_ampel_timur,
        facility=district.pos_ampel_timur_f,
    )
    assert items_on(district, rina, on, ["timbang"]) == everywhere(district, set())
    encounter_void(
        actor=district.kader_ampel_timur, encounter=enc, version=enc.version, reason=WRONG
    )
    assert items_on(district, rina, on, ["timbang"]) == before


# -- annual screening ---------------------------------------------------------------------


def test_adult_screening_leaves_the_list(district):
    on = date(2025, 3, 15)
    budi = district.budi
    assert items_on(district, budi, on, ["skrining"]) == everywhere(
        district, {("skrining:PTM", "due")}
    )
    enc = record(district, budi, on, "adult", {"sbp": 118, "dbp": 76})
    assert items_on(district, budi, on, ["skrining"]) == everywhere(district, set())
    encounter_void(actor=district.bidan_ampel, encounter=enc, version=enc.version, reason=WRONG)
    assert items_on(district, budi, on, ["skrining"]) == everywhere(
        district, {("skrining:PTM", "due")}
    )


def test_elderly_screening_leaves_the_list(district):
    on = date(2025, 3, 15)
    nenek = resident(district, "Nenek Melati", "F", date(1950, 6, 1))
    before = items_on(district, nenek, on, ["skrining"])
    assert ("skrining:lansia", "due") in before[district.pos_ampel_timur_f.code]
    record(district, nenek, on, "elderly", {"sbp": 128, "dbp": 80})
    assert items_on(district, nenek, on, ["skrining"]) == everywhere(district, set())
