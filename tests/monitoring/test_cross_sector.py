"""Cross-sector views (``/pws/lintas-sektor/``, the quarterly pack, the camat's and kepala
desa's home page): an area's indicators beside its kecamatan and the district, counts below
5 hidden and not recoverable by subtraction, own area only, no person anywhere.

Stunting (monthly; numerator: children stunted, denominator: children measured) for June of
last year, written as counts per dusun; the cases are worked by hand in each test.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.utils import timezone

from ilp.accounts.models import AuditEvent
from ilp.monitoring.crosssector import INDICATORS, context_hidden, parse_quarter
from ilp.monitoring.models import IndicatorCount
from tests.monitoring.test_lokmin_pack import page_count, pdf_objects

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
PERIOD = f"{YEAR}-06"
URL = "/pws/lintas-sektor/"
QUARTER_URL = "/pws/lintas-sektor/tribulan/"


def stunting(area, stunted: int, measured: int) -> None:
    IndicatorCount.objects.create(
        indicator="balita_stunting",
        year=YEAR,
        month=6,
        area=area,
        sex="F",
        age_band="0-59",
        numerator=stunted,
        denominator=measured,
    )


def row(response, area_code: str, indicator: str = "balita_stunting") -> str:
    """One area's row of an indicator's table, its text with whitespace collapsed."""
    html = response.content.decode()
    marker = f'id="cs-{indicator}-{area_code}"'
    start = html.index(">", html.index(marker)) + 1
    part = html[start : html.index("</tbody>", start)]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", part)).split())


def page(client, area=None, period=PERIOD):
    params = {"period": period}
    if area is not None:
        params["area"] = area
    return client.get(URL, params)


@pytest.fixture
def three_in_ampel(district):
    """Ampel 3 stunted of 30 measured (Ampel Timur 3/20, Ampel Barat 0/10); Batu 7/30;
    kecamatan Barat 10/60; Cemara (kecamatan Timur) 6/40; the city 16/100."""
    stunting(district.ampel_timur, 3, 20)
    stunting(district.ampel_barat, 0, 10)
    stunting(district.batu_atas, 7, 30)
    stunting(district.cemara_raya, 6, 40)
    return district


def test_a_desa_with_three_stunted_shows_less_than_five(three_in_ampel, client_for):
    d = three_in_ampel
    response = page(client_for(d.kades_ampel))
    assert response.status_code == 200
    assert row(response, d.ampel.code) == "Ampel disamarkan <5 /30 –"
    assert row(response, d.ampel_timur.code) == "Ampel Timur disamarkan <5 /20 –"
    assert row(response, d.ampel_barat.code) == "Ampel Barat 0,0% 0/10 Di bawah target, naik"
    # Beside it, the kecamatan (10 of 60) and the city (16 of 100): Barat minus Ampel is 7
    # stunted of 30 in the other desa, a count this reader sees nowhere, so 3 stays hidden.
    assert row(response, d.kec_barat.code) == "Barat kecamatan 16,7% 10/60 Di atas target, naik"
    assert row(response, d.city.code) == "Kota Uji kabupaten/kota 16,0% 16/100 Di atas target, naik"


def test_the_kecamatan_row_cannot_give_the_three_back_to_the_camat(three_in_ampel, client_for):
    d = three_in_ampel
    response = page(client_for(d.camat_barat))
    assert response.status_code == 200
    assert row(response, d.kec_barat.code) == "Barat 16,7% 10/60 Di atas target, naik"
    assert row(response, d.ampel.code) == "Ampel disamarkan <5 /30 –"
    # 10 − Batu would give Ampel's 3: Batu's 7 is hidden as the second cell.
    assert row(response, d.batu.code) == "Batu disamarkan <5 /30 –"
    assert row(response, d.city.code) == "Kota Uji kabupaten/kota 16,0% 16/100 Di atas target, naik"


def test_a_kecamatan_row_that_would_show_two_in_the_other_desa_is_hidden(district, client_for):
    # Ampel 8/30 is shown to its kepala desa; Batu has 2 stunted of 30. The kecamatan's
    # 10/60 would tell him Batu's 2 (10 − 8): the whole row is hidden. The city (16/100)
    # minus Ampel leaves 8 of 70: shown.
    stunting(district.ampel_timur, 8, 20)
    stunting(district.ampel_barat, 0, 10)
    stunting(district.batu_atas, 2, 30)
    stunting(district.cemara_raya, 6, 40)
    response = page(client_for(district.kades_ampel))
    assert row(response, district.ampel.code) == "Ampel 26,7% 8/30 Di atas target, naik"
    assert row(response, district.kec_barat.code) == "Barat kecamatan disamarkan <5 / <5 –"
    assert (
        row(response, district.city.code)
        == "Kota Uji kabupaten/kota 16,0% 16/100 Di atas target, naik"
    )


def test_the_city_row_is_hidden_when_the_rest_of_the_city_is_below_five(district, client_for):
    # Kecamatan Barat 10/60; Cemara 3 stunted of 40: the city's 13 would give the 3 away.
    stunting(district.ampel_timur, 3, 20)
    stunting(district.ampel_barat, 0, 10)
    stunting(district.batu_atas, 7, 30)
    stunting(district.cemara_raya, 3, 40)
    for persona in ("camat_barat", "kades_ampel"):
        response = page(client_for(getattr(district, persona)))
        assert row(response, district.city.code) == "Kota Uji kabupaten/kota disamarkan <5 / <5 –"


def test_every_count_shown_is_zero_or_at_least_five(three_in_ampel, client_for):
    for persona in ("camat_barat", "kades_ampel"):
        response = page(client_for(getattr(three_in_ampel, persona)))
        for item in response.context["view"].indicators:
            for r in item.rows:
                for count in (r.numerator, r.denominator):
                    assert count is None or count == 0 or count >= 5


def test_context_rule_worked_by_hand():
    # Own 8/30; kecamatan 10/60 (rest 2/30: hidden); city 16/100 (8/70 beyond the own area).
    assert context_hidden((8, 30), False, [(10, 60), (16, 100)]) == [True, False]
    # Kecamatan shown (rest 7/30), city 13/100 is 3/40 beyond the kecamatan: hidden.
    assert context_hidden((3, 30), True, [(10, 60), (13, 100)]) == [False, True]
    # Persons not served in the rest: 12 of 14 stunted beyond the own area (2 not): hidden.
    assert context_hidden((3, 30), True, [(15, 44)]) == [True]
    # A wider area adding no one while the own area has a hidden count would repeat it.
    assert context_hidden((3, 30), True, [(3, 30)]) == [True]
    assert context_hidden((0, 30), False, [(0, 30)]) == [False]


def test_the_page_names_its_indicators_and_no_person(three_in_ampel, client_for):
    response = page(client_for(three_in_ampel.camat_barat))
    html = response.content.decode()
    shown = [i.indicator.code for i in response.context["view"].indicators]
    assert shown == list(INDICATORS)
    assert "stunting, imunisasi dasar lengkap (IDL), kunjungan ibu hamil K1 dan K4" in html
    for secret in (
        "Budi Santoso",
        "Siti Aminah",
        "5271011203850001",
        "/orang/",
        "/layanan/kerja/P",
    ):
        assert secret not in html


def test_a_cross_sector_viewer_reads_only_his_own_area(three_in_ampel, client_for):
    d = three_in_ampel
    kades = client_for(d.kades_ampel)
    assert page(kades, d.ampel.code).status_code == 200
    for other in (d.kec_barat.code, d.batu.code, d.city.code, "52.99"):
        assert page(kades, other).status_code == 404
        assert kades.get(QUARTER_URL, {"area": other, "quarter": f"{YEAR}-T2"}).status_code == 404
    camat = client_for(d.camat_barat)
    assert page(camat, d.kec_timur.code).status_code == 404
    assert page(camat, d.ampel.code).status_code == 404


@pytest.mark.parametrize("persona", ["dinkes", "tpcb"])
def test_district_roles_see_any_desa_as_its_kepala_desa_sees_it(
    three_in_ampel, client_for, persona
):
    d = three_in_ampel
    response = page(client_for(getattr(d, persona)), d.ampel.code)
    assert response.status_code == 200
    assert row(response, d.ampel.code) == "Ampel disamarkan <5 /30 –"
    assert row(response, d.kec_barat.code) == "Barat kecamatan 16,7% 10/60 Di atas target, naik"
    assert f'<option value="{d.cemara.code}">' in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["pkm_barat", "bidan_ampel", "kader_ampel_timur", "ppa", "norole"]
)
def test_other_roles_are_refused(three_in_ampel, client_for, persona):
    client = client_for(getattr(three_in_ampel, persona))
    assert page(client).status_code == 403
    assert client.get(QUARTER_URL, {"quarter": f"{YEAR}-T2"}).status_code == 403
    assert client.get(f"{QUARTER_URL}pdf/", {"quarter": f"{YEAR}-T2"}).status_code == 403


def test_the_home_page_leads_with_the_indicators_and_the_quarterly_pack(three_in_ampel, client_for):
    response = client_for(three_in_ampel.kades_ampel).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Indikator lintas sektor") < html.index("Ringkasan penduduk")
    quarter = f"{timezone.localdate().year}-T{(timezone.localdate().month - 1) // 3 + 1}"
    assert (
        f'href="/pws/lintas-sektor/tribulan/?area={three_in_ampel.ampel.code}&amp;quarter={quarter}"'
        in html
    )
    assert 'id="cs-balita_stunting-52.71.01"' in html  # the kecamatan beside the desa


def test_the_quarterly_pack_shows_the_quarters_months(three_in_ampel, client_for):
    d = three_in_ampel
    response = client_for(d.camat_barat).get(QUARTER_URL, {"quarter": f"{YEAR}-T2"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{YEAR}-T2 (April {YEAR}, Mei {YEAR}, Juni {YEAR})" in " ".join(html.split())
    assert [v.month for v in response.context["views"]] == [4, 5, 6]
    table = {q.indicator.code: q for q in response.context["table"]}
    cells = {code: [c.value for c in cs] for code, kind, cs in table["balita_stunting"].rows}
    assert cells[d.kec_barat.code] == [None, None, 16.7]  # no measurement in April and May
    assert cells[d.ampel.code] == [None, None, None]  # June hidden
    assert (
        f'href="/pws/lintas-sektor/tribulan/pdf/?area={d.kec_barat.code}&amp;quarter={YEAR}-T2"'
        in html
    )


def test_the_quarterly_pdf_is_a_real_pdf_and_audited(three_in_ampel, client_for):
    d = three_in_ampel
    response = client_for(d.kades_ampel).get(f"{QUARTER_URL}pdf/", {"quarter": f"{YEAR}-Q2"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert page_count(response.content) >= 2
    assert b"/Title (Ampel)" in pdf_objects(response.content)
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.object_type, event.person_ids) == (
        "export",
        "cross_sector_pack",
        [],
    )
    assert event.detail["area"] == d.ampel.code
    assert event.detail["quarter"] == f"{YEAR}-T2"


@pytest.mark.parametrize(
    ("quarter", "message"),
    [
        (f"{YEAR}-T5", "Triwulan harus berbentuk TTTT-Tn atau TTTT-Qn, misalnya 2026-T1."),
        ("triwulan", "Triwulan harus berbentuk TTTT-Tn atau TTTT-Qn, misalnya 2026-T1."),
        (f"{YEAR - 3}-T1", f"Nilai indikator tersimpan untuk tahun {YEAR}–{YEAR + 1}."),
    ],
)
def test_a_bad_quarter_is_400_with_the_reason(three_in_ampel, client_for, quarter, message):
    client = client_for(three_in_ampel.camat_barat)
    for url in (QUARTER_URL, f"{QUARTER_URL}pdf/"):
        response = client.get(url, {"quarter": quarter})
        assert response.status_code == 400
        assert message in response.content.decode()


def test_parse_quarter_keeps_the_months_begun():
    today = timezone.datetime(2026, 5, 10).date()
    assert parse_quarter("2026-T2", today) == (2026, [4, 5])
    assert parse_quarter("2026-q1", today) == (2026, [1, 2, 3])
    assert parse_quarter("2025-Q4", today) == (2025, [10, 11, 12])


def test_a_bad_month_is_400(three_in_ampel, client_for):
    response = page(client_for(three_in_ampel.camat_barat), period="2026-00")
    assert response.status_code == 400
    assert "Bulan harus 01 sampai 12." in response.content.decode()


def test_the_page_in_english(three_in_ampel, client_for):
    client = client_for(three_in_ampel.kades_ampel)
    client.cookies["django_language"] = "en"
    response = page(client)
    html = response.content.decode()
    assert "Cross-sector indicators" in html
    assert row(response, three_in_ampel.ampel.code) == "Ampel hidden <5 /30 –"
    assert (
        row(response, three_in_ampel.city.code)
        == "Kota Uji district 16.0% 16/100 Above target, rising"
    )
    assert "Stunting" in html or "stunting" in html
