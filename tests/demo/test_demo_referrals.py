"""The demo district's year of referrals (``ilp.demo.referrals``): every generated row keeps
what ``ilp.referrals.services`` enforces, the mix looks like a district's, and it is written
once and the same from the same seed."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from ilp.accounts.access import (
    may_act_as_sender,
    may_receive,
    may_refer_from,
    may_refer_person,
)
from ilp.accounts.models import Role, User
from ilp.demo.generate import generate_district, wipe_demo_data
from ilp.demo.history import generate_service_history
from ilp.demo.logins import coaching_login_specs, demo_usernames, ensure_demo_logins
from ilp.demo.referrals import generate_referrals, history_last_day, staff_username
from ilp.people.models import Person
from ilp.places.models import Facility, FacilityKind
from ilp.referrals.models import END_REASONS, Referral, ReferralEvent
from ilp.referrals.selectors import RECEIVING_KINDS, incoming, is_overdue
from ilp.standards import icd10
from ilp.standards import referral as rules

TODAY = date(2026, 3, 2)


@pytest.fixture
def referred(db):
    generate_district(population=4000, seed=11, today=TODAY)
    generate_service_history(start=TODAY - timedelta(days=400), end=TODAY, seed=11)
    # The puskesmas logins of the coaching act for their puskesmas and the facilities below.
    ensure_demo_logins(coaching_login_specs())
    return generate_referrals(seed=11)


def _cut(summary) -> datetime:
    """The generation's cut: the end of the history's last day."""
    return timezone.make_aware(datetime.combine(summary.end, time(23, 59)))


def test_every_generated_referral_keeps_the_services_rules(referred):
    assert referred.referrals == Referral.objects.count() > 60
    assert referred.events == ReferralEvent.objects.count()
    assert referred.end == history_last_day() and TODAY - referred.end < timedelta(days=7)
    assert referred.start == referred.end - timedelta(days=364)
    cut = _cut(referred)
    referrals = {
        r.pk: r
        for r in Referral.objects.select_related(
            "person", "from_facility", "to_facility", "encounter"
        )
    }
    events: dict[int, list[ReferralEvent]] = {}
    for e in ReferralEvent.objects.select_related("by__facility").order_by("occurred_at", "pk"):
        events.setdefault(e.referral_id, []).append(e)
    users = {}
    for r in referrals.values():
        # what referral_create checks
        assert r.from_facility_id != r.to_facility_id
        assert r.to_facility.kind in RECEIVING_KINDS and r.to_facility.is_active
        assert r.kind in ("emergency", "maternal", "neonatal", "planned", "back")
        assert r.reason.strip()
        assert icd10.normalise(r.diagnosis_code) == r.diagnosis_code
        assert r.person.voided_at is None
        if r.person.deceased_on is not None:
            assert r.person.deceased_on > timezone.localdate(r.decided_at)
        if r.encounter is not None:
            assert r.encounter.person_id == r.person_id
        assert r.detected_at <= r.decided_at <= cut
        if r.kind == "back":
            assert r.from_facility.kind == FacilityKind.HOSPITAL
        # the history replayed through the rules gives the stored state and stamps
        history = events[r.pk]
        first = history[0]
        assert (first.action, first.from_state, first.to_state) == ("create", "", "created")
        assert first.occurred_at == r.decided_at
        if r.previous_id is None:
            assert may_refer_from(first.by, r.from_facility), (r, first.by)
            assert may_refer_person(first.by, r.person), (r, first.by)
        else:  # a redirect's onward leg is opened by whoever redirected
            redirect = events[r.previous_id][-1]
            assert redirect.action == "redirect" and first.by_id == redirect.by_id
            assert redirect.detail["onward"] == str(r.uuid)
            assert first.detail == {"previous": str(referrals[r.previous_id].uuid)}
        state = rules.CREATED
        stamps: dict[str, datetime | None] = {
            "detected_at": r.detected_at,
            "decided_at": r.decided_at,
        }
        for e in history[1:]:
            assert e.from_state == state
            assert rules.next_state(state, e.action) == e.to_state, (r, e)
            field = rules.STEP_FIELD[e.action]
            earlier = rules.earlier_step(stamps, field)
            assert earlier is None or e.occurred_at >= earlier[1], (r, e)
            assert e.occurred_at <= cut and e.recorded_at >= e.occurred_at
            stamps[field] = e.occurred_at
            state = e.to_state
            if rules.side_of(e.action) == rules.SENDER:
                assert may_act_as_sender(e.by, r), (r, e, e.by)
            else:
                assert may_receive(e.by, r), (r, e, e.by)
            if e.action in END_REASONS:
                assert r.end_reason in END_REASONS[e.action]
                assert e.detail["reason"] == r.end_reason
            if e.action == "redirect":
                onward = Referral.objects.get(previous=r)
                assert e.detail["redirect_to"] == onward.to_facility.code
                received = r.received_at is not None
                assert onward.from_facility_id == (
                    r.to_facility_id if received else r.from_facility_id
                )
                assert onward.decided_at == r.ended_at and onward.kind == r.kind
            if e.action == "answer":
                assert r.answer_care.strip()
                assert icd10.normalise(r.answer_diagnosis_code) == r.answer_diagnosis_code
                assert e.detail == {"diagnosis": r.answer_diagnosis_code}
            users[e.by_id] = e.by
        assert state == r.state
        assert stamps == {k: v for k, v in r.stamps().items() if v is not None}
        if r.state not in rules.TERMINAL or r.state == rules.CLOSED:
            assert r.end_reason == "" and r.ended_at is None
        assert r.created_by_id == first.by_id and r.updated_by_id == history[-1].by_id
    # the acting users are the facilities' staff: hospital staff only at their hospital
    assert {u.role for u in users.values()} <= {
        Role.PUSKESMAS,
        Role.PUSTU,
        Role.KADER,
        Role.HOSPITAL,
    }
    connection.check_constraints()


def test_the_mix_looks_like_a_district(referred):
    states = Counter(Referral.objects.values_list("state", flat=True))
    kinds = Counter(Referral.objects.values_list("kind", flat=True))
    total = sum(states.values())
    assert set(kinds) == {"emergency", "maternal", "neonatal", "planned", "back"}
    assert states["closed"] > total / 2
    assert states["answered"] and states["refused"] + states["redirected"]
    assert states["cancelled"] + states["not_arrived"]
    assert sum(states[s] for s in rules.AWAITING_RECEIVER)
    # some never answered and overdue, as the summary counts them
    now = _cut(referred)
    overdue = [r for r in Referral.objects.all() if is_overdue(r, now)]
    assert 0.03 * total < len(overdue) == referred.overdue < 0.15 * total
    # the last weeks are mostly still open, the older ones mostly ended
    recent = Referral.objects.filter(decided_at__gte=now - timedelta(days=3), kind="planned")
    if recent.exists():
        assert recent.exclude(state="closed").count() > recent.count() / 2
    old = Referral.objects.filter(decided_at__lt=now - timedelta(days=90))
    assert old.filter(state__in=rules.TERMINAL).count() > 0.8 * old.count()
    # chains: a posyandu or pustu refers to the puskesmas, the puskesmas on to a hospital,
    # and hospitals send some back
    pairs = Counter(Referral.objects.values_list("from_facility__kind", "to_facility__kind"))
    assert pairs[(FacilityKind.PUSKESMAS, FacilityKind.HOSPITAL)] > 0
    assert pairs[(FacilityKind.HOSPITAL, FacilityKind.PUSKESMAS)] > 0
    assert (
        pairs[(FacilityKind.POSYANDU, FacilityKind.PUSKESMAS)]
        + pairs[(FacilityKind.PUSTU, FacilityKind.PUSKESMAS)]
        > 0
    )
    # the hospitals' staff logins, and the incoming list of the one most waited for
    # (rs.<code> for a hospital the demo logins give no staff login)
    staff = User.objects.filter(role=Role.HOSPITAL, is_active=True).order_by("username")
    hospitals = Facility.objects.filter(kind=FacilityKind.HOSPITAL)
    assert sorted(u.facility_id for u in staff) == sorted(h.pk for h in hospitals)
    made = {u.username for u in staff} - set(demo_usernames())
    assert made <= {staff_username(h.code) for h in hospitals}
    busiest = max(staff, key=lambda u: incoming(u).total)
    listed = incoming(busiest).rows
    assert listed and all(r.to_facility_id == busiest.facility_id for r in listed)
    assert {r.state for r in listed} <= rules.AWAITING_RECEIVER
    # urgent kinds are handled within hours, planned ones within days (medians)
    urgent = sorted(
        (r.received_at - r.decided_at).total_seconds()
        for r in Referral.objects.filter(kind="emergency", received_at__isnull=False)
    )
    planned = sorted(
        (r.received_at - r.decided_at).total_seconds()
        for r in Referral.objects.filter(kind="planned", received_at__isnull=False)
    )
    assert urgent[len(urgent) // 2] < 6 * 3600 < 24 * 3600 < planned[len(planned) // 2]
    # persons come from the history: the KRST pregnancies' referrals point at their K1
    krst = Referral.objects.filter(
        encounter__isnull=False, kind="planned", to_facility__kind=FacilityKind.HOSPITAL
    )
    assert all(r.encounter.person_id == r.person_id for r in krst)


def test_written_once_and_the_same_from_the_same_seed(referred):
    assert generate_referrals(seed=11).referrals == 0  # referrals exist: nothing written
    before = list(
        Referral.objects.order_by("uuid").values_list("uuid", "person_id", "state", "decided_at")
    )
    ReferralEvent.objects.all().delete()
    Referral.objects.filter(previous__isnull=False).delete()
    Referral.objects.all().delete()
    again = generate_referrals(seed=11)
    assert again.referrals == len(before)
    after = list(
        Referral.objects.order_by("uuid").values_list("uuid", "person_id", "state", "decided_at")
    )
    assert after == before


def test_the_district_wipe_takes_the_referrals_with_it(referred):
    assert Referral.objects.filter(previous__isnull=False).exists()  # redirects, PROTECTed
    wipe_demo_data()
    assert not Referral.objects.exists() and not ReferralEvent.objects.exists()
    assert not Person.objects.exists()
    connection.check_constraints()


@pytest.mark.django_db
def test_the_demo_command_generates_referrals_once_and_keeps_hospital_staff_unprinted():
    out = StringIO()
    call_command("demo", population=600, history_years=1, stdout=out)
    text = out.getvalue()
    count = Referral.objects.count()
    assert count > 0 and f"{count} referrals" in text
    assert "rs.rs-5271" not in text  # the hospitals' demo staff are not in the login list
    assert User.objects.filter(username__startswith="rs.", role=Role.HOSPITAL).count() == 3
    out = StringIO()
    call_command("demo", population=600, if_empty=True, stdout=out)
    assert Referral.objects.count() == count
    assert "referrals" not in out.getvalue()
    assert Person.objects.count() > 500
