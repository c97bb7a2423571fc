"""ILP's 400 and 500 handlers: a page (or, under /api/, the JSON error envelope) that shows
nothing but a message.

A 500 carries a short reference id; the same id is logged with the traceback (logger
``ilp.errors``), so an administrator can find what went wrong from what the user reports,
while the page itself never shows a value, a setting or a record. Both pages are rendered
without the request context (no user, no menu): whatever broke cannot break them too.
"""

from __future__ import annotations

import logging
import uuid

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger("ilp.errors")

API_PREFIX = "/api/"


def error_reference(request: HttpRequest) -> str:
    """Log the exception being handled under a new reference id and return the id."""
    reference = uuid.uuid4().hex[:12]
    logger.error("Server error %s: %s %s", reference, request.method, request.path, exc_info=True)
    return reference


def server_error_body(reference: str) -> dict:
    """The API's error envelope for a 500 (see ilp.api)."""
    return {
        "error": {
            "code": "server_error",
            "message": _("Terjadi kesalahan di server; coba lagi nanti."),
            "fields": {},
            "reference": reference,
        }
    }


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the reference id and a message, nothing else."""
    reference = error_reference(request)
    if request.path.startswith(API_PREFIX):
        return JsonResponse(server_error_body(reference), status=500)
    return HttpResponse(render_to_string("500.html", {"reference": reference}), status=500)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: an unreadable request (malformed multipart body, bad host, ...)."""
    message = _("Isi permintaan tidak dapat dibaca.")
    if request.path.startswith(API_PREFIX):
        body = {"error": {"code": "bad_request", "message": message, "fields": {}}}
        return JsonResponse(body, status=400)
    return HttpResponse(render_to_string("400.html", {"message": message}), status=400)
