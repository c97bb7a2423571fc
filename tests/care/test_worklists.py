"""Work lists: membership on fixed dates (due, overdue, done, not yet due), order, scoping,
special lists. Built on the `district` fixture plus records created here."""

from __future__ import annotations

from datetime import date

import pytest

from ilp.care.models import (
    ImmunizationRecord,
    Observation,
    Screening,
    Task,
)
from ilp.care.worklists import (
    compute_special_lists,
    compute_worklist,
    load_persons,
    special_lists_for_user,
    worklist_for_user,
)
from ilp.care.worklists.reasons import REASONS
from ilp.core.exceptions import NotFound, PermissionDenied
from ilp.people.models import Pregnancy
from tests.care import encounter

pytestmark = pytest.mark.django_db


def weigh(person, on, facility, kg, height=None):
    enc = encounter(person, on, facility, "child")
    Observation.objects.create(encounter=enc, person=person, date=on, code="weight", value=kg)
    if height is not None:
        Observation.objects.create(
            encounter=enc, person=person, date=on, code="height", value=height
        )
    return enc


def dose(person, code, on):
    return ImmunizationRecord.objects.create(person=person, date=on, dose_code=code)


def items_of(items, person=None):
    return {(i.item, i.state, i.since) for i in items if person is None or i.person.id == person.pk}


def codes_of(items, person):
    return {i.item for i in items if i.person.id == person.pk}


# -- immunisation -----------------------------------------------------------------------------


def _infant_doses(district):
    rina = district.rina  # born 2024-05-02
    dose(rina, "HB0", date(2024, 5, 2))
    dose(rina, "BCG", date(2024, 6, 2))
    dose(rina, "OPV1", date(2024, 6, 2))
    dose(rina, "DPT-HB-Hib 1", date(2024, 7, 2))
    return rina


def test_immunisation_due_and_overdue(district):
    rina = _infant_doses(district)
    items = compute_worklist(district.pos_ampel_timur_f, on=date(2024, 8, 10), kinds=["imunisasi"])
    got = items_of(items, rina)
    assert ("imunisasi:DPT-HB-Hib 2", "due", date(2024, 8, 2)) in got
    assert ("imunisasi:PCV1", "overdue", date(2024, 8, 2)) in got
    # done: not listed
    assert "imunisasi:DPT-HB-Hib 1" not in codes_of(items, rina)
    assert "imunisasi:BCG" not in codes_of(items, rina)
    # not yet due: not listed
    assert "imunisasi:MR1" not in codes_of(items, rina)
    assert "imunisasi:IPV1" not in codes_of(items, rina)
    # one month later DPT-HB-Hib 2 is overdue, IPV1 becomes due
    later = compute_worklist(district.pos_ampel_timur_f, on=date(2024, 9, 10), kinds=["imunisasi"])
    got = items_of(later, rina)
    assert ("imunisasi:DPT-HB-Hib 2", "overdue", date(2024, 9, 2)) in got
    assert ("imunisasi:IPV1", "due", date(2024, 9, 2)) in got


def test_adults_have_no_immunisation_items(district):
    items = compute_worklist(district.pos_ampel_timur_f, on=date(2024, 8, 10), kinds=["imunisasi"])
    assert {i.person.id for i in items} == {district.rina.pk}


# -- weighing ---------------------------------------------------------------------------------


def test_weighing_done_this_month_not_listed(district):
    weigh(district.rina, date(2024, 8, 5), district.pos_ampel_timur_f, 6.5)
    items = compute_worklist(district.pos_ampel_timur_f, on=date(2024, 8, 10), kinds=["timbang"])
    assert items == []


def test_weighing_due_when_weighed_last_month(district):
    weigh(district.rina, date(2024, 7, 5), district.pos_ampel_timur_f, 6.0)
    items = compute_worklist(district.pos_ampel_timur_f, on=date(2024, 8, 10), kinds=["timbang"])
    assert items_of(items) == {("timbang", "due", date(2024, 8, 1))}
    assert str(items[0].why) == "Belum ditimbang bulan ini"


def test_weighing_overdue_since_first_missed_month(district):
    weigh(district.rina, date(2024, 6, 5), district.pos_ampel_timur_f, 5.0)
    items = compute_worklist(district.pos_ampel_timur_f, on=date(2024, 8, 10), kinds=["timbang"])
    assert items_of(items) == {("timbang", "overdue", date(2024, 7, 1))}


def test_weighing_not_due_before_birth_or_after_five(district):
    # Before Rina was born nobody in Ampel Timur is a balita.
    items = compute_worklist(district.pos_ampel_timur_f, on=date(2024, 4, 30), kinds=["timbang"])
    assert items == []
    # From her fifth birthday she leaves the list.
    items = compute_worklist(district.pos_ampel_timur_f, on=date(2029, 5, 2), kinds=["timbang"])
    assert items == []


# -- tasks ------------------------------------------------------------------------------------


def _task(district, person, kind, due, status="open", reason="Cek ulang tekanan darah"):
    return Task.objects.create(
        person=person,
        kind=kind,
        reason=reason,
        due_date=due,
        facility=district.pos_ampel_timur_f,
        status=status,
    )


def test_tasks_due_overdue_done_and_future(district):
    on = date(2025, 3, 10)
    _task(district, district.budi, "follow_up", date(2025, 3, 1))
    _task(district, district.siti, "home_visit", on, reason="Tidak hadir posyandu")
    _task(district, district.budi, "home_visit", date(2025, 3, 1), status="done")
    _task(district, district.siti, "follow_up", date(2025, 3, 20))
    items = compute_worklist(
        district.pos_ampel_timur_f, on=on, kinds=["tindak-lanjut", "kunjungan-rumah"]
    )
    assert items_of(items, district.budi) == {("tindak-lanjut", "overdue", date(2025, 3, 1))}
    assert items_of(items, district.siti) == {("kunjungan-rumah", "due", on)}
    assert [str(i.why) for i in items] == ["Cek ulang tekanan darah", "Tidak hadir posyandu"]


def test_referral_is_danger_and_on_top(district):
    on = date(2025, 3, 10)
    _task(district, district.budi, "follow_up", date(2025, 1, 1))
    _task(district, district.siti, "refer", on, reason="TD 185/115")
    items = compute_worklist(district.pos_ampel_timur_f, on=on, kinds=["tindak-lanjut"])
    assert [(i.person.id, i.state) for i in items] == [
        (district.siti.pk, "due"),
        (district.budi.pk, "overdue"),
    ]
    assert items[0].danger and str(items[0].why).startswith("Rujuk")


def test_overdue_sorted_longest_first(district):
    on = date(2025, 3, 10)
    weigh(district.rina, date(2025, 1, 5), district.pos_ampel_timur_f, 9.0)  # overdue since Feb
    _task(district, district.budi, "follow_up", date(2025, 1, 15))
    _task(district, district.siti, "home_visit", on)
    items = compute_worklist(
        district.pos_ampel_timur_f, on=on, kinds=["timbang", "tindak-lanjut", "kunjungan-rumah"]
    )
    assert [(i.item, i.state) for i in items] == [
        ("tindak-lanjut", "overdue"),
        ("timbang", "overdue"),
        ("kunjungan-rumah", "due"),
    ]


# -- area -------------------------------------------------------------------------------------


def test_posyandu_list_covers_only_its_dusun(district):
    on = date(2025, 3, 10)
    _task(district, district.ahmad, "follow_up", on)  # Ampel Barat
    _task(district, district.budi, "follow_up", on)  # Ampel Timur
    at = compute_worklist(district.pos_ampel_timur_f, on=on, kinds=["tindak-lanjut"])
    assert {i.person.id for i in at} == {district.budi.pk}
    desa = compute_worklist(district.pustu_ampel_f, on=on, kinds=["tindak-lanjut"])
    assert {i.person.id for i in desa} == {district.budi.pk, district.ahmad.pk}
    pkm = compute_worklist(district.pkm_barat_f, on=on, kinds=["tindak-lanjut"])
    assert {i.person.id for i in pkm} == {district.budi.pk, district.ahmad.pk}
    assert compute_worklist(district.pkm_timur_f, on=on, kinds=["tindak-lanjut"]) == []


def test_puskesmas_cluster_filter(district):
    on = date(2024, 8, 10)
    weigh(district.rina, date(2024, 7, 5), district.pos_ampel_timur_f, 6.0)
    k3 = compute_worklist(district.pkm_barat_f, on=on, cluster="k3")
    assert "timbang" not in {i.item for i in k3}
    k2 = compute_worklist(district.pkm_barat_f, on=on, cluster="k2")
    assert "timbang" in {i.item for i in k2}
    assert not {i.item for i in k2} & {"skrining:PTM", "skrining:lansia"}


def test_lists_read_other_age_bands_as_they_meet_them(district):
    """A list reads only the ages its item kinds need up front (children under five, adults
    from 15); a task of a school child or a pregnancy in a children's list still shows."""
    from tests.care import resident

    on = date(2025, 3, 10)
    pupil = resident(district, "Murid Sepuluh", "M", date(2015, 2, 1))
    _task(district, pupil, "follow_up", date(2025, 3, 1), reason="Cek anemia")
    Pregnancy.objects.create(person=district.siti, lmp=date(2024, 11, 1), edd=date(2025, 8, 8))
    for cluster in (None, "k2", "k3"):
        items = compute_worklist(district.pkm_barat_f, on=on, cluster=cluster)
        assert ("tindak-lanjut", "overdue", date(2025, 3, 1)) in items_of(items, pupil), cluster
    k2 = compute_worklist(district.pkm_barat_f, on=on, cluster="k2")
    assert {c for c in codes_of(k2, district.siti) if c.startswith("anc:")}
    dead = resident(district, "Sudah Wafat", "F", date(1990, 1, 1))
    dead.deceased_on = date(2025, 1, 1)
    dead.save()
    _task(district, dead, "home_visit", date(2025, 3, 1))
    tasks = compute_worklist(district.pkm_barat_f, on=on, kinds=["kunjungan-rumah"])
    assert dead.pk not in {i.person.id for i in tasks}


def test_deceased_not_listed(district):
    district.rina.deceased_on = date(2024, 7, 1)
    district.rina.save()
    items = compute_worklist(district.pos_ampel_timur_f, on=date(2024, 8, 10), kinds=["timbang"])
    assert items == []


# -- scoping ----------------------------------------------------------------------------------


def test_kader_gets_own_posyandu_list(district):
    weigh(district.rina, date(2024, 7, 5), district.pos_ampel_timur_f, 6.0)
    items = worklist_for_user(
        district.kader_ampel_timur, district.pos_ampel_timur_f, on=date(2024, 8, 10)
    )
    assert "timbang" in codes_of(items, district.rina)
    # by code too
    items = worklist_for_user(district.kader_ampel_timur, "POS-AT", on=date(2024, 8, 10))
    assert items


def test_kader_refused_other_posyandu(district):
    with pytest.raises(NotFound):
        worklist_for_user(
            district.kader_ampel_timur, district.pos_ampel_barat_f, on=date(2025, 3, 10)
        )
    with pytest.raises(NotFound):
        worklist_for_user(district.kader_ampel_timur, district.pustu_ampel_f, on=date(2025, 3, 10))


def test_puskesmas_user_scope(district):
    worklist_for_user(district.pkm_barat, district.pos_ampel_barat_f, on=date(2025, 1, 1))
    worklist_for_user(district.pkm_barat, district.pkm_barat_f, on=date(2025, 1, 1))
    with pytest.raises(NotFound):
        worklist_for_user(district.pkm_barat, district.pos_cemara_f, on=date(2025, 1, 1))
    with pytest.raises(NotFound):
        worklist_for_user(district.bidan_ampel, district.pustu_batu_f, on=date(2025, 1, 1))


def test_roles_without_personal_data_refused(district):
    for user in (district.ppa, district.camat_barat, district.norole):
        with pytest.raises(PermissionDenied):
            worklist_for_user(user, district.pos_ampel_timur_f, on=date(2025, 1, 1))


def test_user_list_is_audited(district):
    from ilp.accounts.models import AuditEvent

    weigh(district.rina, date(2024, 7, 5), district.pos_ampel_timur_f, 6.0)
    worklist_for_user(district.kader_ampel_timur, "POS-AT", on=date(2024, 8, 10), ip="10.0.0.1")
    # One event for the whole list, naming every person shown.
    event = AuditEvent.objects.get(object_type="worklist", action="view")
    assert district.rina.pk in event.person_ids
    assert (event.purpose, event.ip) == ("care", "10.0.0.1")


def test_query_count_does_not_grow_with_persons(district, django_assert_max_num_queries):
    for n in range(3):
        weigh(district.rina, date(2024, 5 + n, 5), district.pos_ampel_timur_f, 4.0 + n)
    with django_assert_max_num_queries(12):
        compute_worklist(district.pkm_barat_f, on=date(2024, 8, 10))


# -- special lists ----------------------------------------------------------------------------


def test_high_risk_pregnancy_list_and_danger(district):
    preg = Pregnancy.objects.create(
        person=district.siti, lmp=date(2024, 11, 1), edd=date(2025, 8, 8)
    )
    enc = encounter(
        district.siti, date(2024, 12, 20), district.pustu_ampel_f, "anc", pregnancy=preg
    )
    Screening.objects.create(
        encounter=enc,
        person=district.siti,
        date=enc.date,
        instrument="kspr",
        score=6,
        result_code="krt",
        label_code="kspr.class.krt",
        abnormal=True,
    )
    persons = load_persons(district.pos_ampel_timur_f, date(2025, 1, 10))
    lists = compute_special_lists(district.pos_ampel_timur_f, on=date(2025, 1, 10), persons=persons)
    assert [(i.person.id, i.code) for i in lists["risiko_tinggi"]] == [(district.siti.pk, "krt")]
    # a later KRR screening takes her off the list
    enc2 = encounter(district.siti, date(2025, 1, 5), district.pustu_ampel_f, "anc", pregnancy=preg)
    Screening.objects.create(
        encounter=enc2, person=district.siti, date=enc2.date, instrument="kspr", result_code="krr"
    )
    lists = compute_special_lists(district.pos_ampel_timur_f, on=date(2025, 1, 10), persons=persons)
    assert lists["risiko_tinggi"] == []


def test_growth_lists_gizi_and_2t(district):
    rina = district.rina  # born 2024-05-02, girl
    f = district.pos_ampel_timur_f
    weigh(rina, date(2025, 1, 6), f, 7.0, 70.0)
    weigh(rina, date(2025, 2, 6), f, 6.9, 70.5)
    weigh(rina, date(2025, 3, 6), f, 6.2, 71.0)  # ~10 months: WFL z < -3, 2T
    on = date(2025, 3, 10)
    lists = compute_special_lists(f, on=on, persons=load_persons(f, on))
    assert [(i.person.id, i.code) for i in lists["gizi"]] == [(rina.pk, "gizi_buruk")]
    assert [i.person.id for i in lists["2t"]] == [rina.pk]
    # Labels are classes, phrased where shown: not the codes ("gizi buruk") nor one language.
    from django.utils import translation

    (gizi,), (two_t,) = lists["gizi"], lists["2t"]
    with translation.override("id"):
        assert (str(gizi.label), str(two_t.label)) == (
            "Gizi buruk",
            "Tidak naik 2 bulan berturut-turut (2T)",
        )
    with translation.override("en"):
        assert str(gizi.label) == "Severely wasted (gizi buruk)"
        assert str(two_t.label) != "Tidak naik 2 bulan berturut-turut (2T)"


def test_growth_lists_normal_child_absent(district):
    rina = district.rina
    f = district.pos_ampel_timur_f
    weigh(rina, date(2025, 1, 6), f, 8.2, 71.0)
    weigh(rina, date(2025, 2, 6), f, 8.6, 72.0)
    weigh(rina, date(2025, 3, 6), f, 9.0, 73.0)
    on = date(2025, 3, 10)
    lists = compute_special_lists(f, on=on, persons=load_persons(f, on))
    assert lists["gizi"] == [] and lists["2t"] == []


def test_uncontrolled_hypertension_and_diabetes(district):
    f = district.pos_ampel_timur_f
    for person, d, abnormal in (
        (district.budi, date(2025, 1, 5), True),
        (district.siti, date(2024, 12, 5), True),
        (district.siti, date(2025, 2, 5), False),  # controlled now
    ):
        enc = encounter(person, d, f, "adult", cluster="k3")
        Screening.objects.create(
            encounter=enc,
            person=person,
            date=d,
            instrument="bp",
            result_code="grade_2" if abnormal else "normal",
            abnormal=abnormal,
        )
    enc = encounter(district.siti, date(2025, 2, 5), f, "adult", cluster="k3")
    Screening.objects.create(
        encounter=enc,
        person=district.siti,
        date=enc.date,
        instrument="dm",
        result_code="dm",
        abnormal=True,
    )
    on = date(2025, 3, 10)
    lists = compute_special_lists(f, on=on, persons=load_persons(f, on))
    assert [i.person.id for i in lists["ht_tidak_terkendali"]] == [district.budi.pk]
    assert [i.person.id for i in lists["dm_tidak_terkendali"]] == [district.siti.pk]


def test_prediabetes_and_normal_high_are_not_uncontrolled_disease(district):
    """Issue 8 "Labels that mislead": prediabetes was listed under "Diabetes tidak
    terkendali", a normal-high blood pressure under uncontrolled hypertension."""
    from ilp.care.services import encounter_record

    on = date(2025, 3, 10)
    for person, values in (
        (district.budi, {"glucose_fasting": 95.0}),
        (district.siti, {"sbp": 134, "dbp": 86}),
    ):
        encounter_record(
            actor=district.bidan_ampel,
            person=person,
            on=on,
            package="adult",
            place_kind="pustu",
            facility=district.pustu_ampel_f,
            values=values,
            confirm_unusual=True,
        )
    dm = Screening.objects.get(person=district.budi, instrument="dm")
    assert (dm.result_code, dm.abnormal) in {("prediabetes", True), ("uncertain", True)}
    f = district.pustu_ampel_f
    lists = compute_special_lists(f, on=on, persons=load_persons(f, on))
    assert lists["dm_tidak_terkendali"] == []
    assert lists["ht_tidak_terkendali"] == []
    assert [i.person.id for i in lists["prediabetes"]] == [district.budi.pk]


def test_special_lists_scoped(district):
    with pytest.raises(NotFound):
        special_lists_for_user(
            district.kader_cemara, district.pos_ampel_timur_f, on=date(2025, 3, 10)
        )
    lists = special_lists_for_user(
        district.kader_ampel_timur, district.pos_ampel_timur_f, on=date(2025, 3, 10)
    )
    assert set(lists) == {
        "risiko_tinggi",
        "gizi",
        "2t",
        "ht_tidak_terkendali",
        "dm_tidak_terkendali",
        "prediabetes",
    }


def test_list_order_is_the_sort_key_order():
    """The engine's grouped sort gives exactly ``WorkItem.sort_key`` order (random items with
    many ties, as a puskesmas list has)."""
    import random

    from ilp.care.worklists.engine import PersonRow, WorkItem, _in_order

    rnd = random.Random(7)
    people = [
        PersonRow(
            i,
            f"u{i}",
            f"L{i}",
            None,
            rnd.choice("ABCD") + rnd.choice("ab"),
            "F",
            date(2000, 1, 1),
            None,
            1,
        )
        for i in range(40)
    ]
    items = [
        WorkItem(
            rnd.choice(people),
            rnd.choice(["imunisasi:PCV2", "imunisasi:MR1", "timbang", "skrining:PTM"]),
            state := rnd.choice(["due", "overdue"]),
            date(2025, 1, rnd.randint(1, 4)),
            "",
            rnd.choice([2, 1 if state == "overdue" else 0]),
        )
        for _ in range(500)
    ]
    assert _in_order(items) == sorted(items, key=WorkItem.sort_key)


def test_the_area_index_covers_what_a_work_list_reads():
    """people.Person's area index carries every column the engine reads of a resident and
    CareSummary's every column it reads of a summary: a column added to the engine and not
    to the index would quietly turn the index-only reads back into table visits."""
    from ilp.care.models import CareSummary
    from ilp.care.worklists.engine import PERSON_FIELDS
    from ilp.people.models import Person

    def covered(model, name):
        index = next(i for i in model._meta.indexes if i.name == name)
        return {model._meta.get_field(f).attname for f in (*index.fields, *index.include)}

    person_columns = {Person._meta.get_field(f).attname for f in PERSON_FIELDS}
    assert person_columns | {"deceased_on"} <= covered(Person, "person_village_birth")
    summary_columns = {
        "person_id",
        "birth_date",
        "sex",
        "basis",
        "last_weighed",
        "last_ptm",
        "last_lansia",
        "has_windows",
        "village_id",
    }
    assert summary_columns <= covered(CareSummary, "care_summary_village")


# -- reasons in the reader's language ---------------------------------------------------------


@pytest.mark.parametrize("code", sorted(REASONS))
def test_every_work_list_reason_reads_in_english(code):
    from django.utils import translation

    from ilp.core.texts import render

    params = {"dose": "<d>", "since": "<s>", "month": "<m>", "kind": "<k>", "last": "<l>"}
    params |= {"visit": "<v>", "reason": "<r>", "missed": "<x>", "risk": "<k2>"}
    params |= {"first": "<f>", "second": "<s2>", "facility": "<fa>", "date": "<dt>", "plan": "<p>"}
    with translation.override("id"):
        indonesian = render(code, params)
    with translation.override("en"):
        english = render(code, params)
    if code in ("care.why.risk", "care.special.both"):  # joins of codes: no words
        assert english == indonesian
    else:
        assert english != indonesian


def test_a_missed_postpartum_window_is_named_in_the_reason(district):
    from django.utils import translation

    from ilp.core.texts import Month, Text

    why = Text(
        "care.why.missed",
        {
            "reason": Text("care.why.kf_overdue", {"visit": "KF2", "since": date(2024, 5, 8)}),
            "missed": "KF1",
        },
    )
    with translation.override("id"):
        assert str(why) == "Kunjungan nifas KF2 terlambat sejak 8 Mei 2024 (terlewat: KF1)"
    with translation.override("en"):
        assert str(why) == "Postpartum visit KF2 overdue since May 8, 2024 (missed: KF1)"
        assert str(Text("care.why.weigh_since", {"month": Month(2024, 5)})) == (
            "Not weighed since May 2024"
        )
