"""On a 390 px phone, as hospital staff (RSUD Kota Uji): the home page lists the hospital's
incoming referrals (urgent first, with the counts), the referral opens from it, the referred
person's summary shows her pregnancy and recent results, and after receiving, handling and
answering, "Rujuk balik" opens the back referral prefilled and sends it to the puskesmas.

Uses the system Chromium at /usr/bin/chromium (never downloads a browser); skipped when it
is absent. Screenshots go to ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ilp.care.services import encounter_record
from ilp.people.models import Pregnancy
from ilp.referrals import services
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


def test_hospital_staff_on_a_phone(phone, live_server, district):
    today = timezone.localdate()
    lmp = today - timedelta(days=240)
    preg = Pregnancy.objects.create(
        person=district.siti, lmp=lmp, edd=lmp + timedelta(days=280), gravida=3, para=2
    )
    encounter_record(
        actor=district.pkm_barat,
        person=district.siti,
        on=today - timedelta(days=2),
        package="anc",
        place_kind="puskesmas",
        facility=district.pkm_barat_f,
        pregnancy=preg,
        values={"visit_number": 4, "height": 152, "weight": 64, "hb": 9.8, "sbp": 165, "dbp": 110},
        confirm_unusual=True,
    )
    trigger = flagged_encounter(district.siti, district.pkm_barat_f, today, "puskesmas")
    now = timezone.now()
    referral = services.referral_create(
        user=district.pkm_barat,
        person=district.siti,
        from_facility=district.pkm_barat_f,
        to_facility=district.hospital_f,
        kind="maternal",
        reason="Preeklamsia berat dengan perdarahan",
        diagnosis_code="O14.1",
        encounter=trigger,
        decided_at=now - timedelta(hours=30),
    )
    services.referral_create(
        user=district.pkm_barat,
        person=district.budi,
        from_facility=district.pkm_barat_f,
        to_facility=district.hospital_f,
        kind="planned",
        reason="Kontrol penyakit jantung",
        decided_at=now - timedelta(days=1),
    )

    login(phone, live_server, district.rs_uji)
    assert phone.inner_text("#count-waiting strong") == "2"
    assert phone.inner_text("#count-overdue strong") == "1"
    first = phone.locator(".referral-row h3").first.inner_text()
    assert first == "Siti Aminah"
    assert fits(phone)
    _shot(phone, "hospital_home")

    phone.click(f"#rujukan-{referral.uuid} a")
    phone.click("#referral-summary-link")
    phone.wait_for_selector("#summary-pregnancy")
    assert "34 minggu" in phone.inner_text("#summary-ga")
    assert phone.inner_text("#summary-nik") == "••••••••••••0002"
    assert "165/110" in phone.inner_text("#value-bp")
    assert "Perdarahan" in phone.inner_text("#summary-alerts")
    assert fits(phone)
    _shot(phone, "hospital_summary")

    phone.goto(f"{live_server.url}/rujukan/{referral.uuid}/")
    for label in ("Terima pasien", "Mulai tangani"):
        phone.click(f"#referral-actions button:has-text('{label}')")
        phone.wait_for_selector(".msg.success")
    phone.fill("#referral-actions textarea[name=answer_care]", "MgSO4, seksio sesarea")
    phone.fill("#referral-actions input[name=answer_diagnosis_code]", "O14.1")
    phone.fill("#referral-actions textarea[name=back_referral_plan]", "Kontrol tekanan darah")
    phone.click("#referral-actions button:has-text('Kirim jawaban')")
    phone.wait_for_selector(".msg.success")
    phone.click("#refer-back-link")
    assert phone.input_value("#id_kind") == "back"
    assert phone.input_value("#id_reason") == "Kontrol tekanan darah"
    assert fits(phone)
    _shot(phone, "hospital_back_referral")
    phone.click("button.primary")
    phone.wait_for_selector("#referral-state")
    back = Referral.objects.get(kind="back")
    assert (back.from_facility_id, back.to_facility_id) == (
        district.hospital_f.pk,
        district.pkm_barat_f.pk,
    )
