"""The referral delay report, the Rujukan section of the PWS summary and the kepala
puskesmas' home on a 390 × 844 phone in headless Chromium: nothing scrolls sideways (the delay
tables scroll in their own box). Screenshots go to ILP_SCREENSHOT_DIR."""

from __future__ import annotations

import pytest

from tests.browser.chromium import care_page, requires_chromium
from tests.browser.test_phone_layout import HEIGHT, WIDTH, _log_in, _walk
from tests.referrals.test_report import at, make

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.fixture
def phone(settings):
    with care_page(settings, width=WIDTH, height=HEIGHT) as page:
        yield page


def test_referral_report_pages_fit_a_390_px_phone(transactional_db, district, live_server, phone):
    d = district
    make(
        d, d.pustu_ampel_f, d.pkm_barat_f, "maternal", "answered",
        decided_at=at(10, 8), departed_at=at(10, 8.5), received_at=at(10, 9.5),
        handled_at=at(10, 10), answered_at=at(10, 12),
    )  # fmt: skip
    make(
        d, d.pkm_barat_f, d.hospital_f, "emergency", "handled",
        decided_at=at(12, 8), departed_at=at(12, 9), received_at=at(12, 11),
        handled_at=at(12, 11.5),
    )  # fmt: skip
    _log_in(phone, live_server.url, "pkm_barat")
    faults = _walk(
        phone,
        live_server.url,
        "pkm_barat",
        [
            "/",
            "/rujukan/laporan/?dari=2026-03&sampai=2026-04",
            "/rujukan/laporan/?dari=2026-13",
            "/pws/ringkasan/?period=2026-03",
        ],
    )
    assert faults == []
