"""Rujuk balik on the work lists (issue 12, item 3): a referral answered with a back-referral
plan, or a hospital's back referral, puts "Kontrol rujuk balik" on the work lists of every
facility whose area holds the person (posyandu, pustu, puskesmas), due from the answer,
overdue after ILP_BACK_REFERRAL_FOLLOW_UP_DAYS, gone once the person is seen in primary care
(or the back referral received); linked to the referral for those who may open it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from ilp.care.models import Task, TaskKind
from ilp.care.services import encounter_record
from ilp.care.worklists import compute_worklist
from ilp.referrals import services

PLAN = "Kontrol tekanan darah tiap minggu, nifedipin 10 mg"


def _answer(district, referral, plan=PLAN, at=None):
    user = district.pkm_barat
    for action in ("receive", "handle"):
        services.referral_act(user=user, referral=referral, action=action, occurred_at=at)
    return services.referral_act(
        user=user,
        referral=referral,
        action="answer",
        occurred_at=at,
        answer_care="MgSO4, nifedipin",
        answer_diagnosis_code="O14.1",
        back_referral_plan=plan,
    )


def _back_items(facility, on):
    return [i for i in compute_worklist(facility, on=on) if i.item == "rujuk-balik"]


def test_an_answer_with_a_plan_lists_the_follow_up_on_every_list_of_her_area(district, referral):
    _answer(district, referral)
    task = Task.objects.get(kind=TaskKind.BACK_REFERRAL)
    today = timezone.localdate()
    assert (task.person_id, task.status, task.source_referral) == (
        district.siti.pk,
        "open",
        referral.uuid,
    )
    assert task.due_date == today + timedelta(days=7)
    # Her posyandu (the kader's list), her desa's pustu and her puskesmas.
    for facility in (district.pos_ampel_timur_f, district.pustu_ampel_f, district.pkm_barat_f):
        [item] = _back_items(facility, today)
        assert (item.person.id, item.state, item.since) == (district.siti.pk, "due", today)
        assert item.detail == {"task": str(task.uuid), "referral": str(referral.uuid)}
        assert str(item.why) == (f"Rujuk balik dari Puskesmas Barat ({date_format(today)}): {PLAN}")
    # Not on the lists of another area.
    assert _back_items(district.pkm_timur_f, today) == []
    assert _back_items(district.pos_ampel_barat_f, today) == []


def test_overdue_when_missed_and_the_interval_is_a_setting(district, referral, settings):
    _answer(district, referral)
    today = timezone.localdate()
    due = today + timedelta(days=7)
    assert _back_items(district.pos_ampel_timur_f, due)[0].state == "due"
    [late] = _back_items(district.pos_ampel_timur_f, due + timedelta(days=1))
    assert (late.state, late.since) == ("overdue", due)
    # Not listed before it was opened (a list of an earlier day).
    assert _back_items(district.pos_ampel_timur_f, today - timedelta(days=1)) == []

    settings.ILP_BACK_REFERRAL_FOLLOW_UP_DAYS = 3
    other = services.referral_create(
        user=district.pkm_barat,
        person=district.ahmad,
        from_facility=district.pkm_barat_f,
        to_facility=district.hospital_f,
        kind="planned",
        reason="Hipertensi tidak terkendali",
    )
    for action in ("receive", "handle"):
        services.referral_act(user=district.rs_uji, referral=other, action=action)
    services.referral_act(
        user=district.rs_uji,
        referral=other,
        action="answer",
        answer_care="Amlodipin",
        back_referral_plan="Lanjut amlodipin 10 mg",
    )
    task = Task.objects.get(person=district.ahmad, kind=TaskKind.BACK_REFERRAL)
    assert task.due_date == today + timedelta(days=3)
    # Owned by the lowest facility serving him (his posyandu): the kader may close it too.
    assert task.facility == district.pos_ampel_barat_f
    [item] = _back_items(district.pos_ampel_barat_f, today)
    assert "Rujuk balik dari RSUD Kota Uji" in str(item.why)


def test_an_answer_without_a_plan_opens_nothing(district, referral):
    _answer(district, referral, plan="  ")
    assert not Task.objects.filter(kind=TaskKind.BACK_REFERRAL).exists()
    assert _back_items(district.pos_ampel_timur_f, timezone.localdate()) == []


def test_a_visit_in_primary_care_takes_it_off_every_list(district, referral):
    _answer(district, referral)
    today = timezone.localdate()
    result = encounter_record(
        actor=district.kader_ampel_timur,
        person=district.siti,
        on=today,
        package="home_visit",
        place_kind="home",
        facility=district.pos_ampel_timur_f,
        values={"visit_result": "met"},
    )
    task = Task.objects.get(kind=TaskKind.BACK_REFERRAL)
    assert (task.status, task.close_reason, task.closing_encounter_id) == (
        "done",
        "service_recorded",
        result.encounter.pk,
    )
    for facility in (district.pos_ampel_timur_f, district.pustu_ampel_f, district.pkm_barat_f):
        assert _back_items(facility, today) == []
        assert _back_items(facility, today + timedelta(days=30)) == []


def test_a_visit_dated_before_the_answer_does_not_close_it(district, referral):
    _answer(district, referral)
    encounter_record(
        actor=district.kader_ampel_timur,
        person=district.siti,
        on=timezone.localdate() - timedelta(days=1),
        package="home_visit",
        place_kind="home",
        facility=district.pos_ampel_timur_f,
        values={"visit_result": "met"},
    )
    assert Task.objects.get(kind=TaskKind.BACK_REFERRAL).status == "open"


def _to_hospital(district, person):
    """A referral of `person` from Puskesmas Barat to RSUD Kota Uji (the hospital reads the
    persons of its referrals only)."""
    return services.referral_create(
        user=district.pkm_barat,
        person=person,
        from_facility=district.pkm_barat_f,
        to_facility=district.hospital_f,
        kind="maternal",
        reason="Preeklampsia berat",
    )


def test_a_hospitals_back_referral_lists_until_received(district):
    _to_hospital(district, district.siti)
    back = services.referral_create(
        user=district.rs_uji,
        person=district.siti,
        from_facility=district.hospital_f,
        to_facility=district.pkm_barat_f,
        kind="back",
        reason="Pasca eklampsia, kontrol tekanan darah",
    )
    task = Task.objects.get(kind=TaskKind.BACK_REFERRAL)
    assert task.source_referral == back.uuid
    [item] = _back_items(district.pos_ampel_timur_f, timezone.localdate())
    assert "RSUD Kota Uji" in str(item.why)
    assert "Pasca eklampsia" in str(item.why)
    services.referral_act(user=district.pkm_barat, referral=back, action="receive")
    task.refresh_from_db()
    assert (task.status, task.close_reason, task.closed_by) == (
        "done",
        "visited",
        district.pkm_barat,
    )
    assert _back_items(district.pos_ampel_timur_f, timezone.localdate()) == []


def test_a_cancelled_back_referral_closes_it_as_not_needed(district):
    _to_hospital(district, district.siti)
    back = services.referral_create(
        user=district.rs_uji,
        person=district.siti,
        from_facility=district.hospital_f,
        to_facility=district.pkm_barat_f,
        kind="back",
        reason="Kontrol",
    )
    services.referral_act(
        user=district.rs_uji, referral=back, action="cancel", end_reason="wrong_entry"
    )
    task = Task.objects.get(kind=TaskKind.BACK_REFERRAL)
    assert (task.status, task.close_reason) == ("cancelled", "no_longer_needed")


# ---------------------------------------------------------------- the page


def _page(client, code):
    return client.get(reverse("care:worklist", args=[code]), {"kind": "rujuk-balik"})


def test_the_line_links_to_the_referral_only_for_who_may_open_it(district, referral, client_for):
    _answer(district, referral)
    link = reverse("referrals:detail", args=[referral.uuid])
    puskesmas = _page(client_for(district.pkm_barat), "P5271010101").content.decode()
    assert "Kontrol rujuk balik" in puskesmas
    assert f'href="{link}"' in puskesmas
    pustu = _page(client_for(district.bidan_ampel), "PUSTU-AMPEL").content.decode()
    assert f'href="{link}"' in pustu  # the pustu sent it
    kader = _page(client_for(district.kader_ampel_timur), "POS-AT").content.decode()
    assert "Kontrol rujuk balik" in kader
    assert "Siti Aminah" in kader
    assert link not in kader  # a kader reads only her posyandu's referrals
    home_visit = reverse("care:package", args=[district.siti.uuid, "home_visit"])
    assert f'href="{home_visit}"' in kader


def test_english_reader(district, referral, client_for):
    _answer(district, referral)
    client = client_for(district.kader_ampel_timur)
    client.cookies["django_language"] = "en"
    page = _page(client, "POS-AT").content.decode()
    assert "Back-referral follow-up" in page
    assert "Referred back from Puskesmas Barat" in page


def _more_back_referrals(district, n):
    """`n` more residents of Ampel Timur answered with a plan by the hospital."""
    from tests.care import resident

    for k in range(n):
        person = resident(
            district,
            f"Ibu Rujuk {k}",
            "F",
            timezone.localdate().replace(year=1992),
            district.rt_ampel_timur,
        )
        ref = _to_hospital(district, person)
        for action in ("receive", "handle"):
            services.referral_act(user=district.rs_uji, referral=ref, action=action)
        services.referral_act(
            user=district.rs_uji,
            referral=ref,
            action="answer",
            answer_care="Dirawat",
            back_referral_plan="Kontrol minggu depan",
        )


@pytest.mark.parametrize(
    ("who", "code", "expected"),
    [("kader_ampel_timur", "POS-AT", 9), ("pkm_barat", "P5271010101", 18)],
)
def test_query_count_does_not_grow_with_the_follow_ups(
    district, referral, client_for, django_assert_num_queries, who, code, expected
):
    """The referral links of a sheet are read in one query, however many lines: session and
    user, facility and scope, the list (persons, tasks, …), the links (1), the contacts, the
    audit; a puskesmas also its groups."""
    _answer(district, referral)
    client = client_for(getattr(district, who))
    _page(client, code)  # warm caches
    with django_assert_num_queries(expected):
        assert _page(client, code).status_code == 200
    _more_back_referrals(district, 3)
    with django_assert_num_queries(expected):
        page = _page(client, code)
    assert len([r for r in page.context["rows"] if r["i"].item == "rujuk-balik"]) == 4
