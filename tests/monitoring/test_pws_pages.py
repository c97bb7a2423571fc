"""PWS pages (``/pws/``): the index by cluster, one indicator's page for an area and month with
exact figures on a hand-built case, scope per role, suppression for cross-sector readers, the
person links only for roles that see names, the Excel download and a 400/404 for bad input.

The counts are written directly (``IndicatorCount``) for June of last year, a kept year: IDL
(cumulative, annual target 100 %, June's line 50.0 %), denominators in month 0.
"""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from ilp.monitoring.models import IndicatorCount

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
PERIOD = f"{YEAR}-06"


def _count(area, month, numerator=0, denominator=0):
    IndicatorCount.objects.create(
        indicator="idl",
        year=YEAR,
        month=month,
        area=area,
        sex="F",
        numerator=numerator,
        denominator=denominator,
    )


@pytest.fixture
def idl(district):
    """Ampel Timur 8 (May) + 4 (June) of 20; Ampel Barat 3 (March) of 10; Batu Atas 3
    (February) of 10. Puskesmas Barat in June: 18/40 = 45.0 (May 14/40 = 35.0)."""
    _count(district.ampel_timur, 0, denominator=20)
    _count(district.ampel_timur, 5, numerator=8)
    _count(district.ampel_timur, 6, numerator=4)
    _count(district.ampel_barat, 0, denominator=10)
    _count(district.ampel_barat, 3, numerator=3)
    _count(district.batu_atas, 0, denominator=10)
    _count(district.batu_atas, 2, numerator=3)
    return district


def page(client, area=None, period=PERIOD, code="idl"):
    params = {"period": period}
    if area is not None:
        params["area"] = area
    return client.get(f"/pws/{code}/", params)


def row(response, code: str) -> str:
    """The text of one area's row (tbody#pws-<code>), whitespace collapsed."""
    html = response.content.decode()
    start = html.index(">", html.index(f'id="pws-{code}"')) + 1
    part = html[start : html.index("</tbody>", start)]

    return " ".join(unescape(re.sub(r"<[^>]+>", " ", part)).split())


def test_the_index_lists_indicators_by_cluster(district, client_for):
    response = client_for(district.pkm_barat).get("/pws/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Klaster 2: Ibu dan anak" in text
    assert 'href="/pws/idl/"' in text
    assert "Imunisasi dasar lengkap (IDL)" in text


def test_puskesmas_page_shows_its_desa_against_the_line(idl, client_for):
    response = page(client_for(idl.pkm_barat))  # default area: its working area
    assert response.status_code == 200
    text = response.content.decode()
    assert "Garis target bulan ini: 50,0%" in text
    assert row(response, "P5271010101") == (
        "Puskesmas Barat 45,0% 18/40 +10,0 Di bawah target, naik"
    )
    assert row(response, idl.ampel.code) == (
        "Ampel 50,0% 15/30 +13,3 Di atas target, naik Lihat yang belum dilayani"
    )
    assert row(response, idl.batu.code) == (
        "Batu 30,0% 3/10 0,0 Di bawah target, naik Lihat yang belum dilayani"
    )
    # Drill-down one level, and the work list of the desa's pustu filtered to immunisation.
    assert f'href="/pws/idl/?area={idl.batu.code}&amp;period={PERIOD}"' in text
    assert 'href="/layanan/kerja/PUSTU-BATU/?kind=imunisasi"' in text
    for status in ("Di atas target, turun", "Jelek: perlu tindakan segera."):
        assert status in text  # the legend in words


def test_desa_page_links_each_dusun_to_its_posyandu_list(idl, client_for):
    response = page(client_for(idl.pkm_barat), idl.ampel.code)
    assert response.status_code == 200
    assert row(response, idl.ampel_timur.code) == (
        "Ampel Timur 60,0% 12/20 +20,0 Di atas target, naik Lihat yang belum dilayani"
    )
    text = response.content.decode()
    assert 'href="/layanan/kerja/POS-AT/?kind=imunisasi"' in text
    assert 'href="/layanan/kerja/POS-AB/?kind=imunisasi"' in text
    # Up: a puskesmas reads no kecamatan; up from its desa is its working area.
    assert f'href="/pws/idl/?area=P5271010101&amp;period={PERIOD}" rel="up"' in text
    # A dusun is the last level: no drill-down from its row.
    assert f"?area={idl.ampel_timur.code}" not in text


def test_district_reader_goes_up_to_the_kecamatan(idl, client_for):
    text = page(client_for(idl.dinkes), idl.batu.code).content.decode()
    assert f'href="/pws/idl/?area={idl.kec_barat.code}&amp;period={PERIOD}" rel="up"' in text


def test_trend_has_twelve_months_ending_with_the_period(idl, client_for):
    response = page(client_for(idl.dinkes), "P5271010101")
    text = response.content.decode()
    # July–December of the year before have no counts (no target, no value): 6 points.
    assert text.count("<circle") == 6
    assert f"{YEAR}-06: 45,0%" in text
    assert f"{YEAR}-01: 0,0%" in text


def test_camat_reads_only_his_kecamatan_with_small_counts_hidden(idl, client_for):
    client = client_for(idl.camat_barat)
    response = page(client)
    assert response.status_code == 200
    batu = row(response, idl.batu.code)
    assert batu == "Batu disamarkan <5 /10 – –"
    assert "Lihat yang belum dilayani" not in response.content.decode()
    assert "/layanan/kerja/" not in response.content.decode()
    assert page(client, idl.kec_timur.code).status_code == 404
    assert page(client, idl.city.code).status_code == 404


def test_dinkes_sees_the_same_counts_unsuppressed(idl, client_for):
    response = page(client_for(idl.dinkes), idl.kec_barat.code)
    assert row(response, idl.batu.code).startswith("Batu 30,0% 3/10")
    assert "Puskesmas Barat" in response.content.decode()  # the level between


def test_kader_reads_only_her_dusun(idl, client_for):
    client = client_for(idl.kader_ampel_timur)
    response = page(client)
    assert response.status_code == 200
    assert row(response, idl.ampel_timur.code).startswith("Ampel Timur 60,0% 12/20")
    assert page(client, idl.ampel.code).status_code == 404
    assert page(client, idl.ampel_barat.code).status_code == 404


@pytest.mark.parametrize("persona", ["ppa", "norole"])
def test_roles_without_indicators_are_refused(idl, client_for, persona):
    client = client_for(getattr(idl, persona))
    assert client.get("/pws/").status_code == 403
    assert page(client, idl.ampel.code).status_code == 403


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"period": "2026-13"}, 400, "Bulan harus 01 sampai 12."),
        ({"period": "0001-01"}, 400, "Nilai indikator tersimpan untuk tahun"),
        ({"period": "kemarin"}, 400, "Periode harus berbentuk TTTT-BB"),
        ({"period": PERIOD, "area": "52.99"}, 404, "Wilayah 52.99 tidak ada"),
        ({"period": PERIOD, "area": "x" * 500}, 400, "Kode wilayah tidak dikenal."),
    ],
)
def test_bad_input_answers_with_the_reason(idl, client_for, params, status, message):
    response = client_for(idl.dinkes).get("/pws/idl/", params)
    assert response.status_code == status
    assert message in response.content.decode()


def test_unknown_indicator_is_404(idl, client_for):
    response = client_for(idl.dinkes).get("/pws/zzz/", {"period": PERIOD})
    assert response.status_code == 404
    response = client_for(idl.dinkes).get("/pws/zzz/excel/", {"period": PERIOD})
    assert response.status_code == 404


def test_excel_holds_the_table_with_numbers_and_hidden_counts_as_text(idl, client_for):
    response = client_for(idl.camat_barat).get("/pws/idl/excel/", {"period": PERIOD})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows[0][:7] == (
        "Wilayah",
        "Kode",
        "Pembilang",
        "Penyebut: sasaran riil",
        "Capaian (%): sasaran riil",
        "Penyebut: sasaran proyeksi",
        "Capaian (%): sasaran proyeksi",
    )
    batu = next(r for r in rows if r[1] == idl.batu.code)
    assert batu[2:8] == ("<5", 10, None, None, None, 50.0)
    dinkes = client_for(idl.dinkes).get(
        "/pws/idl/excel/", {"period": PERIOD, "area": "P5271010101"}
    )
    rows = list(load_workbook(io.BytesIO(dinkes.content)).active.iter_rows(values_only=True))
    assert rows[3] == (
        "Puskesmas Barat",
        "P5271010101",
        18,
        40,
        45.0,
        None,  # no sasaran proyeksi uploaded
        None,
        50.0,
        10.0,
        "Di bawah target, naik",
    )


def test_home_pages_link_the_index(idl, client_for):
    for persona in ("dinkes", "tpcb", "pkm_barat", "camat_barat"):
        text = client_for(getattr(idl, persona)).get("/").content.decode()
        assert text.count('href="/pws/"') == 1, persona


def test_the_page_in_english(idl, client_for):
    client = client_for(idl.pkm_barat)
    client.cookies["django_language"] = "en"
    response = client.get("/pws/idl/", {"period": PERIOD})
    text = response.content.decode()
    assert "<h1>Complete basic immunisation (IDL)</h1>" in text
    assert row(response, idl.batu.code) == (
        "Batu 30.0% 3/10 0.0 Below target, rising See who is not yet served"
    )
    assert "This month's target line: 50.0% (annual target 100%)." in text


def test_person_links_name_catalogue_indicators_and_work_list_kinds():
    from ilp.care.worklists import ITEM_KINDS
    from ilp.monitoring.catalogue import load_catalogue
    from ilp.monitoring.pws import ITEM_KIND_BY_INDICATOR

    assert set(ITEM_KIND_BY_INDICATOR) <= set(load_catalogue())
    assert set(ITEM_KIND_BY_INDICATOR.values()) <= set(ITEM_KINDS)


@pytest.mark.parametrize("persona", ["dinkes", "camat_barat", "pkm_barat"])
def test_trend_agrees_with_the_monthly_values(idl, persona):
    from ilp.monitoring.catalogue import load_catalogue
    from ilp.monitoring.pws import previous_months
    from ilp.monitoring.selectors import indicator_trend, indicator_values

    user = getattr(idl, persona)
    indicator = load_catalogue()["idl"]
    area = idl.kec_barat.code if persona != "pkm_barat" else "P5271010101"
    months = previous_months(YEAR, 6)
    expected = []
    for y, m in months:
        first = indicator_values(user, indicator, area_code=area, year=y, month=m)[0]
        expected.append((first.value, first.target))
    assert indicator_trend(user, indicator, area_code=area, months=months) == expected
    if persona == "camat_barat":
        # June rose by 4 since May (Ampel Timur): hidden from the camat, May 14/40 shown
        # (tests/monitoring/test_suppression_months.py).
        assert expected[-2:] == [(35.0, 41.7), (None, 50.0)]
    else:
        assert expected[-1] == (45.0, 50.0)  # June: 18/40 against the line at 50.0


def test_queries_do_not_grow_with_the_trend(idl, client_for, django_assert_num_queries):
    """The 12-month trend is one query for a reader without suppression (it was 12 × 3).
    The values read the puskesmas' own targets and the projected sasaran (2 queries)."""
    client = client_for(idl.dinkes)
    client.get("/")  # the session and user are read once per request either way
    # 13, + 5 for the values of every desa and 2 for their kecamatan and outlines: the
    # desa map (ilp.monitoring.maps).
    with django_assert_num_queries(20):
        assert page(client, idl.city.code).status_code == 200
    client = client_for(idl.pkm_barat)
    with django_assert_num_queries(19):  # + the work lists the person links point to
        assert page(client, idl.batu.code).status_code == 200


def test_a_lower_is_better_indicator_reads_its_status_the_other_way():
    """Stunting below its target line and falling is good; IDL there is bad. The status
    stays literal (where the value is, where it moved); its meaning and colour follow the
    indicator's direction."""
    from ilp.monitoring import pws
    from ilp.monitoring.catalogue import load_catalogue

    catalogue = load_catalogue()
    stunting, idl = catalogue["balita_stunting"], catalogue["idl"]
    assert stunting.direction == "down" and idl.direction == "up"
    assert pws.status_tone(stunting, "below_falling") == "good"
    assert pws.status_tone(idl, "below_falling") == "bad"
    assert pws.status_tone(stunting, "above_rising") == "bad"
    assert pws.status_meaning(stunting, "below_falling") == "Baik: pertahankan."
    assert pws.status_meaning(idl, "below_falling") == "Jelek: perlu tindakan segera."
    assert pws.status_tone(idl, None) == ""
