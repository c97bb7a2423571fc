"""POST/GET /api/v1/families and POST /api/v1/persons/{uuid}/pregnancies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ilp.people.models import Family, Person, Pregnancy
from tests.api.helpers import assert_error, post_json

URL = "/api/v1/families"


@pytest.fixture
def kader(district, client_for):
    return client_for(district.kader_ampel_barat)


def family_body(district, **changes):
    data = {
        "kk_number": "5271011203150077",
        "address": "Jl. Mawar 1",
        "area_code": district.rt_ampel_barat.code,
        "members": [
            {
                "full_name": "Hasan Basri",
                "sex": "M",
                "birth_date": "1982-06-01",
                "relationship": "head",
                "nik": "5271010106820009",
            },
            {
                "full_name": "Aisyah",
                "sex": "F",
                "birth_date": "1986-02-11",
                "relationship": "spouse",
            },
            {
                "full_name": "Fatimah",
                "sex": "F",
                "birth_date": "2015-09-09",
                "relationship": "child",
            },
        ],
    }
    data.update(changes)
    return data


def test_register_a_family_with_members(district, kader):
    response = post_json(kader, URL, family_body(district))
    assert response.status_code == 201, response.content
    data = response.json()
    family = Family.objects.get(uuid=data["uuid"])
    assert family.kk_number == "5271011203150077"
    assert family.head.full_name == "Hasan Basri"
    assert data["head_uuid"] == str(family.head.uuid)
    assert [m["full_name"] for m in data["members"]] == ["Hasan Basri", "Aisyah", "Fatimah"]
    assert {m["family_uuid"] for m in data["members"]} == {data["uuid"]}
    assert Person.objects.get(full_name="Fatimah").mother.full_name == "Aisyah"
    assert data["hamlet"]["code"] == district.ampel_barat.code


def test_read_a_family_head_first(district, client_for):
    data = client_for(district.bidan_ampel).get(f"{URL}/{district.family_ampel.uuid}").json()
    assert data["kk_number"] == "5271011203150001"
    assert data["head_uuid"] == str(district.budi.uuid)
    assert [m["relationship"] for m in data["members"]] == ["head", "spouse", "child"]


def test_kk_without_head_is_refused(district, kader):
    members = family_body(district)["members"]
    members[0]["relationship"] = "other_family"
    error = assert_error(
        post_json(kader, URL, family_body(district, members=members)), 422, "invalid"
    )
    assert error["fields"] == {
        "members": ["KK belum punya kepala keluarga: tandai satu anggota sebagai kepala keluarga."]
    }
    assert not Family.objects.filter(kk_number="5271011203150077").exists()


def test_member_errors_are_dotted_fields(district, kader):
    members = family_body(district)["members"]
    members[1]["nik"] = "123"
    members[2]["birth_date"] = "2015/09/09"
    members[2]["relationship"] = "cousin"
    error = assert_error(
        post_json(kader, URL, family_body(district, members=members)), 422, "invalid"
    )
    # schema errors come first (before any domain rule runs)
    assert error["fields"] == {
        "members.2.birth_date": ["Tanggal harus berformat YYYY-MM-DD."],
        "members.2.relationship": [
            "Pilihan tidak dikenal; gunakan salah satu dari: head, spouse, child, child_in_law, "
            "grandchild, parent, parent_in_law, other_family, helper, other."
        ],
    }
    members[2]["birth_date"] = "2015-09-09"
    members[2]["relationship"] = "child"
    error = assert_error(
        post_json(kader, URL, family_body(district, members=members)), 422, "invalid"
    )
    assert error["fields"] == {"members.1.nik": ["NIK harus terdiri dari 16 angka."]}


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"kk_number": "12"}, {"kk_number": ["Nomor KK harus terdiri dari 16 angka."]}),
        # The family holding it lives in Ampel Timur, outside this kader's dusun.
        (
            {"kk_number": "5271011203150001"},
            {"kk_number": ["Nomor KK ini sudah terdaftar di luar wilayah Anda."]},
        ),
        (
            {"members": []},
            {"members": ["Keluarga harus punya minimal satu anggota (kepala keluarga)."]},
        ),
        ({"members": "Hasan"}, {"members": ["Harus berupa daftar (JSON array)."]}),
        ({"members": [{}] * 31}, {"members": ["Terlalu banyak (maksimal 30)."]}),
        ({"members": [5]}, {"members.0": ["Harus berupa objek JSON."]}),
        (
            {"area_code": "52.71.09"},
            {"area_code": ["Kode wilayah tidak dikenal: isi kode RT, dusun/RW atau desa."]},
        ),
    ],
)
def test_family_refusals(district, kader, changes, fields):
    error = assert_error(post_json(kader, URL, family_body(district, **changes)), 422, "invalid")
    assert error["fields"] == fields
    assert Family.objects.count() == 1


def test_family_duplicate_suspected_names_the_member(district, client_for):
    client = client_for(district.kader_ampel_timur)
    members = family_body(district)["members"]
    members[2] = {
        "full_name": "Rina Lestari",
        "sex": "F",
        "birth_date": "2024-05-02",
        "relationship": "child",
    }
    data = family_body(district, members=members, area_code=district.rt_ampel_timur.code)
    error = assert_error(post_json(client, URL, data), 409, "duplicate_suspected")
    assert error["candidates"] == [
        {
            "uuid": str(district.rina.uuid),
            "full_name": "Rina Lestari",
            "birth_date": "2024-05-02",
            "local_id": district.rina.local_id,
            "member": 2,
        }
    ]
    assert Family.objects.count() == 1
    response = post_json(client, URL, {**data, "confirm_not_duplicate": True})
    assert response.status_code == 201


def test_family_duplicate_nik(district, kader):
    members = family_body(district)["members"]
    members[0]["nik"] = district.ahmad.nik
    error = assert_error(
        post_json(kader, URL, family_body(district, members=members)), 409, "duplicate_nik"
    )
    assert error["fields"] == {"members.0.nik": ["NIK ini sudah terdaftar untuk penduduk lain."]}


# --- pregnancies -------------------------------------------------------------------------


def preg_url(person):
    return f"/api/v1/persons/{person.uuid}/pregnancies"


def test_open_a_pregnancy_from_lmp(district, client_for):
    client = client_for(district.kader_ampel_timur)
    lmp = timezone.localdate() - timedelta(days=60)
    response = post_json(
        client, preg_url(district.siti), {"lmp": lmp.isoformat(), "gravida": 2, "para": 1}
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["edd"] == (lmp + timedelta(days=280)).isoformat()
    assert (data["outcome"], data["outcome_label"]) == ("ongoing", "Sedang hamil")
    pregnancy = Pregnancy.objects.get(uuid=data["uuid"])
    assert (pregnancy.person, pregnancy.gravida, pregnancy.created_by) == (
        district.siti,
        2,
        district.kader_ampel_timur,
    )
    detail = client.get(f"/api/v1/persons/{district.siti.uuid}").json()
    assert [p["uuid"] for p in detail["pregnancies"]] == [data["uuid"]]
    again = post_json(client, preg_url(district.siti), {"lmp": lmp.isoformat(), "gravida": 2})
    assert_error(again, 422, "invalid", {"person": ["Ibu ini masih tercatat sedang hamil."]})


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, {"lmp": ["Isi HPHT atau taksiran persalinan."]}),
        ({"lmp": "2099-01-01"}, {"lmp": ["HPHT tidak boleh di masa depan."]}),
        ({"lmp": "01/01/2025"}, {"lmp": ["Tanggal harus berformat YYYY-MM-DD."]}),
        ({"edd": "2026-01-01", "gravida": 0}, {"gravida": ["Minimal 1."]}),
        ({"edd": "2026-01-01", "para": 99}, {"para": ["Maksimal 30."]}),
        (
            {"edd": "2026-01-01", "gravida": 2, "para": 1, "abortus": 1},
            {"gravida": ["G-P-A tidak konsisten: P + A harus lebih kecil dari G."]},
        ),
    ],
)
def test_pregnancy_refusals(district, client_for, data, fields):
    client = client_for(district.bidan_ampel)
    error = assert_error(post_json(client, preg_url(district.siti), data), 422, "invalid")
    assert error["fields"] == fields
    assert not Pregnancy.objects.exists()


def test_pregnancy_for_a_man_is_refused(district, client_for):
    response = post_json(
        client_for(district.bidan_ampel), preg_url(district.budi), {"edd": "2026-01-01"}
    )
    assert_error(
        response, 422, "invalid", {"person": ["Kehamilan hanya dapat dicatat untuk perempuan."]}
    )
