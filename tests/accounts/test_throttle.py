"""The failed-login throttle cannot be turned against users (django-axes, growing delays).

Addresses are from the documentation ranges (RFC 5737): OWNER is where the account's owner
works (and has logged in before), ATTACKER anywhere else, NAT a puskesmas address shared by
its staff.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse

from ilp.accounts.throttle import delay_after
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

OWNER = "192.0.2.10"
ATTACKER = "198.51.100.66"
NAT = "203.0.113.7"
LOCKED_1_MIN = "Terlalu banyak percobaan gagal; coba lagi dalam 1 menit."
LOCKED_2_MIN = "Terlalu banyak percobaan gagal; coba lagi dalam 2 menit."


def _login(client, username, password, ip, next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data, REMOTE_ADDR=ip)


def _logged_in(response) -> bool:
    return response.wsgi_request.user.is_authenticated


def _age_failures(seconds: int) -> None:
    """Pretend the recorded failures happened `seconds` earlier (the throttle's clock)."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(seconds=seconds))


def test_owner_logs_in_from_own_address_while_an_attacker_hammers_the_account(client, district):
    _login(Client(), "dinkes", PASSWORD, OWNER)  # the owner's usual address
    attacker = Client()
    for _ in range(40):
        _login(attacker, "dinkes", "guess-1234", ATTACKER)
    # The attacker's address waits; the owner at the office does not.
    assert LOCKED_1_MIN.split(";")[0] in _login(attacker, "dinkes", PASSWORD, ATTACKER).text
    response = _login(client, "dinkes", PASSWORD, OWNER)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert _logged_in(response)


def test_one_users_typos_do_not_lock_colleagues_behind_the_same_address(client, district):
    # A morning at the puskesmas: five colleagues mistype four times each (20 failures from
    # one public address), and one keeps trying long after the limit.
    for username in ("pkm_barat", "kader_ampel_timur", "kader_ampel_barat", "kader_cemara"):
        for _ in range(4):
            _login(Client(), username, "typo-typo", NAT)
    for _ in range(30):
        _login(Client(), "bidan_ampel", "typo-typo", NAT)
    for username in ("pkm_barat", "kader_ampel_timur", "tpcb"):
        response = _login(Client(), username, PASSWORD, NAT)
        assert response.status_code == 302, username
        assert _logged_in(response)


def test_fifth_failure_makes_the_pair_wait_and_the_right_password_is_refused_meanwhile(
    client, district
):
    for _ in range(4):
        response = _login(client, "bidan_ampel", "wrong", OWNER)
        assert response.status_code == 200
        assert "Nama pengguna atau kata sandi salah." in response.text
    response = _login(client, "bidan_ampel", "wrong", OWNER)
    assert response.status_code == 429
    assert LOCKED_1_MIN in response.text
    response = _login(client, "bidan_ampel", PASSWORD, OWNER)
    assert response.status_code == 429
    assert LOCKED_1_MIN in response.text
    assert not _logged_in(response)
    # Tries refused during the wait are not counted: the wait does not grow by retrying.
    assert AccessAttempt.objects.get().failures_since_start == 5


def test_delays_grow_with_each_failure_after_the_limit(client, district):
    for _ in range(5):
        _login(client, "bidan_ampel", "wrong", OWNER)
    _age_failures(61)  # the first wait (60 s) is over
    response = _login(client, "bidan_ampel", "wrong", OWNER)  # sixth failure: 120 s
    assert response.status_code == 429
    assert LOCKED_2_MIN in response.text
    _age_failures(61)
    response = _login(client, "bidan_ampel", PASSWORD, OWNER)
    assert response.status_code == 429  # 61 s of 120: still waiting
    assert not _logged_in(response)
    _age_failures(60)
    response = _login(client, "bidan_ampel", PASSWORD, OWNER)
    assert response.status_code == 302
    assert _logged_in(response)
    # A success forgets that pair's failures.
    assert not AccessAttempt.objects.filter(username="bidan_ampel", ip_address=OWNER).exists()


def test_delay_doubles_up_to_the_cap(settings):
    settings.ILP_LOGIN_FIRST_DELAY = 60
    settings.ILP_LOGIN_MAX_DELAY = 3600
    assert [delay_after(k) for k in range(8)] == [60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_an_address_the_account_never_used_also_counts_the_accounts_failures(district):
    """A distributed attack (many addresses, few tries each) slows down too: from an address
    the account has never logged in from, the account's failures from anywhere count."""
    for n in range(20):
        _login(Client(), "tpcb", "guess", f"198.51.100.{n + 1}")
    response = _login(Client(), "tpcb", PASSWORD, "198.51.100.200")
    assert response.status_code == 429
    assert not _logged_in(response)


def test_admin_login_goes_through_the_same_throttle(client, district, admin_user):
    for _ in range(5):
        _login(client, "admin", "wrong", OWNER)
    # The admin's own login form no longer authenticates: it sends to the ILP login ...
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "admin", "password": "password"},
        REMOTE_ADDR=OWNER,
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/admin/"
    assert not _logged_in(response)
    assert client.get("/admin/", REMOTE_ADDR=OWNER).status_code == 302
    # ... which refuses the locked pair even with the right password,
    response = _login(client, "admin", "password", OWNER, next_url="/admin/")
    assert response.status_code == 429
    assert not _logged_in(response)
    # and so does every other authenticate() call (the axes backend comes first).
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR=OWNER)
    assert authenticate(request, username="admin", password="password") is None


def test_locked_message_in_english(client, district):
    client.cookies["django_language"] = "en"
    for _ in range(5):
        response = _login(client, "bidan_ampel", "wrong", OWNER)
    assert "Too many failed attempts; try again in 1 minute." in response.text
