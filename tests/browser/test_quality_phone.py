"""On a 390 px phone: the kepala puskesmas opens data quality from the PWS index, reads the
scorecard of her posyandu without sideways scrolling, follows the worst problem (residents
without NIK) to the list of persons and opens one of them (issue 10, §4).

Uses the system Chromium at /usr/bin/chromium; skipped when it is absent. Screenshots go to
ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

import pytest

from tests.browser import fits, login, shot
from tests.browser.test_pws_phone import phone  # noqa: F401  (the PWS pages' phone fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_puskesmas_follows_a_problem_to_the_persons(district, live_server, phone):  # noqa: F811
    page = phone
    login(page, live_server, district.pkm_barat)
    page.goto(live_server.url + "/pws/")
    page.click("text=Mutu data")
    assert page.locator("h1").inner_text() == "Mutu data"
    assert page.locator("#dq-POS-AT").is_visible()
    assert fits(page)
    shot(page, "quality-scorecard-390")
    # No posyandu met this month (the worst problems), and Rina (Ampel Timur) has no NIK:
    # 1 of 3 residents of Posyandu Melati.
    problems = page.locator(".dq-problems li")
    assert "Posyandu Mawar: tidak ada sesi posyandu bulan ini" in problems.first.inner_text()
    nik = problems.filter(has_text="tanpa NIK")
    assert "Posyandu Melati: 33,3% penduduk tanpa NIK (1 orang)" in nik.inner_text()
    nik.locator("a").click()
    assert page.locator("h1").inner_text() == "Penduduk tanpa NIK"
    assert fits(page)
    shot(page, "quality-records-390")
    page.click("text=Rina Lestari")
    assert "Rina Lestari" in page.locator("h1").inner_text()
