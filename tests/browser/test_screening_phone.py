"""The KtP/A screening pages on a 390 px phone: a puskesmas worker finds Siti from the protection
index, fills the WAST (one "sometimes"), sees the positive result and opens the case it
opened; then screens a child. Uses the system Chromium at /usr/bin/chromium; skipped when it
is absent. Screenshots go to ILP_SCREENSHOT_DIR."""

from __future__ import annotations

import pytest

from ilp.protection.models_screening import Screening
from ilp.standards import ktpa_screening as rules
from tests.browser import chromium_page, fits, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(transactional_db, settings):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with chromium_page(390, 844) as page:
        page.set_default_timeout(30_000)
        yield page


def test_screening_fits_a_phone(phone, live_server, district):
    d = district
    login(phone, live_server, d.pkm_barat)
    phone.goto(f"{live_server.url}/perlindungan/")
    phone.click("#screening-link")
    phone.fill("#id_q", "Siti")
    phone.click("button.primary")
    assert fits(phone)
    shot(phone, "screening-find")
    phone.click("#screening-persons a")
    phone.wait_for_selector("#screening-form")
    phone.check("input[name=signs][value=dominating_partner]")
    for item in rules.WAST_ITEMS:
        answer = "sometimes" if item == "emotional_abuse" else rules.WAST_SCALES[item][-1]
        phone.check(f"input[name={item}][value={answer}]")
    assert fits(phone)
    shot(phone, "screening-wast")
    phone.click("#screening-form button.primary")
    phone.wait_for_selector("#screening-positive")
    assert fits(phone)
    shot(phone, "screening-result")
    phone.click("#screening-case")
    phone.wait_for_selector("#case-victims")
    assert "Siti Aminah" in phone.inner_text("#case-victims")
    assert Screening.objects.get().case is not None

    phone.goto(f"{live_server.url}/perlindungan/skrining/{d.rina.uuid}/")
    phone.click("#screening-form button.primary")  # nothing chosen: the messages
    phone.wait_for_selector(".errorlist")
    assert fits(phone)
    shot(phone, "screening-child-errors")
