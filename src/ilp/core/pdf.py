"""HTML to PDF for the printable pages (the monitoring packs, the referral letter), with
WeasyPrint, from the same HTML and print CSS as the page (WeasyPrint lays out the ``@media
print`` rules, ``@page`` size, margins, running header and page counters).

No network at run time: WeasyPrint resolves every URL in the document (stylesheets, images,
fonts) through :class:`StaticOnlyFetcher`, which serves the app's own static files and refuses
anything else, so a stray ``http://`` in a template (or in data) is never fetched. The charts
are inline SVG, so they need no fetch at all. Pages are rendered against the placeholder origin
``https://ilp.invalid/`` (``.invalid`` never resolves, RFC 2606), so ``/static/...`` links
become ``https://ilp.invalid/static/...``, which the fetcher maps to the static files.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

BASE_URL = "https://ilp.invalid/"
_HOST = "ilp.invalid"
# WeasyPrint warns, on every PDF, about each screen-only CSS rule of the app's stylesheets it
# does not support (width media queries, sticky headers, overflow): noise in the server log.
# Other warnings (a refused URL, a layout problem) still pass.
_CSS_NOISE = ("Ignored `", "Invalid media type", "Expected a media type")


class _CssNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_CSS_NOISE)


logging.getLogger("weasyprint").addFilter(_CssNoise())


class RefusedURL(ValueError):
    """A URL the packs' fetcher does not serve (anything but the app's static files)."""


def static_path(url: str) -> str:
    """The static file's path (relative to the static roots) that `url` names, or RefusedURL:
    only ``https://ilp.invalid/static/<path>`` without ``..`` is served."""
    parts = urlsplit(url)
    prefix = settings.STATIC_URL
    if parts.scheme != "https" or parts.netloc != _HOST or not parts.path.startswith(prefix):
        raise RefusedURL(f"not an ILP static file: {url}")
    relative = unquote(parts.path[len(prefix) :])
    segments = PurePosixPath(relative).parts
    if not segments or ".." in segments or relative.startswith("/"):
        raise RefusedURL(f"not an ILP static file: {url}")
    return relative


class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint ships no types
    """WeasyPrint's fetcher, narrowed to the app's static files (found by Django's staticfiles
    finders, as ``ilp collectstatic`` would); every other URL raises RefusedURL, which
    WeasyPrint reports as a warning and skips the resource."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        relative = static_path(url)
        found = finders.find(relative)
        if not found:
            raise RefusedURL(f"no such static file: {url}")
        path = found if isinstance(found, str) else found[0]
        with open(path, "rb") as handle:
            body = handle.read()
        mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": mime})


def html_to_pdf(html: str) -> bytes:
    """The PDF of a page's HTML (print media), fetching nothing but static files."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    pdf: bytes = document.write_pdf()
    return pdf
