"""What needs attention (``ilp.monitoring.attention``) on a hand-built case, and the home pages
that lead with it per role, in both languages; the roles without it keep their home page.

Counts are written directly (``IndicatorCount``, monthly indicators, so each month stands
alone) for a month M and the two before it (M−1 is "last month"; M−2 gives last month's own
status):

    D/S (target 80)          M−2      M−1      M
      Ampel Timur (Ampel)    8/10     9/10     6/10   60.0: below the line, falling; was
                                                      above and rising → turned bad, −30.0
      Batu Atas (Batu)       –        5/10     7/10   70.0: below, rising (+20.0: fine)
    stunting (target 14, lower is better)
      Ampel Timur            –        –        1/10   10.0: on the good side
      Batu Atas              2/10     2/10     6/10   60.0: 46.0 above the line, +40.0 the
                                                      wrong way; "bad" last month already
    N/D (target 80)
      Ampel Timur            –        5/5      4/5    80.0: on the line, −20.0

Puskesmas Barat (desa Ampel, Batu): gaps stunting Batu 46.0, then D/S Ampel 20.0; changes
D/S Ampel first (it turned bad, −30.0), then by size stunting Batu (+40.0), N/D Ampel (−20.0).
The city (kecamatan Barat = Ampel + Batu; Timur has nothing): stunting Barat 7/20 = 35.0
(21.0 above its line), D/S Barat 13/20 = 65.0 (15.0 below).
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from ilp.monitoring.attention import attention, previous_month
from ilp.monitoring.models import IndicatorCount

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
M = previous_month(TODAY.year, TODAY.month)  # the home pages read the last complete month
M1 = previous_month(*M)
M2 = previous_month(*M1)
PERIOD = f"{M[0]:04d}-{M[1]:02d}"


def _count(indicator, area, when, numerator, denominator):
    IndicatorCount.objects.create(
        indicator=indicator,
        year=when[0],
        month=when[1],
        area=area,
        sex="F",
        numerator=numerator,
        denominator=denominator,
    )


@pytest.fixture
def case(district):
    d = district
    for area, when, n, den in (
        (d.ampel_timur, M2, 8, 10),
        (d.ampel_timur, M1, 9, 10),
        (d.ampel_timur, M, 6, 10),
        (d.batu_atas, M1, 5, 10),
        (d.batu_atas, M, 7, 10),
    ):
        _count("ds", area, when, n, den)
    for area, when, n, den in (
        (d.ampel_timur, M, 1, 10),
        (d.batu_atas, M2, 2, 10),
        (d.batu_atas, M1, 2, 10),
        (d.batu_atas, M, 6, 10),
    ):
        _count("balita_stunting", area, when, n, den)
    _count("skdn_nd", d.ampel_timur, M1, 5, 5)
    _count("skdn_nd", d.ampel_timur, M, 4, 5)
    return d


def test_the_puskesmas_gaps_and_changes_worked_by_hand(case):
    found = attention(case.pkm_barat, area_code=case.pkm_barat_f.code, year=M[0], month=M[1])
    assert [(g.indicator.code, g.row.place.name, g.row.value, g.shortfall) for g in found.gaps] == [
        ("balita_stunting", "Batu", 60.0, 46.0),
        ("ds", "Ampel", 60.0, 20.0),
    ]
    assert [
        (c.indicator.code, c.row.place.name, c.row.previous, c.row.value, c.change, c.turned_bad)
        for c in found.changes
    ] == [
        ("ds", "Ampel", 90.0, 60.0, -30.0, True),
        ("balita_stunting", "Batu", 20.0, 60.0, 40.0, False),
        ("skdn_nd", "Ampel", 100.0, 80.0, -20.0, False),
    ]
    assert found.changes[0].status_label == "Di bawah target, turun"
    assert found.gaps[1].url == f"/pws/ds/?area={case.ampel.code}&period={PERIOD}"
    assert found.area_name == "Puskesmas Barat"


def test_the_district_ranks_its_desa(case):
    """The district's rows are its desa, not its kecamatan: Batu's 60.0 % stunting (46.0
    points over its line) leads, where kecamatan Barat as a whole reads 35.0 %."""
    found = attention(case.dinkes, area_code=case.city.code, year=M[0], month=M[1], gaps=1)
    assert [(g.indicator.code, g.row.place.name, g.row.value, g.shortfall) for g in found.gaps] == [
        ("balita_stunting", "Batu", 60.0, 46.0),
    ]
    url = f"/pws/balita_stunting/?area={case.batu.code}&period={PERIOD}"
    assert found.gaps[0].url == url


def test_a_suppressed_reader_gets_no_hidden_row_ranked(case):
    """For the camat every desa row above is hidden (Ampel's 4 and Batu's 3 children not
    weighed, the stunting counts of 1 and 4 not stunted): nothing is ranked from a hidden
    value, though the dinkes gets D/S Ampel and stunting Batu from the same counts."""
    found = attention(case.camat_barat, area_code=case.kec_barat.code, year=M[0], month=M[1])
    assert (found.gaps, found.changes) == ([], [])
    same = attention(case.dinkes, area_code=case.kec_barat.code, year=M[0], month=M[1])
    assert [(g.indicator.code, g.row.place.name) for g in same.gaps] == [
        ("balita_stunting", "Batu"),
        ("ds", "Ampel"),
    ]


def home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", ["dinkes", "tpcb"])
def test_district_home_leads_with_the_desa_below_target(case, client_for, persona):
    html = home(client_for(getattr(case, persona)))
    assert html.index('id="attention-title"') < html.index("Penduduk per kecamatan")
    assert f"Perlu perhatian, bulan {PERIOD}" in html
    assert (
        f'<a href="/pws/ds/?area={case.ampel.code}&amp;period={PERIOD}"><strong>Ampel'
        "</strong>: Balita ditimbang (D/S)</a>" in html
    )
    assert "60,0% terhadap target 80,0% (20,0 poin)" in html
    assert f'href="/pws/ringkasan/?area={case.city.code}&amp;period={PERIOD}"' in html


def test_puskesmas_home_leads_with_its_desa_in_english(case, client_for):
    client = client_for(case.pkm_barat)
    client.cookies["django_language"] = "en"
    html = home(client)
    assert f"Needs attention, month {PERIOD}" in html
    assert "<strong>Ampel</strong>: Children under five weighed (D/S)</a>" in html
    assert "60.0% against the target 80.0% (20.0 points)" in html
    assert "became «Below target, falling»" in html
    assert "90.0% → 60.0% (-30.0 points)" in html


def test_puskesmas_home_in_indonesian(case, client_for):
    html = home(client_for(case.pkm_barat))
    assert "menjadi «Di bawah target, turun» · 90,0% → 60,0% (-30,0 poin)" in html
    assert "60,0% terhadap target 14,0% (46,0 poin)" in html
    # N/D fell 20 points but stays on its line: a change, not a gap.
    assert "100,0% → 80,0% (-20,0 poin)" in html


def test_pustu_home_ranks_the_dusun_of_its_desa(case, client_for):
    html = home(client_for(case.bidan_ampel))
    assert (
        f'<a href="/pws/ds/?area={case.ampel_timur.code}&amp;period={PERIOD}"><strong>'
        "Ampel Timur</strong>" in html
    )


def test_nothing_below_target_says_so(district, client_for):
    html = home(client_for(district.pkm_barat))
    assert "Semua wilayah mencapai target bulan ini." in html
    assert "Tidak ada yang memburuk sejak bulan lalu." in html


@pytest.mark.parametrize(
    "persona", ["kader_ampel_timur", "ppa", "camat_barat", "kades_ampel", "norole"]
)
def test_other_homes_have_no_attention_section(case, client_for, persona):
    html = home(client_for(getattr(case, persona)))
    assert "attention-title" not in html
    assert "Perlu perhatian" not in html


def test_home_queries_do_not_grow_with_the_indicators(case, client_for, django_assert_num_queries):
    """The dinkes home: the session, user and population tables as before (10), the area
    the attention opens on (1) and two overviews, this month and last, of 5 queries each
    (the area, its children, all indicators' counts, puskesmas targets, projected sasaran):
    nothing per indicator."""
    client = client_for(case.dinkes)
    client.get("/")
    with django_assert_num_queries(21):
        assert client.get("/").status_code == 200
