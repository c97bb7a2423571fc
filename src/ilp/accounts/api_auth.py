"""How the JSON API knows its caller: ``Authorization: Bearer <token>`` for machine clients,
the web session (with its CSRF token) for the browser.

`ApiTokenAuth` comes first: a call that carries a bearer token is judged by it alone (a bad
token is refused, never rescued by a cookie) and needs no CSRF token, since browsers never
attach an Authorization header on their own. It makes the token's user the request's user
(so every scope check and selector works as for that user), audits the call as the client,
and `ApiTokenThrottle` then counts it against the token's per-minute allowance.
"""

from __future__ import annotations

import threading
from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from ilp.accounts.access import client_ip
from ilp.accounts.audit import audit_record
from ilp.accounts.models import ApiToken
from ilp.accounts.tokens import token_for_secret, token_take_call

_ACTIONS = {"GET": "view", "HEAD": "view", "POST": "create", "PUT": "update", "PATCH": "update"}


class InvalidToken(AuthenticationError):
    """A bearer token that is unknown, expired, revoked, or whose user is inactive."""


class ApiTokenAuth(HttpBearer):
    """Bearer tokens issued by an administrator (see `ilp.accounts.tokens`)."""

    openapi_bearerFormat = "ilp_…"
    openapi_description = (
        "API token of a machine client, issued by a Dinas Kesehatan administrator: "
        "`Authorization: Bearer ilp_…`. The call acts as the token's user, within that "
        "user's working area; no CSRF token is needed."
    )

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        api_token = token_for_secret(token.strip())
        if api_token is None:
            audit_record(
                user=None,
                action="denied",
                object_type="api",
                ip=client_ip(request),
                detail={"path": request.path, "token": token.strip()[:12], "reason": "token"},
            )
            raise InvalidToken()
        user = api_token.user
        user.api_client = api_token  # audit rows written for this call name the client
        request.user = user
        audit_record(
            user=user,
            action=_ACTIONS.get(request.method or "", "delete"),
            object_type="api",
            ip=client_ip(request),
            detail={"method": request.method, "path": request.path},
        )
        return api_token


class ApiTokenThrottle(BaseThrottle):
    """The per-minute allowance of each token; browser sessions are not counted here.

    ninja keeps one instance for all requests and asks `wait()` right after a refusal, so the
    wait is kept per thread."""

    def __init__(self) -> None:
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        token: Any = getattr(request, "auth", None)
        if not isinstance(token, ApiToken):
            return True
        allowance = token_take_call(token)
        self._local.retry_after = allowance.retry_after
        return allowance.allowed

    def wait(self) -> float | None:
        return getattr(self._local, "retry_after", None)
