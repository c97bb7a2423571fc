"""In headless Chromium, under ILP's Content-Security-Policy: the main pages load with zero
CSP violations, and htmx still works (live search, the session row save, the live results of
a service form, the NIK check while typing).

Uses the system Chromium (/usr/bin/chromium); no browser is ever downloaded.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.chromium import care_page, requires_chromium
from tests.conftest import PASSWORD

# Collects every securitypolicyviolation event of the page (injected by the browser driver,
# outside the page's policy).
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile);
});
"""

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.fixture
def watched_page(settings):
    with care_page(settings, width=390, height=844) as page:
        page.add_init_script(WATCH)
        console: list[str] = []
        page.on(
            "console",
            lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.console_csp = console
        yield page


def _child(name, sex, days, rt):
    from tests.conftest import _person

    return _person(name, sex, timezone.localdate() - timedelta(days=days), rt)


def _no_violations(page, where: str) -> None:
    page.wait_for_load_state("load")
    assert page.evaluate("window.__csp") == [], where
    assert page.console_csp == [], where


def test_main_pages_load_without_csp_violations_and_htmx_works(
    transactional_db, district, live_server, watched_page
):
    from playwright.sync_api import expect

    page = watched_page
    base = live_server.url
    rt = district.rt_ampel_timur
    ani = _child("Ani Kurus", "F", 90, rt)
    _child("Bima Kecil", "M", 400, rt)
    today = timezone.localdate().isoformat()

    response = page.goto(f"{base}/masuk/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    _no_violations(page, "login")
    page.fill("input[name=username]", "pkm_barat")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base}/")
    _no_violations(page, "home")

    # Live search (htmx GET as one types).
    page.goto(f"{base}/penduduk/cari/")
    page.type("#id_q", "ani ku", delay=30)
    page.wait_for_selector("#search-results a:has-text('Ani Kurus')")
    _no_violations(page, "search")
    page.click("#search-results a:has-text('Ani Kurus')")
    page.wait_for_selector("h1:has-text('Ani Kurus')")
    _no_violations(page, "person page")

    # Registration: the NIK is checked while typing (htmx POST with the CSRF header).
    page.goto(f"{base}/keluarga/baru/")
    page.fill("#id_members-0-nik", "1234")
    page.wait_for_selector("#id_members-0-nik ~ .hint .error")
    rows = page.locator("[data-member-row]").count()
    page.click("[data-add-member]")  # ilp.js, a static file
    expect(page.locator("[data-member-row]")).to_have_count(rows + 1)
    _no_violations(page, "registration")

    # A service form: live results as the values are typed.
    page.goto(f"{base}/layanan/orang/{ani.uuid}/child/")
    page.fill("#id_weight", "4,4")
    page.fill("#id_height", "60,5")
    expect(page.locator("#live-results")).to_contain_text("Gizi buruk")
    _no_violations(page, "service form")

    # The posyandu session: open it, save a row (htmx), the count follows.
    page.goto(f"{base}/layanan/posyandu/POS-AT/")
    page.get_by_role("button", name="Buka sesi bulan ini").click()
    page.wait_for_url(f"**/sesi/{today}/")
    page.locator(f"#row-{ani.pk} input[name=weight]").focus()
    for keys in ("4,5", "Enter", "60,4", "Enter", "Enter", "Enter"):  # as a kader types
        page.keyboard.press(keys) if keys == "Enter" else page.keyboard.type(keys)
    expect(page.locator(f"#row-{ani.pk}")).to_have_class(re.compile(r"\brow-saved\b"))
    expect(page.locator("#present-balita")).to_have_text("1")  # balita counted apart
    _no_violations(page, "posyandu session")

    # A work list and the growth charts on the care page.
    page.goto(f"{base}/layanan/kerja/POS-AT/")
    expect(page.locator("table.worklist")).to_be_visible()
    _no_violations(page, "work list")
    page.goto(f"{base}/layanan/orang/{ani.uuid}/")
    expect(page.locator("#chart-wfa circle.child-point")).to_have_count(1)
    _no_violations(page, "growth chart")
