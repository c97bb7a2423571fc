"""Per-request account rules for browser sessions: idle sessions end, temporary passwords are
changed before anything else.

- Idle timeout (shared puskesmas computers): a session without a request for
  ``ILP_SESSION_IDLE_SECONDS`` is logged out; the login page then says why. The time of the
  last request is kept in the session to the minute, so the session row is written at most
  once a minute, not on every request.
- A user whose password was set by an administrator (``must_change_password``) reaches only
  the password page (and logout) until they choose their own.

API calls with a token never carry a session, so neither rule touches them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LAST_SEEN_KEY = "ilp_last_seen"
_WRITE_EVERY_SECONDS = 60
_API_PREFIX = "/api/"


def mark_active(request: HttpRequest) -> None:
    """Start the idle clock now (at login)."""
    request.session[LAST_SEEN_KEY] = int(time.time())


def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """user_logged_in receiver: a fresh login is activity."""
    if request is not None and hasattr(request, "session"):
        mark_active(request)


def _envelope(code: str, message: str) -> dict[str, Any]:
    # The API's one error envelope (ilp.api), built here because accounts sits below the API.
    return {"error": {"code": code, "message": message, "fields": {}}}


def _idle_message() -> str:
    minutes = max(1, settings.ILP_SESSION_IDLE_SECONDS // 60)
    return ngettext(
        "Anda otomatis keluar karena tidak ada aktivitas selama %(minutes)d menit. "
        "Silakan masuk lagi.",
        "Anda otomatis keluar karena tidak ada aktivitas selama %(minutes)d menit. "
        "Silakan masuk lagi.",
        minutes,
    ) % {"minutes": minutes}


class AccountStateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            refused = self._idle(request) or self._must_change_password(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _idle(self, request: HttpRequest) -> HttpResponse | None:
        now = int(time.time())
        last_seen = request.session.get(LAST_SEEN_KEY)
        if last_seen is not None and now - last_seen > settings.ILP_SESSION_IDLE_SECONDS:
            logout(request)
            if request.path_info.startswith(_API_PREFIX):
                return None  # now anonymous: the API answers its own 401
            messages.warning(request, _idle_message())
            if request.headers.get("HX-Request") == "true":
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse(settings.LOGIN_URL)
                return response
            if request.method == "GET":
                return redirect_to_login(request.get_full_path())
            return redirect(settings.LOGIN_URL)
        if last_seen is None or now - last_seen >= _WRITE_EVERY_SECONDS:
            request.session[LAST_SEEN_KEY] = now
        return None

    def _must_change_password(self, request: HttpRequest) -> HttpResponse | None:
        if not getattr(request.user, "must_change_password", False):
            return None
        allowed = {reverse("account_password"), reverse("logout"), reverse("set_language")}
        if request.path_info in allowed:
            return None
        message = _("Kata sandi Anda sementara; ganti dulu dengan kata sandi Anda sendiri.")
        if request.path_info.startswith(_API_PREFIX):
            return JsonResponse(_envelope("password_change_required", message), status=403)
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("account_password")
            return response
        return redirect("account_password")
