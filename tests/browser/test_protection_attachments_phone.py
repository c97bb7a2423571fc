"""On a 390 px phone: the case officer attaches a photo of the injuries to a KtP/A case. A
GIF named .jpg is refused with its message on the file field (nothing stored), a JPEG is
stored sealed and listed, and its link downloads the same bytes. No sideways scrolling.

Uses the system Chromium at /usr/bin/chromium; skipped when it is absent. Screenshots go to
ILP_SCREENSHOT_DIR when that is set."""

from __future__ import annotations

import pytest

from ilp.protection.models import Attachment
from tests.browser import fits, login, shot
from tests.browser.test_pws_phone import phone  # noqa: F401  (the phone fixture)
from tests.protection.conftest import prot  # noqa: F401  (the case of Siti)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 2000


def test_the_officer_attaches_a_photo_on_a_phone(district, live_server, phone, prot):  # noqa: F811
    page = phone
    login(page, live_server, district.pkm_barat)
    page.goto(f"{live_server.url}/perlindungan/kasus/{prot.case.uuid}/")
    page.click("text=Tambah lampiran")
    page.select_option("#id_kind", "injury_photo")
    page.set_input_files(
        "#id_file", {"name": "luka.jpg", "mimeType": "image/jpeg", "buffer": b"GIF89a" + b"\0" * 40}
    )
    page.click("button:has-text('Unggah lampiran')")
    section = page.locator("#case-attachments")
    assert "Berkas luka.jpg bukan PDF, JPEG atau PNG (dibaca dari isinya)." in section.inner_text()
    assert not Attachment.objects.exists()
    assert fits(page)
    shot(page, "protection-attachment-refused-390")
    page.select_option("#id_kind", "injury_photo")
    page.set_input_files(
        "#id_file", {"name": "luka.jpg", "mimeType": "image/jpeg", "buffer": PHOTO}
    )
    page.click("button:has-text('Unggah lampiran')")
    assert "Lampiran disimpan (terenkripsi)." in page.content()
    assert "Foto luka: luka.jpg" in page.locator("#case-attachments").inner_text()
    assert fits(page)
    shot(page, "protection-attachment-390")
    with page.expect_download() as download:
        page.click("text=Foto luka: luka.jpg")
    got = download.value
    assert got.suggested_filename == "luka.jpg"
    with open(got.path(), "rb") as f:
        assert f.read() == PHOTO
