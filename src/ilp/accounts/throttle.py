"""Failed-login throttle: too many failures for one username or one address lock it out
for the rest of the window (settings LOGIN_MAX_FAILURES, LOGIN_FAILURE_WINDOW_SECONDS).

Attempts are rows in the database, so the throttle holds across server processes."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ilp.accounts.models import LoginAttempt


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def is_locked(username: str, ip: str | None) -> bool:
    """Whether further login attempts for this username or from this address are refused.

    An address gets four times the username's allowance: a puskesmas shares one public
    address among all its staff, and one user's typos must not lock out the others."""
    since = _window_start()
    limit = settings.LOGIN_MAX_FAILURES
    recent = LoginAttempt.objects.filter(at__gte=since, success=False)
    if recent.filter(username__iexact=username or "").count() >= limit:
        return True
    return bool(ip) and recent.filter(ip=ip).count() >= limit * 4


def record_attempt(username: str, ip: str | None, *, success: bool) -> None:
    """Remember one attempt; a success clears that username's earlier failures."""
    if success:
        LoginAttempt.objects.filter(username__iexact=username, success=False).delete()
    LoginAttempt.objects.create(username=(username or "")[:150], ip=ip or None, success=success)
