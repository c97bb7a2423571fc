"""On a 390 px phone: a kader refers a pregnant woman with a danger sign from the encounter
that flagged it (the form prefilled), the pustu midwife finds it first on her incoming list,
receives, handles and answers it, and the kader's referral page shows each step's time and
the delays between them.

Uses the system Chromium at /usr/bin/chromium (never downloads a browser); skipped when it
is absent. Screenshots go to ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ilp.referrals.models import Referral
from tests.browser import chromium_page, fits, login
from tests.browser import shot as _shot
from tests.referrals import flagged_encounter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(transactional_db, settings):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with chromium_page(390, 844) as page:
        yield page


def test_referral_loop_on_a_phone(phone, live_server, district):
    encounter = flagged_encounter(district.siti, district.pos_ampel_timur_f, timezone.localdate())
    login(phone, live_server, district.kader_ampel_timur)
    phone.goto(f"{live_server.url}/rujukan/baru/?encounter={encounter.uuid}")
    assert phone.input_value("#id_reason") == "Perdarahan (Rujuk segera ke rumah sakit)"
    assert fits(phone)
    _shot(phone, "referral_new")
    phone.select_option("#id_to_facility", label="Pustu Ampel")
    phone.select_option("#id_kind", "maternal")
    phone.select_option("#id_transport", "desa_vehicle")
    phone.click("button.primary")
    phone.wait_for_selector("#referral-state")
    referral = Referral.objects.get()
    assert referral.trigger_alerts == encounter.alerts

    phone.context.clear_cookies()
    login(phone, live_server, district.bidan_ampel)
    phone.goto(f"{live_server.url}/rujukan/masuk/")
    phone.click(f"#rujukan-{referral.uuid} a")
    for label in ("Terima pasien", "Mulai tangani"):
        phone.click(f"#referral-actions button:has-text('{label}')")
        phone.wait_for_selector(".msg.success")
    phone.fill("#referral-actions textarea[name=answer_care]", "Dirawat, infus RL")
    phone.fill("#referral-actions input[name=answer_diagnosis_code]", "O46.9")
    phone.click("#referral-actions button:has-text('Kirim jawaban')")
    phone.wait_for_selector(".msg.success")
    assert phone.inner_text("#referral-state") == "Dijawab"
    assert fits(phone)
    _shot(phone, "referral_answered")

    phone.context.clear_cookies()
    login(phone, live_server, district.kader_ampel_timur)
    phone.goto(f"{live_server.url}/rujukan/{referral.uuid}/")
    assert "Antepartum haemorrhage, unspecified" in phone.inner_text("main")
    assert phone.inner_text("#step-answered_at td:nth-child(2)") != "—"
    assert phone.is_visible("#referral-actions button:has-text('Tutup rujukan')")
    assert fits(phone)
    _shot(phone, "referral_sender_view")
    referral.refresh_from_db()
    assert referral.state == "answered"
    assert referral.answer_diagnosis_code == "O46.9"
