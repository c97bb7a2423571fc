"""On a 390 px phone: the puskesmas records a maternal death from the woman's page; the review
page shows the notification check; the TPCB analyst records the review and a recommendation;
the deaths list shows the counts. Every page fits the width.

Uses the system Chromium at /usr/bin/chromium (never downloads a browser); skipped when it
is absent. Screenshots go to ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ilp.people.models import Pregnancy
from ilp.referrals.models import Death
from tests.browser import chromium_page, fits, login
from tests.browser import shot as _shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(transactional_db, settings):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with chromium_page(390, 844) as page:
        yield page


def test_death_and_review_on_a_phone(phone, live_server, district):
    today = timezone.localdate()
    Pregnancy.objects.create(
        person=district.siti, lmp=today - timedelta(weeks=36), edd=today + timedelta(weeks=4)
    )
    login(phone, live_server, district.pkm_barat)
    phone.goto(f"{live_server.url}/penduduk/{district.siti.uuid}/")
    phone.click("a:has-text('Catat kematian')")
    assert fits(phone)
    phone.select_option("#id_kind", "maternal")
    died = timezone.localtime() - timedelta(hours=30)
    phone.fill("#id_died_at", died.strftime("%Y-%m-%dT%H:%M"))
    phone.select_option("#id_place", "home")
    phone.select_option("#id_pregnancy", index=1)
    phone.fill("#id_cause_code", "O72.1")
    _shot(phone, "death_new")
    phone.click("button.primary")
    phone.wait_for_selector("#notification")
    # died 30 h ago (to the minute): 6 h and some seconds past the limit, counted up to 7
    assert "Belum dilaporkan: sudah 7 jam lewat batas 24 jam." in phone.inner_text("#notification")
    assert fits(phone)
    _shot(phone, "death_review_puskesmas")
    death = Death.objects.get()

    phone.context.clear_cookies()
    login(phone, live_server, district.tpcb)
    phone.goto(f"{live_server.url}/pembinaan/kematian/{death.uuid}/")
    phone.click("summary:has-text('Catat pengkajian')")
    phone.fill("#id_meeting_date", today.isoformat())
    phone.fill("#id_participants", "Kadinkes, SpOG, bidan koordinator")
    phone.check("input[value=d1_danger_signs]")
    phone.check("input[value=d3_blood]")
    phone.fill("#id_summary", "Perdarahan pascapersalinan di rumah.")
    phone.click("button:has-text('Simpan pengkajian')")
    phone.wait_for_selector(".msg.success")
    assert "Darah tidak tersedia" in phone.inner_text("#review")
    assert fits(phone)
    _shot(phone, "death_review_tpcb")
    phone.goto(f"{live_server.url}/rujukan/kematian/")
    assert "Siti Aminah" in phone.inner_text("main")
    assert fits(phone)
    _shot(phone, "deaths_list")
