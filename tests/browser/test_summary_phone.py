"""On a 390 px phone: the kepala puskesmas' home page leads with what needs attention (last
month's D/S of desa Ampel, below the line and falling), its link opens the PWS page of D/S at
Ampel; the summary of all indicators is a list of cards without sideways scrolling and prints
without its form; the dinkes home fits too (issue 10, item 6).

Uses the system Chromium at /usr/bin/chromium; skipped when it is absent. Screenshots go to
ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ilp.monitoring.attention import previous_month
from ilp.monitoring.models import IndicatorCount
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


def _ds_last_month(d) -> None:
    """D/S of Ampel Timur: 9/10 the month before last, 6/10 last month."""
    today = timezone.localdate()
    last = previous_month(today.year, today.month)
    before = previous_month(*last)
    for (year, month), n in ((before, 9), (last, 6)):
        IndicatorCount.objects.create(
            indicator="ds",
            year=year,
            month=month,
            area=d.ampel_timur,
            sex="F",
            numerator=n,
            denominator=10,
        )


def test_puskesmas_home_leads_to_the_desa_below_target(phone, live_server, district):
    _ds_last_month(district)
    login(phone, live_server, district.pkm_barat)
    assert phone.is_visible("#attention-title")
    gaps = phone.inner_text("#attention-gaps")
    assert "Ampel: Balita ditimbang (D/S)" in gaps
    assert "60,0% terhadap target 80,0% (20,0 poin)" in gaps
    assert "menjadi «Di bawah target, turun»" in phone.inner_text("#attention-changes")
    assert fits(phone)
    _shot(phone, "home_puskesmas_attention")
    phone.click("#attention-gaps a:has-text('Balita ditimbang (D/S)')")
    phone.wait_for_selector("h1:has-text('Balita ditimbang (D/S)')")
    assert "Ampel" in phone.inner_text("p.lead")

    phone.go_back()
    phone.click("a:has-text('Ringkasan semua indikator')")
    phone.wait_for_selector("h1:has-text('Ringkasan PWS: Puskesmas Barat')")
    assert phone.is_visible("#sum-ds")
    assert "60,0%" in phone.inner_text("#sum-ds")
    assert fits(phone)
    _shot(phone, "summary_puskesmas")
    phone.emulate_media(media="print")
    assert not phone.is_visible("form.pws-period")
    assert not phone.is_visible("p.sum-actions")
    assert phone.is_visible("#sum-ds")
    _shot(phone, "summary_print")


def test_dinkes_home_and_summary_fit_the_phone(phone, live_server, district):
    _ds_last_month(district)
    login(phone, live_server, district.dinkes)
    assert "Ampel: Balita ditimbang (D/S)" in phone.inner_text("#attention-gaps")
    assert fits(phone)
    _shot(phone, "home_dinkes_attention")
    phone.click("a:has-text('Ringkasan semua indikator')")
    phone.wait_for_selector("h1:has-text('Ringkasan PWS: Kota Uji')")
    assert fits(phone)
    _shot(phone, "summary_dinkes")
