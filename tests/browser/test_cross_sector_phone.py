"""On a 390 px phone: a kepala desa logs in, his home page leads with his desa's indicators
beside the kecamatan and the city (a count below 5 shown as "<5"), with no sideways scroll;
he opens the cross-sector page and the quarterly pack, which also fit the screen and print
without the menu and buttons (issue 10, §5).

Uses the system Chromium at /usr/bin/chromium (never downloads a browser); skipped when it
is absent. Screenshots go to ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ilp.monitoring.models import IndicatorCount
from tests.browser import fits, login, test_pws_phone
from tests.browser import shot as _shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


phone = test_pws_phone.phone  # the same 390x844 Chromium page


def _stunting_this_month(d) -> None:
    """This month: Ampel 3 stunted of 30 measured, Batu 7/30, Cemara 6/40."""
    today = timezone.localdate()
    for area, n, den in ((d.ampel_timur, 3, 30), (d.batu_atas, 7, 30), (d.cemara_raya, 6, 40)):
        IndicatorCount.objects.create(
            indicator="balita_stunting",
            year=today.year,
            month=today.month,
            area=area,
            sex="F",
            numerator=n,
            denominator=den,
        )


def test_kepala_desa_sees_his_desa_beside_kecamatan_and_city(phone, live_server, district):
    _stunting_this_month(district)
    login(phone, live_server, district.kades_ampel)
    stunting = f'[id="cs-balita_stunting-{district.ampel.code}"]'
    phone.wait_for_selector(stunting)
    assert "<5" in phone.inner_text(stunting)
    kecamatan = phone.inner_text(f'[id="cs-balita_stunting-{district.kec_barat.code}"]')
    assert "16,7%" in kecamatan and "10/60" in kecamatan
    assert phone.is_visible(f'[id="cs-balita_stunting-{district.city.code}"] svg.pws-bar')
    assert fits(phone)
    _shot(phone, "cross_sector_home")

    phone.click("a:has-text('Pilih bulan lain')")
    phone.wait_for_selector("h1:has-text('Indikator lintas sektor')")
    assert phone.is_visible(stunting)
    assert fits(phone)
    _shot(phone, "cross_sector_page")

    phone.click("a:has-text('Paket lokmin tribulanan')")
    phone.wait_for_selector("table.pack-quarter")
    assert fits(phone)
    _shot(phone, "cross_sector_quarter")
    phone.emulate_media(media="print")
    assert not phone.is_visible("header.topbar")
    assert not phone.is_visible("a:has-text('Unduh PDF')")
    assert phone.is_visible("table.pack-quarter")
