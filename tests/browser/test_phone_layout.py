"""The kader's and the midwife's pages on a 390 × 844 phone in headless Chromium: no page
scrolls sideways, the header stays one short line with its menu behind a toggle, and the
growth charts' labels come out at a readable size.

Uses the system Chromium (/usr/bin/chromium); no browser is ever downloaded. Screenshots go
to ILP_SCREENSHOT_DIR (default /tmp/ilp-screenshots) for a person to look at.
"""

from __future__ import annotations

import os
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.browser.chromium import care_page, requires_chromium
from tests.conftest import PASSWORD, _person

SHOTS = Path(os.environ.get("ILP_SCREENSHOT_DIR", "/tmp/ilp-screenshots"))
WIDTH, HEIGHT = 390, 844

pytestmark = [pytest.mark.browser, requires_chromium]

# What the page measures: how wide the document is, how tall the header, and the elements
# that stick out to the right of the screen (not counting those inside their own scroll box).
MEASURE = """() => {
  const header = document.querySelector("header.topbar");
  const wide = [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
    .filter((e) => !e.parentElement.closest(".table-scroll"))
    .slice(0, 3)
    .map((e) => e.tagName.toLowerCase() + "." + e.className);
  return {width: document.documentElement.scrollWidth,
          header: header.getBoundingClientRect().height, wide: wide};
}"""

# The rendered height of the growth charts' axis labels (px on screen).
LABEL_HEIGHTS = """() => [...document.querySelectorAll(
  "svg.growth-chart text.x-tick, svg.growth-chart text.y-tick"
)].map((t) => t.getBoundingClientRect().height)"""


@pytest.fixture
def phone(settings):
    with care_page(settings, width=WIDTH, height=HEIGHT) as page:
        yield page


def _record_child(kader, child, weight, height):
    """A child service saved through the form, as the kader would."""
    client = Client()
    client.force_login(kader)
    today = timezone.localdate()
    response = client.post(
        reverse("care:package", kwargs={"person_uuid": child.uuid, "package": "child"}),
        {
            "client_id": str(uuid.uuid4()),
            "on": today.strftime("%d-%m-%Y"),
            "place_kind": "posyandu",
            "weight": weight,
            "height": height,
            "measured": "lying",
            "muac": "",
            "head": "",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]


def _log_in(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def _walk(page, base, who, paths) -> list[str]:
    """Open each page; the faults found (empty when every page fits the phone)."""
    faults = []
    SHOTS.mkdir(parents=True, exist_ok=True)
    for path in paths:
        page.goto(base + path)
        page.wait_for_load_state("load")
        m = page.evaluate(MEASURE)
        name = path.strip("/").replace("/", "_")[:60] or "home"
        page.screenshot(path=str(SHOTS / f"phone-{who}-{name}.png"), full_page=True)
        if m["width"] > WIDTH:
            faults.append(f"{who} {path}: {m['width']} px wide ({', '.join(m['wide'])})")
        if m["header"] > 0.15 * HEIGHT:
            faults.append(f"{who} {path}: header {m['header']:.0f} px tall")
    return faults


def test_kader_and_midwife_pages_fit_a_390_px_phone(transactional_db, district, live_server, phone):
    from playwright.sync_api import expect

    page, base, d = phone, live_server.url, district
    today = timezone.localdate()
    rt = d.rt_ampel_timur
    baby = _person("Siti Rohmah Kecil", "F", today - timedelta(days=300), rt)
    toddler = _person("Bima Wicaksono Putra", "M", today - timedelta(days=3 * 365), rt)
    _record_child(d.kader_ampel_timur, baby, "7,1", "66,0")
    _record_child(d.kader_ampel_timur, toddler, "12,4", "91,5")
    mother = d.siti

    kader_pages = [
        "/",
        "/penduduk/cari/?q=rohmah",
        f"/penduduk/{baby.uuid}/",
        f"/layanan/orang/{baby.uuid}/",
        f"/layanan/orang/{toddler.uuid}/",
        "/layanan/kerja/POS-AT/",
        "/layanan/posyandu/POS-AT/",
    ]
    midwife_pages = [
        "/",
        "/penduduk/cari/?q=siti",
        f"/penduduk/{mother.uuid}/",
        f"/layanan/orang/{mother.uuid}/",
        f"/layanan/orang/{baby.uuid}/",
        "/layanan/kerja/PUSTU-AMPEL/",
    ]

    _log_in(page, base, "kader_ampel_timur")
    # The menu folds behind its toggle and opens on a tap.
    nav_link = page.locator("#topbar-menu a", has_text="Cari penduduk")
    expect(nav_link).to_be_hidden()
    page.click("[data-menu-toggle]")
    expect(nav_link).to_be_visible()
    assert page.get_attribute("[data-menu-toggle]", "aria-expanded") == "true"

    faults = _walk(page, base, "kader", kader_pages)

    # The growth charts on the baby's care page: weight-for-length with her point, and axis
    # labels drawn at 10 px or more.
    page.goto(f"{base}/layanan/orang/{baby.uuid}/")
    expect(page.locator("#chart-wfl circle.child-point")).to_have_count(1)
    heights = page.evaluate(LABEL_HEIGHTS)
    assert heights and min(heights) >= 10, heights

    _log_in(page, base, "bidan_ampel")
    faults += _walk(page, base, "midwife", midwife_pages)
    for who in ("camat_barat", "dinkes"):
        _log_in(page, base, who)
        faults += _walk(page, base, who, ["/"])

    assert faults == []
