"""Person search, person and family pages: who may open them, what they show, the audit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ilp.accounts.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # The district fixture creates eleven users; the default hasher makes that slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


NO_PERSONAL_DATA = ["norole", "ppa", "camat_barat", "kades_ampel"]


def _pages(d):
    return {
        "search": reverse("people:search") + "?q=Budi",
        "person": reverse("people:person", args=[d.budi.uuid]),
        "family": reverse("people:family", args=[d.family_ampel.uuid]),
        "family_register": reverse("people:family_register"),
        "member_add": reverse("people:member_add", args=[d.family_ampel.uuid]),
        "pregnancy_add": reverse("people:pregnancy_add", args=[d.siti.uuid]),
    }


@pytest.mark.parametrize(
    "page", ["search", "person", "family", "family_register", "member_add", "pregnancy_add"]
)
def test_anonymous_is_sent_to_login(client, district, page):
    response = client.get(_pages(district)[page])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", NO_PERSONAL_DATA)
@pytest.mark.parametrize(
    "page", ["search", "person", "family", "family_register", "member_add", "pregnancy_add"]
)
def test_roles_without_personal_data_get_403_and_see_nothing(client_for, district, persona, page):
    response = client_for(getattr(district, persona)).get(_pages(district)[page])
    body = response.content.decode()
    assert response.status_code == 403
    assert "Akses ditolak" in body
    assert "Budi Santoso" not in body and "5271011203850001" not in body
    assert AuditEvent.objects.filter(action="denied", user=getattr(district, persona)).count() == 1
    assert not AuditEvent.objects.filter(action__in=["view", "search"]).exists()


def test_tpcb_may_read_but_not_register(client_for, district):
    client = client_for(district.tpcb)
    assert client.get(_pages(district)["person"]).status_code == 200
    assert client.get(_pages(district)["family_register"]).status_code == 403


def test_kader_of_another_posyandu_gets_404_for_person_outside_their_dusun(client_for, district):
    client = client_for(district.kader_ampel_barat)
    response = client.get(reverse("people:person", args=[district.budi.uuid]))
    assert response.status_code == 404
    assert "Penduduk tidak ditemukan di wilayah Anda." in response.content.decode()
    assert "Budi" not in response.content.decode()
    family = client.get(reverse("people:family", args=[district.family_ampel.uuid]))
    assert family.status_code == 404


def test_kader_search_never_returns_persons_outside_their_dusun(client_for, district):
    client = client_for(district.kader_ampel_barat)
    for query in ("Budi", "5271011203850001", "5271011203150001", "Siti"):
        response = client.get(reverse("people:search"), {"q": query})
        assert response.status_code == 200
        assert response.context["results"] == []
        assert "Budi Santoso" not in response.content.decode()
    own = client.get(reverse("people:search"), {"q": "ahm"})
    assert [p.full_name for p in own.context["results"]] == ["Ahmad Fauzi"]


def test_pustu_sees_its_desa_only(client_for, district):
    client = client_for(district.bidan_ampel)
    names = client.get(reverse("people:search"), {"q": "a"})  # too short: form error
    assert names.context["results"] is None
    assert client.get(reverse("people:person", args=[district.ahmad.uuid])).status_code == 200
    assert client.get(reverse("people:person", args=[district.wayan.uuid])).status_code == 404
    assert client.get(reverse("people:person", args=[district.dewi.uuid])).status_code == 404
    found = client.get(reverse("people:search"), {"q": "wayan"})
    assert found.context["results"] == []


def test_search_by_nik_kk_and_name(client_for, district):
    client = client_for(district.bidan_ampel)
    by_nik = client.get(reverse("people:search"), {"q": "5271 0112 0385 0001"})
    assert [p.full_name for p in by_nik.context["results"]] == ["Budi Santoso"]
    by_kk = client.get(reverse("people:search"), {"q": "5271011203150001"})
    assert {p.full_name for p in by_kk.context["results"]} == {
        "Budi Santoso",
        "Siti Aminah",
        "Rina Lestari",
    }
    by_name = client.get(reverse("people:search"), {"q": "siti"})
    assert [p.full_name for p in by_name.context["results"]] == ["Siti Aminah"]
    by_local_id = client.get(reverse("people:search"), {"q": district.rina.local_id})
    assert [p.full_name for p in by_local_id.context["results"]] == ["Rina Lestari"]


def test_htmx_search_returns_only_the_results_fragment(client_for, district):
    response = client_for(district.bidan_ampel).get(
        reverse("people:search"), {"q": "bud"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Budi Santoso" in body
    assert "<html" not in body and "<form" not in body


def test_search_writes_an_audit_event(client_for, district):
    client_for(district.bidan_ampel).get(
        reverse("people:search"), {"q": "budi"}, REMOTE_ADDR="192.0.2.7"
    )
    event = AuditEvent.objects.get(action="search")
    assert event.user == district.bidan_ampel
    assert event.person_ids == [district.budi.pk]
    assert event.ip == "192.0.2.7"


def test_person_page_writes_an_audit_event(client_for, district):
    client_for(district.kader_ampel_timur).get(reverse("people:person", args=[district.siti.uuid]))
    event = AuditEvent.objects.get(action="view")
    assert (event.user, event.person_id, event.object_type) == (
        district.kader_ampel_timur,
        district.siti.pk,
        "person",
    )


def test_person_page_shows_identity_address_stage_family_and_timeline(client_for, district):
    response = client_for(district.bidan_ampel).get(
        reverse("people:person", args=[district.siti.uuid])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "5271016107900002" in body
    assert "21-07-1990" in body
    assert "RT 001" in body and "Ampel Timur" in body and "Barat" in body
    assert "Dewasa" in body
    assert reverse("people:family", args=[district.family_ampel.uuid]) in body
    assert reverse("people:person", args=[district.budi.uuid]) in body
    assert "Catat kehamilan" in body  # a woman: pregnancy button
    assert "Istri/suami" in body


def test_person_page_shows_nik_flags_as_warnings(client_for, district):
    district.budi.nik_flags = ["sex_mismatch"]
    district.budi.save(update_fields=["nik_flags"])
    body = (
        client_for(district.bidan_ampel)
        .get(reverse("people:person", args=[district.budi.uuid]))
        .content.decode()
    )
    assert "Peringatan NIK" in body
    assert "Tanggal lahir di NIK tidak sesuai jenis kelamin" in body


def test_family_page_lists_members_with_relationship(client_for, district):
    response = client_for(district.kader_ampel_timur).get(
        reverse("people:family", args=[district.family_ampel.uuid])
    )
    body = response.content.decode()
    assert "5271011203150001" in body
    assert [m.full_name for m in response.context["members"]][0] == "Budi Santoso"
    for label in ("Kepala keluarga", "Istri/suami", "Anak"):
        assert label in body


def test_malformed_uuid_is_404_not_500(client_for, district):
    client = client_for(district.bidan_ampel)
    assert client.get("/penduduk/not-a-uuid/").status_code == 404
    assert client.get("/keluarga/wilayah/", {"village": "garbage"}).status_code == 200


def test_english_person_page(client_for, district):
    client = client_for(district.bidan_ampel)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get(reverse("people:person", args=[district.siti.uuid])).content.decode()
    assert "Identity" in body and "Record pregnancy" in body and "Wife/husband" in body
    assert "Adult" in body


def test_person_page_writes_dates_in_the_readers_locale(district, client_for):
    """Dates on the page follow the reader's language (Django's short date format), not one
    fixed pattern: Rina was born on 2 May 2024."""
    client = client_for(district.kader_ampel_timur)
    url = f"/penduduk/{district.rina.uuid}/"
    assert "lahir 02-05-2024" in client.get(url).content.decode()
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's cookie
    english = client.get(url).content.decode()
    assert "05/02/2024" in english and "02-05-2024" not in english
