"""Who may call which endpoint: anonymous 401, roles without personal data 403, out-of-scope
404 with the same message as a missing record, and the scope of each role."""

from __future__ import annotations

import uuid

import pytest

from ilp.accounts.models import AuditEvent
from ilp.people.models import Family, Person, Pregnancy
from tests.api.helpers import assert_error, post_json

NOT_FOUND_PERSON = "Penduduk tidak ditemukan di wilayah Anda."
NOT_FOUND_FAMILY = "Keluarga tidak ditemukan di wilayah Anda."


def _person_body(district):
    return {
        "full_name": "Nur Hidayah",
        "sex": "F",
        "birth_date": "1999-04-01",
        "area_code": district.rt_ampel_timur.code,
    }


def _family_body(district):
    return {
        "kk_number": "5271011203150099",
        "area_code": district.rt_ampel_timur.code,
        "members": [
            {
                "full_name": "Joko Widodo",
                "sex": "M",
                "birth_date": "1980-01-01",
                "relationship": "head",
            },
        ],
    }


def _person_calls(district):
    """(method, url, body) for every person/family endpoint, aimed at an existing record."""
    budi, siti = district.budi.uuid, district.siti.uuid
    return [
        ("get", "/api/v1/persons?q=Budi", None),
        ("get", f"/api/v1/persons/{budi}", None),
        ("post", "/api/v1/persons", _person_body(district)),
        ("post", f"/api/v1/persons/{siti}/pregnancies", {"lmp": "2000-01-01"}),
        ("get", f"/api/v1/families/{district.family_ampel.uuid}", None),
        ("post", "/api/v1/families", _family_body(district)),
    ]


def _call(client, method, url, body):
    if method == "get":
        return client.get(url)
    return post_json(client, url, body)


def _counts():
    return (Person.objects.count(), Family.objects.count(), Pregnancy.objects.count())


def test_anonymous_gets_401_everywhere(district, client):
    calls = _person_calls(district) + [
        ("get", "/api/v1/places/areas", None),
        ("get", "/api/v1/places/areas/52.71", None),
        ("get", "/api/v1/places/facilities", None),
    ]
    before = _counts()
    for method, url, body in calls:
        error = assert_error(_call(client, method, url, body), 401, "unauthenticated")
        assert error["message"] == "Silakan masuk terlebih dahulu."
    assert _counts() == before
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("persona", ["norole", "ppa", "camat_barat", "kades_ampel"])
def test_roles_without_personal_data_get_403_on_person_endpoints(district, client_for, persona):
    client = client_for(getattr(district, persona))
    before = _counts()
    for method, url, body in _person_calls(district):
        response = _call(client, method, url, body)
        error = assert_error(response, 403, "forbidden")
        assert "Budi" not in response.content.decode()
        assert error["fields"] == {}
    assert _counts() == before
    # Nothing was read, so nothing was audited as viewed or searched.
    assert not AuditEvent.objects.filter(action__in=["view", "search", "create"]).exists()


def test_tpcb_reads_but_may_not_register(district, client_for):
    client = client_for(district.tpcb)
    assert client.get(f"/api/v1/persons/{district.dewi.uuid}").status_code == 200
    before = _counts()
    for method, url, body in _person_calls(district):
        if method == "post":
            error = assert_error(_call(client, method, url, body), 403, "forbidden")
            assert error["message"] == "Peran Anda tidak boleh mendaftarkan penduduk."
    assert _counts() == before


def test_kader_gets_404_for_a_person_in_another_dusun_same_as_missing(district, client_for):
    client = client_for(district.kader_ampel_timur)
    other = client.get(f"/api/v1/persons/{district.ahmad.uuid}")
    missing = client.get(f"/api/v1/persons/{uuid.uuid4()}")
    assert_error(other, 404, "not_found")
    assert other.json() == missing.json()
    assert other.json()["error"]["message"] == NOT_FOUND_PERSON
    assert "Ahmad" not in other.content.decode()
    assert not AuditEvent.objects.filter(action="view").exists()


def test_kader_never_sees_another_dusun_in_search(district, client_for):
    client = client_for(district.kader_ampel_timur)
    for q in ["Ahmad", "ahmad fauzi", district.ahmad.nik, district.ahmad.local_id, "a"]:
        response = client.get("/api/v1/persons", {"q": q})
        assert response.status_code == 200
        names = [p["full_name"] for p in response.json()["items"]]
        assert "Ahmad Fauzi" not in names, q
    response = client.get("/api/v1/persons", {"q": "S"})
    assert [p["full_name"] for p in response.json()["items"]] == ["Siti Aminah"]


def test_kader_cannot_post_pregnancy_or_read_family_outside_dusun(district, client_for):
    client = client_for(district.kader_ampel_barat)
    response = post_json(
        client, f"/api/v1/persons/{district.siti.uuid}/pregnancies", {"lmp": "2000-01-01"}
    )
    error = assert_error(response, 404, "not_found")
    assert error["message"] == NOT_FOUND_PERSON
    assert not Pregnancy.objects.exists()
    response = client.get(f"/api/v1/families/{district.family_ampel.uuid}")
    error = assert_error(response, 404, "not_found")
    assert error["message"] == NOT_FOUND_FAMILY


def test_kader_may_not_register_outside_own_dusun(district, client_for):
    client = client_for(district.kader_ampel_timur)
    body = {**_person_body(district), "area_code": district.rt_ampel_barat.code}
    error = assert_error(post_json(client, "/api/v1/persons", body), 403, "forbidden")
    assert error["message"] == "Wilayah ini di luar wilayah kerja Anda."
    assert not Person.objects.filter(full_name="Nur Hidayah").exists()


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("kader_ampel_timur", {"budi", "siti", "rina"}),
        ("kader_cemara", {"dewi"}),
        ("bidan_ampel", {"budi", "siti", "rina", "ahmad"}),
        ("pkm_barat", {"budi", "siti", "rina", "ahmad", "wayan"}),
        ("dinkes", {"budi", "siti", "rina", "ahmad", "wayan", "dewi"}),
        ("tpcb", {"budi", "siti", "rina", "ahmad", "wayan", "dewi"}),
    ],
)
def test_each_role_sees_exactly_its_area(district, client_for, persona, visible):
    client = client_for(getattr(district, persona))
    everyone = {"budi", "siti", "rina", "ahmad", "wayan", "dewi"}
    for name in everyone:
        person = getattr(district, name)
        response = client.get(f"/api/v1/persons/{person.uuid}")
        assert response.status_code == (200 if name in visible else 404), name
        found = client.get("/api/v1/persons", {"q": person.full_name}).json()["items"]
        assert [p["uuid"] for p in found] == ([str(person.uuid)] if name in visible else [])
    family = client.get(f"/api/v1/families/{district.family_ampel.uuid}")
    assert family.status_code == (200 if "budi" in visible else 404)


@pytest.mark.parametrize("persona", ["ppa", "camat_barat", "kader_cemara", "dinkes"])
def test_places_are_open_to_every_role(district, client_for, persona):
    client = client_for(getattr(district, persona))
    assert client.get("/api/v1/places/areas").status_code == 200
    assert client.get("/api/v1/places/areas/52.71.01").status_code == 200
    assert client.get("/api/v1/places/facilities").status_code == 200


def test_places_refuse_a_user_without_role(district, client_for):
    client = client_for(district.norole)
    for url in ["/api/v1/places/areas", "/api/v1/places/areas/52.71", "/api/v1/places/facilities"]:
        error = assert_error(client.get(url), 403, "forbidden")
        assert error["message"] == "Akun Anda belum punya peran; hubungi admin Dinas Kesehatan."


def test_reads_are_audited(district, client_for):
    client = client_for(district.bidan_ampel)
    client.get(f"/api/v1/persons/{district.budi.uuid}")
    client.get("/api/v1/persons", {"q": "Budi"})
    view = AuditEvent.objects.get(action="view")
    assert (view.user, view.person_id) == (district.bidan_ampel, district.budi.pk)
    search = AuditEvent.objects.get(action="search")
    assert search.person_ids == [district.budi.pk]
