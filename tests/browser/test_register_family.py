"""End to end in headless Chromium: a pustu bidan registers a family and finds it again.

Uses the system Chromium at /usr/bin/chromium (never downloads a browser); skipped when it
is absent. Screenshots go to ILP_SCREENSHOT_DIR when that is set (for looking at the pages).
"""

from __future__ import annotations

import pytest

from ilp.people.models import Family
from tests.browser import chromium_page, shot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(transactional_db):
    with chromium_page(412, 915) as page:
        yield page


_shot = shot


def _fill_member(page, index: int, values: dict[str, str]) -> None:
    prefix = f"#id_members-{index}-"
    page.fill(prefix + "nik", values["nik"])
    page.fill(prefix + "full_name", values["full_name"])
    page.select_option(prefix + "sex", values["sex"])
    page.fill(prefix + "birth_date", values["birth_date"])  # the date widget takes YYYY-MM-DD
    page.select_option(prefix + "relationship", values["relationship"])


def test_bidan_registers_family_and_finds_it(page, live_server, district, settings):
    from playwright.sync_api import expect

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    district.bidan_ampel.set_password(PASSWORD)
    district.bidan_ampel.save()
    page.goto(live_server.url + "/masuk/")
    page.fill("#id_username", "bidan_ampel")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(live_server.url + "/")
    assert "Pustu Ampel" in page.content()

    page.goto(live_server.url + "/keluarga/baru/")
    page.fill("#id_kk_number", "5271011508200007")
    page.select_option("#id_area", str(district.rt_ampel_barat.uuid))
    page.fill("#id_address", "Jl. Melati 5")
    _fill_member(
        page,
        0,
        {
            "nik": "1234",
            "full_name": "Made Wirawan",
            "sex": "M",
            "birth_date": "1988-08-17",
            "relationship": "head",
        },
    )
    # htmx checks the NIK as it is typed and says what is wrong before saving.
    page.wait_for_selector("#id_members-0-nik ~ .hint .error")
    assert "NIK harus terdiri dari 16 angka." in page.inner_text("#hint-members-0-nik")
    page.fill("#id_members-0-nik", "5271011708880009")
    # (not wait_for_function: evaluating a string is what the Content-Security-Policy forbids)
    expect(page.locator("#hint-members-0-nik")).to_have_text("")
    _fill_member(
        page,
        1,
        {
            "nik": "5271015509920011",
            "full_name": "Ni Luh Sari",
            "sex": "F",
            "birth_date": "1992-09-15",
            "relationship": "spouse",
        },
    )
    # A third row added with the button and removed again is not saved.
    page.click("[data-add-member]")
    page.fill("#id_members-2-full_name", "Salah ketik")
    page.locator("[data-member-row]").nth(2).locator("[data-remove-member]").click()
    _shot(page, "family_register")
    page.click("button.primary:has-text('Simpan keluarga')")
    page.wait_for_url("**/keluarga/*/")
    assert "Keluarga dengan 2 anggota tersimpan." in page.content()

    family = Family.objects.get(kk_number="5271011508200007")
    assert sorted(family.members.values_list("full_name", flat=True)) == [
        "Made Wirawan",
        "Ni Luh Sari",
    ]
    assert family.head.full_name == "Made Wirawan"

    page.goto(live_server.url + "/penduduk/cari/")
    page.type("#id_q", "ni luh", delay=30)  # htmx live results, no submit
    page.wait_for_selector("#search-results a:has-text('Ni Luh Sari')")
    page.click("#search-results a:has-text('Ni Luh Sari')")
    page.wait_for_selector("h1:has-text('Ni Luh Sari')")
    assert "5271015509920011" in page.content()
    _shot(page, "person")
