"""Work lists: ANC contacts, KF and KN visits on fixed dates."""

from __future__ import annotations

from datetime import date

import pytest

from ilp.care.models import Screening
from ilp.care.worklists import compute_worklist
from ilp.people.models import Person, Pregnancy
from tests.care import encounter as _encounter

pytestmark = pytest.mark.django_db


def encounter(person, on, facility, package, **kw):
    return _encounter(person, on, facility, package, place_kind="pustu", **kw)


def listed(district, on, kinds, person):
    items = compute_worklist(district.pos_ampel_timur_f, on=on, kinds=kinds)
    return {(i.item, i.state, i.since) for i in items if i.person.id == person.pk}


@pytest.fixture
def pregnancy(district):
    return Pregnancy.objects.create(
        person=district.siti, lmp=date(2024, 11, 1), edd=date(2025, 8, 8)
    )


def test_anc_k1_due_in_first_trimester(district, pregnancy):
    assert listed(district, date(2025, 1, 10), ["anc"], district.siti) == {
        ("anc:K1", "due", date(2024, 11, 1))
    }


def test_anc_done_then_next_not_yet_due(district, pregnancy):
    encounter(district.siti, date(2024, 12, 20), district.pustu_ampel_f, "anc", pregnancy=pregnancy)
    assert listed(district, date(2025, 1, 10), ["anc"], district.siti) == set()


def test_anc_k2_due_in_second_trimester(district, pregnancy):
    encounter(district.siti, date(2024, 12, 20), district.pustu_ampel_f, "anc", pregnancy=pregnancy)
    assert listed(district, date(2025, 3, 10), ["anc"], district.siti) == {
        # TM2 begins at 12 weeks 1 day (ilp.standards.pregnancy, Buku KIA "di atas 12 minggu")
        ("anc:K2", "due", date(2025, 1, 25))
    }


def test_anc_overdue_after_trimester_passed(district, pregnancy):
    encounter(district.siti, date(2024, 12, 20), district.pustu_ampel_f, "anc", pregnancy=pregnancy)
    assert listed(district, date(2025, 6, 1), ["anc"], district.siti) == {
        # TM3 begins at 24 weeks 1 day (ilp.standards.pregnancy, Buku KIA "di atas 24 minggu")
        ("anc:K2", "overdue", date(2025, 4, 19))
    }


def test_high_risk_pregnancy_on_top(district, pregnancy):
    enc = encounter(
        district.siti, date(2024, 12, 20), district.pustu_ampel_f, "anc", pregnancy=pregnancy
    )
    Screening.objects.create(
        encounter=enc,
        person=district.siti,
        date=enc.date,
        instrument="kspr",
        score=14,
        result_code="krst",
        abnormal=True,
    )
    from ilp.care.models import Task

    Task.objects.create(
        person=district.budi,
        kind="follow_up",
        reason="Cek ulang",
        due_date=date(2024, 1, 1),
        facility=district.pos_ampel_timur_f,
    )
    items = compute_worklist(
        district.pos_ampel_timur_f, on=date(2025, 3, 10), kinds=["anc", "tindak-lanjut"]
    )
    assert [(i.item, i.danger) for i in items] == [("anc:K2", True), ("tindak-lanjut", False)]
    assert "KRST" in str(items[0].why)


def test_kf_due_overdue_done(district):
    preg = Pregnancy.objects.create(
        person=district.siti,
        lmp=date(2024, 5, 25),
        edd=date(2025, 3, 1),
        outcome="live_birth",
        outcome_date=date(2025, 3, 1),
    )
    assert listed(district, date(2025, 3, 2), ["kf"], district.siti) == {
        ("kf:KF1", "due", date(2025, 3, 1))
    }
    # KF1 missed: KF2 is overdue since the KF1 window closed
    assert listed(district, date(2025, 3, 5), ["kf"], district.siti) == {
        ("kf:KF2", "overdue", date(2025, 3, 3))
    }
    (item,) = compute_worklist(district.pos_ampel_timur_f, on=date(2025, 3, 5), kinds=["kf"])
    assert str(item.why) == "Kunjungan nifas KF2 terlambat sejak 3 Maret 2025 (terlewat: KF1)"
    assert item.why.params["missed"] == "KF1"
    encounter(district.siti, date(2025, 3, 1), district.pustu_ampel_f, "postpartum", pregnancy=preg)
    assert listed(district, date(2025, 3, 5), ["kf"], district.siti) == {
        ("kf:KF2", "due", date(2025, 3, 3))
    }
    encounter(district.siti, date(2025, 3, 4), district.pustu_ampel_f, "postpartum", pregnancy=preg)
    assert listed(district, date(2025, 3, 5), ["kf"], district.siti) == set()
    # after 42 days: nothing
    assert listed(district, date(2025, 5, 1), ["kf"], district.siti) == set()


def test_kn_due_and_done(district):
    from ilp.people.names import name_key

    baby = Person.objects.create(
        local_id="ILPT-BAYI1",
        full_name="Bayi Siti",
        name_key=name_key("Bayi Siti"),
        sex="M",
        birth_date=date(2025, 3, 1),
        rt=district.rt_ampel_timur,
        hamlet=district.ampel_timur,
        village=district.ampel,
        mother=district.siti,
    )
    assert listed(district, date(2025, 3, 1), ["kn"], baby) == {("kn:KN1", "due", date(2025, 3, 1))}
    encounter(baby, date(2025, 3, 1), district.pustu_ampel_f, "newborn", visit_number=1)
    assert listed(district, date(2025, 3, 2), ["kn"], baby) == set()
    assert listed(district, date(2025, 3, 4), ["kn"], baby) == {("kn:KN2", "due", date(2025, 3, 3))}
    # past 28 days: no KN items
    assert listed(district, date(2025, 4, 15), ["kn"], baby) == set()
