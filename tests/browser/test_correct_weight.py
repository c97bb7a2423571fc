"""End to end on a 390 px phone: a kader corrects a mistyped weight; the growth result and
the referral it raised follow, and the old value stays in the history.

Uses the system Chromium at /usr/bin/chromium (never downloads a browser); skipped when it
is absent. Screenshots go to ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

import pytest

from ilp.care.models import Task, TaskStatus
from tests.browser import chromium_page
from tests.browser import shot as _shot
from tests.care.test_corrections import _weigh
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(transactional_db):
    with chromium_page(390, 844) as page:
        yield page


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_kader_corrects_a_mistyped_weight_on_her_phone(phone, live_server, district, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    kader = district.kader_ampel_timur
    kader.set_password(PASSWORD)
    kader.save()
    enc = _weigh(district, 5.2)  # 5,2 typed for 9,2: "gizi buruk", a referral task
    assert Task.objects.get(source_encounter=enc).status == TaskStatus.OPEN

    page = phone
    page.goto(live_server.url + "/masuk/")
    page.fill("#id_username", kader.username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(live_server.url + "/")
    page.goto(f"{live_server.url}/layanan/orang/{district.rina.uuid}/")
    assert "Gizi buruk" in page.inner_text(f"#enc-{enc.uuid}")
    assert _fits(page)
    page.click(f"#enc-{enc.uuid} a:has-text('Koreksi hasil ukur')")
    page.wait_for_selector("h1:has-text('Koreksi hasil ukur')")
    assert page.input_value("#id_weight") == "5,2"
    page.fill("#id_weight", "9,2")
    page.select_option("#id_reason", "typo")
    page.fill("#id_note", "5,2 seharusnya 9,2")
    assert _fits(page)
    _shot(page, "correct_weight_form")
    page.click("button.primary:has-text('Simpan koreksi')")
    page.wait_for_selector("text=Koreksi tersimpan; hasil dihitung ulang.")
    card = page.inner_text(f"#enc-{enc.uuid}")
    assert "Gizi buruk" not in card and "Gizi baik" in card
    page.click(f"#enc-{enc.uuid} summary:has-text('Riwayat koreksi')")
    history = page.inner_text(f"#enc-{enc.uuid} .history")
    assert "Berat badan: 5,2 → 9,2" in history
    assert "Salah ketik (5,2 seharusnya 9,2)" in history
    assert _fits(page)
    _shot(page, "correct_weight_done")
    assert Task.objects.get(source_encounter=enc).status == TaskStatus.CANCELLED
