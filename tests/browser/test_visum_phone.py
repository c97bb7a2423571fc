"""On a 390 px phone: the puskesmas records the police request for a visum (refused first
without the request number), the examination with the chaperone and consent, issues the
letter and records its delivery; the Dinkes opens the letter template. Every page fits the
width.

Uses the system Chromium at /usr/bin/chromium (never downloads a browser); skipped when it
is absent. Screenshots go to ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ilp.protection.models_visum import Visum, VisumState
from tests.browser import chromium_page, fits, login
from tests.browser import shot as _shot
from tests.protection.conftest import prot  # noqa: F401  (the protection personas)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_REQUEST = "Visum hanya dibuat atas permintaan tertulis penyidik"


@pytest.fixture
def phone(transactional_db, settings):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with chromium_page(390, 844) as page:
        yield page


def test_visum_on_a_phone(phone, live_server, prot):  # noqa: F811
    d = prot.d
    case_url = f"{live_server.url}/perlindungan/kasus/{prot.case.uuid}/"
    login(phone, live_server, d.pkm_barat)
    phone.goto(case_url)
    phone.click("summary:has-text('Catat permintaan visum')")
    phone.fill("#id_investigator_name", "Bripka Sari")
    phone.fill("#id_investigator_unit", "Unit PPA Polres Kota Uji")
    phone.click("button:has-text('Simpan permintaan')")
    phone.wait_for_selector("#visum .errorlist")
    assert NO_REQUEST in phone.inner_text("#visum")
    assert not Visum.objects.exists()
    assert fits(phone)
    _shot(phone, "visum_request_refused")
    phone.fill("#id_request_number", "B/123/XII/2026")
    phone.fill("#id_request_date", timezone.localdate().isoformat())
    phone.click("button:has-text('Simpan permintaan')")
    phone.wait_for_selector(".msg.success")
    phone.click("summary:has-text('Catat pemeriksaan')")
    phone.fill("#id_chaperone_name", "Bidan Rina")
    phone.check("#id_chaperone_female")
    phone.select_option("#id_consent_by", "victim")
    phone.fill("#id_consent_name", "Siti")
    phone.fill("#id_consent_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    phone.fill("#id_findings", "Memar 3 x 4 cm di lengan kiri atas.")
    assert fits(phone)
    _shot(phone, "visum_examine")
    phone.click("button:has-text('Simpan pemeriksaan')")
    phone.wait_for_selector(".msg.success")
    phone.click("summary:has-text('Terbitkan surat visum')")
    phone.fill("#id_letter_number", "VER/01/XII/2026")
    phone.fill("#id_letter_date", timezone.localdate().isoformat())
    phone.click("button:has-text('Terbitkan')")
    phone.wait_for_selector(".msg.success")
    phone.click("summary:has-text('Catat penyerahan')")
    phone.fill("#id_delivered_to", "Bripka Sari")
    phone.click("button:has-text('Simpan penyerahan')")
    phone.wait_for_selector(".msg.success")
    assert Visum.objects.get().state == VisumState.DELIVERED
    assert "VER/01/XII/2026" in phone.inner_text("#visum")
    assert fits(phone)
    _shot(phone, "visum_delivered")

    phone.context.clear_cookies()
    login(phone, live_server, d.dinkes)
    phone.goto(f"{live_server.url}/perlindungan/templat-visum/")
    assert "{nomor_surat}" in phone.inner_text("main")
    assert fits(phone)
    _shot(phone, "visum_template")
