"""On a 390 px phone: the "Kematian ibu dan bayi" section of the PWS summary (a puskesmas
district reader) and of a camat's home page (counts below 5 shown as "<5") fits the screen,
its table scrolling sideways inside its own box.

Uses the system Chromium at /usr/bin/chromium (never downloads a browser); skipped when it
is absent. Screenshots go to ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from tests.browser import fits, login, test_pws_phone
from tests.browser import shot as _shot
from tests.monitoring.test_death_family import YEAR, _baby, _death

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

phone = test_pws_phone.phone  # the same 390x844 Chromium page


def _deaths(d) -> None:
    """Last year: 6 neonatal deaths in Ampel, 2 in Batu, 1 maternal death in Ampel."""
    for i in range(8):
        rt = d.rt_ampel_timur if i < 6 else d.rt_batu
        baby = _baby(d, f"Nona {i}", date(YEAR, 3, 1 + i), date(YEAR, 3, 5 + i), rt=rt)
        _death(baby, "neonatal", date(YEAR, 3, 5 + i))
    _death(d.siti, "maternal", date(YEAR, 3, 1))


def _section_shot(page, name: str) -> None:
    """The section alone, as a phone shows it (when ILP_SCREENSHOT_DIR is set)."""
    folder = os.environ.get("ILP_SCREENSHOT_DIR")
    if folder:
        page.locator("#sum-kematian").screenshot(path=str(Path(folder) / f"{name}.png"))


def test_the_section_fits_a_phone(phone, live_server, district):
    _deaths(district)
    login(phone, live_server, district.dinkes)
    phone.goto(f"{live_server.url}/pws/ringkasan/?area={district.kec_barat.code}&period={YEAR}-06")
    phone.wait_for_selector("#sum-kematian")
    assert "Kecamatan Barat" in phone.inner_text("#sum-kematian tr.total")
    assert fits(phone)
    _shot(phone, "death_family_summary")
    _section_shot(phone, "death_family_summary_section")

    phone.context.clear_cookies()
    login(phone, live_server, district.camat_barat)
    phone.wait_for_selector("#sum-kematian")
    assert "<5" in phone.inner_text("#sum-kematian")
    assert fits(phone)
    _shot(phone, "death_family_camat")
    _section_shot(phone, "death_family_camat_section")
