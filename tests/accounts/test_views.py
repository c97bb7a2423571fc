"""Login, logout and the home page of each role."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessLog
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # The district fixture creates eleven users; the default hasher makes that slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_anonymous_home_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=/")


def test_login_success_is_logged_and_redirects_home(client, district):
    response = client.post(
        reverse("login"),
        {"username": "bidan_ampel", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    log = AccessLog.objects.get()
    assert (log.username, log.ip_address) == ("bidan_ampel", "192.0.2.10")


def test_login_failure_shows_message_and_records_attempt(client, district):
    response = client.post(
        reverse("login"),
        {"username": "bidan_ampel", "password": "wrong"},
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "bidan_ampel",
        "192.0.2.10",
        1,
    )
    assert "wrong" not in attempt.post_data  # axes masks the password


def test_login_ignores_offsite_next(client, district):
    response = client.post(
        reverse("login") + "?next=https://example.com/",
        {"username": "bidan_ampel", "password": PASSWORD, "next": "https://example.com/"},
    )
    assert response["Location"] == reverse("home")


def test_logout_needs_post(client_for, district):
    client = client_for(district.bidan_ampel)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_kader_home_shows_posyandu_and_count(client_for, district):
    body = client_for(district.kader_ampel_timur).get("/").content.decode()
    assert "Posyandu Melati" in body
    assert "Ampel Timur" in body
    assert "3 penduduk tercatat" in body  # Budi, Siti, Rina
    assert 'action="/penduduk/cari/"' in body


def test_pustu_home_shows_facility_counts_search_and_register(client_for, district):
    body = client_for(district.bidan_ampel).get("/").content.decode()
    assert "Pustu Ampel" in body
    assert "1 desa/kelurahan, 2 dusun/RW, 4 penduduk tercatat" in body
    assert reverse("people:family_register") in body


def test_district_home_shows_counts_per_kecamatan_and_puskesmas(client_for, district):
    response = client_for(district.tpcb).get("/")
    body = response.content.decode()
    districts = {c.area.name: c.total for c in response.context["districts"]}
    assert districts == {"Barat": 5, "Timur": 1}
    puskesmas = {c.facility.name: c.total for c in response.context["puskesmas"]}
    assert puskesmas == {"Puskesmas Barat": 5, "Puskesmas Timur": 1}
    assert "Budi" not in body
    assert "5271011203850001" not in body


def test_cross_sector_home_shows_counts_but_no_names(client_for, district):
    response = client_for(district.camat_barat).get("/")
    body = response.content.decode()
    assert response.status_code == 200
    rows = {a.area.name: a for a in response.context["areas"]}
    assert set(rows) == {"Ampel", "Batu"}  # kecamatan Timur is not theirs
    ampel = {s.stage: (s.male, s.female) for s in rows["Ampel"].stages}
    # 4 and 1 residents: every count below 5 is hidden (Budi, Siti, Ahmad, Rina, Wayan);
    # the sum of both hidden totals is 5, which may be shown.
    assert (rows["Ampel"].total, rows["Batu"].total, response.context["total"]) == (None, None, 5)
    assert ampel["adult"] == (None, None)
    assert ampel["elderly"] == (None, 0)
    assert ampel["toddler"] == (0, None)
    assert "5 penduduk tercatat" in body and "4 penduduk" not in body
    for secret in ("Budi", "Siti", "Rina", "Ahmad", "Wayan", "5271011203850001", "ILPT"):
        assert secret not in body


def test_kepala_desa_sees_dusun_of_their_desa_only(client_for, district):
    response = client_for(district.kades_ampel).get("/")
    assert [a.area.name for a in response.context["areas"]] == ["Ampel Timur", "Ampel Barat"]
    assert [a.total for a in response.context["areas"]] == [None, None]  # 3 and 1: hidden


def test_protection_home_without_organisation_says_so(client_for, district):
    body = client_for(district.ppa).get("/").content.decode()
    assert "Akun Anda belum terhubung dengan lembaga mitra." in body
    assert "/perlindungan/" not in body.split("<main", 1)[-1]
    assert "Budi" not in body


def test_protection_home_of_a_partner_links_to_its_cases(client_for, district):
    from ilp.protection.models import Partner, PartnerMember

    lpa = Partner.objects.create(name="LPA Kota Uji", kind="lpa", area=district.city)
    PartnerMember.objects.create(user=district.ppa, partner=lpa)
    body = client_for(district.ppa).get("/").content.decode()
    assert 'id="home-cases" href="/perlindungan/"' in body
    assert "Budi" not in body


def test_norole_home_says_contact_admin(client_for, district):
    body = client_for(district.norole).get("/").content.decode()
    assert "Akun Anda belum punya peran" in body
    assert "Hubungi admin Dinas Kesehatan" in body


def test_english_switch_shows_english_labels(client_for, district):
    client = client_for(district.bidan_ampel)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert "Register new family" in body
    assert "Log out" in body
    assert "Daftar keluarga baru" not in body


def test_login_page_renders_in_indonesian(client):
    body = client.get(reverse("login")).content.decode()
    assert "Nama pengguna" in body
    assert "Kata sandi" in body


def test_admin_screens_open_for_dinkes_admin(client, district, admin_user):
    client.force_login(admin_user)
    for url in (
        "/admin/places/area/?q=Ampel&level__exact=4",
        "/admin/places/facility/?kind__exact=pustu",
        "/admin/accounts/user/",
        "/admin/accounts/auditevent/",
        "/admin/people/person/?q=5271011203850001",
        "/admin/people/family/?q=5271011203150001",
        "/admin/people/pregnancy/?q=siti",
        f"/admin/people/family/{district.family_ampel.pk}/change/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/accounts/auditevent/add/").status_code == 403
