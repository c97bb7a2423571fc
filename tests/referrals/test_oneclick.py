"""Referrals in one click: the prefilled form from an alert (service page, posyandu row), a work
list's row and the person page; the proposal rules (target by the facility tree, kind, ICD-10
from the finding); the person's referrals on their page; the referral letter as PDF; the query
cost of creating one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test.utils import override_settings
from django.utils import timezone

from ilp.accounts.models import AuditEvent
from ilp.care.models import Encounter, Screening
from ilp.care.views.worklists import referral_finding
from ilp.people.models import Person, Pregnancy
from ilp.referrals import selectors, services, views
from ilp.referrals.models import Referral
from ilp.standards import icd10
from ilp.standards import referral_findings as findings
from tests.referrals import BLEEDING, flagged_encounter

pytestmark = pytest.mark.django_db

SEVERE_HT = {
    "level": "danger",
    "code": "care.alert.preg_hypertension_severe",
    "params": {},
    "action_code": "care.action.refer_now_hospital",
    "action_params": {},
}
KEK = {
    "level": "warning",
    "code": "care.alert.kek",
    "params": {},
    "action_code": "care.action.pmt_refer",
    "action_params": {},
}
VITAMIN_A = {
    "level": "warning",
    "code": "care.alert.vitamin_a_due",
    "params": {},
    "action_code": "care.action.vitamin_a_red",
    "action_params": {},
}


def encounter_with(person, facility, alerts, *, package="anc", place_kind="posyandu", on=None):
    return Encounter.objects.create(
        person=person,
        date=on or timezone.localdate(),
        place_kind=place_kind,
        facility=facility,
        cluster="k2",
        package=package,
        alerts=alerts,
    )


# ---------------------------------------------------------------- the rules (pure)


def test_every_proposed_icd10_code_is_a_who_code():
    codes = {*findings._ICD10.values(), findings.ESSENTIAL_HYPERTENSION}
    assert {c for c in codes if icd10.normalise(c) != c} == set()


@pytest.mark.parametrize(
    ("code", "action", "expected"),
    [
        ("care.alert.bleeding", "care.action.refer_hospital_now", True),
        ("care.alert.severe_wasting", "care.action.refer", True),
        ("kspr.class.krst", "kspr.term.advice.krst", True),
        ("kspr.class.krt", "kspr.term.advice.krt", True),
        ("kspr.class.krr", "kspr.term.advice.krr", False),
        ("bp_pnpk.class.grade_3", "care.action.refer", True),
        ("bp_pnpk.class.grade_1", "care.action.refer_bp_monthly", True),
        ("bp_pnpk.class.high_normal", "care.action.repeat_1m", False),
        ("care.alert.vitamin_a_due", "care.action.vitamin_a_red", False),
        ("care.alert.two_t", "care.action.home_visit_refer", False),
        ("care.class.iva.positive", "care.action.cryotherapy", True),
    ],
)
def test_which_alerts_call_for_referral(code, action, expected):
    assert findings.calls_for_referral(code, action) is expected


def test_the_kind_follows_pregnancy_then_age_then_danger():
    assert findings.proposed_kind(["kspr.class.krst"], danger=False, age_days=9000) == "maternal"
    assert findings.proposed_kind(["care.alert.jaundice"], danger=False, age_days=27) == "neonatal"
    assert findings.proposed_kind(["care.alert.jaundice"], danger=True, age_days=28) == "emergency"
    assert findings.proposed_kind(["bp_pnpk.class.grade_1"], danger=False, age_days=None) == (
        "planned"
    )


def test_icd10_only_where_the_finding_names_it():
    assert findings.icd10_code("care.alert.severe_wasting") == "E43"
    assert findings.icd10_code("bp_jnc7.class.stage_2") == "I10"
    assert findings.icd10_code("care.alert.preg_hypertension_severe") == "O16"
    assert findings.icd10_code("care.alert.fetal_hr") == ""


def test_work_list_rows_name_their_finding():
    assert referral_finding("risiko_tinggi", "krst") == "kspr.class.krst"
    assert referral_finding("gizi", "gizi_buruk") == "care.alert.severe_wasting"
    assert referral_finding("gizi", "gizi_kurang") == ""
    assert referral_finding("ht_tidak_terkendali", "grade_2") == "bp_pnpk.class.grade_2"
    assert referral_finding("ht_tidak_terkendali", "stage_1") == "bp_jnc7.class.stage_1"
    assert referral_finding("2t", "2t") == ""


# ---------------------------------------------------------------- the target by the tree


def test_targets_follow_the_facility_tree(district):
    assert selectors.proposed_target(district.pos_ampel_timur_f) == district.pustu_ampel_f
    # an alert that says "Rujuk ke puskesmas" skips the pustu
    assert (
        selectors.proposed_target(district.pos_ampel_timur_f, puskesmas=True)
        == district.pkm_barat_f
    )
    assert selectors.proposed_target(district.pustu_ampel_f, puskesmas=True) == district.pkm_barat_f
    assert selectors.proposed_target(district.pustu_ampel_f) == district.pkm_barat_f
    assert selectors.proposed_target(district.pustu_ampel_f, hospital=True) == district.hospital_f
    assert selectors.proposed_target(district.pkm_barat_f) == district.hospital_f


def test_an_inactive_pustu_is_passed_over_for_its_puskesmas(district):
    district.pustu_ampel_f.is_active = False
    district.pustu_ampel_f.save()
    assert selectors.proposed_target(district.pos_ampel_timur_f) == district.pkm_barat_f


def test_no_hospital_in_the_district_proposes_none(district):
    district.hospital_f.is_active = False
    district.hospital_f.save()
    assert selectors.proposed_target(district.pkm_barat_f) is None


# ---------------------------------------------------------------- from an alert


def test_from_a_posyandu_alert_everything_is_filled_in(client, district):
    enc = encounter_with(district.siti, district.pos_ampel_timur_f, [VITAMIN_A, KEK, SEVERE_HT])
    client.force_login(district.kader_ampel_timur)
    url = f"/rujukan/baru/?encounter={enc.uuid}&alert=care.alert.preg_hypertension_severe"
    response = client.get(url)
    assert response.status_code == 200
    initial = response.context["form"].initial
    detected = timezone.localtime(enc.created_at).replace(second=0, microsecond=0)
    assert initial == {
        "from_facility": district.pos_ampel_timur_f.pk,
        # a kader's referral goes to the supervising pustu, whatever the action names
        "to_facility": district.pustu_ampel_f.pk,
        "kind": "maternal",
        "reason": "Hipertensi berat dalam kehamilan (Rujuk segera ke puskesmas/rumah sakit); "
        "Ibu hamil berisiko KEK (LiLA < 23,5 cm) (Berikan PMT ibu hamil; rujuk ke puskesmas)",
        "diagnosis_code": "O16",
        "detected_at": detected,
    }
    page = response.content.decode()
    assert "Unspecified maternal hypertension" in page
    # the chosen alert first; the one that calls for no referral is not a finding here
    assert [a["code"] for a in response.context["alerts"]] == [
        "care.alert.preg_hypertension_severe",
        "care.alert.kek",
    ]
    posted = client.post(
        url,
        {
            "from_facility": district.pos_ampel_timur_f.pk,
            "to_facility": district.pustu_ampel_f.pk,
            "kind": "maternal",
            "reason": initial["reason"],
            "diagnosis_code": "O16",
            "detected_at": detected.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    referral = Referral.objects.get()
    assert posted.status_code == 302
    assert posted["Location"] == f"/rujukan/{referral.uuid}/"
    assert referral.encounter == enc
    assert referral.diagnosis_code == "O16"
    assert referral.detected_at == detected
    assert [a["code"] for a in referral.trigger_alerts] == [
        "care.alert.preg_hypertension_severe",
        "care.alert.vitamin_a_due",
        "care.alert.kek",
    ]


def test_from_a_pustu_alert_naming_the_hospital(client, district):
    enc = flagged_encounter(
        district.siti, district.pustu_ampel_f, timezone.localdate(), place_kind="pustu"
    )
    client.force_login(district.bidan_ampel)
    response = client.get(f"/rujukan/baru/?encounter={enc.uuid}&alert=care.alert.bleeding")
    initial = response.context["form"].initial
    assert initial["from_facility"] == district.pustu_ampel_f.pk
    assert initial["to_facility"] == district.hospital_f.pk
    assert (initial["kind"], initial["diagnosis_code"]) == ("maternal", "O67.9")


def test_a_puskesmas_user_refers_from_the_puskesmas_to_the_hospital(client, district):
    budi_bp = {
        "level": "danger",
        "code": "bp_pnpk.class.grade_3",
        "params": {},
        "action_code": "care.action.refer",
        "action_params": {},
    }
    enc = encounter_with(
        district.budi, district.pkm_barat_f, [budi_bp], package="adult", place_kind="puskesmas"
    )
    client.force_login(district.pkm_barat)
    response = client.get(f"/rujukan/baru/?encounter={enc.uuid}&alert=bp_pnpk.class.grade_3")
    initial = response.context["form"].initial
    assert initial["to_facility"] == district.hospital_f.pk
    assert (initial["kind"], initial["diagnosis_code"]) == ("emergency", "I10")
    assert initial["reason"] == "Hipertensi derajat 3 (Rujuk ke puskesmas)"


def test_a_newborn_under_28_days_is_a_neonatal_referral(client, district):
    baby = Person.objects.create(
        full_name="Bayi Siti",
        sex="F",
        birth_date=timezone.localdate() - timedelta(days=10),
        rt=district.rt_ampel_timur,
        hamlet=district.ampel_timur,
        village=district.ampel,
    )
    fever = {
        "level": "danger",
        "code": "care.alert.newborn_fever",
        "params": {"t": 38.5},
        "action_code": "care.action.refer",
        "action_params": {},
    }
    enc = encounter_with(baby, district.pos_ampel_timur_f, [fever], package="newborn")
    client.force_login(district.kader_ampel_timur)
    response = client.get(f"/rujukan/baru/?encounter={enc.uuid}&alert=care.alert.newborn_fever")
    initial = response.context["form"].initial
    assert (initial["kind"], initial["diagnosis_code"]) == ("neonatal", "P81.9")


def test_the_service_page_offers_rujuk_beside_the_alerts_that_call_for_it(client, district):
    enc = encounter_with(district.siti, district.pos_ampel_timur_f, [BLEEDING, VITAMIN_A])
    client.force_login(district.kader_ampel_timur)
    page = client.get(f"/layanan/orang/{district.siti.uuid}/").content.decode()
    link = f'href="/rujukan/baru/?encounter={enc.uuid}&amp;alert=care.alert.bleeding"'
    assert page.count(link) == 1
    assert page.count('class="button small refer no-print"') == 1
    # a role that sends no referrals sees the alert without the link
    client.force_login(district.dinkes)
    page = client.get(f"/layanan/orang/{district.siti.uuid}/").content.decode()
    assert "Perdarahan" in page
    assert "/rujukan/baru/" not in page


def test_an_alert_code_not_on_the_encounter_proposes_from_all_its_alerts(client, district):
    enc = flagged_encounter(district.siti, district.pos_ampel_timur_f, timezone.localdate())
    client.force_login(district.kader_ampel_timur)
    response = client.get(f"/rujukan/baru/?encounter={enc.uuid}&alert=care.alert.made_up")
    assert response.status_code == 200
    assert response.context["form"].initial["diagnosis_code"] == "O67.9"


# ---------------------------------------------------------------- from a work list


@pytest.fixture
def krst(district):
    today = timezone.localdate()
    pregnancy = Pregnancy.objects.create(
        person=district.siti, lmp=today - timedelta(days=120), edd=today + timedelta(days=160)
    )
    enc = encounter_with(district.siti, district.pustu_ampel_f, [], place_kind="pustu", on=today)
    enc.pregnancy = pregnancy
    enc.save()
    Screening.objects.create(
        encounter=enc,
        person=district.siti,
        date=today,
        instrument="kspr",
        score=14,
        result_code="krst",
        abnormal=True,
    )
    return pregnancy


def test_the_special_list_offers_rujuk_on_a_krst_row(client, district, krst):
    client.force_login(district.bidan_ampel)
    page = client.get("/layanan/kerja/PUSTU-AMPEL/khusus/").content.decode()
    assert f'href="/rujukan/baru/?person={district.siti.uuid}&amp;finding=kspr.class.krst"' in page


def test_from_a_work_list_finding(client, district):
    client.force_login(district.bidan_ampel)
    url = f"/rujukan/baru/?person={district.siti.uuid}&finding=kspr.class.krst"
    response = client.get(url)
    initial = response.context["form"].initial
    assert initial == {
        "from_facility": district.pustu_ampel_f.pk,
        "to_facility": district.pkm_barat_f.pk,
        "kind": "maternal",
        "reason": "Kehamilan Risiko Sangat Tinggi (KRST)",
        "diagnosis_code": "Z35.9",
    }
    client.post(
        url,
        {
            "from_facility": district.pustu_ampel_f.pk,
            "to_facility": district.pkm_barat_f.pk,
            "kind": "maternal",
            "reason": initial["reason"],
            "diagnosis_code": "Z35.9",
        },
    )
    referral = Referral.objects.get()
    assert referral.encounter is None
    assert referral.trigger_alerts == [
        {
            "level": "danger",
            "code": "kspr.class.krst",
            "params": {},
            "action_code": "",
            "action_params": {},
        }
    ]


def test_a_finding_that_calls_for_no_referral_is_refused(client, district):
    client.force_login(district.bidan_ampel)
    response = client.get(f"/rujukan/baru/?person={district.siti.uuid}&finding=care.alert.x")
    assert response.status_code == 400
    assert "Temuan care.alert.x tidak memerlukan rujukan" in response.content.decode()


# ---------------------------------------------------------------- from the person page


@pytest.mark.parametrize(
    ("who", "offered"),
    [("bidan_ampel", True), ("kader_ampel_timur", True), ("pkm_barat", True), ("dinkes", False)],
)
def test_the_person_page_offers_rujuk_to_senders_only(client, district, who, offered):
    client.force_login(getattr(district, who))
    page = client.get(f"/penduduk/{district.siti.uuid}/").content.decode()
    assert (f'href="/rujukan/baru/?person={district.siti.uuid}"' in page) is offered
    # the list of the person's referrals is loaded for whoever opens referral pages
    assert f'hx-get="/rujukan/orang/{district.siti.uuid}/"' in page


def test_from_the_person_page_the_facilities_are_proposed(client, district):
    client.force_login(district.bidan_ampel)
    response = client.get(f"/rujukan/baru/?person={district.siti.uuid}")
    assert response.context["form"].initial == {
        "from_facility": district.pustu_ampel_f.pk,
        "to_facility": district.pkm_barat_f.pk,
    }


def test_the_persons_referrals_are_scoped_and_audited(client, district, referral, pkm_timur):
    url = f"/rujukan/orang/{district.siti.uuid}/"
    client.force_login(district.pkm_barat)
    response = client.get(url, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert f'href="/rujukan/{referral.uuid}/"' in page
    assert "Pustu Ampel → Puskesmas Barat" in page
    event = AuditEvent.objects.filter(user=district.pkm_barat, object_type="referral").last()
    assert event.detail["list"] == "person"
    # neither end of it: nothing shown
    client.force_login(pkm_timur)
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert str(referral.uuid) not in page
    assert "Belum ada rujukan yang dapat Anda lihat." in page
    # a role without referral pages is refused
    client.force_login(district.ppa)
    assert client.get(url).status_code == 403


# ---------------------------------------------------------------- the letter


@pytest.fixture
def drawn(monkeypatch):
    pages: list[str] = []
    real = views.html_to_pdf

    def keep(html: str) -> bytes:
        pages.append(html)
        return real(html)

    monkeypatch.setattr(views, "html_to_pdf", keep)
    return pages


def test_the_letter_is_a_pdf_with_what_the_puskesmas_prints(client, district, referral, drawn):
    Person.objects.filter(pk=district.siti.pk).update(bpjs_number="0001234567890")
    client.force_login(district.bidan_ampel)
    response = client.get(f"/rujukan/{referral.uuid}/surat.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 5000
    (html,) = drawn
    for text in (
        "PUSTU AMPEL",
        "SURAT RUJUKAN",
        "Puskesmas Barat",
        "Siti Aminah",
        "5271016107900002",
        "Perempuan",
        "0001234567890",
        "Ampel Timur",
        "Tekanan darah 160/110, sakit kepala",
        "O14.1",
        "Severe pre-eclampsia",
        "bidan_ampel",
    ):
        assert text in html, text
    assert "JAWABAN RUJUKAN" not in html
    event = AuditEvent.objects.filter(action="export", object_type="referral").get()
    assert event.user == district.bidan_ampel
    assert event.detail["referral"] == str(referral.uuid)


def test_the_letter_carries_the_answer_once_given(client, district, referral, drawn, now):
    for user, action, extra in [
        (district.bidan_ampel, "depart", {}),
        (district.pkm_barat, "receive", {}),
        (district.pkm_barat, "handle", {}),
        (
            district.pkm_barat,
            "answer",
            {"answer_diagnosis_code": "O14.1", "answer_care": "MgSO4", "answer_advice": "ANC"},
        ),
    ]:
        referral = services.referral_act(user=user, referral=referral, action=action, **extra)
    client.force_login(district.pkm_barat)
    assert client.get(f"/rujukan/{referral.uuid}/surat.pdf").status_code == 200
    html = drawn[-1]
    assert "JAWABAN RUJUKAN" in html
    assert "MgSO4" in html


def test_the_letter_is_read_as_the_referral_is(client, district, referral, pkm_timur):
    client.force_login(pkm_timur)
    assert client.get(f"/rujukan/{referral.uuid}/surat.pdf").status_code == 404
    client.force_login(district.ppa)
    assert client.get(f"/rujukan/{referral.uuid}/surat.pdf").status_code == 403


def test_the_age_as_a_letter_writes_it():
    on = date(2026, 3, 1)
    assert views.age_text(date(1990, 7, 21), on) == "35 tahun"
    assert views.age_text(date(2025, 9, 1), on) == "6 bulan"
    assert views.age_text(date(2026, 2, 20), on) == "9 hari"


# ---------------------------------------------------------------- query cost


@override_settings(LANGUAGE_CODE="id")
def test_creating_from_an_alert_costs_a_fixed_number_of_queries(
    client, district, django_assert_num_queries
):
    enc = flagged_encounter(district.siti, district.pos_ampel_timur_f, timezone.localdate())
    client.force_login(district.kader_ampel_timur)
    url = f"/rujukan/baru/?encounter={enc.uuid}&alert=care.alert.bleeding"
    client.get(url)  # the session, the ICD-10 list loaded
    data = {
        "from_facility": district.pos_ampel_timur_f.pk,
        "to_facility": district.pustu_ampel_f.pk,
        "kind": "maternal",
        "reason": "Perdarahan",
        "diagnosis_code": "O67.9",
    }
    # session and user 2; the encounter and its audited read 2; the form's facilities (the
    # targets offered, the two chosen) 3; the person's scope 1; the service's transaction:
    # savepoint, access 2, full_clean's foreign keys 5 and unique uuid 1, four constraints
    # (savepoint, check, release each) 12, the referral, its event and the audit 3, release 1
    with django_assert_num_queries(32):
        response = client.post(url, data)
    assert response.status_code == 302
    assert Referral.objects.count() == 1


def test_the_posyandu_row_offers_rujuk_once_saved_with_severe_wasting(client, district):
    import uuid

    from tests.conftest import _person

    today = timezone.localdate()
    child = _person("Anak Kurus", "F", today - timedelta(days=90), district.rt_ampel_timur)
    client.force_login(district.kader_ampel_timur)
    opened = client.post("/layanan/posyandu/POS-AT/sesi/", {"on": today.isoformat()})
    assert opened.status_code == 302
    response = client.post(
        f"/layanan/posyandu/POS-AT/sesi/{today.isoformat()}/{child.uuid}/",
        {"client_id": str(uuid.uuid4()), "weight": "4,5", "height": "60,4", "measured": "lying"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    row = response.content.decode()
    enc = Encounter.objects.get(person=child)
    assert "Gizi buruk" in row
    assert f"/rujukan/baru/?encounter={enc.uuid}&amp;alert=care.alert.severe_wasting" in row
    proposed = client.get(f"/rujukan/baru/?encounter={enc.uuid}&alert=care.alert.severe_wasting")
    initial = proposed.context["form"].initial
    assert (initial["kind"], initial["diagnosis_code"]) == ("emergency", "E43")
    # severe wasting says "Rujuk segera ke puskesmas": the puskesmas, not the pustu between
    assert initial["to_facility"] == district.pkm_barat_f.pk
