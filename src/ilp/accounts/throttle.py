"""The failed-login throttle: django-axes, configured so that it cannot be turned against users.

Every ``authenticate()`` goes through axes' backend (first in AUTHENTICATION_BACKENDS): the
ILP login page, and the admin, whose login page sends to the ILP one. The policy:

- Failures count per *username and address* together. After ``AXES_FAILURE_LIMIT`` failures
  the pair waits ``ILP_LOGIN_FIRST_DELAY`` seconds; each further failure doubles the wait, up
  to ``ILP_LOGIN_MAX_DELAY``. An attacker hammering an account from elsewhere therefore never
  locks its owner out of the address the owner works from, and one user's typos never lock the
  colleagues who share a puskesmas's public address.
- From an address the account has *never* logged in from, the account's failures from
  anywhere count as well (threshold ``ILP_LOGIN_ACCOUNT_FAILURES``): a distributed attack on
  one account (many addresses, a few guesses each) slows down too, while the owner's usual
  addresses stay open.
- Attempts refused during a wait are not counted (retrying does not lengthen it); failures are
  forgotten ``AXES_COOLOFF_TIME`` after the last one, or when the pair logs in.

The rows are axes' own (``AccessAttempt`` for failures, ``AccessLog`` for logins, both in the
admin); a dinkes administrator unlocks a pair by deleting its attempt there.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessBase, AccessLog
from django.db.models import Max, Sum
from django.http import HttpRequest
from django.utils import timezone

_PAIR = ["username", "ip_address"]
_ACCOUNT = "username"


def delay_after(extra_failures: int) -> int:
    """Seconds a pair waits after reaching the failure limit and `extra_failures` more."""
    first = settings.ILP_LOGIN_FIRST_DELAY
    return min(first * 2 ** min(extra_failures, 32), settings.ILP_LOGIN_MAX_DELAY)


def _has_logged_in_from(username: str, ip_address: str | None) -> bool:
    return AccessLog.objects.filter(username=username, ip_address=ip_address).exists()


def lockout_parameters(request_or_attempt: Any, credentials: dict | None = None) -> list:
    """axes' AXES_LOCKOUT_PARAMETERS: the pair always; the whole account too when the address
    is new to it (see the module docstring)."""
    if isinstance(request_or_attempt, AccessBase):
        username = request_or_attempt.username
        ip_address = request_or_attempt.ip_address
    else:
        username = get_client_username(request_or_attempt, credentials)
        ip_address = getattr(request_or_attempt, "axes_ip_address", None)
    if not username or _has_logged_in_from(username, ip_address):
        return [_PAIR]
    return [_PAIR, _ACCOUNT]


class GrowingDelayHandler(AxesDatabaseHandler):
    """axes' database handler with waits that grow with each failure past the limit, instead of
    one fixed cool-off (which an attacker can renew forever)."""

    def wait_seconds(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """How long this request's username and address must still wait (0: not locked)."""
        now = getattr(request, "axes_attempt_time", None) or timezone.now()
        parameters = get_lockout_parameters(request, credentials)
        wait = 0.0
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            seen = attempts.aggregate(
                failures=Sum("failures_since_start"), last=Max("attempt_time")
            )
            failures = seen["failures"] or 0
            limit = (
                settings.ILP_LOGIN_ACCOUNT_FAILURES
                if parameter == _ACCOUNT
                else settings.AXES_FAILURE_LIMIT
            )
            if failures >= limit:
                until = seen["last"] + timedelta(seconds=delay_after(failures - limit))
                wait = max(wait, (until - now).total_seconds())
        return math.ceil(wait)

    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        return self.wait_seconds(request, credentials) > 0

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None:
            # axes flags a lockout when the failure count reaches the limit; ours also depends
            # on the delay and on which limit applies, so decide it the same way as is_locked.
            request.axes_locked_out = self.is_locked(request, credentials)
            request.axes_credentials = credentials
