"""Referral pages: who opens which, what the lists and the referral page show, the create form
from an encounter, actions through the page, and the query cost of the lists."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from ilp.referrals import services
from ilp.referrals.models import Referral
from tests.referrals import flagged_encounter

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(district, pkm_timur, bidan_cemara):
    found = dict(vars(district))
    found.update(pkm_timur=pkm_timur, bidan_cemara=bidan_cemara)
    return found


ROLES = [
    "dinkes",
    "tpcb",
    "pkm_barat",
    "pkm_timur",
    "bidan_ampel",
    "bidan_cemara",
    "kader_ampel_timur",
    "ppa",
    "camat_barat",
    "kades_ampel",
    "norole",
]
# What each persona gets for: the open list, the incoming list, the referral (Pustu Ampel →
# Puskesmas Barat).
EXPECTED = {
    "dinkes": (200, 403, 200),
    "tpcb": (403, 403, 403),
    "pkm_barat": (200, 200, 200),
    "pkm_timur": (200, 200, 404),
    "bidan_ampel": (200, 200, 200),
    "bidan_cemara": (200, 200, 404),
    "kader_ampel_timur": (200, 403, 404),
    "ppa": (403, 403, 403),
    "camat_barat": (403, 403, 403),
    "kades_ampel": (403, 403, 403),
    "norole": (403, 403, 403),
}


@pytest.mark.parametrize("who", ROLES)
def test_who_opens_which_page(client, people, referral, who):
    client.force_login(people[who])
    got = tuple(
        client.get(url).status_code
        for url in ("/rujukan/", "/rujukan/masuk/", f"/rujukan/{referral.uuid}/")
    )
    assert got == EXPECTED[who]


def test_anonymous_goes_to_login(client, referral):
    response = client.get(f"/rujukan/{referral.uuid}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_nav_link_for_roles_that_use_referrals(client, district):
    client.force_login(district.kader_ampel_timur)
    assert 'href="/rujukan/"' in client.get("/").content.decode()
    client.force_login(district.tpcb)
    assert 'href="/rujukan/"' not in client.get("/").content.decode()


def _make(district, kind, decided, to=None):
    return services.referral_create(
        user=district.bidan_ampel,
        person=district.siti,
        from_facility=district.pustu_ampel_f,
        to_facility=to or district.pkm_barat_f,
        kind=kind,
        reason=f"alasan {kind}",
        decided_at=decided,
    )


def test_sender_list_marks_the_overdue(client, district, now):
    late = _make(district, "emergency", now - timedelta(hours=25))
    on_time = _make(district, "emergency", now - timedelta(hours=23))
    planned_late = _make(district, "planned", now - timedelta(days=8))
    planned = _make(district, "planned", now - timedelta(days=6))
    client.force_login(district.bidan_ampel)
    response = client.get("/rujukan/")
    rows = {r["ref"].pk: r["overdue"] for r in response.context["rows"]}
    assert rows == {late.pk: True, on_time.pk: False, planned_late.pk: True, planned.pk: False}
    assert [r["ref"].pk for r in response.context["rows"]] == [
        planned_late.pk,
        planned.pk,
        late.pk,
        on_time.pk,
    ]
    marked = '<span class="alert alert-danger">belum dijawab, lewat batas waktu</span>'
    assert response.content.decode().count(marked) == 2
    found = response.context["found"]
    assert (found.total, found.urgent, found.overdue) == (4, 2, 2)


@override_settings(ILP_REFERRAL_ANSWER_HOURS=2, ILP_REFERRAL_ANSWER_DAYS=1)
def test_overdue_allowance_is_a_setting(client, district, now):
    _make(district, "maternal", now - timedelta(hours=3))
    _make(district, "back", now - timedelta(hours=23))
    client.force_login(district.bidan_ampel)
    rows = client.get("/rujukan/").context["rows"]
    assert [(r["ref"].kind, r["overdue"]) for r in rows] == [("back", False), ("maternal", True)]


def test_incoming_list_by_urgency(client, district, now):
    back = _make(district, "back", now - timedelta(days=3))
    planned = _make(district, "planned", now - timedelta(days=2))
    neonatal = _make(district, "neonatal", now - timedelta(hours=1))
    emergency = _make(district, "emergency", now - timedelta(hours=2))
    _make(district, "emergency", now - timedelta(hours=2), to=district.hospital_f)
    closed = _make(district, "emergency", now - timedelta(hours=5))
    services.referral_act(
        user=district.bidan_ampel, referral=closed, action="cancel", end_reason="wrong_entry"
    )
    client.force_login(district.pkm_barat)
    response = client.get("/rujukan/masuk/")
    assert [r["ref"].pk for r in response.context["rows"]] == [
        emergency.pk,
        neonatal.pk,
        planned.pk,
        back.pk,
    ]
    partial = client.get("/rujukan/masuk/", headers={"HX-Request": "true"})
    assert "<h1>" not in partial.content.decode()
    assert partial.content.decode().count('class="card referral-row"') == 4
    # "Muat ulang" refreshes the counts too: 4 waiting, 2 of them urgent
    assert '<li id="count-waiting"><strong>4</strong>' in partial.content.decode()
    assert '<li id="count-urgent"><strong>2</strong>' in partial.content.decode()


def test_lists_cost_no_query_per_referral(client, district, now):
    def queries(user, url):
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = [
        (district.bidan_ampel, "/rujukan/"),
        (district.pkm_barat, "/rujukan/masuk/"),
        (district.dinkes, "/rujukan/"),
    ]
    _make(district, "emergency", now - timedelta(hours=1))
    one = [queries(user, url) for user, url in urls]
    for n in range(4):
        _make(district, "planned", now - timedelta(hours=n + 2))
    assert [queries(user, url) for user, url in urls] == one
    # session, user, the counts over the whole list, the page (scope as subqueries, person and
    # facilities joined), the one audit row; the dinkes administrator's scope reads the
    # district's area first
    assert one == [5, 5, 6]


def test_referral_page_shows_timeline_delays_answer_and_history(client, district, referral, now):
    for user, action, minutes, extra in [
        (district.bidan_ampel, "depart", -150, {}),
        (district.pkm_barat, "receive", -100, {}),
        (district.pkm_barat, "handle", -90, {}),
        (
            district.pkm_barat,
            "answer",
            -30,
            {"answer_care": "MgSO4", "answer_diagnosis_code": "O14.1", "back_referral_plan": "ANC"},
        ),
    ]:
        referral = services.referral_act(
            user=user,
            referral=referral,
            action=action,
            occurred_at=now + timedelta(minutes=minutes),
            **extra,
        )
    client.force_login(district.bidan_ampel)
    response = client.get(f"/rujukan/{referral.uuid}/")
    page = response.content.decode()
    delays = [(s.field, s.delay) for s in response.context["timeline"]]
    assert delays == [
        ("detected_at", None),
        ("decided_at", timedelta(hours=1)),
        ("departed_at", timedelta(minutes=30)),
        ("received_at", timedelta(minutes=50)),
        ("handled_at", timedelta(minutes=10)),
        ("answered_at", timedelta(hours=1)),
        ("closed_at", None),
    ]
    for text in ("1 jam", "30 menit", "50 menit", "10 menit", "Severe pre-eclampsia", "ANC"):
        assert text in page
    # the sender may close it now; nothing else
    assert [a["action"] for a in response.context["actions"]] == ["close"]
    assert len(response.context["events"]) == 5


def test_create_from_an_encounter_prefills_and_creates(client, district, now):
    encounter = flagged_encounter(district.siti, district.pos_ampel_timur_f, date(2026, 3, 1))
    client.force_login(district.kader_ampel_timur)
    url = f"/rujukan/baru/?encounter={encounter.uuid}"
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["from_facility"] == district.pos_ampel_timur_f.pk
    assert form.initial["reason"] == "Perdarahan (Rujuk segera ke rumah sakit)"
    assert "Siti Aminah" in response.content.decode()
    posted = client.post(
        url,
        {
            "from_facility": district.pos_ampel_timur_f.pk,
            "to_facility": district.pustu_ampel_f.pk,
            "kind": "maternal",
            "reason": "Perdarahan",
            "transport": "desa_vehicle",
            "accompanied_by": "kader",
        },
    )
    referral = Referral.objects.get()
    assert posted.status_code == 302
    assert posted["Location"] == f"/rujukan/{referral.uuid}/"
    assert referral.encounter == encounter
    assert referral.trigger_alerts == encounter.alerts
    assert referral.created_by == district.kader_ampel_timur


def test_create_form_shows_the_service_message(client, district):
    client.force_login(district.bidan_ampel)
    response = client.post(
        f"/rujukan/baru/?person={district.siti.uuid}",
        {
            "from_facility": district.pustu_ampel_f.pk,
            "to_facility": district.pkm_barat_f.pk,
            "kind": "maternal",
            "reason": "x",
            "diagnosis_code": "O99.99",
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "diagnosis_code": [
            "Kode ICD-10 O99.99 tidak dikenal (WHO ICD-10 2019): tulis kategori atau "
            "subkategori, mis. O14.1."
        ]
    }
    assert not Referral.objects.exists()


def test_create_form_offers_only_active_targets(client, district):
    district.hospital_f.is_active = False
    district.hospital_f.save()
    client.force_login(district.bidan_ampel)
    response = client.get(f"/rujukan/baru/?person={district.siti.uuid}")
    offered = [label for _v, label in response.context["form"].fields["to_facility"].choices]
    assert "Rumah sakit RSUD Kota Uji" not in offered
    posted = client.post(
        f"/rujukan/baru/?person={district.siti.uuid}",
        {
            "from_facility": district.pustu_ampel_f.pk,
            "to_facility": district.hospital_f.pk,
            "kind": "emergency",
            "reason": "x",
        },
    )
    assert posted.context["form"].errors == {
        "to_facility": ["Rumah sakit RSUD Kota Uji tidak aktif lagi; pilih fasilitas tujuan lain."]
    }


def test_create_form_needs_a_person_or_encounter(client, district):
    client.force_login(district.bidan_ampel)
    response = client.get("/rujukan/baru/")
    assert response.status_code == 400
    assert "Buka formulir rujukan dari catatan pelayanan atau halaman penduduk." in (
        response.content.decode()
    )


def test_create_form_for_a_person_out_of_scope(client, district):
    client.force_login(district.bidan_ampel)
    assert client.get(f"/rujukan/baru/?person={district.dewi.uuid}").status_code == 404


def test_action_through_the_page(client, district, referral):
    client.force_login(district.pkm_barat)
    response = client.post(f"/rujukan/{referral.uuid}/aksi/", {"action": "receive"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == "received"


def test_refused_action_is_shown_and_nothing_changes(client, district, referral):
    client.force_login(district.pkm_barat)
    response = client.post(
        f"/rujukan/{referral.uuid}/aksi/",
        {"action": "refuse", "end_reason": "other"},
    )
    assert response.status_code == 422
    assert "Alasan \u201cLainnya\u201d perlu dijelaskan di catatan." in response.content.decode()
    response = client.post(f"/rujukan/{referral.uuid}/aksi/", {"action": "answer"})
    assert response.status_code == 409
    assert "hanya dari status: Ditangani" in response.content.decode()
    referral.refresh_from_db()
    assert referral.state == "created"


def test_action_by_the_wrong_side_through_the_page(client, district, referral):
    client.force_login(district.bidan_ampel)
    response = client.post(f"/rujukan/{referral.uuid}/aksi/", {"action": "receive"})
    assert response.status_code == 403
    assert "(penerima rujukan ini)" in response.content.decode()
    referral.refresh_from_db()
    assert referral.state == "created"


def test_action_with_a_future_time_through_the_page(client, district, referral):
    client.force_login(district.bidan_ampel)
    later = timezone.localtime() + timedelta(hours=1)
    response = client.post(
        f"/rujukan/{referral.uuid}/aksi/",
        {"action": "depart", "occurred_at": later.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 422
    assert response.context["actions"][0]["form"].errors == {
        "occurred_at": ["Waktu kejadian tidak boleh di masa depan."]
    }


def test_pages_in_english(client, district, referral):
    client.force_login(district.pkm_barat)
    client.cookies["django_language"] = "en"
    page = client.get(f"/rujukan/{referral.uuid}/").content.decode()
    for text in ("Times and delays", "Receive the patient", "Maternal", "Time of the finding"):
        assert text in page
    response = client.post(f"/rujukan/{referral.uuid}/aksi/", {"action": "answer"})
    assert (
        "The action \u201cSend the answer\u201d cannot be taken on a referral in state Created; "
        "only from: Handled."
    ) in response.content.decode()
