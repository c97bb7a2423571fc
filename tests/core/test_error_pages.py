"""Error pages show nothing but a message: a 500 carries a reference id that is logged with
the traceback, 404 and 403 pages show no URL map and no record, a malformed request body is
a 400 (web pages and API), never a 500."""

from __future__ import annotations

import logging
import re

import pytest
from django.test import Client

BAD_MULTIPART = b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n'
# No boundary, an empty one, a NUL one.
BAD_MULTIPART_TYPES = [
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=\x00",
]


def _browser_like(user) -> Client:
    """A logged-in client that checks CSRF and holds the CSRF cookie, as a browser does: the
    body is then read by the CSRF check before any view."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/keluarga/baru/").status_code == 200
    assert client.cookies.get("csrftoken")
    return client


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = "tests.core.urls_failing"


def test_a_500_page_shows_a_reference_and_no_data(district, failing_urls, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(district.dinkes)
    with caplog.at_level(logging.ERROR):
        response = client.get("/gagal/")
    assert response.status_code == 500
    page = response.content.decode()
    for person in (district.budi, district.siti, district.dewi):
        assert person.nik not in page
        assert person.full_name not in page
    assert "Traceback" not in page and "RuntimeError" not in page
    reference = re.search(r'<code class="reference">([0-9a-f]{12})</code>', page)
    assert reference, page
    # The reference leads the administrator to the traceback in the log.
    logged = [r for r in caplog.records if reference.group(1) in r.getMessage()]
    assert logged and logged[0].exc_info and logged[0].exc_info[0] is RuntimeError
    assert "Terjadi kesalahan di server" in page


def test_an_api_500_is_the_envelope_with_a_reference(district, failing_urls, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(district.dinkes)
    with caplog.at_level(logging.ERROR):
        response = client.get("/api/v1/gagal")
    assert response.status_code == 500
    assert district.budi.nik not in response.content.decode()
    error = response.json()["error"]
    assert error["code"] == "server_error"
    assert re.fullmatch(r"[0-9a-f]{12}", error["reference"])
    assert any(error["reference"] in r.getMessage() for r in caplog.records)


def test_an_anonymous_404_shows_no_url_map(district, client):
    response = client.get("/tidak-ada/apa-apa/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Tidak ditemukan" in page
    for leak in ("URLconf", "admin/", "api/v1/", "layanan/", "penduduk/cari", "Traceback"):
        assert leak not in page, leak


def test_a_404_for_a_record_out_of_scope_names_nothing(district, client_for):
    client = client_for(district.kader_cemara)
    response = client.get(f"/penduduk/{district.rina.uuid}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert district.rina.full_name not in page
    assert "Ampel" not in page


def test_a_403_shows_the_reason_only(district, client_for):
    response = client_for(district.camat_barat).get("/penduduk/cari/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Peran Anda tidak boleh membuka halaman ini." in page
    assert "URLconf" not in page


@pytest.mark.parametrize("content_type", BAD_MULTIPART_TYPES)
def test_a_malformed_multipart_body_is_400_on_a_web_page(district, content_type):
    client = _browser_like(district.bidan_ampel)
    response = client.generic("POST", "/keluarga/baru/", BAD_MULTIPART, content_type=content_type)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Permintaan tidak dapat dibaca" in page


@pytest.mark.parametrize("content_type", BAD_MULTIPART_TYPES)
def test_a_malformed_multipart_body_is_400_in_the_api(district, content_type):
    client = _browser_like(district.bidan_ampel)
    response = client.generic("POST", "/api/v1/families", BAD_MULTIPART, content_type=content_type)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "bad_request"
    assert error["message"] == "Isi permintaan tidak dapat dibaca."
