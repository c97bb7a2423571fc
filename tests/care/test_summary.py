"""Work-list summaries (CareSummary, DoseWindow): the fast path of the work lists must give
exactly the lists that reading every record gives, on any date, and stay current as the
care services store records."""

from __future__ import annotations

import random
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ilp.care.models import CareSummary, DoseWindow, ImmunizationRecord, Observation
from ilp.care.services import encounter_record, session_open, session_record_weighing
from ilp.care.services.summary import summaries_rebuild, summaries_refresh
from ilp.care.worklists import compute_worklist, rules
from ilp.demo.generate import generate_district
from ilp.demo.history import generate_service_history
from ilp.people.models import Person
from ilp.places.models import Facility, FacilityKind
from ilp.standards import immunization
from tests.care import born_days_before, resident

pytestmark = pytest.mark.django_db

TODAY = date(2025, 9, 20)


def listed(facility, on):
    return [
        (i.person.id, i.item, i.state, i.since, i.why, i.urgency, i.danger)
        for i in compute_worklist(facility, on=on)
    ]


def from_records(facility, on):
    """The list as the engine makes it without any summary (every record read)."""
    saved = list(CareSummary.objects.values_list("person_id", flat=True))
    CareSummary.objects.all().delete()
    DoseWindow.objects.all().delete()
    try:
        return listed(facility, on)
    finally:
        summaries_refresh(saved, today=TODAY)


@pytest.fixture
def demo_history():
    generate_district(population=900, seed=11, today=TODAY)
    generate_service_history(start=TODAY - timedelta(days=400), end=TODAY, seed=11)


def test_history_summarises_everyone_and_lists_match_the_records(demo_history):
    assert CareSummary.objects.count() == Person.objects.count()
    assert DoseWindow.objects.exists()
    facilities = [
        *Facility.objects.filter(kind=FacilityKind.POSYANDU).order_by("code")[:3],
        Facility.objects.filter(kind=FacilityKind.PUSTU).order_by("code").first(),
        Facility.objects.filter(kind=FacilityKind.PUSKESMAS).order_by("code").first(),
    ]
    # Today (summaries hold), months ago (records after that date: read from records) and
    # ahead (windows opening and closing, children turning five, a new screening year).
    for on in (TODAY, TODAY - timedelta(days=120), TODAY + timedelta(days=45), date(2026, 2, 1)):
        for facility in facilities:
            fast = listed(facility, on)
            assert fast == from_records(facility, on), (facility.code, on)
    assert any(listed(f, TODAY) for f in facilities)


def test_todays_list_reads_no_dose_weighing_or_screening_records(demo_history):
    puskesmas = Facility.objects.filter(kind=FacilityKind.PUSKESMAS).order_by("code").first()
    with CaptureQueriesContext(connection) as ctx:
        items = compute_worklist(puskesmas, on=TODAY)
    assert {i.item.partition(":")[0] for i in items} >= {"imunisasi", "timbang", "skrining"}
    tables = " ".join(q["sql"] for q in ctx.captured_queries)
    for table in ("care_immunizationrecord", "care_observation"):
        assert table not in tables
    assert "care_dosewindow" in tables and "care_caresummary" in tables


def test_services_keep_the_summary_current(district):
    kader = district.kader_ampel_timur
    child = resident(district, "Bayi Baru", "F", born_days_before(TODAY, 70))
    post = district.pos_ampel_timur_f
    # No summary yet: the list reads the records.
    assert not CareSummary.objects.filter(person=child).exists()
    before = {i.item for i in compute_worklist(post, on=TODAY) if i.person.id == child.pk}
    assert "imunisasi:DPT-HB-Hib 1" in before and "timbang" in before

    session = session_open(actor=kader, posyandu=post, on=TODAY)
    session_record_weighing(actor=kader, session=session, person=child, weight_kg=5.1)
    summary = CareSummary.objects.get(person=child)
    assert (summary.last_weighed, summary.basis, summary.has_windows) == (TODAY, TODAY, True)
    assert DoseWindow.objects.filter(person=child, code="DPT-HB-Hib 1").exists()

    encounter_record(
        actor=kader,
        person=child,
        on=TODAY,
        package="immunization",
        place_kind="posyandu",
        facility=post,
        values={},
        immunizations=[
            {"dose_code": code, "lot_number": "LOT-1", "expiry_date": "2026-06-30"}
            for code in ("DPT-HB-Hib 1", "PCV1")
        ],
    )
    codes = set(DoseWindow.objects.filter(person=child).values_list("code", flat=True))
    assert "DPT-HB-Hib 1" not in codes and "DPT-HB-Hib 2" in codes
    after = {i.item for i in compute_worklist(post, on=TODAY) if i.person.id == child.pk}
    assert "imunisasi:DPT-HB-Hib 1" not in after and "timbang" not in after
    assert listed(post, TODAY + timedelta(days=40)) == from_records(
        post, TODAY + timedelta(days=40)
    )


def test_a_summary_that_no_longer_fits_the_person_is_not_used(district):
    child = resident(district, "Anak Salah Tanggal", "M", born_days_before(TODAY, 400))
    post = district.pos_ampel_timur_f
    summaries_refresh([child.pk], today=TODAY)
    # The birth date is corrected behind the services' back: the summary (made from the
    # old date) must not decide the child's doses any more.
    Person.objects.filter(pk=child.pk).update(birth_date=born_days_before(TODAY, 40))
    assert listed(post, TODAY) == from_records(post, TODAY)
    # A dose stored without the services (an import), dated after the list's date, then the
    # summary refreshed: a list of the day before reads that child from records.
    ImmunizationRecord.objects.create(person=child, date=TODAY, dose_code="BCG")
    summaries_refresh([child.pk], today=TODAY)
    assert listed(post, TODAY - timedelta(days=1)) == from_records(post, TODAY - timedelta(days=1))


def test_rebuild_command_recomputes_every_summary(district):
    resident(district, "Anak Perintah", "F", born_days_before(TODAY, 200))
    CareSummary.objects.all().delete()
    out = StringIO()
    call_command("care_summary", stdout=out)
    assert f"{Person.objects.count()} persons summarised" in out.getvalue()
    assert CareSummary.objects.count() == Person.objects.count()
    assert summaries_rebuild(today=TODAY) == Person.objects.count()


def test_weighing_moves_the_dates_only_forward(district):
    kader = district.kader_ampel_timur
    child = resident(district, "Anak Timbang", "M", born_days_before(TODAY, 300))
    post = district.pos_ampel_timur_f
    later = session_open(actor=kader, posyandu=post, on=TODAY)
    session_record_weighing(actor=kader, session=later, person=child, weight_kg=8.4)
    # A session of last month entered afterwards (paper backlog) keeps the later date.
    earlier = session_open(actor=kader, posyandu=post, on=TODAY - timedelta(days=30))
    session_record_weighing(actor=kader, session=earlier, person=child, weight_kg=8.1)
    summary = CareSummary.objects.get(person=child)
    assert (summary.last_weighed, summary.basis) == (TODAY, TODAY)
    assert Observation.objects.filter(person=child, code="weight").count() == 2


# -- the windows against the schedule itself ---------------------------------------------


def test_dose_windows_answer_as_the_schedule_does_on_every_later_date():
    """For fixed recorded doses, reading a child's windows on a date gives exactly the due
    and overdue doses ``immunization_status`` gives on that date (random children)."""
    rnd = random.Random(2026)
    codes = [e["code"] for e in immunization.schedule_entries() if e["group"] in rules.CHILD_GROUPS]
    checked = 0
    for _ in range(300):
        birth = date(2021, 1, 1) + timedelta(days=rnd.randrange(0, 1700))
        sex = rnd.choice("MF")
        given = [
            (code, birth + timedelta(days=rnd.randrange(0, 900)))
            for code in rnd.sample(codes, rnd.randrange(0, len(codes)))
        ]
        basis = max((d for _, d in given), default=birth)
        windows = rules.immunization_windows(sex=sex, birth_date=birth, given=given)
        for _ in range(4):
            on = basis + timedelta(days=rnd.randrange(0, 1500))
            expected = {
                (s.code, s.state, s.overdue_since if s.state == "overdue" else s.due_date)
                for s in immunization.immunization_status(
                    sex=sex,
                    birth=birth,
                    doses=[immunization.GivenDose(c, d) for c, d in given],
                    on=on,
                    groups=rules.CHILD_GROUPS,
                )
                if s.state in ("due", "overdue")
            }
            got = {(d.code, d.state, d.since) for w in windows if (d := w.at(on))}
            assert got == expected, (birth, sex, given, on)
            checked += len(expected)
    assert checked > 100  # the sample does reach due and overdue doses
