"""At 390 px in headless Chromium: the family page of a family outside the kader's area,
a child's page with a mother outside it, the move page and the access history all fit the
phone's width and show no identity from outside the area.

Uses the system Chromium (skipped when absent); screenshots go to ILP_SCREENSHOT_DIR."""

from __future__ import annotations

from datetime import date

import pytest

from ilp.accounts.models import Role, User
from ilp.people.models import Family
from tests.browser import chromium_page, shot
from tests.conftest import PASSWORD, _person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390


@pytest.fixture
def page(transactional_db):
    with chromium_page(WIDTH, 844) as page:
        yield page


def _login(page, live_server, user) -> None:
    user.set_password(PASSWORD)
    user.save()
    page.goto(live_server.url + "/masuk/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(live_server.url + "/")


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_pages_of_indirect_paths_at_390px(page, live_server, district, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    d = district
    family = Family.objects.create(
        kk_number="5271010501600099", rt=d.rt_ampel_barat, hamlet=d.ampel_barat, village=d.ampel
    )
    d.ahmad.family, d.ahmad.relationship = family, "head"
    d.ahmad.save()
    family.head = d.ahmad
    family.save()
    nina = _person("Nina Ayu", "F", date(1998, 1, 2), d.rt_ampel_timur, family=family)
    d.rina.mother = d.dewi
    d.rina.save()

    _login(page, live_server, d.kader_ampel_timur)
    page.goto(f"{live_server.url}/keluarga/{family.uuid}/")
    assert "1 anggota di luar wilayah Anda" in page.content()
    assert "Ahmad" not in page.content() and "5271010501600099" not in page.content()
    _fits(page)
    shot(page, "family-outside-area-390")
    page.goto(f"{live_server.url}/penduduk/{d.rina.uuid}/")
    assert "Dewi" not in page.content()
    _fits(page)
    shot(page, "child-mother-outside-390")
    page.goto(f"{live_server.url}/penduduk/{nina.uuid}/pindah-keluarga/")
    _fits(page)
    shot(page, "move-family-390")

    dpo = User.objects.create_user(
        username="dpo", role=Role.DATA_PROTECTION, area=d.city, first_name="Rahma"
    )
    page.context.clear_cookies()
    _login(page, live_server, dpo)
    page.goto(f"{live_server.url}/akun/riwayat-akses/?person={d.rina.local_id}")
    assert "Riwayat akses data" in page.content() and "kader_ampel_timur" in page.content()
    _fits(page)
    shot(page, "access-history-390")
