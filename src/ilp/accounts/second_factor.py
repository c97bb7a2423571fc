"""Second factor (TOTP, django-otp) for the district-wide roles.

A dinkes administrator or TPCB analyst may turn it on: the enrolment page shows a QR code
(drawn here with segno, no network) and the secret as text, and the device counts only once a
first code from it was accepted. From then on the password alone does not log in: the login
page asks for a code (`login_second_factor` in views). django-otp throttles wrong codes
(1, 2, 4, ... seconds). An administrator can remove a user's devices (a lost phone); the user
then logs in with the password and may enrol again.
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ilp.accounts.audit import audit_record
from ilp.accounts.models import User

DEVICE_NAME = "Aplikasi autentikator"


def has_second_factor(user: User) -> bool:
    """Whether the user has a confirmed device (then the login asks for a code)."""
    return user_has_device(user, confirmed=True)


def needs_second_factor(request: HttpRequest) -> bool:
    """A logged-in user with a confirmed device whose session no code has verified."""
    user = request.user
    if not user.is_authenticated:
        return False
    if getattr(user, "is_verified", None) is not None and user.is_verified():
        return False
    return has_second_factor(user)


def enrolment_device(user: User) -> TOTPDevice:
    """The user's unconfirmed device waiting for its first code (created on first visit, so
    reloading the page keeps the same secret)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as people type it into an authenticator app: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an inline SVG QR code (drawn locally)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)


def device_confirm(*, request: HttpRequest, device: TOTPDevice, code: str, ip: str | None) -> bool:
    """Turn the second factor on if `code` is the device's current one; the session then
    counts as verified. Any other device of the user is removed (one phone per user)."""
    user = request.user
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if not locked.verify_token(code):
            return False
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=locked.pk).delete()
        audit_record(
            user=user,
            action="update",
            object_type="second_factor",
            ip=ip,
            detail={"event": "enabled"},
        )
    otp_login(request, locked)
    return True


def devices_reset(*, user: User, by: User, ip: str | None) -> int:
    """Remove every second-factor device of `user` (an administrator's reset)."""
    with transaction.atomic():
        count = 0
        for device in devices_for_user(user, confirmed=None):
            device.delete()
            count += 1
        audit_record(
            user=by,
            action="update",
            object_type="second_factor",
            ip=ip,
            detail={"event": "reset", "username": user.username, "devices": count},
        )
    return count


def code_matches(user: User, code: str) -> tuple[TOTPDevice | None, int]:
    """The confirmed device that accepts `code`, and otherwise how many seconds django-otp's
    throttle still makes the user wait (0 when the code was simply wrong)."""
    wait = 0
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            allowed, info = device.verify_is_allowed()
            if not allowed:
                until = (info or {}).get("locked_until")
                if until is not None:
                    wait = max(wait, int((until - timezone.now()).total_seconds()) + 1)
                continue
            if device.verify_token(code):
                return device, 0
    return None, wait
