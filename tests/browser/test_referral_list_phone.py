"""The paged referral lists on a 390 × 844 phone in headless Chromium: the incoming list of a
hospital with more than one page (its counts, the pager's links tappable), its second page,
a bad page number told, the hospital home's first rows with the link to the rest, and the
delay report of one month and of several; nothing scrolls sideways. Screenshots go to
ILP_SCREENSHOT_DIR."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.browser.chromium import care_page, requires_chromium
from tests.browser.test_phone_layout import HEIGHT, WIDTH, _log_in, _walk
from tests.referrals.test_list_pages import _fill
from tests.referrals.test_report import at, make

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.fixture
def phone(settings):
    with care_page(settings, width=WIDTH, height=HEIGHT) as page:
        yield page


def test_paged_incoming_list_fits_a_390_px_phone(transactional_db, district, live_server, phone):
    _fill(district, timezone.now(), 55, to=district.hospital_f)
    _log_in(phone, live_server.url, "rs_uji")
    paths = ["/rujukan/masuk/", "/rujukan/masuk/?page=2", "/rujukan/masuk/?page=x", "/"]
    assert _walk(phone, live_server.url, "rs_uji", paths) == []
    phone.goto(live_server.url + "/rujukan/masuk/")
    box = phone.locator("nav.pager a[rel=next]").bounding_box()
    assert box is not None and box["height"] >= 44
    phone.locator("nav.pager a[rel=next]").click()
    phone.wait_for_url(f"{live_server.url}/rujukan/masuk/?page=2")
    assert "Halaman 2 dari 2" in phone.locator("nav.pager").inner_text()


def test_report_of_months_fits_a_390_px_phone(transactional_db, district, live_server, phone):
    d = district
    make(d, d.pustu_ampel_f, d.pkm_barat_f, "maternal", "created", decided_at=at(10, 8))
    make(d, d.pkm_barat_f, d.hospital_f, "planned", "created", decided_at=at(2, 8, 4))
    _log_in(phone, live_server.url, "dinkes")
    paths = [
        "/rujukan/laporan/?dari=2026-03&sampai=2026-03",
        "/rujukan/laporan/?dari=2026-01&sampai=2026-12",
    ]
    assert _walk(phone, live_server.url, "dinkes", paths) == []
