"""What every browser test shares: Debian's Chromium (never a downloaded browser), the flags
it runs with here, and the skip when it is absent."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser import ARGS, CHROMIUM

requires_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"Chromium not found at {CHROMIUM}; the browser test needs the system browser",
)


@contextmanager
def care_page(settings, *, width: int, height: int) -> Iterator:
    """A Chromium page for the live server with the care URLs (the care pages are mounted by
    tests.care.urls_for_tests). The live server speaks plain http, as the demo mode does, so
    the session and CSRF cookies are not marked Secure."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright runs an event loop
    settings.ROOT_URLCONF = "tests.care.urls_for_tests"
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height}, locale="id-ID")
        page.set_default_timeout(10_000)
        try:
            yield page
        finally:
            browser.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
