"""API tokens for machine clients: issued by an administrator, hashed at rest, scoped like their
user, expiring and revocable, rate-limited, audited as the client, described in OpenAPI."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ilp.accounts.models import ApiToken, AuditEvent
from ilp.accounts.tokens import token_issue
from ilp.people.models import Person
from tests.api.helpers import assert_error, post_json

pytestmark = pytest.mark.django_db

INVALID = "Token API tidak dikenal, sudah kedaluwarsa atau sudah dicabut."


def _issue(district, user, *, name="SIMRS RSUD Kota Uji", days=30, rate=None):
    token, secret = token_issue(
        user=user,
        name=name,
        expires_at=timezone.now() + timedelta(days=days),
        rate_per_minute=rate,
        by=district.dinkes,
        ip=None,
    )
    return token, secret


def _bearer(secret):
    # A machine client: no cookies at all, and CSRF checks on as in production.
    client = Client(enforce_csrf_checks=True)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def test_dinkes_admin_issues_a_token_shown_once_and_stored_hashed(client_for, district):
    admin = client_for(district.dinkes)
    url = reverse("account_token_new", args=["kader_ampel_timur"])
    assert admin.get(url).status_code == 200
    last_day = timezone.localdate() + timedelta(days=365)
    response = admin.post(
        url, {"name": "Aplikasi posyandu luring", "expires_on": last_day, "rate_per_minute": ""}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = re.search(r"data-token>([^<]+)<", response.content.decode()).group(1)
    assert re.fullmatch(r"ilp_[A-Za-z0-9_-]{43}", secret)
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.created_by) == (
        district.kader_ampel_timur,
        "Aplikasi posyandu luring",
        district.dinkes,
    )
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:12]
    # Valid through the chosen day, in the district's time zone.
    assert timezone.localtime(token.expires_at) == timezone.make_aware(
        datetime.combine(last_day + timedelta(days=1), time.min)
    )
    # The secret is nowhere in the database, and the user's page no longer shows it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        assert secret not in json.dumps(cursor.fetchall(), default=str)
    page = admin.get(reverse("account_user", args=["kader_ampel_timur"])).content.decode()
    assert "Aplikasi posyandu luring" in page and token.prefix in page
    assert secret not in page
    assert _bearer(secret).get(f"/api/v1/persons/{district.budi.uuid}").status_code == 200


def test_issue_form_refuses_a_past_date(client_for, district):
    admin = client_for(district.dinkes)
    response = admin.post(
        reverse("account_token_new", args=["kader_ampel_timur"]),
        {"name": "x", "expires_on": "2020-01-01"},
    )
    assert "Tanggal berlaku harus di masa depan." in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("kader_ampel_timur", {"budi", "siti", "rina"}),
        ("kader_cemara", {"dewi"}),
        ("pkm_barat", {"budi", "siti", "rina", "ahmad", "wayan"}),
        ("tpcb", {"budi", "siti", "rina", "ahmad", "wayan", "dewi"}),
    ],
)
def test_a_token_sees_exactly_its_users_scope(district, client_for, persona, visible):
    user = getattr(district, persona)
    _token, secret = _issue(district, user, rate=1000)
    client = _bearer(secret)
    session = client_for(user)
    for name in ("budi", "siti", "rina", "ahmad", "wayan", "dewi"):
        person = getattr(district, name)
        response = client.get(f"/api/v1/persons/{person.uuid}")
        assert response.status_code == (200 if name in visible else 404), name
        by_token = client.get("/api/v1/persons", {"q": person.full_name}).json()
        by_session = session.get("/api/v1/persons", {"q": person.full_name}).json()
        assert by_token == by_session


def test_a_token_writes_without_csrf_within_scope(district):
    _token, secret = _issue(district, district.kader_ampel_timur)
    body = {
        "full_name": "Nur Hidayah",
        "sex": "F",
        "birth_date": "1999-04-01",
        "area_code": district.rt_ampel_timur.code,
    }
    response = post_json(_bearer(secret), "/api/v1/persons", body)
    assert response.status_code == 201, response.content
    outside = {**body, "full_name": "Luar Wilayah", "area_code": district.rt_cemara.code}
    assert_error(post_json(_bearer(secret), "/api/v1/persons", outside), 403, "forbidden")
    assert list(
        Person.objects.filter(full_name__in=["Nur Hidayah", "Luar Wilayah"]).values_list(
            "full_name", flat=True
        )
    ) == ["Nur Hidayah"]


def test_the_browser_session_still_needs_csrf(district):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(district.kader_ampel_timur)
    response = post_json(browser, "/api/v1/persons", {"full_name": "x"})
    assert_error(response, 403, "csrf_failed")


def _assert_invalid(response):
    error = assert_error(response, 401, "invalid_token")
    assert error["message"] == INVALID
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert "Budi" not in response.content.decode()


def test_unknown_expired_revoked_and_inactive_tokens_get_401(district):
    url = f"/api/v1/persons/{district.budi.uuid}"
    _assert_invalid(_bearer("ilp_" + "x" * 43).get(url))
    _assert_invalid(_bearer("not-even-a-token").get(url))

    expired, expired_secret = _issue(district, district.bidan_ampel)
    assert _bearer(expired_secret).get(url).status_code == 200
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    _assert_invalid(_bearer(expired_secret).get(url))

    revoked, revoked_secret = _issue(district, district.bidan_ampel, name="Mitra")
    client = Client()
    client.force_login(district.dinkes)
    response = client.post(reverse("account_token_revoke", args=[revoked.uuid]))
    assert response.status_code == 302
    _assert_invalid(_bearer(revoked_secret).get(url))
    revoked.refresh_from_db()
    assert revoked.revoked_by == district.dinkes

    _active, secret = _issue(district, district.pkm_barat, name="Puskesmas app")
    district.pkm_barat.is_active = False
    district.pkm_barat.save()
    _assert_invalid(_bearer(secret).get(url))
    # Refusals are audited (with the first characters of what was sent, never a whole token).
    denied = AuditEvent.objects.filter(action="denied", object_type="api")
    assert denied.count() == 5
    assert all(len(e.detail["token"]) <= 12 for e in denied)


def test_rate_limit_answers_429_with_retry_after(district):
    _token, secret = _issue(district, district.bidan_ampel, rate=3)
    client = _bearer(secret)
    url = f"/api/v1/persons/{district.budi.uuid}"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(url)
    error = assert_error(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert error["message"] == (
        f"Terlalu banyak permintaan dengan token ini; coba lagi dalam "
        f"{response['Retry-After']} detik."
    )
    # Per token: another client is not held back.
    _other, other_secret = _issue(district, district.bidan_ampel, name="Mitra", rate=3)
    assert _bearer(other_secret).get(url).status_code == 200


def test_rate_limit_counts_per_minute_window(district):
    from ilp.accounts.tokens import token_take_call

    token, _secret = _issue(district, district.bidan_ampel, rate=2)
    start = timezone.now().replace(second=10, microsecond=0)
    assert [token_take_call(token, start).allowed for _ in range(3)] == [True, True, False]
    assert token_take_call(token, start).retry_after == 50
    later = start + timedelta(minutes=1)
    assert token_take_call(token, later).allowed


def test_every_call_is_audited_as_the_client(district):
    token, secret = _issue(district, district.bidan_ampel, name="SIMRS RSUD Kota Uji")
    client = _bearer(secret)
    client.get(f"/api/v1/persons/{district.budi.uuid}")
    client.get("/api/v1/persons", {"q": "Budi"})
    client.get("/api/v1/places/areas")
    calls = AuditEvent.objects.filter(object_type="api").order_by("pk")
    assert [(e.user_id, e.action, e.detail["path"]) for e in calls] == [
        (district.bidan_ampel.pk, "view", f"/api/v1/persons/{district.budi.uuid}"),
        (district.bidan_ampel.pk, "view", "/api/v1/persons"),
        (district.bidan_ampel.pk, "view", "/api/v1/places/areas"),
    ]
    # Every row written for these calls, the person reads included, names the client.
    rows = AuditEvent.objects.exclude(object_type="api_token")
    assert rows.count() == 5
    for row in rows:
        assert (row.detail["client"], row.detail["token"]) == ("SIMRS RSUD Kota Uji", token.prefix)
    view = AuditEvent.objects.get(object_type="person", action="view")
    assert view.person_id == district.budi.pk


def test_openapi_lists_the_bearer_scheme(db, client):
    schema = client.get("/api/v1/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    bearer = [s for s in schemes.values() if s.get("scheme") == "bearer"]
    assert len(bearer) == 1
    assert bearer[0]["type"] == "http"
    assert "Authorization: Bearer ilp_" in bearer[0]["description"]
    assert any(s.get("in") == "cookie" for s in schemes.values())  # the browser session
    operation = schema["paths"]["/api/v1/persons"]["get"]
    assert len(operation["security"]) == 2
    description = schema["info"]["description"]
    assert "Authorization: Bearer ilp_" in description
    assert "429" in description and "Retry-After" in description


def test_django_admin_issues_and_revokes_tokens(client, district, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/accounts/apitoken/add/",
        {
            "name": "Mitra LPA",
            "user": district.pkm_barat.pk,
            "expires_at_0": "2099-01-01",
            "expires_at_1": "00:00:00",
            "rate_per_minute": "60",
        },
    )
    assert response.status_code == 200
    secret = re.search(r"data-token>([^<]+)<", response.content.decode()).group(1)
    token = ApiToken.objects.get(name="Mitra LPA")
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.created_by == admin_user
    assert _bearer(secret).get("/api/v1/places/areas").status_code == 200
    response = client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    _assert_invalid(_bearer(secret).get("/api/v1/places/areas"))
