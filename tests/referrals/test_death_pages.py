"""Pages of deaths and their reviews: recording from a person page and a referral, the list
with its counts per area, the review page (notification check, review, recommendations),
who may open what, audited reads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ilp.accounts.models import AuditEvent
from ilp.evaluation.models import DeathReview, Recommendation
from ilp.people.models import Pregnancy
from ilp.referrals import services
from ilp.referrals.models import Death
from ilp.referrals.services_deaths import DeathData, death_record
from tests.conftest import _person

pytestmark = pytest.mark.django_db

FMT = "%Y-%m-%dT%H:%M"


@pytest.fixture
def now():
    return timezone.localtime(timezone.now()).replace(second=0, microsecond=0)


@pytest.fixture
def pregnancy(district):
    today = timezone.localdate()
    return Pregnancy.objects.create(
        person=district.siti, lmp=today - timedelta(weeks=36), edd=today + timedelta(weeks=4)
    )


@pytest.fixture
def death(district, pregnancy, now):
    return death_record(
        user=district.pkm_barat,
        person=district.siti,
        data=DeathData(
            kind="maternal",
            died_at=now - timedelta(hours=30),
            place="puskesmas",
            facility=district.pkm_barat_f,
            pregnancy=pregnancy,
            cause_code="O72.1",
            notified_at=now - timedelta(hours=2),
        ),
    )


def review_url(death):
    return reverse("evaluation:death_review", args=[death.uuid])


def test_record_from_the_person_page(client_for, district, pregnancy, now):
    client = client_for(district.pkm_barat)
    page = client.get(reverse("people:person", args=[district.siti.uuid]))
    assert "Catat kematian" in page.content.decode()
    url = reverse("referrals:death_new") + f"?person={district.siti.uuid}"
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(
        url,
        {
            "kind": "maternal",
            "died_at": (now - timedelta(hours=1)).strftime(FMT),
            "place": "home",
            "pregnancy": pregnancy.pk,
            "cause_code": "o14.1",
        },
    )
    death = Death.objects.get()
    assert response.status_code == 302 and response["Location"] == review_url(death)
    page = client.get(review_url(death)).content.decode()
    assert "Belum dilaporkan; batasnya 24 jam sesudah kematian." in page
    assert "O14.1" in page and "kelompok ICD-MM 2" in page


def test_refusal_on_its_field_nothing_lost(client_for, district, now):
    client = client_for(district.pkm_barat)
    url = reverse("referrals:death_new") + f"?person={district.budi.uuid}"
    response = client.post(
        url,
        {
            "kind": "maternal",
            "died_at": (now - timedelta(hours=1)).strftime(FMT),
            "place": "home",
            "care_path_note": "Perdarahan di rumah",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Kematian ibu dan lahir mati hanya dicatat untuk perempuan." in body
    assert "Perdarahan di rumah" in body
    assert not Death.objects.exists()


def test_review_page_shows_the_late_notification(client_for, district, death):
    client = client_for(district.tpcb)
    body = client.get(review_url(death)).content.decode()
    assert "Terlambat dilaporkan: 4 jam lewat batas 24 jam." in body
    assert "Catat pengkajian" in body
    assert AuditEvent.objects.filter(
        action="view", object_type="death", object_uuid=death.uuid, user=district.tpcb
    ).exists()


def test_who_opens_what(client_for, district, death):
    for user in (district.kader_ampel_timur, district.camat_barat, district.ppa, district.norole):
        assert client_for(user).get(reverse("referrals:deaths")).status_code == 403
        assert client_for(user).get(review_url(death)).status_code == 403
    # another puskesmas and the hospital (not its death): not found
    other = pytest.importorskip("ilp.accounts.models").User.objects.create_user(
        username="pkm_timur_x",
        password="pw-test-123",
        role="puskesmas",
        facility=district.pkm_timur_f,
    )
    assert client_for(other).get(review_url(death)).status_code == 404
    assert client_for(district.rs_uji).get(review_url(death)).status_code == 404
    # the puskesmas reads it but does not review it
    pkm = client_for(district.pkm_barat)
    body = pkm.get(review_url(death)).content.decode()
    assert "Catat pengkajian" not in body
    save = reverse("evaluation:death_review_save", args=[death.uuid])
    assert pkm.post(save, {"version": 1}).status_code == 403


def test_review_and_recommendation_reach_the_puskesmas(client_for, district, death):
    client = client_for(district.tpcb)
    save = reverse("evaluation:death_review_save", args=[death.uuid])
    review = DeathReview.objects.get(death=death)
    bad = client.post(save, {"version": review.version, "summary": "x"})
    assert bad.status_code == 422
    assert "Isi tanggal pengkajian untuk mencatat faktor dan ringkasannya." in bad.content.decode()
    today = timezone.localdate()
    ok = client.post(
        save,
        {
            "version": review.version,
            "meeting_date": today.isoformat(),
            "participants": "Kadinkes, SpOG, bidan koordinator",
            "factors": ["d1_danger_signs", "ref_late_decision"],
            "summary": "HPP di rumah.",
        },
    )
    assert ok.status_code == 302
    body = client.get(review_url(death)).content.decode()
    assert "Terlambat 1: memutuskan mencari pertolongan" in body
    assert "Tanda bahaya tidak dikenali" in body and "Terlambat dirujuk" in body
    add = reverse("evaluation:death_review_recommendation", args=[death.uuid])
    response = client.post(
        add,
        {
            "what": "Kelas ibu hamil tentang tanda bahaya",
            "why": "Terlambat 1",
            "owner_role": "kepala",
            "due_date": (today + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rec = Recommendation.objects.get(death_review=review)
    page = client_for(district.pkm_barat).get(reverse("evaluation:puskesmas")).content.decode()
    assert "Kelas ibu hamil tentang tanda bahaya" in page
    assert "pengkajian kematian" in page or rec.what in page


def test_list_counts_and_queries(client_for, district, death, now, django_assert_num_queries):
    today = timezone.localdate()
    for i in range(3):
        baby = _person(f"Bayi {i}", "F", today - timedelta(days=2), district.rt_ampel_timur)
        death_record(
            user=district.bidan_ampel,
            person=baby,
            data=DeathData(kind="neonatal", died_at=now - timedelta(hours=1), place="home"),
        )
    client = client_for(district.dinkes)
    url = reverse("referrals:deaths") + f"?tahun={today.year}&tingkat=kecamatan"
    client.get(url)
    with django_assert_num_queries(7):
        body = client.get(url).content.decode()
    assert body.count('class="card death-row') == 4
    assert '<td data-label="Wilayah">Barat</td>' in body
    assert '<td data-label="Kematian neonatal">3</td>' in body


def test_hospital_records_from_its_referral(client_for, district, pregnancy, now):
    referral = services.referral_create(
        user=district.pkm_barat,
        person=district.siti,
        from_facility=district.pkm_barat_f,
        to_facility=district.hospital_f,
        kind="maternal",
        reason="PEB",
        decided_at=now - timedelta(hours=5),
    )
    client = client_for(district.rs_uji)
    page = client.get(reverse("referrals:detail", args=[referral.uuid])).content.decode()
    assert "Catat kematian" in page
    url = reverse("referrals:death_new") + f"?referral={referral.uuid}"
    response = client.post(
        url,
        {
            "kind": "maternal",
            "died_at": (now - timedelta(hours=1)).strftime(FMT),
            "place": "hospital",
            "facility": district.hospital_f.pk,
            "pregnancy": pregnancy.pk,
            "referral": referral.pk,
            "notified_by_facility": district.hospital_f.pk,
            "notified_at": now.strftime(FMT),
        },
    )
    assert response.status_code == 302
    body = client.get(reverse("referrals:deaths")).content.decode()
    assert "Siti Aminah" in body


def test_void_from_the_review_page(client_for, district, death):
    client = client_for(district.pkm_barat)
    url = reverse("referrals:death_void", args=[death.uuid])
    client.post(url, {"reason": ""})
    death.refresh_from_db()
    assert death.voided_at is None
    client.post(url, {"reason": "wrong_person"})
    death.refresh_from_db()
    district.siti.refresh_from_db()
    assert death.voided_at is not None and district.siti.deceased_on is None
    assert "Catatan kematian ini dibatalkan" in client.get(review_url(death)).content.decode()
