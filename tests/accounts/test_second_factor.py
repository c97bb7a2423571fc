"""Second factor (TOTP) for the district-wide roles: enrolment with a local QR code, the code
step at login, the administrator's reset, and the admin site's requirement."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ilp.accounts.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or `steps_ahead` periods of 30 s later: a code
    is accepted once, so a second login in the same period uses the next one)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def _pause_passed(device: TOTPDevice) -> None:
    """Move the last wrong code 10 s into the past (django-otp's pause after it is over)."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=F("throttling_failure_timestamp") - timedelta(seconds=10)
    )


def _enrol(client) -> TOTPDevice:
    client.get(reverse("account_second_factor"))
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(reverse("account_second_factor"), {"code": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def _password(client, username, next_url=""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def test_enrolment_page_shows_a_local_qr_code_and_the_secret(client_for, district):
    client = client_for(district.tpcb)
    response = client.get(reverse("account_second_factor"))
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    device = TOTPDevice.objects.get(user=district.tpcb)
    assert not device.confirmed
    assert "<svg" in body and "<path" in body  # drawn by segno into the page
    assert "<img" not in body and "https://" not in body  # nothing fetched from the network
    secret = re.search(r"data-secret>([A-Z2-7 ]+)<", body).group(1)
    from base64 import b32encode

    assert secret.replace(" ", "") == b32encode(device.bin_key).decode().rstrip("=")
    assert "otpauth://totp/ILP%3Atpcb?secret=" in device.config_url
    # Reloading keeps the same secret until it is confirmed.
    client.get(reverse("account_second_factor"))
    assert TOTPDevice.objects.filter(user=district.tpcb).count() == 1


def test_a_wrong_first_code_does_not_turn_it_on(client_for, district):
    client = client_for(district.tpcb)
    client.get(reverse("account_second_factor"))
    response = client.post(reverse("account_second_factor"), {"code": "000000"})
    assert "Kode salah atau sudah kedaluwarsa." in response.content.decode()
    assert not TOTPDevice.objects.get(user=district.tpcb).confirmed
    response = client.post(reverse("account_second_factor"), {"code": "12ab"})
    assert "Kode terdiri dari 6 angka." in response.content.decode()


def test_after_enrolment_login_asks_for_the_code(client_for, district):
    device = _enrol(client_for(district.tpcb))
    assert AuditEvent.objects.filter(
        user=district.tpcb, object_type="second_factor", detail__event="enabled"
    ).exists()

    browser = Client()
    response = _password(browser, "tpcb")
    assert response.status_code == 302
    assert response["Location"] == reverse("login_second_factor")
    # The password alone opened nothing.
    assert browser.get("/").status_code == 302
    assert browser.get("/api/v1/persons?q=Budi").status_code == 401
    page = browser.get(reverse("login_second_factor")).content.decode()
    assert "Kode dari aplikasi autentikator" in page
    response = browser.post(reverse("login_second_factor"), {"code": "000000"})
    assert "Kode salah atau sudah kedaluwarsa." in response.content.decode()
    _pause_passed(device)
    response = browser.post(reverse("login_second_factor"), {"code": _code(device, 1)})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = browser.get("/")
    assert home.status_code == 200
    assert home.wsgi_request.user.is_verified()


def test_code_step_keeps_where_the_user_was_going(client_for, district):
    device = _enrol(client_for(district.dinkes))
    browser = Client()
    _password(browser, "dinkes", next_url="/admin/")
    response = browser.post(reverse("login_second_factor"), {"code": _code(device, 1)})
    assert response["Location"] == "/admin/"
    assert browser.get("/admin/").status_code == 200


def test_code_step_without_a_password_goes_back_to_login(client, district):
    response = client.get(reverse("login_second_factor"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_wrong_codes_are_throttled(client_for, district):
    device = _enrol(client_for(district.tpcb))
    browser = Client()
    _password(browser, "tpcb")
    browser.post(reverse("login_second_factor"), {"code": "000000"})
    # django-otp now wants a pause (1 s, then 2, 4, ...): even the right code waits.
    response = browser.post(reverse("login_second_factor"), {"code": _code(device, 1)})
    assert "Terlalu banyak kode salah; tunggu" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_roles_without_second_factor_are_unaffected(client, client_for, district):
    response = _password(client, "kader_ampel_timur")
    assert response["Location"] == reverse("home")
    assert client.get("/").status_code == 200
    kader = client_for(district.kader_ampel_timur)
    assert kader.get(reverse("account_second_factor")).status_code == 403
    assert "Verifikasi dua langkah" not in kader.get(reverse("account")).content.decode()
    # District roles that did not turn it on log in with the password alone.
    assert _password(Client(), "tpcb")["Location"] == reverse("home")


def test_dinkes_admin_resets_a_lost_device(client_for, district):
    _enrol(client_for(district.tpcb))
    admin = client_for(district.dinkes)
    assert "Verifikasi dua langkah" in admin.get(reverse("account_user", args=["tpcb"])).text
    response = admin.post(reverse("account_user_second_factor", args=["tpcb"]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=district.tpcb).exists()
    assert _password(Client(), "tpcb")["Location"] == reverse("home")
    event = AuditEvent.objects.get(object_type="second_factor", detail__event="reset")
    assert (event.user_id, event.detail["username"]) == (district.dinkes.pk, "tpcb")


def test_admin_site_requires_the_verified_second_factor_of_enrolled_staff(client, district):
    TOTPDevice.objects.create(user=district.dinkes, name="phone", confirmed=True)
    client.force_login(district.dinkes)  # a session no code has verified
    for path in ("/admin/", "/admin/accounts/user/"):
        response = client.get(path, follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("login")), path
        assert "Verifikasi dua langkah" in response.content.decode()  # the code step
