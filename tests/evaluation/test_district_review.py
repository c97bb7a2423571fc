"""The quarterly district review (``/pembinaan/tinjauan-triwulan/``) on the hand-built data of
``review_data``: the second quarter of last year (April–June) per puskesmas and per team, a
TPCB member's narrower view, the PDF, bad input."""

from __future__ import annotations

import re
from html import unescape

import pytest

from ilp.accounts.models import AuditEvent
from ilp.evaluation import district_review
from tests.evaluation import review_data
from tests.evaluation.review_data import YEAR

pytestmark = pytest.mark.django_db

URL = "/pembinaan/tinjauan-triwulan/"
Q2 = f"{YEAR}-T2"


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def data(district, team):
    review_data.indicator_counts(district)
    return review_data.coaching(district, team)


def test_the_second_quarter_side_by_side(district, data, client_for):
    response = client_for(district.dinkes).get(URL, {"quarter": Q2})
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(html)
    assert f"Triwulan {Q2} Bulan April {YEAR}, Mei {YEAR}, Juni {YEAR} Keadaan per 30 Juni" in text
    by_puskesmas = text_of(html[html.index('id="ev-puskesmas"') : html.index('id="ev-tim"')])
    # Barat at 30 June: IDL 45.0 below, K4 125.0 above → 1/2; open A and C (A overdue);
    # closed in the quarter B (20 June) and E (25 May); visits 10 May done, 12 June planned.
    # Timur: IDL 75.0 % and K4 80.0 % by March, both above June's line of 50.0 %.
    assert "Puskesmas Barat Tim Barat 1/2 2 1 2 1/2" in by_puskesmas
    assert "Puskesmas Timur — 2/2 0 0 0 0/0" in by_puskesmas
    teams = text_of(html[html.index('id="ev-tim"') : html.index('id="ev-indikator"')])
    assert "Tim Barat 2 1 2 1/2" in teams
    matrix = html[html.index('id="ev-indikator"') :]
    idl = text_of(matrix[matrix.index("Imunisasi dasar lengkap (IDL)") :][:400].split("</tr>")[0])
    assert idl == "Imunisasi dasar lengkap (IDL) 45,0% / 50,0% 75,0% / 50,0%"
    assert 'class="num ev-below">45,0%' in matrix


def test_the_first_quarter_counts_nothing_of_the_coaching(district, data):
    found = district_review.district_review(
        district.dinkes, year=YEAR, months=[1, 2, 3], language="id"
    )
    barat = found.puskesmas[0]
    assert barat.facility == district.pkm_barat_f
    assert (barat.tally.open, barat.tally.closed, barat.tally.visits_planned) == (0, 0, 0)


def test_a_tpcb_member_sees_the_puskesmas_of_their_teams(district, data, client_for, tpcb_other):
    html = client_for(district.tpcb).get(URL, {"quarter": Q2}).content.decode()
    assert "Puskesmas Barat" in html
    assert "Puskesmas Timur" not in html
    html = client_for(tpcb_other).get(URL, {"quarter": Q2}).content.decode()
    assert "Tidak ada puskesmas yang Anda evaluasi." in html
    assert "Puskesmas Barat" not in html


def test_the_pdf_is_audited(district, data, client_for):
    response = client_for(district.dinkes).get(f"{URL}pdf/", {"quarter": Q2})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == f'attachment; filename="tinjauan-triwulan-{Q2}.pdf"'
    event = AuditEvent.objects.get(object_type="district_review")
    assert (event.detail["quarter"], event.detail["rows"]) == (Q2, 2)


@pytest.mark.parametrize("quarter", ["2025-T5", "triwulan", "2999-T1", "1990-T1"])
def test_a_bad_quarter_is_400(district, team, client_for, quarter):
    assert client_for(district.dinkes).get(URL, {"quarter": quarter}).status_code == 400
