"""POST/GET /api/v1/persons: registration, detail, search and every refusal with its exact
message and field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ilp.people.models import Person
from tests.api.helpers import assert_error, post_json

URL = "/api/v1/persons"
CHECK = "Periksa kembali isian yang ditandai."


@pytest.fixture
def bidan(district, client_for):
    return client_for(district.bidan_ampel)


def body(district, **changes):
    data = {
        "full_name": "Nur  Hidayah ",
        "sex": "F",
        "birth_date": "1999-04-01",
        "nik": "5271014104990007",
        "area_code": district.rt_ampel_barat.code,
        "address": "Jl. Melati 3",
        "phone": "0812 3456 7890",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not ...}


def test_register_a_person(district, bidan):
    response = post_json(bidan, URL, body(district))
    assert response.status_code == 201, response.content
    data = response.json()
    person = Person.objects.get(uuid=data["uuid"])
    assert (person.full_name, person.nik, person.created_by) == (
        "Nur Hidayah",
        "5271014104990007",
        district.bidan_ampel,
    )
    assert (person.rt, person.hamlet, person.village) == (
        district.rt_ampel_barat,
        district.ampel_barat,
        district.ampel,
    )
    assert data["full_name"] == "Nur Hidayah"
    assert data["village"] == {"code": "52.71.01.1001", "name": "Ampel", "level": 4}
    assert data["rt"]["code"] == district.rt_ampel_barat.code
    assert data["nik_flags"] == []
    assert data["life_stage"]["main"] == "adult"
    assert data["local_id"].startswith("ILP-")
    assert "id" not in data and "pk" not in data


@pytest.mark.parametrize(
    ("area", "hamlet", "village"),
    [("ampel_barat", "ampel_barat", "ampel"), ("ampel", None, "ampel")],
)
def test_area_code_may_be_a_dusun_or_a_desa(district, bidan, area, hamlet, village):
    code = getattr(district, area).code
    response = post_json(bidan, URL, body(district, area_code=code))
    assert response.status_code == 201, response.content
    person = Person.objects.get(uuid=response.json()["uuid"])
    assert person.rt is None
    assert person.hamlet == (getattr(district, hamlet) if hamlet else None)
    assert person.village == getattr(district, village)


def test_nik_disagreeing_with_birth_date_is_kept_with_a_labelled_flag(district, bidan):
    response = post_json(bidan, URL, body(district, birth_date="1999-04-02"))
    assert response.status_code == 201
    assert response.json()["nik_flags"] == [
        {"code": "birth_date_mismatch", "label": "Tanggal lahir di NIK tidak sesuai"}
    ]


def test_register_into_an_existing_family(district, client_for):
    client = client_for(district.kader_ampel_timur)
    data = body(
        district,
        nik=...,
        area_code=district.rt_ampel_timur.code,
        family_uuid=str(district.family_ampel.uuid),
        relationship="child",
    )
    response = post_json(client, URL, data)
    assert response.status_code == 201, response.content
    assert response.json()["family_uuid"] == str(district.family_ampel.uuid)
    assert Person.objects.get(uuid=response.json()["uuid"]).family == district.family_ampel


def test_family_outside_scope_is_a_field_error(district, client_for):
    client = client_for(district.kader_ampel_barat)
    data = body(district, nik=..., family_uuid=str(district.family_ampel.uuid))
    assert_error(
        post_json(client, URL, data),
        422,
        "invalid",
        {"family_uuid": ["Keluarga tidak ditemukan di wilayah Anda."]},
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"nik": "12345"}, "nik", "NIK harus terdiri dari 16 angka."),
        ({"nik": "5271014104990000"}, "nik", "Nomor urut NIK (4 angka terakhir) tidak boleh 0000."),
        ({"full_name": " x "}, "full_name", "Nama lengkap wajib diisi (minimal 2 huruf)."),
        ({"bpjs_number": "123"}, "bpjs_number", "Nomor BPJS harus 13 angka."),
        (
            {"birth_date": "1890-01-01", "nik": ""},
            "birth_date",
            "Umur lebih dari 120 tahun tidak mungkin; periksa tanggal lahir.",
        ),
    ],
)
def test_domain_rules_answer_422_on_the_field(district, bidan, changes, field, message):
    error = assert_error(post_json(bidan, URL, body(district, **changes)), 422, "invalid")
    assert error == {"code": "invalid", "message": CHECK, "fields": {field: [message]}}
    assert not Person.objects.filter(full_name="Nur Hidayah").exists()


def test_future_birth_date_is_refused(district, bidan):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    error = assert_error(
        post_json(bidan, URL, body(district, birth_date=tomorrow, nik="")), 422, "invalid"
    )
    assert error["fields"] == {"birth_date": ["Tanggal lahir tidak boleh di masa depan."]}


def test_unknown_area_code(district, bidan):
    error = assert_error(
        post_json(bidan, URL, body(district, area_code="99.99.99.9999")), 422, "invalid"
    )
    assert error["message"] == "Kode wilayah tidak dikenal."
    assert error["fields"] == {
        "area_code": ["Kode wilayah tidak dikenal: isi kode RT, dusun/RW atau desa."]
    }


def test_area_above_desa_is_refused_on_area_code(district, bidan):
    error = assert_error(
        post_json(bidan, URL, body(district, area_code=district.kec_barat.code)), 422, "invalid"
    )
    assert error["message"] == "Alamat harus di tingkat desa/kelurahan, dusun/RW atau RT."
    assert error["fields"] == {"area_code": ["Wilayah terlalu umum."]}


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"birth_date": 19990401}, {"birth_date": ["Tanggal harus berformat YYYY-MM-DD."]}),
        ({"birth_date": "01-04-1999"}, {"birth_date": ["Tanggal harus berformat YYYY-MM-DD."]}),
        ({"birth_date": "1999-02-30"}, {"birth_date": ["Tanggal ini tidak ada di kalender."]}),
        ({"full_name": 123}, {"full_name": ["Harus berupa teks."]}),
        (
            {"sex": "L"},
            {"sex": ["Pilihan tidak dikenal; gunakan salah satu dari: M, F."]},
        ),
        ({"confirm_not_duplicate": "maybe"}, {"confirm_not_duplicate": ["Harus true atau false."]}),
        ({"family_uuid": "not-a-uuid"}, {"family_uuid": ["UUID tidak valid."]}),
        ({"area": "52.71.01.1001"}, {"area": ["Isian ini tidak dikenal."]}),
        ({"full_name": ...}, {"full_name": ["Wajib diisi."]}),
        ({"area_code": ...}, {"area_code": ["Wajib diisi."]}),
        ({"full_name": "N" * 100_000}, {"full_name": ["Terlalu panjang (maksimal 120 karakter)."]}),
        ({"phone": "0" * 21}, {"phone": ["Terlalu panjang (maksimal 20 karakter)."]}),
        (
            {"full_name": "Nur\x00Hidayah"},
            {"full_name": ["Berisi karakter kontrol yang tidak diizinkan."]},
        ),
    ],
)
def test_wrong_types_answer_422_per_field(district, bidan, changes, fields):
    error = assert_error(post_json(bidan, URL, body(district, **changes)), 422, "invalid")
    assert error["message"] == CHECK
    assert error["fields"] == fields
    assert Person.objects.count() == 6


def test_a_json_value_that_is_not_an_object(district, bidan):
    for payload in ([1, 2], "text", 5, None):
        error = assert_error(post_json(bidan, URL, payload), 422, "invalid")
        assert list(error["fields"]) == ["body"]


def test_duplicate_nik_is_a_conflict(district, bidan):
    error = assert_error(
        post_json(bidan, URL, body(district, nik=district.budi.nik)), 409, "duplicate_nik"
    )
    assert error["message"] == "NIK sudah terdaftar."
    assert error["fields"] == {"nik": ["NIK ini sudah terdaftar untuk penduduk lain."]}


def test_duplicate_suspected_lists_candidates_then_confirm_saves(district, client_for):
    client = client_for(district.kader_ampel_timur)
    data = body(
        district,
        full_name="budi santosa",
        sex="M",
        birth_date="1985-03-12",
        nik=...,
        area_code=district.rt_ampel_timur.code,
    )
    error = assert_error(post_json(client, URL, data), 409, "duplicate_suspected")
    assert error["message"].startswith("Ada penduduk terdaftar dengan nama mirip")
    assert error["candidates"] == [
        {
            "uuid": str(district.budi.uuid),
            "full_name": "Budi Santoso",
            "birth_date": "1985-03-12",
            "local_id": district.budi.local_id,
            "member": None,
        }
    ]
    assert not Person.objects.filter(full_name="budi santosa").exists()
    response = post_json(client, URL, {**data, "confirm_not_duplicate": True})
    assert response.status_code == 201
    assert Person.objects.filter(full_name="budi santosa").count() == 1


def test_duplicate_candidates_outside_scope_are_not_revealed(district, client_for):
    client = client_for(district.kader_ampel_barat)  # Budi lives in Ampel Timur
    data = body(district, full_name="Budi Santoso", sex="M", birth_date="1985-03-12", nik=...)
    response = post_json(client, URL, data)
    error = assert_error(response, 409, "duplicate_suspected")
    assert error["candidates"] == []
    assert str(district.budi.uuid) not in response.content.decode()


def test_detail_shows_life_stages_family_and_pregnancies(district, client_for):
    client = client_for(district.kader_ampel_timur)
    data = client.get(f"{URL}/{district.rina.uuid}").json()
    assert data["family_uuid"] == str(district.family_ampel.uuid)
    assert data["relationship"] == "child"
    assert data["sex_label"] == "Perempuan"
    assert data["life_stage"]["stages"][0]["code"] == data["life_stage"]["main"]
    assert data["pregnancies"] == []


@pytest.mark.parametrize(
    "raw", ["not-a-uuid", "1" * 5000, "00000000-0000-0000-0000-00000000000g", "%00", "12"]
)
def test_invalid_uuid_in_path_is_404(district, bidan, raw):
    error = assert_error(bidan.get(f"{URL}/{raw}"), 404, "not_found")
    assert error["message"] == "Penduduk tidak ditemukan di wilayah Anda."
    assert_error(
        post_json(bidan, f"{URL}/{raw}/pregnancies", {"lmp": "2020-01-01"}), 404, "not_found"
    )
    assert_error(bidan.get(f"/api/v1/families/{raw}"), 404, "not_found")


def test_search_limit_and_query_length(district, client_for):
    client = client_for(district.dinkes)
    assert len(client.get(URL, {"q": "a", "limit": 50}).json()["items"]) == 1  # Ahmad
    found = client.get(URL, {"q": "s", "limit": 1}).json()["items"]
    assert [p["full_name"] for p in found] == ["Siti Aminah"]
    assert_error(
        client.get(URL, {"q": "s", "limit": 51}), 422, "invalid", {"limit": ["Maksimal 50."]}
    )
    assert_error(
        client.get(URL, {"limit": "x"}), 422, "invalid", {"limit": ["Harus berupa bilangan bulat."]}
    )
    assert_error(
        client.get(URL, {"q": "s" * 10_000}),
        422,
        "invalid",
        {"q": ["Terlalu panjang (maksimal 100 karakter)."]},
    )
    assert client.get(URL).json() == {"items": [], "total": 0, "total_capped": False}


def test_search_by_kk_number_returns_the_family(district, client_for):
    client = client_for(district.kader_ampel_timur)
    found = client.get(URL, {"q": "5271 0112 0315 0001"}).json()["items"]
    assert {p["full_name"] for p in found} == {"Budi Santoso", "Siti Aminah", "Rina Lestari"}


def test_search_runs_a_fixed_number_of_queries(district, client_for, django_assert_num_queries):
    client = client_for(district.dinkes)
    client.get(URL, {"q": "x"})  # warm the session
    # session, user, the user's district (scope), matching ids in name order, those persons
    # with village/hamlet/family, audit
    with django_assert_num_queries(6):
        response = client.get(URL, {"q": "s"})
    assert len(response.json()["items"]) == 1
