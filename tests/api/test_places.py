"""GET /api/v1/places/...: areas and facilities (reference data for any role)."""

from __future__ import annotations

import pytest

from tests.api.helpers import assert_error


@pytest.fixture
def camat(district, client_for):
    return client_for(district.camat_barat)


def codes(response):
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


def test_areas_by_level_parent_and_text(district, camat):
    url = "/api/v1/places/areas"
    assert codes(camat.get(url, {"level": 4})) == [
        "52.71.01.1001",
        "52.71.01.1002",
        "52.71.02.1001",
    ]
    assert codes(camat.get(url, {"parent": "52.71.01"})) == ["52.71.01.1001", "52.71.01.1002"]
    assert codes(camat.get(url, {"q": "cemara"})) == ["52.71.02.1001", "52.71.02.1001.01"]
    assert codes(camat.get(url, {"q": "52.71.02.1001.01."})) == [
        "52.71.02.1001.01.001",
        "52.71.02.1001.01.002",
    ]
    page = camat.get(url, {"level": 6, "limit": 3, "offset": 3}).json()
    assert page["count"] == 8
    assert [a["code"] for a in page["items"]] == [
        "52.71.01.1001.02.002",
        "52.71.01.1002.01.001",
        "52.71.01.1002.01.002",
    ]


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"parent": "99.99"}, {"parent": ["Kode wilayah tidak dikenal."]}),
        ({"level": 9}, {"level": ["Maksimal 6."]}),
        ({"level": "desa"}, {"level": ["Harus berupa bilangan bulat."]}),
        ({"limit": 0}, {"limit": ["Minimal 1."]}),
        ({"q": "x" * 101}, {"q": ["Terlalu panjang (maksimal 100 karakter)."]}),
        ({"q": "a\x00b"}, {"q": ["Berisi karakter kontrol yang tidak diizinkan."]}),
    ],
)
def test_area_filter_refusals(district, camat, params, fields):
    error = assert_error(camat.get("/api/v1/places/areas", params), 422, "invalid")
    assert error["fields"] == fields


def test_one_area_with_its_ancestors(district, camat):
    data = camat.get(f"/api/v1/places/areas/{district.rt_batu.code}").json()
    assert (data["name"], data["level"], data["level_label"]) == ("RT 001", 6, "RT")
    assert data["parent"] == {"code": "52.71.01.1002.01", "name": "Batu Atas", "level": 5}
    assert [a["code"] for a in data["ancestors"]] == [
        "52",
        "52.71",
        "52.71.01",
        "52.71.01.1002",
        "52.71.01.1002.01",
    ]


@pytest.mark.parametrize("code", ["99", "52.71.0", "x" * 5000, "%00"])
def test_unknown_area_is_404(district, camat, code):
    error = assert_error(camat.get(f"/api/v1/places/areas/{code}"), 404, "not_found")
    assert error["message"] == "Wilayah tidak ditemukan."


def test_facilities_by_kind_and_area(district, camat):
    url = "/api/v1/places/facilities"
    assert codes(camat.get(url, {"kind": "posyandu", "area": "52.71.01.1001"})) == [
        "POS-AB",
        "POS-AT",
    ]
    assert codes(camat.get(url, {"area": "52.71.02"})) == [
        "RS-UJI",
        "POS-CR",
        "P5271020101",
        "PUSTU-CEMARA",
    ]
    pustu = camat.get(url, {"kind": "pustu"}).json()["items"][0]
    assert pustu == {
        "code": "PUSTU-AMPEL",
        "name": "Pustu Ampel",
        "kind": "pustu",
        "kind_label": "Pustu",
        "area": {"code": "52.71.01.1001", "name": "Ampel", "level": 4},
        "parent_code": "P5271010101",
        "service_area_codes": ["52.71.01.1001"],
        "address": "",
        "phone": "",
    }


def test_facility_filter_refusals(district, camat):
    url = "/api/v1/places/facilities"
    assert_error(
        camat.get(url, {"kind": "klinik"}),
        422,
        "invalid",
        {
            "kind": [
                "Pilihan tidak dikenal; gunakan salah satu dari: dinkes, puskesmas, pustu, "
                "posyandu, hospital."
            ]
        },
    )
    assert_error(
        camat.get(url, {"area": "00"}), 422, "invalid", {"area": ["Kode wilayah tidak dikenal."]}
    )
