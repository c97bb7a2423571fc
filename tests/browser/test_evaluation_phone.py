"""On a 390 px phone: the kepala puskesmas opens her puskesmas' monthly evaluation from the
coaching pages and reads it without sideways scrolling (the indicator tables scroll inside
their own box); then the performance assessment of her puskesmas (issue 11, §5).

Uses the system Chromium at /usr/bin/chromium; skipped when it is absent. Screenshots go to
ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

import pytest

from tests.browser import fits, login, shot
from tests.browser.test_pws_phone import phone  # noqa: F401  (the PWS pages' phone fixture)
from tests.evaluation import review_data
from tests.evaluation.conftest import (  # noqa: F401  (the coaching fixtures)
    programme,
    rec,
    session,
    session_rec,
    spa,
    spog,
    team,
    visit,
)
from tests.evaluation.review_data import YEAR
from tests.evaluation.test_review_sessions import data  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_kepala_puskesmas_reads_the_month_on_a_phone(district, team, live_server, phone):  # noqa: F811
    review_data.indicator_counts(district)
    review_data.coaching(district, team)
    page = phone
    login(page, live_server, district.pkm_barat)
    page.goto(live_server.url + "/pembinaan/")
    page.click("text=Evaluasi puskesmas")
    assert page.locator("h1").inner_text() == "Evaluasi puskesmas"
    page.goto(live_server.url + f"/pembinaan/evaluasi/P5271010101/?period={YEAR}-06")
    assert page.locator("h1").inner_text() == "Puskesmas Barat"
    assert "2 rekomendasi terbuka" in page.locator(".ev-tiles").inner_text()
    assert page.locator("#ev-rekomendasi").is_visible()
    assert fits(page)
    shot(page, "evaluation-monthly-390")
    page.goto(live_server.url + f"/pembinaan/kinerja/?year={YEAR}")
    page.click("text=Puskesmas Barat")
    assert "Nilai: 72,5" in page.locator(".pkp-total").inner_text()
    assert fits(page)
    shot(page, "evaluation-pkp-390")


def test_the_specialist_sessions_section_fits_a_phone(
    district,
    team,  # noqa: F811
    live_server,
    phone,  # noqa: F811
    data,  # noqa: F811  (test_review_sessions' hand-built sessions)
):
    page = phone
    login(page, live_server, district.pkm_barat)
    page.goto(live_server.url + "/pembinaan/evaluasi/P5271010101/?period=2026-03")
    section = page.locator("#ev-sesi-spesialis")
    assert section.locator("h2").inner_text() == "Sesi pendampingan spesialis"
    assert "+27,5" in section.inner_text()
    assert "sesi spesialis" in page.locator("#ev-rekomendasi").inner_text()
    assert fits(page)
    section.scroll_into_view_if_needed()
    shot(page, "evaluation-monthly-sessions-390")
