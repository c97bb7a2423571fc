"""On a 390 px phone: the kepala puskesmas opens the PWS page of complete basic immunisation
(IDL) from the home page, sees each desa's bar against the target line without horizontal
scrolling, drills into the worst desa and follows its dusun's gap to the posyandu's work list
filtered to immunisation, where the child still missing doses is listed (issue 10, §3).

Uses the system Chromium at /usr/bin/chromium (never downloads a browser); skipped when it
is absent. Screenshots go to ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ilp.monitoring.models import IndicatorCount
from tests.browser import chromium_page, fits, login
from tests.browser import shot as _shot
from tests.care import resident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(transactional_db, settings):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with chromium_page(390, 844) as page:
        yield page


def _idl_this_year(d) -> None:
    """IDL this year, all served in January (so any month shows them): Ampel 15/30 (Ampel
    Timur 12/20, Ampel Barat 3/10), Batu 3/10: Batu is the worst desa."""
    year = timezone.localdate().year
    for area, month, n, den in (
        (d.ampel_timur, 0, 0, 20),
        (d.ampel_timur, 1, 12, 0),
        (d.ampel_barat, 0, 0, 10),
        (d.ampel_barat, 1, 3, 0),
        (d.batu_atas, 0, 0, 10),
        (d.batu_atas, 1, 3, 0),
    ):
        IndicatorCount.objects.create(
            indicator="idl",
            year=year,
            month=month,
            area=area,
            sex="F",
            numerator=n,
            denominator=den,
        )


def _value(page, code: str) -> float:
    text = page.inner_text(f'[id="pws-{code}"] td.num strong')
    return float(text.rstrip("%").replace(",", "."))


def test_kepala_puskesmas_reaches_the_children_missing_idl(phone, live_server, district):
    _idl_this_year(district)
    resident(
        district, "Bayi Kenanga", "F", timezone.localdate() - timedelta(days=75), district.rt_batu
    )
    login(phone, live_server, district.pkm_barat)
    phone.click("a:has-text('PWS: capaian indikator')")
    phone.click("a:has-text('Imunisasi dasar lengkap (IDL)')")
    phone.wait_for_selector("h1:has-text('Imunisasi dasar lengkap (IDL)')")
    assert phone.is_visible(f'[id="pws-{district.batu.code}"] svg.pws-bar')
    assert phone.is_visible("svg.pws-trend")
    assert fits(phone)
    _shot(phone, "pws_puskesmas")
    # Printed: no menu, month form, buttons or person links; the table and trend stay.
    phone.emulate_media(media="print")
    assert not phone.is_visible("form.pws-period")
    assert not phone.is_visible("header.topbar")
    assert not phone.is_visible("a.pws-gap")
    assert phone.is_visible("table.pws-table") and phone.is_visible("svg.pws-trend")
    _shot(phone, "pws_print")
    phone.emulate_media(media="screen")
    desa = {c: _value(phone, c) for c in (district.ampel.code, district.batu.code)}
    worst = min(desa, key=lambda c: desa[c])
    assert (worst, desa[worst]) == (district.batu.code, 30.0)
    assert "Di bawah target" in phone.inner_text(f'[id="pws-{worst}"]')
    phone.click(f'[id="pws-{worst}"] th a')
    phone.wait_for_selector(f'[id="pws-{district.batu_atas.code}"]')
    assert "Batu" in phone.inner_text("p.lead")
    assert fits(phone)
    _shot(phone, "pws_desa")
    phone.click(f'[id="pws-{district.batu_atas.code}"] a.pws-gap')
    phone.wait_for_load_state()
    assert phone.url.endswith("/layanan/kerja/POS-BA/?kind=imunisasi")
    assert phone.is_checked("input[name=kind][value=imunisasi]")
    assert "Bayi Kenanga" in phone.inner_text("main")
    _shot(phone, "pws_worklist")
