"""The monthly lokmin pack of a puskesmas (``/pws/lokmin/<code>/`` and its PDF): hand-worked
figures, a real PDF (pages, the puskesmas named), who may read it, the audit row of the
download, bad input as 400/404, both languages, and the PDF fetcher that serves only the
app's static files.

Counts as in test_pws_pages: IDL for June of last year, Puskesmas Barat 18/40 = 45.0 % (May
14/40 = 35.0 %), Ampel 15/30 = 50.0 %, Batu 3/10 = 30.0 %; June's target line 50.0 %.
"""

from __future__ import annotations

import re
import socket
import zlib
from html import unescape

import pytest

from ilp.accounts.models import AuditEvent, Role, User
from ilp.monitoring import pdf
from tests.monitoring import test_pws_pages
from tests.monitoring.test_pws_pages import PERIOD, YEAR

pytestmark = pytest.mark.django_db

URL = "/pws/lokmin/P5271010101/"
idl = test_pws_pages.idl  # the same hand-worked counts as the PWS page's tests


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def pdf_objects(data: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated (WeasyPrint packs the page tree and
    the outline into compressed object streams)."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def page_count(data: bytes) -> int:
    return int(re.search(rb"/Type /Pages/Kids \[[^\]]*\]/Count (\d+)", pdf_objects(data))[1])


def test_the_page_shows_the_puskesmas_figures_worked_by_hand(idl, client_for):
    response = client_for(idl.pkm_barat).get(URL, {"period": PERIOD})
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(html)
    assert f"Puskesmas Barat Kecamatan Barat Bulan Juni {YEAR}" in text
    assert "Desa/kelurahan wilayah kerja 2" in text
    # The summary row of IDL: 18/40 over the sasaran riil, no projected sheet, line 50.0 %,
    # +10.0 points since May, below the line and rising.
    row = html[html.index('href="#pack-idl"') - 30 :]
    row = text_of(row[: row.index("</tr>")])
    assert row == "Imunisasi dasar lengkap (IDL) 45,0% 18/40 – 50,0% +10,0 Di bawah target, naik"
    # The desa bars of IDL, and its trend.
    section = html[html.index('id="pack-idl"') :]
    section = section[: section.index("</article>")]
    assert "Ampel · 50,0% (15/30)" in text_of(section)
    assert "Batu · 30,0% (3/10)" in text_of(section)
    assert section.count('class="pws-bar"') == 2
    assert 'class="pws-trend"' in section
    assert f'href="/pws/lokmin/P5271010101/pdf/?period={PERIOD}"' in html
    # Aggregates only: no one's name, no link to a work list.
    for name in ("Budi Santoso", "Siti Aminah", "Rina Lestari"):
        assert name not in html
    main = html[html.index('<main id="main">') :]
    assert "/layanan/kerja/" not in main  # the menu has it; the pack has no work-list link


def test_the_pdf_is_a_real_pdf_of_several_pages_naming_the_puskesmas(idl, client_for):
    response = client_for(idl.pkm_barat).get(f"{URL}pdf/", {"period": PERIOD})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="lokmin-P5271010101-{PERIOD}.pdf"'
    )
    data = response.content
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert page_count(data) >= 4  # the cover, the clusters' tables, the indicators' charts
    objects = pdf_objects(data)
    assert b"/Title (Puskesmas Barat)" in objects  # the cover's heading, as a bookmark
    assert b"/Title (Imunisasi dasar lengkap \\(IDL\\))" in objects


def test_the_pdf_download_is_audited_as_an_export_without_persons(idl, client_for):
    before = AuditEvent.objects.count()
    client_for(idl.pkm_barat).get(f"{URL}pdf/", {"period": PERIOD})
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert (event.user, event.action, event.object_type, event.purpose) == (
        idl.pkm_barat,
        "export",
        "lokmin_pack",
        "reporting",
    )
    assert event.person_ids == []
    assert event.detail["puskesmas"] == "P5271010101"
    assert event.detail["period"] == PERIOD
    assert event.detail["format"] == "pdf"
    # Opening the page writes nothing.
    client_for(idl.pkm_barat).get(URL, {"period": PERIOD})
    assert AuditEvent.objects.count() == before + 1


@pytest.mark.parametrize("persona", ["dinkes", "tpcb", "pkm_barat"])
def test_the_puskesmas_and_the_district_roles_read_the_pack(idl, client_for, persona):
    response = client_for(getattr(idl, persona)).get(URL, {"period": PERIOD})
    assert response.status_code == 200
    assert "45,0%" in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["bidan_ampel", "kader_ampel_timur", "camat_barat", "kades_ampel", "ppa", "norole"]
)
def test_other_roles_are_refused_the_pack_and_its_pdf(idl, client_for, persona):
    client = client_for(getattr(idl, persona))
    before = AuditEvent.objects.filter(action="export").count()
    for url in (URL, f"{URL}pdf/"):
        response = client.get(url, {"period": PERIOD})
        assert response.status_code == 403
        assert b"45,0" not in response.content
    assert AuditEvent.objects.filter(action="export").count() == before


def test_another_puskesmas_staff_gets_404(idl, client_for):
    timur = User.objects.create_user(
        username="pkm_timur", password="x", role=Role.PUSKESMAS, facility=idl.pkm_timur_f
    )
    client = client_for(timur)
    assert client.get(URL, {"period": PERIOD}).status_code == 404
    assert client.get(f"{URL}pdf/", {"period": PERIOD}).status_code == 404
    assert client.get("/pws/lokmin/P5271020101/", {"period": PERIOD}).status_code == 200


def test_anonymous_is_sent_to_the_login(idl, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/masuk/?next={URL}"


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2026-13", "Bulan harus 01 sampai 12."),
        ("juni", "Periode harus berbentuk TTTT-BB, misalnya 2026-03."),
        (f"{YEAR + 3}-01", f"Nilai indikator tersimpan untuk tahun {YEAR}–{YEAR + 1}."),
    ],
)
def test_a_bad_month_is_400_with_the_reason(idl, client_for, period, message):
    client = client_for(idl.dinkes)
    for url in (URL, f"{URL}pdf/"):
        response = client.get(url, {"period": period})
        assert response.status_code == 400
        assert message in response.content.decode()


@pytest.mark.parametrize("code", ["P9999999999", "52.71.01.1001", "PUSTU-AMPEL", "x" * 80])
def test_an_unknown_puskesmas_is_404(idl, client_for, code):
    assert client_for(idl.dinkes).get(f"/pws/lokmin/{code}/").status_code == 404
    assert client_for(idl.dinkes).get(f"/pws/lokmin/{code}/pdf/").status_code == 404


def test_the_pack_in_english(idl, client_for):
    client = client_for(idl.pkm_barat)
    client.cookies["django_language"] = "en"
    text = text_of(client.get(URL, {"period": PERIOD}).content.decode())
    assert f"Puskesmas Barat Kecamatan Barat Month June {YEAR}" in text
    assert "Complete basic immunisation (IDL) 45,0% 18/40" not in text  # English numbers
    assert "Complete basic immunisation (IDL) 45.0% 18/40 – 50.0% +10.0 Below target, rising" in (
        text
    )
    response = client.get(URL, {"period": "2026-13"})
    assert response.status_code == 400
    assert "The month must be 01 to 12." in response.content.decode()


# ---------------------------------------------------------------- the PDF's fetcher: no network


def test_the_fetcher_serves_the_apps_static_files():
    response = pdf.StaticOnlyFetcher().fetch("https://ilp.invalid/static/ilp/packs.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "http://198.51.100.7/logo.png",  # any other host (a documentation address)
        "https://ilp.invalid.example/static/ilp/packs.css",
        "http://ilp.invalid/static/ilp/packs.css",  # not the placeholder origin's scheme
        "https://ilp.invalid/media/x.png",  # not a static file
        "https://ilp.invalid/static/../settings.py",
        "https://ilp.invalid/static/ilp/%2e%2e/%2e%2e/settings.py",
        "https://ilp.invalid/static/ilp/no-such-file.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_refuses_anything_else(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.StaticOnlyFetcher().fetch(url)


def test_drawing_a_pdf_opens_no_connection(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the PDF renderer tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    html = (
        '<html><head><link rel="stylesheet" href="http://198.51.100.7/x.css">'
        '<link rel="stylesheet" href="/static/ilp/packs.css"></head>'
        '<body><h1>Uji</h1><img src="http://198.51.100.7/x.png" alt=""></body></html>'
    )
    data = pdf.html_to_pdf(html)
    assert data.startswith(b"%PDF-")
    assert b"/Title (Uji)" in pdf_objects(data)


def test_the_pack_ends_with_the_months_data_quality(idl, client_for):
    """The puskesmas' data quality of the month (issue 10 §3: "its indicators, PWS charts and
    data quality"): the ranked problems and the working area's measures, as the Mutu data page
    gives them (``quality.scorecard``)."""
    from ilp.monitoring import quality

    response = client_for(idl.pkm_barat).get(URL, {"period": PERIOD})
    html = response.content.decode()
    section = html[html.index('id="pack-mutu-data"') :]
    section = text_of(section[: section.index('class="pack-note pack-end"')])
    card = quality.scorecard(idl.pkm_barat, area_code="P5271010101", year=YEAR, month=6)
    assert (
        f"Mutu data bulan ini untuk wilayah kerja puskesmas dan {len(card.rows)} posyandunya"
        in section
    )
    assert "Masalah mutu data" in section
    for measure in card.top.cells:
        assert f"{measure.label} {measure.text}" in section
    for problem in quality.problems_of(card):
        assert problem.label in section
