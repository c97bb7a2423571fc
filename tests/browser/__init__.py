"""Browser tests: headless Debian Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium keeps trying hosts this machine cannot reach (its
# connections are refused, many at a time), which can stall a page or its shutdown.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@contextmanager
def chromium_page(width: int, height: int) -> Iterator:
    """A page of the system Chromium at this viewport, Indonesian locale; skips the test when
    Chromium is absent."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: browser tests skipped")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright runs an event loop
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="id-ID"
            )
            page = context.new_page()
            page.set_default_timeout(10_000)
            yield page
            context.close()
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def shot(page, name: str) -> None:
    """A full-page screenshot into ILP_SCREENSHOT_DIR, when set (for looking at pages)."""
    folder = os.environ.get("ILP_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def fits(page) -> bool:
    """Whether the page is no wider than the viewport (no sideways scroll on a phone)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def login(page, live_server, user) -> None:
    """Log `user` in through the login page (password set to the personas' one)."""
    from tests.conftest import PASSWORD

    user.set_password(PASSWORD)
    user.save()
    page.goto(live_server.url + "/masuk/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(live_server.url + "/")
