"""The all-indicators summary (``/pws/ringkasan/``): a card per catalogue indicator with exact
figures on a hand-built case, links to the PWS pages, the Excel sheet, scope per role,
suppression for a cross-sector reader, bad input (400/404, never 500) and its query count.

D/S (monthly, target 80) in June of last year (a kept year), May beside it:
  Ampel Timur (Ampel) 6/10 (May 9/10), Batu Atas (Batu) 7/10 (May 5/10).
The city = kecamatan Barat: 13/20 = 65.0 (May 14/20 = 70.0): below the line and falling,
−5.0; Barat is its child furthest below the line (15.0 points; Timur has no value).
"""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from ilp.monitoring.catalogue import load_catalogue
from ilp.monitoring.models import IndicatorCount
from ilp.monitoring.selectors import indicator_values

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
PERIOD = f"{YEAR}-06"
URL = "/pws/ringkasan/"


@pytest.fixture
def ds(district):
    for area, month, n, d in (
        (district.ampel_timur, 5, 9, 10),
        (district.ampel_timur, 6, 6, 10),
        (district.batu_atas, 5, 5, 10),
        (district.batu_atas, 6, 7, 10),
    ):
        IndicatorCount.objects.create(
            indicator="ds", year=YEAR, month=month, area=area, sex="F", numerator=n, denominator=d
        )
    return district


def card(response, code: str) -> str:
    """The text of one indicator's card (li#sum-<code>), whitespace collapsed."""
    html = response.content.decode()
    start = html.index(">", html.index(f'id="sum-{code}"')) + 1
    part = html[start : html.index("</li>", start)]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", part)).split())


def test_the_district_summary_has_every_indicator_with_its_figures(ds, client_for):
    response = client_for(ds.dinkes).get(URL, {"area": ds.city.code, "period": PERIOD})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="sum-card sum-tone-') == len(load_catalogue()) == 28
    assert card(response, "ds") == (
        "Balita ditimbang (D/S) 65,0% 13/20 Target bulan ini 80,0% · perubahan -5,0 poin "
        "Di bawah target, turun Terjauh dari target: Barat 65,0% (15,0 poin dari target)"
    )
    assert f'<a href="/pws/ds/?area={ds.city.code}&amp;period={PERIOD}">' in html
    assert f'<a href="/pws/ds/?area={ds.kec_barat.code}&amp;period={PERIOD}">Barat</a>' in html
    assert 'class="sum-card sum-tone-bad" id="sum-ds"' in html
    # An indicator without counts: no value, no status, no worst area.
    assert card(response, "idl").endswith("Belum ada nilai")
    assert "Klaster 3: Usia dewasa dan lanjut usia" in html
    # One level down: each kecamatan's summary.
    assert f'<a href="{URL}?area={ds.kec_barat.code}&amp;period={PERIOD}">Barat</a>' in html
    assert f'<a href="{URL}?area={ds.kec_timur.code}&amp;period={PERIOD}">Timur</a>' in html


def test_the_puskesmas_opens_on_its_working_area_in_english(ds, client_for):
    client = client_for(ds.pkm_barat)
    client.cookies["django_language"] = "en"
    response = client.get(URL, {"period": PERIOD})
    assert response.status_code == 200
    assert "PWS summary: Puskesmas Barat" in response.content.decode()
    assert card(response, "ds") == (
        "Children under five weighed (D/S) 65.0% 13/20 This month's target 80.0% · "
        "change -5.0 points Below target, falling Furthest from target: Ampel 60.0% "
        "(20.0 points from the target)"
    )


def test_excel_holds_every_indicator_and_area(ds, client_for):
    client = client_for(ds.dinkes)
    response = client.get(f"{URL}excel/", {"area": ds.city.code, "period": PERIOD})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="ringkasan-pws-{ds.city.code}-{PERIOD}.xlsx"'
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert len(rows) == 28 * 3  # the city, Barat, Timur per indicator
    ds_rows = [r for r in rows if r[1] == "ds"]
    assert ds_rows == [
        [
            "Balita ditimbang (D/S)",
            "ds",
            "Kota Uji",
            "52.71",
            13,
            20,
            65,
            80,
            -5,
            "Di bawah target, turun",
        ],
        [
            "Balita ditimbang (D/S)",
            "ds",
            "Barat",
            "52.71.01",
            13,
            20,
            65,
            80,
            -5,
            "Di bawah target, turun",
        ],
        ["Balita ditimbang (D/S)", "ds", "Timur", "52.71.02", 0, 0, None, 80, None, None],
    ]


def test_a_camat_gets_the_same_hidden_counts_as_the_selector(ds, client_for):
    """Ampel's and Batu's D/S leave 4 and 3 children unweighed: hidden for the camat, in the
    page (no worst area named from a hidden value) and as "<5" in the Excel."""
    client = client_for(ds.camat_barat)
    params = {"area": ds.kec_barat.code, "period": PERIOD}
    response = client.get(URL, params)
    assert response.status_code == 200
    assert "Terjauh dari target" not in card(response, "ds")
    expected = indicator_values(
        ds.camat_barat, load_catalogue()["ds"], area_code=ds.kec_barat.code, year=YEAR, month=6
    )
    assert [r.suppressed for r in expected] == [False, True, True]
    ws = load_workbook(io.BytesIO(client.get(f"{URL}excel/", params).content)).active
    ds_rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4) if r[1].value == "ds"]
    assert [(r[2], r[4], r[5], r[6]) for r in ds_rows] == [
        (
            v.place.name,
            "<5" if v.numerator is None else v.numerator,
            "<5" if v.denominator is None else v.denominator,
            v.value,
        )
        for v in expected
    ]
    assert client.get(URL, {"area": ds.city.code, "period": PERIOD}).status_code == 404


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"period": "2026-13"}, 400, "Bulan harus 01 sampai 12."),
        ({"period": "0001-01"}, 400, "Nilai indikator tersimpan untuk tahun"),
        ({"period": "kemarin"}, 400, "Periode harus berbentuk TTTT-BB"),
        ({"period": "9999-01"}, 400, "Nilai indikator tersimpan untuk tahun"),
        ({"period": PERIOD, "area": "52.99"}, 404, "Wilayah 52.99 tidak ada"),
        ({"period": PERIOD, "area": "x" * 500}, 400, "Kode wilayah tidak dikenal."),
        ({"period": PERIOD, "area": "52.71\x00"}, 400, "Kode wilayah tidak dikenal."),
    ],
)
def test_bad_input_answers_with_the_reason(ds, client_for, params, status, message):
    client = client_for(ds.dinkes)
    for url in (URL, f"{URL}excel/"):
        response = client.get(url, params)
        assert response.status_code == status
        assert message in response.content.decode()


def test_scope_per_role(ds, client_for):
    assert client_for(ds.pkm_barat).get(URL, {"area": ds.pkm_timur_f.code}).status_code == 404
    assert client_for(ds.pkm_barat).get(URL, {"area": ds.city.code}).status_code == 404
    kader = client_for(ds.kader_ampel_timur)
    assert kader.get(URL, {"area": ds.ampel.code}).status_code == 404
    assert kader.get(URL).status_code == 200  # her dusun, no child areas
    for persona in (ds.ppa, ds.norole):
        assert client_for(persona).get(URL).status_code == 403


def test_anonymous_goes_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_index_and_homes_link_the_summary(ds, client_for):
    assert 'href="/pws/ringkasan/"' in client_for(ds.pkm_barat).get("/pws/").content.decode()
    for persona in (ds.dinkes, ds.pkm_barat):
        assert 'href="/pws/ringkasan/"' in client_for(persona).get("/").content.decode()


def test_the_summary_reads_all_indicators_in_fixed_queries(
    ds, client_for, django_assert_num_queries
):
    """Session and user (2), the user's area (1), the area and its children (2), all
    indicators' counts (1), puskesmas targets (1), projected sasaran (1), years kept (0), the
    month's referrals for the Rujukan family (1), the maternal and infant deaths family (5:
    the area, its desa, deaths, persons, pregnancies), the KtP/A screenings family (3: the
    area, its desa, the screenings counted per desa)."""
    client = client_for(ds.dinkes)
    client.get("/")
    with django_assert_num_queries(17):
        assert client.get(URL, {"area": ds.city.code, "period": PERIOD}).status_code == 200
