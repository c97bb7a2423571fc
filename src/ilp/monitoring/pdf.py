"""The printable packs as PDF downloads: the page's HTML drawn by ``ilp.core.pdf`` (WeasyPrint,
static files only, no network), each download audited as an export.

``html_to_pdf``, ``StaticOnlyFetcher``, ``RefusedURL`` and ``static_path`` live in
``ilp.core.pdf`` (the referral letter draws with them too) and are named here as before.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from ilp.accounts.access import client_ip
from ilp.accounts.audit import audit_export
from ilp.core.pdf import BASE_URL, RefusedURL, StaticOnlyFetcher, html_to_pdf, static_path

__all__ = [
    "BASE_URL",
    "RefusedURL",
    "StaticOnlyFetcher",
    "html_to_pdf",
    "pdf_download",
    "safe_filename_part",
    "static_path",
]


def pdf_download(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    filename: str,
    object_type: str,
    rows: int,
    detail: dict[str, str],
) -> HttpResponse:
    """The page (`template` with `context`) drawn as a PDF attachment; the download is logged as
    an export (the packs hold aggregates only, so no person in it)."""
    html = render_to_string(template, context, request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    audit_export(
        user=request.user,
        object_type=object_type,
        file_format="pdf",
        person_ids=[],
        row_count=rows,
        ip=client_ip(request),
        detail=detail,
    )
    return response


def safe_filename_part(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "._-" else "-" for ch in text)
