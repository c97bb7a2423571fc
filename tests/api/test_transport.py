"""Failures below the endpoints: unreadable bodies, wrong content types, oversized requests,
CSRF, unknown methods, and the language of every message."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from ilp.people.models import Person
from tests.api.helpers import assert_error, post_json

URL = "/api/v1/persons"


@pytest.fixture
def bidan(district, client_for):
    return client_for(district.bidan_ampel)


@pytest.mark.parametrize("raw", ['{"full_name": ', "{'a': 1}", "\xff\xfe", "nan", '{"a":1}}'])
def test_malformed_json_is_422(district, bidan, raw):
    response = bidan.post(URL, data=raw, content_type="application/json")
    error = assert_error(response, 422, "invalid_json")
    assert error["message"] == "Isi permintaan bukan JSON yang valid."
    assert error["fields"] == {
        "body": ["JSON tidak dapat dibaca; periksa tanda kutip, koma dan kurung."]
    }


def test_invalid_utf8_bytes_are_422(district, bidan):
    response = bidan.post(URL, data=b'{"full_name": "\xff\xfe"}', content_type="application/json")
    assert_error(response, 422, "invalid_json")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_wrong_content_type_is_415(district, bidan, content_type):
    response = bidan.post(URL, data='{"full_name": "x"}', content_type=content_type)
    error = assert_error(response, 415, "unsupported_media_type")
    assert error["message"] == (
        "Kirim data sebagai JSON dengan header Content-Type: application/json."
    )


def test_multipart_form_is_415(district, bidan):
    response = bidan.post(URL, data={"full_name": "Nur"})
    assert_error(response, 415, "unsupported_media_type")


def test_empty_body_is_422(district, bidan):
    response = bidan.post(URL, data="", content_type="application/json")
    error = assert_error(response, 422, "invalid")
    assert error["fields"] == {"body": ["Wajib diisi."]}


def test_body_over_the_upload_limit_is_413(district, bidan, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = post_json(bidan, URL, {"full_name": "N" * 20_000})
    error = assert_error(response, 413, "too_large")
    assert error["message"] == "Isi permintaan terlalu besar."


def test_unknown_method_is_not_a_server_error(district, bidan):
    assert bidan.delete(URL).status_code == 405
    assert bidan.put(f"{URL}/{district.budi.uuid}").status_code == 405


def test_post_without_csrf_token_is_refused_with_the_envelope(district):
    client = Client(enforce_csrf_checks=True)
    client.force_login(district.bidan_ampel)
    data = {
        "full_name": "Nur Hidayah",
        "sex": "F",
        "birth_date": "1999-04-01",
        "area_code": district.rt_ampel_barat.code,
    }
    response = post_json(client, URL, data)
    error = assert_error(response, 403, "csrf_failed")
    assert error["message"] == (
        "Token CSRF tidak ada atau tidak cocok; muat ulang halaman lalu coba lagi."
    )
    assert not Person.objects.filter(full_name="Nur Hidayah").exists()
    # GETs need no token; the docs page hands out the cookie a browser client echoes back.
    assert client.get(URL, {"q": "Budi"}).status_code == 200
    assert client.get("/api/v1/docs").status_code == 200
    token = client.cookies["csrftoken"].value
    response = post_json(client, URL, data, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content


# --- language ------------------------------------------------------------------------------


def english(msgid: str) -> str:
    """What the English catalogue makes of an Indonesian message (itself if not translated)."""
    with translation.override("en"):
        return translation.gettext(msgid)


def test_messages_follow_accept_language(district, client_for):
    client = client_for(district.bidan_ampel)
    data = {
        "full_name": "Nur",
        "sex": "F",
        "birth_date": "1999-04-01",
        "nik": "12",
        "area_code": district.rt_ampel_barat.code,
    }
    response = post_json(client, URL, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"
    error = assert_error(response, 422, "invalid")
    assert error["message"] == english("Periksa kembali isian yang ditandai.")
    assert error["fields"] == {"nik": [english("NIK harus terdiri dari 16 angka.")]}
    assert error["fields"]["nik"] != ["NIK harus terdiri dari 16 angka."]  # catalogued
    # Indonesian by default
    response = post_json(client, URL, data)
    assert response["Content-Language"] == "id"
    assert response.json()["error"]["fields"] == {"nik": ["NIK harus terdiri dari 16 angka."]}


@pytest.mark.parametrize(
    ("request_kwargs", "status", "code", "msgid"),
    [
        (
            {"path": URL + "?q=x", "anonymous": True},
            401,
            "unauthenticated",
            "Silakan masuk terlebih dahulu.",
        ),
        (
            {"path": URL + "/not-a-uuid"},
            404,
            "not_found",
            "Penduduk tidak ditemukan di wilayah Anda.",
        ),
        ({"path": URL + "?limit=99"}, 422, "invalid", "Periksa kembali isian yang ditandai."),
        ({"path": "/api/v1/places/areas/99"}, 404, "not_found", "Wilayah tidak ditemukan."),
    ],
)
def test_english_envelopes(district, client, request_kwargs, status, code, msgid):
    if not request_kwargs.get("anonymous"):
        client.force_login(district.dinkes)
    response = client.get(request_kwargs["path"], HTTP_ACCEPT_LANGUAGE="en")
    error = assert_error(response, status, code)
    assert error["message"] == english(msgid)
    assert response["Content-Language"] == "en"


def test_english_field_messages_from_schema_validation(district, client_for):
    client = client_for(district.dinkes)
    response = client.get(URL, {"limit": 99}, HTTP_ACCEPT_LANGUAGE="en")
    error = assert_error(response, 422, "invalid")
    assert error["fields"] == {"limit": [english("Maksimal %(limit)s.") % {"limit": 50}]}
