"""Every user changes their own password; an administrator sets a temporary one (no e-mail) that
must be changed at the next login."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from ilp.accounts.models import AuditEvent, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "Rinjani-Sembalun-77"


def _change(client, old, new1, new2=None):
    return client.post(
        reverse("account_password"),
        {"old_password": old, "new_password1": new1, "new_password2": new2 or new1},
    )


@pytest.mark.parametrize("persona", ["kader_ampel_timur", "camat_barat", "norole", "dinkes"])
def test_password_page_is_reachable_from_the_user_menu(client_for, district, persona):
    client = client_for(getattr(district, persona))
    home = client.get("/").content.decode()
    assert f'href="{reverse("account")}"' in home  # the name in the top bar
    account = client.get(reverse("account")).content.decode()
    assert f'href="{reverse("account_password")}"' in account
    assert client.get(reverse("account_password")).status_code == 200


def test_anonymous_goes_to_login(client):
    response = client.get(reverse("account_password"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_own_password_change_keeps_the_session_and_is_audited(client_for, district):
    client = client_for(district.kader_ampel_timur)
    response = _change(client, PASSWORD, NEW)
    assert response.status_code == 302
    assert response["Location"] == reverse("account")
    assert "Kata sandi Anda sudah diganti." in client.get(reverse("account")).content.decode()
    assert client.get("/").status_code == 200  # still logged in on this computer
    user = User.objects.get(pk=district.kader_ampel_timur.pk)
    assert user.check_password(NEW)
    event = AuditEvent.objects.get(object_type="password")
    assert (event.user_id, event.action, event.detail) == (user.pk, "update", {"event": "changed"})


def test_django_validators_speak_indonesian(client_for, district):
    body = _change(client_for(district.bidan_ampel), PASSWORD, "abc").content.decode()
    assert "Kata sandi terlalu pendek. Harus mengandung setidaknya 8 karakter." in body
    assert "Kata sandi ini terlalu umum." in body
    body = _change(client_for(district.bidan_ampel), "not-it", NEW).content.decode()
    assert "Sandi lama Anda yang dimasukkan salah. Masukkan sekali lagi." in body
    assert User.objects.get(pk=district.bidan_ampel.pk).check_password(PASSWORD)


def test_django_validators_speak_english_when_chosen(client_for, district):
    client = client_for(district.bidan_ampel)
    client.cookies["django_language"] = "en"
    body = _change(client, PASSWORD, "abc").content.decode()
    assert "This password is too short. It must contain at least 8 characters." in body
    assert "Change password" in body


def test_new_password_must_differ_from_the_old(client_for, district):
    body = _change(client_for(district.bidan_ampel), PASSWORD, PASSWORD).content.decode()
    assert "Kata sandi baru harus berbeda dari kata sandi lama." in body


def _reset_by_dinkes(client_for, district, username):
    response = client_for(district.dinkes).post(reverse("account_user_password", args=[username]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    match = re.search(r"data-temporary-password>([^<]+)<", response.content.decode())
    return match.group(1)


def test_dinkes_admin_sets_a_temporary_password_the_user_must_change(client_for, district):
    old_session = Client()
    old_session.force_login(district.kader_cemara)
    temporary = _reset_by_dinkes(client_for, district, "kader_cemara")
    assert re.fullmatch(r"[a-zA-Z2-9]{4}-[a-zA-Z2-9]{4}-[a-zA-Z2-9]{4}", temporary)
    assert old_session.get("/").status_code == 302  # open sessions of the user end

    kader = Client()
    response = kader.post(reverse("login"), {"username": "kader_cemara", "password": temporary})
    assert response.status_code == 302
    # Every page leads to the password page until the user picks their own.
    for path in ("/", reverse("people:search"), reverse("care:worklists")):
        response = kader.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("account_password")
    page = kader.get(reverse("account_password")).content.decode()
    assert "Kata sandi Anda sementara (dibuat oleh admin)." in page
    api = kader.get("/api/v1/persons?q=Dewi")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "password_change_required"
    assert _change(kader, temporary, NEW).status_code == 302
    assert kader.get("/").status_code == 200
    assert not User.objects.get(username="kader_cemara").must_change_password
    event = AuditEvent.objects.get(object_type="password", detail__event="reset")
    assert (event.user_id, event.detail["username"]) == (district.dinkes.pk, "kader_cemara")


def test_reset_lifts_the_users_failed_login_wait(client, client_for, district):
    for _ in range(5):
        client.post(reverse("login"), {"username": "bidan_ampel", "password": "x"})
    assert AccessAttempt.objects.filter(username="bidan_ampel").exists()
    temporary = _reset_by_dinkes(client_for, district, "bidan_ampel")
    response = Client().post(reverse("login"), {"username": "bidan_ampel", "password": temporary})
    assert response.status_code == 302


@pytest.mark.parametrize("persona", ["tpcb", "pkm_barat", "kader_ampel_timur", "norole"])
def test_only_the_dinkes_admin_manages_users(client_for, district, persona):
    client = client_for(getattr(district, persona))
    assert client.get(reverse("account_users")).status_code == 403
    assert client.post(reverse("account_user_password", args=["bidan_ampel"])).status_code == 403
    assert User.objects.get(username="bidan_ampel").check_password(PASSWORD)


def test_dinkes_admin_cannot_reset_a_superuser(client_for, district, admin_user):
    client = client_for(district.dinkes)
    assert client.post(reverse("account_user_password", args=["admin"])).status_code == 404
    assert "admin" not in [u.username for u in client.get(reverse("account_users")).context["page"]]


def test_django_admin_password_change_is_temporary(client, district, admin_user):
    client.force_login(admin_user)
    user = district.pkm_barat
    response = client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert user.must_change_password
