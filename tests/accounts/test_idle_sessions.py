"""Idle sessions end (shared puskesmas computers), and the login page says why."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from ilp.accounts.middleware import LAST_SEEN_KEY

pytestmark = pytest.mark.django_db


def _idle_for(client, seconds: int) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds
    session.save()


def test_default_idle_timeout_is_30_minutes(settings):
    assert settings.ILP_SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_a_session_idle_too_long_is_logged_out_and_the_login_page_says_why(client_for, district):
    client = client_for(district.pkm_barat)
    assert client.get(reverse("care:worklists")).status_code == 200
    _idle_for(client, 30 * 60 + 1)
    response = client.get(reverse("care:worklists"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=" + reverse("care:worklists")
    page = client.get(response["Location"])
    assert not page.wsgi_request.user.is_authenticated
    assert (
        "Anda otomatis keluar karena tidak ada aktivitas selama 30 menit. Silakan masuk lagi."
        in page.content.decode()
    )


def test_activity_keeps_the_session_alive(client_for, district):
    client = client_for(district.pkm_barat)
    _idle_for(client, 29 * 60)
    assert client.get("/").status_code == 200
    # That request counted as activity: the clock starts again.
    assert time.time() - client.session[LAST_SEEN_KEY] < 5
    _idle_for(client, 29 * 60)
    assert client.get("/").status_code == 200


def test_the_timeout_is_configurable_and_the_message_follows(client_for, district, settings):
    settings.ILP_SESSION_IDLE_SECONDS = 10 * 60
    client = client_for(district.kader_ampel_timur)
    _idle_for(client, 10 * 60 + 1)
    client.get("/")
    body = client.get(reverse("login")).content.decode()
    assert "tidak ada aktivitas selama 10 menit" in body


def test_english_message(client_for, district):
    client = client_for(district.kader_ampel_timur)
    client.cookies["django_language"] = "en"
    _idle_for(client, 31 * 60)
    client.get("/")
    body = client.get(reverse("login")).content.decode()
    assert "You were logged out after 30 minutes without activity. Please log in again." in body


def test_htmx_request_is_sent_to_the_login_page(client_for, district):
    client = client_for(district.kader_ampel_timur)
    _idle_for(client, 31 * 60)
    response = client.get(reverse("people:search") + "?q=Budi", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("login")


def test_api_call_on_an_idle_session_answers_401(client_for, district):
    client = client_for(district.kader_ampel_timur)
    _idle_for(client, 31 * 60)
    response = client.get("/api/v1/persons?q=Budi")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_the_idle_clock_is_written_at_most_once_a_minute(client_for, district):
    client = client_for(district.kader_ampel_timur)
    _idle_for(client, 20)
    before = client.session[LAST_SEEN_KEY]
    client.get("/")
    assert client.session[LAST_SEEN_KEY] == before
