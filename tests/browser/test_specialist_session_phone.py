"""On a 390 px phone: a specialist opens her programme, records a session at Puskesmas
Barat, adds a participant without a login, enters pre- and post-tests (a score of 120 is
refused on its field, nothing lost), and sees the programme's coverage and score change
(issue 11, point 4). No sideways scrolling on any of these pages.

Uses the system Chromium at /usr/bin/chromium; skipped when it is absent. Screenshots go to
ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

import pytest

from tests.browser import fits, login, shot
from tests.browser.test_pws_phone import phone  # noqa: F401  (the PWS pages' phone fixture)
from tests.evaluation.conftest import programme, spa, spog  # noqa: F401  (the programme)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_specialist_records_a_session_with_scores(district, live_server, phone, programme, spog):  # noqa: F811
    page = phone
    login(page, live_server, spog)
    page.click("text=Program pendampingan saya")
    page.click("text=Pendampingan KIA dan rujukan 2026")
    assert "0 dari 2 puskesmas dikunjungi" in page.locator("#cakupan").inner_text()
    assert fits(page)
    page.fill("#id_session_date", "2026-03-15")
    page.select_option("#id_puskesmas", label="Puskesmas Barat")
    page.select_option("#id_specialist", label="dr. Ayu SpOG")
    page.click("button:has-text('Catat')")
    assert "Sesi pendampingan spesialis" in page.locator("h1").inner_text()
    page.check("text=pkm_barat")
    page.fill("#id_others", "Ni Made Sari | bidan")
    page.click("button:has-text('Tambahkan peserta')")
    inputs = page.locator("input.score")
    assert inputs.count() == 2 * 3 * 2  # 2 participants × 3 topics × pre/post
    inputs.nth(0).fill("120")
    inputs.nth(1).fill("70")
    page.click("button:has-text('Simpan nilai')")
    assert "Nilai harus antara 0 dan 100." in page.locator("#peserta").inner_text()
    inputs = page.locator("input.score")
    assert inputs.nth(1).input_value() == "70"  # the other value kept
    assert fits(page)
    shot(page, "specialist-session-scores-error-390")
    inputs.nth(0).fill("40")
    inputs.nth(6).fill("60")
    inputs.nth(7).fill("90")
    page.click("button:has-text('Simpan nilai')")
    assert "Nilai disimpan." in page.content()
    assert fits(page)
    shot(page, "specialist-session-390")
    page.click(f"text={programme.name}")
    assert "1 dari 2 puskesmas dikunjungi" in page.locator("#cakupan").inner_text()
    # PONED: (40 + 60) / 2 = 50 → (70 + 90) / 2 = 80, +30.
    row = page.locator("#nilai-topik tr", has_text="PONED")
    assert row.inner_text().split() == ["PONED", "2", "50,0", "80,0", "+30,0"]
    assert fits(page)
    shot(page, "specialist-programme-390")
