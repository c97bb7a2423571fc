"""The hospital role (RSUD/RSIA staff, `district.rs_uji` at RSUD Kota Uji): its home page (the
hospital's incoming referrals), the referred person's summary read through the referral (and
audited), the back referral (rujuk balik) from a handled referral, what it may not reach, and
the hospital-staff account rule (a hospital as facility)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ilp.accounts.models import AuditEvent, Role, User
from ilp.care.services import encounter_record
from ilp.core.exceptions import PermissionDenied
from ilp.people.models import Pregnancy
from ilp.places.models import Facility
from ilp.referrals import selectors, services
from ilp.referrals.models import Referral
from tests.referrals import flagged_encounter

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_hospital(district):
    return Facility.objects.create(
        kind="hospital", code="RSIA-UJI", name="RSIA Bunda Uji", area=district.ampel
    )


def _refer(district, *, kind="maternal", to=None, decided=None, encounter=None, **extra):
    now = timezone.now().replace(microsecond=0)
    return services.referral_create(
        user=district.pkm_barat,
        person=extra.pop("person", district.siti),
        from_facility=district.pkm_barat_f,
        to_facility=to or district.hospital_f,
        kind=kind,
        reason=f"alasan {kind}",
        diagnosis_code="O14.1",
        encounter=encounter,
        decided_at=decided or now - timedelta(hours=1),
        **extra,
    )


def _step(user, referral, *actions, **fields):
    for action in actions:
        referral = services.referral_act(user=user, referral=referral, action=action, **fields)
    return referral


# ---------------------------------------------------------------- home


def test_home_shows_the_hospitals_incoming_referrals_urgent_first(client, district, other_hospital):
    now = timezone.now().replace(microsecond=0)
    planned = _refer(district, kind="planned", decided=now - timedelta(days=3))
    late = _refer(district, kind="emergency", decided=now - timedelta(hours=30))
    maternal = _refer(district, kind="maternal", decided=now - timedelta(hours=1))
    _refer(district, kind="emergency", to=other_hospital)  # another hospital's
    _refer(district, kind="emergency", to=district.pkm_timur_f)  # a puskesmas'
    client.force_login(district.rs_uji)
    response = client.get("/")
    assert response.templates[0].name == "accounts/home_hospital.html"
    assert [r["ref"].pk for r in response.context["rows"]] == [late.pk, maternal.pk, planned.pk]
    assert response.context["waiting_count"] == 3
    assert response.context["overdue_count"] == 1
    assert response.context["urgent_count"] == 2
    page = response.content.decode()
    assert "<h1>RSUD Kota Uji</h1>" in page
    assert f'href="/rujukan/{late.uuid}/"' in page
    assert page.count('class="card referral-row"') == 3
    # the menu: home and referrals only, nothing of the registry
    assert 'href="/rujukan/"' in page
    for path in ("/penduduk/", "/layanan/", "/keluarga/", "/pemantauan/", "/pembinaan/"):
        assert f'href="{path}' not in page, path
    event = AuditEvent.objects.filter(user=district.rs_uji, object_type="referral").last()
    assert event.detail == {"list": "hospital_home"}
    assert event.person_ids == [district.siti.pk]


def test_home_query_count_does_not_grow_with_the_list(
    client, district, django_assert_max_num_queries
):
    for _ in range(6):
        _refer(district)
    client.force_login(district.rs_uji)
    client.get("/")  # warm the session and the content types
    with django_assert_max_num_queries(12):
        response = client.get("/")
    assert len(response.context["rows"]) == 6


def test_home_of_a_hospital_role_without_a_hospital_is_the_no_role_page(client, district):
    stray = User.objects.create_user(
        username="rs_stray",
        password="pw-test-123",
        role=Role.HOSPITAL,
        facility=district.pkm_barat_f,
    )
    client.force_login(stray)
    assert client.get("/").templates[0].name == "accounts/home_norole.html"
    assert client.get("/rujukan/").status_code == 403


# ---------------------------------------------------------------- lists and scope


def test_a_referral_to_another_hospital_is_not_found(client, district, other_hospital):
    elsewhere = _refer(district, to=other_hospital)
    mine = _refer(district)
    client.force_login(district.rs_uji)
    assert client.get(f"/rujukan/{elsewhere.uuid}/").status_code == 404
    assert client.get(f"/rujukan/{elsewhere.uuid}/ringkasan/").status_code == 404
    assert client.get(f"/rujukan/{mine.uuid}/").status_code == 200
    incoming = client.get("/rujukan/masuk/").context["rows"]
    assert [r["ref"].pk for r in incoming] == [mine.pk]
    assert list(selectors.referrals_for(district.rs_uji)) == [mine]


def test_the_hospital_answers_a_referral_sent_to_it(client, district):
    referral = _refer(district)
    client.force_login(district.rs_uji)
    for action in ("receive", "handle"):
        assert client.post(f"/rujukan/{referral.uuid}/aksi/", {"action": action}).status_code == 302
    response = client.post(
        f"/rujukan/{referral.uuid}/aksi/",
        {
            "action": "answer",
            "answer_diagnosis_code": "O14.1",
            "answer_care": "MgSO4, terminasi",
            "back_referral_plan": "Kontrol tekanan darah di puskesmas",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == "answered"


# ---------------------------------------------------------------- the summary


@pytest.fixture
def pregnant_siti(district):
    today = timezone.localdate()
    lmp = today - timedelta(days=200)
    preg = Pregnancy.objects.create(
        person=district.siti, lmp=lmp, edd=lmp + timedelta(days=280), gravida=2, para=1
    )
    encounter_record(
        actor=district.bidan_ampel,
        person=district.siti,
        on=today - timedelta(days=1),
        package="anc",
        place_kind="pustu",
        facility=district.pustu_ampel_f,
        pregnancy=preg,
        values={
            "visit_number": 3,
            "height": 155,
            "weight": 61.5,
            "muac": 23.0,
            "hb": 10.7,
            "sbp": 162,
            "dbp": 112,
            "kspr": ["caesarean"],
        },
        confirm_unusual=True,
    )
    # an old value, outside the three months: not shown
    encounter_record(
        actor=district.bidan_ampel,
        person=district.siti,
        on=today - timedelta(days=120),
        package="anc",
        place_kind="pustu",
        facility=district.pustu_ampel_f,
        pregnancy=preg,
        values={"visit_number": 1, "weight": 55.0, "sbp": 110, "dbp": 70},
        confirm_unusual=True,
    )
    return preg


def test_summary_shows_what_the_referral_needs(client, district, pregnant_siti):
    trigger = flagged_encounter(
        district.siti, district.pkm_barat_f, timezone.localdate(), "puskesmas"
    )
    referral = _refer(district, encounter=trigger)
    client.force_login(district.rs_uji)
    response = client.get(f"/rujukan/{referral.uuid}/ringkasan/")
    assert response.status_code == 200
    page = response.content.decode()
    s = response.context["s"]
    assert s.nik_masked == "••••••••••••0002"
    assert "5271016107900002" not in page
    assert s.pregnancy.pregnancy == pregnant_siti
    assert (s.pregnancy.ga_weeks, s.pregnancy.ga_days, s.pregnancy.trimester) == (28, 4, 3)
    # caesarean 10 + age over 35: 14, KRST
    assert (s.pregnancy.kspr.score, s.pregnancy.kspr.result_code) == (14, "krst")
    assert (
        f"skor 14 ({s.pregnancy.kspr.date:%d-%m-%Y}): Kehamilan Risiko Sangat Tinggi (KRST)" in page
    )
    assert "G2 P1 A0" in page
    values = {v.code: v.value for v in s.values}
    assert values == {
        "bp": "162/112",
        "hb": "10.7",
        "weight": "61.5",
        "height": "155",
        "muac": "23",
    }
    assert "Tekanan darah (mmHg)" in page
    assert [a["code"] for a in s.alerts] == ["care.alert.bleeding"]
    assert len(s.encounters) == 1  # the one of the last three months
    codes = {r["code"] for r in s.encounters[0]["results"]}
    assert {"bp", "kspr", "anaemia"} <= codes
    # nothing else of the registry: no family, no address, no link to the person page
    assert "Budi Santoso" not in page
    assert "/penduduk/" not in page
    event = AuditEvent.objects.filter(user=district.rs_uji, object_type="person").get()
    assert (event.person_id, event.object_uuid) == (district.siti.pk, district.siti.uuid)
    assert event.detail == {"referral": str(referral.uuid), "page": "referral_summary"}


def test_summary_of_a_child_shows_growth_results(client, district):
    today = timezone.localdate()
    encounter_record(
        actor=district.kader_ampel_timur,
        person=district.rina,
        on=today - timedelta(days=3),
        package="child",
        place_kind="posyandu",
        facility=district.pos_ampel_timur_f,
        values={"weight": 7.0, "height": 80.0, "measured": "lying"},
        confirm_unusual=True,
    )
    referral = _refer(district, kind="planned", person=district.rina)
    client.force_login(district.rs_uji)
    s = client.get(f"/rujukan/{referral.uuid}/ringkasan/").context["s"]
    assert s.pregnancy is None
    assert s.nik_masked == ""
    codes = {r["code"] for r in s.encounters[0]["results"]}
    assert {"wfa", "lhfa", "wflh"} <= codes


def test_summary_query_count(client, district, pregnant_siti, django_assert_num_queries):
    referral = _refer(district)
    client.force_login(district.rs_uji)
    client.get(f"/rujukan/{referral.uuid}/ringkasan/")
    # session, user, referral, pregnancy, KSPR, values, encounters, audit (+ savepoints)
    with django_assert_num_queries(9):
        client.get(f"/rujukan/{referral.uuid}/ringkasan/")


def test_who_reads_the_summary(client, district, pkm_timur, pregnant_siti):
    referral = _refer(district)
    for user, status in (
        (district.pkm_barat, 200),  # the sender
        (district.dinkes, 200),
        (pkm_timur, 404),  # neither side
        (district.tpcb, 403),
        (district.kades_ampel, 403),
    ):
        client.force_login(user)
        assert client.get(f"/rujukan/{referral.uuid}/ringkasan/").status_code == status, user


# ---------------------------------------------------------------- back referral


def _handled(district):
    referral = _refer(district)
    return _step(district.rs_uji, referral, "receive", "handle")


def test_back_referral_form_is_prefilled(client, district):
    referral = _handled(district)
    referral = services.referral_act(
        user=district.rs_uji,
        referral=referral,
        action="answer",
        answer_diagnosis_code="O13",
        answer_care="Antihipertensi",
        back_referral_plan="Kontrol TD tiap minggu di puskesmas",
    )
    client.force_login(district.rs_uji)
    detail = client.get(f"/rujukan/{referral.uuid}/").content.decode()
    assert f'href="/rujukan/baru/?back={referral.uuid}"' in detail
    response = client.get(f"/rujukan/baru/?back={referral.uuid}")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial == {
        "kind": "back",
        "from_facility": district.hospital_f.pk,
        "to_facility": district.pkm_barat_f.pk,
        "diagnosis_code": "O13",
        "reason": "Kontrol TD tiap minggu di puskesmas",
    }
    assert [f.pk for f in form.fields["from_facility"].queryset] == [district.hospital_f.pk]
    response = client.post(
        f"/rujukan/baru/?back={referral.uuid}",
        {
            "kind": "back",
            "from_facility": district.hospital_f.pk,
            "to_facility": district.pkm_barat_f.pk,
            "diagnosis_code": "O13",
            "reason": "Kontrol TD tiap minggu di puskesmas",
        },
    )
    assert response.status_code == 302
    back = Referral.objects.get(kind="back")
    assert (back.from_facility, back.to_facility, back.person) == (
        district.hospital_f,
        district.pkm_barat_f,
        district.siti,
    )
    assert back.created_by == district.rs_uji
    # the puskesmas receives it; the hospital follows it among what it sent
    client.force_login(district.pkm_barat)
    assert [r["ref"].pk for r in client.get("/rujukan/masuk/").context["rows"]] == [back.pk]
    client.force_login(district.rs_uji)
    assert [r["ref"].pk for r in client.get("/rujukan/").context["rows"]] == [back.pk]


def test_a_posyandu_referral_goes_back_to_its_pustu(district):
    referral = services.referral_create(
        user=district.kader_ampel_timur,
        person=district.siti,
        from_facility=district.pos_ampel_timur_f,
        to_facility=district.hospital_f,
        kind="emergency",
        reason="perdarahan",
    )
    assert selectors.back_referral_initial(referral)["to_facility"] == district.pustu_ampel_f.pk


def test_back_referral_only_after_handling_and_only_by_the_receiver(
    client, district, other_hospital
):
    waiting = _refer(district)
    client.force_login(district.rs_uji)
    assert "refer-back-link" not in client.get(f"/rujukan/{waiting.uuid}/").content.decode()
    response = client.get(f"/rujukan/baru/?back={waiting.uuid}")
    assert response.status_code == 403
    assert "setelah pasien ditangani" in response.content.decode()
    handled = _handled(district)
    # the sender is no receiver: no back referral of its own referral
    client.force_login(district.pkm_barat)
    assert client.get(f"/rujukan/baru/?back={handled.uuid}").status_code == 403
    # another hospital's referral: not found
    elsewhere = _refer(district, to=other_hospital)
    client.force_login(district.rs_uji)
    assert client.get(f"/rujukan/baru/?back={elsewhere.uuid}").status_code == 404
    # garbage
    assert client.get("/rujukan/baru/?back=not-a-uuid").status_code == 404
    # the person (even one of its referrals) never through the registry's scope
    assert client.get(f"/rujukan/baru/?person={district.siti.uuid}").status_code in (403, 404)
    trigger = flagged_encounter(district.siti, district.pkm_barat_f, timezone.localdate())
    assert client.get(f"/rujukan/baru/?encounter={trigger.uuid}").status_code in (403, 404)


def test_hospital_staff_refer_only_from_their_hospital_and_only_persons_of_their_referrals(
    district, other_hospital
):
    _handled(district)
    with pytest.raises(PermissionDenied):
        services.referral_create(
            user=district.rs_uji,
            person=district.siti,
            from_facility=other_hospital,
            to_facility=district.pkm_barat_f,
            kind="back",
            reason="x",
        )
    with pytest.raises(PermissionDenied, match="di luar wilayah kerja"):
        services.referral_create(
            user=district.rs_uji,
            person=district.dewi,  # never referred to this hospital
            from_facility=district.hospital_f,
            to_facility=district.pkm_timur_f,
            kind="back",
            reason="x",
        )
    # a puskesmas cannot send from the hospital
    with pytest.raises(PermissionDenied):
        services.referral_create(
            user=district.pkm_barat,
            person=district.siti,
            from_facility=district.hospital_f,
            to_facility=district.pkm_barat_f,
            kind="back",
            reason="x",
        )
    assert list(selectors.referring_facilities(district.pkm_barat).filter(kind="hospital")) == []


def test_back_referral_bad_input_is_told_on_the_field(client, district):
    referral = _handled(district)
    client.force_login(district.rs_uji)
    response = client.post(
        f"/rujukan/baru/?back={referral.uuid}",
        {
            "kind": "back",
            "from_facility": district.hospital_f.pk,
            "to_facility": district.hospital_f.pk,
            "reason": "x",
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["to_facility"] == [
        "Rujukan tidak boleh ditujukan ke fasilitas pengirimnya sendiri."
    ]
    assert Referral.objects.filter(kind="back").count() == 0


# ---------------------------------------------------------------- the account rule


def test_hospital_staff_need_a_hospital(district):
    user = User(username="rs_baru", role=Role.HOSPITAL, facility=district.pkm_barat_f)
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert exc.value.message_dict["facility"] == [
        "Petugas rumah sakit harus terdaftar di fasilitas berjenis rumah sakit (RSUD/RSIA): "
        "pilih rumah sakitnya."
    ]
    user.facility = None
    with pytest.raises(ValidationError):
        user.full_clean()
    user.facility = district.hospital_f
    user.set_password("pw-test-123")
    user.full_clean()


def test_the_admin_creates_and_edits_a_hospital_user(client, district):
    admin = User.objects.create_superuser(username="root", password="pw-test-123")
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "rs_siti",
            "password1": "Kata-sandi-panjang-2026",
            "password2": "Kata-sandi-panjang-2026",
            "usable_password": "true",
            "role": "hospital",
            "facility": district.pkm_barat_f.pk,
            "cluster": "",
            "phone": "",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["facility"] == [
        "Petugas rumah sakit harus terdaftar di fasilitas berjenis rumah sakit (RSUD/RSIA): "
        "pilih rumah sakitnya."
    ]
    assert not User.objects.filter(username="rs_siti").exists()
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "rs_siti",
            "password1": "Kata-sandi-panjang-2026",
            "password2": "Kata-sandi-panjang-2026",
            "usable_password": "true",
            "role": "hospital",
            "facility": district.hospital_f.pk,
            "cluster": "",
            "phone": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(username="rs_siti").facility == district.hospital_f


def test_the_admin_edits_a_hospital_user(client, district, rf):
    from django.contrib import admin

    admin_user = User.objects.create_superuser(username="root", password="pw-test-123")
    request = rf.get("/admin/")
    request.user = admin_user
    model_admin = admin.site._registry[User]
    form_class = model_admin.get_form(request, obj=district.rs_uji, change=True)
    data = {
        "username": "rs_uji",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "role": "hospital",
        "facility": district.pkm_barat_f.pk,
    }
    form = form_class(data, instance=district.rs_uji)
    assert not form.is_valid()
    assert form.errors["facility"] == [
        "Petugas rumah sakit harus terdaftar di fasilitas berjenis rumah sakit (RSUD/RSIA): "
        "pilih rumah sakitnya."
    ]
    form = form_class({**data, "facility": district.hospital_f.pk}, instance=district.rs_uji)
    assert form.is_valid(), form.errors
