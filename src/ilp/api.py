"""The JSON API under /api/v1/ (django-ninja, OpenAPI at /api/v1/openapi.json, docs at
/api/v1/docs). Each app contributes a router from its own `api.py`; errors share one
envelope: ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from ilp.core.exceptions import ApplicationError

api = NinjaAPI(
    title="ILP API",
    version="1",
    description="Integrasi Layanan Primer — places, families and persons.",
    urls_namespace="api",
    auth=django_auth,
)


def _envelope(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return api.create_response(request, {"error": exc.as_dict()}, status=exc.http_status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        fields.setdefault(".".join(loc) or "_", []).append(str(err.get("msg", "")))
    return api.create_response(
        request,
        _envelope("invalid", _("Data yang dikirim tidak valid."), fields),
        status=422,
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, _envelope("unauthenticated", _("Silakan masuk terlebih dahulu.")), status=401
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(
        request, _envelope("http_error", str(exc)), status=exc.status_code
    )
