"""The monthly evaluation of a puskesmas (``/pembinaan/evaluasi/<code>/``, its PDF) on the
hand-built data of ``review_data``: figures, recommendations and visits as at the month's
end, the PDF and its audit row, the section providers' extension point, a bounded number of
queries, and bad input."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ilp.accounts.models import AuditEvent
from ilp.evaluation import review
from tests.evaluation import review_data
from tests.evaluation.review_data import YEAR

pytestmark = pytest.mark.django_db

URL = "/pembinaan/evaluasi/P5271010101/"
JUNE = f"{YEAR}-06"


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def data(district, team):
    review_data.indicator_counts(district)
    return review_data.coaching(district, team)


def test_june_as_at_its_last_day(district, data, client_for):
    response = client_for(district.tpcb).get(URL, {"period": JUNE})
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(html[html.index('<main id="main">') :])
    assert f"Puskesmas Barat Kecamatan Barat Bulan Juni {YEAR} Keadaan per 30 Juni {YEAR}" in text
    # IDL 45.0 % below June's line of 50.0 %, rising; K4 125.0 % above it (no change).
    assert "1/2 indikator mencapai target" in text
    assert "2 rekomendasi terbuka, 1 lewat batas waktu" in text
    assert "1 ditutup bulan ini · 1 baru bulan ini" in text
    assert "1 kunjungan pembinaan bulan ini" in text
    assert (
        "Status PWS Di atas target, naik 1 Di atas target, turun 0 "
        "Di bawah target, naik 1 Di bawah target, turun 0"
    ) in text
    row = html[html.index("#pack-idl") - 80 :]
    row = text_of(row[: row.index("</tr>")])
    assert row.endswith(
        "Imunisasi dasar lengkap (IDL) 45,0% 18/40 – 50,0% +10,0 Di bawah target, naik"
    )
    # The detail lives in the lokmin pack, which the summary links to.
    assert f'href="/pws/lokmin/P5271010101/?period={JUNE}#pack-idl"' in html
    recs = text_of(
        html[
            html.index('id="ev-rekomendasi"') + 21 : html.index(
                '<section class="ev-section" id="ev-pembinaan"'
            )
        ]
    )
    assert recs == (
        "Rekomendasi Terbuka: 2 (lewat batas waktu: 1) "
        "Rekomendasi Asal Ditujukan ke Batas waktu Status "
        f"Sweeping K1 kunjungan 10-05-{YEAR} Klaster 2 – Ibu dan Anak 31-05-{YEAR} lewat terbuka "
        f"Lengkapi register kunjungan 10-05-{YEAR} Klaster 2 – Ibu dan Anak 31-08-{YEAR} terbuka "
        "Ditutup (diverifikasi) bulan ini: 1 "
        "Rekomendasi Asal Ditujukan ke Batas waktu Status "
        f"Kohort bayi kunjungan 10-05-{YEAR} Klaster 2 – Ibu dan Anak 31-07-{YEAR} "
        f"diverifikasi 20-06-{YEAR}"
    )
    visits = text_of(html[html.index('id="ev-pembinaan"') :])
    assert (
        f"Kunjungan bulan ini Tanggal Tim Status Temuan 12-06-{YEAR} Tim Barat direncanakan —"
        in visits
    )
    assert (
        f"Kunjungan terakhir yang selesai Tanggal Tim Status Temuan 10-05-{YEAR} Tim Barat "
        "selesai K1 rendah di Ampel"
    ) in visits
    assert f'href="/pembinaan/evaluasi/P5271010101/pdf/?period={JUNE}"' in html
    for name in ("Budi Santoso", "Siti Aminah"):
        assert name not in html


def test_the_page_in_english(district, data, client):
    client.force_login(district.tpcb)
    client.cookies["django_language"] = "en"
    text = text_of(client.get(URL, {"period": JUNE}).content.decode())
    assert "Monthly puskesmas evaluation Puskesmas Barat" in text
    assert "1/2 indicators on target" in text
    assert "Open: 2 (overdue: 1)" in text
    assert "Closed (verified) this month: 1" in text


def test_may_reads_other_recommendations(district, data):
    found = review.recommendations_as_at(district.pkm_barat_f, *review.month_bounds(YEAR, 5)[::2])
    # At 31 May: A, B and C? C was created in June: not yet. A and B open (A overdue: due
    # 31 May is not before 31 May), E closed on 25 May; three new in May (A, B, E).
    assert [r.what for r in found.open] == ["Sweeping K1", "Kohort bayi"]
    assert found.overdue == 0
    assert [r.what for r in found.closed_in_month] == ["Validasi data"]
    assert found.new_in_month == 3


def test_the_pdf_is_a_real_pdf_and_its_download_is_audited(district, data, client_for):
    response = client_for(district.dinkes).get(f"{URL}pdf/", {"period": JUNE})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert (
        response["Content-Disposition"] == f'attachment; filename="evaluasi-P5271010101-{JUNE}.pdf"'
    )
    event = AuditEvent.objects.get(object_type="monthly_evaluation")
    assert event.user == district.dinkes
    assert event.detail["puskesmas"] == "P5271010101"
    assert event.detail["period"] == JUNE


def test_a_section_provider_adds_its_section(district, data, client_for):
    def specialist(scope):
        if scope.puskesmas.code != "P5271010101":
            return None
        return review.Section(
            key="spesialis",
            title="Sesi pendampingan spesialis",
            template="evaluation/_review_visits.html",
            context={},
        )

    review.register_section(specialist)
    review.register_section(specialist)  # once only
    try:
        html = client_for(district.tpcb).get(URL, {"period": JUNE}).content.decode()
    finally:
        review.SECTION_PROVIDERS.remove(specialist)
    assert html.count('id="ev-spesialis"') == 1
    assert "<h2>Sesi pendampingan spesialis</h2>" in html


def test_queries_do_not_grow_with_recommendations_or_visits(district, team, data):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            review.monthly_evaluation(
                district.tpcb, district.pkm_barat_f, year=YEAR, month=6, language="id"
            )
        return len(ctx)

    queries()  # caches warmed (the catalogue, content types)
    before = queries()
    for _i in range(4):
        review_data._rec(
            district, data.may, "Tambahan", review_data.date(YEAR, 6, 30), review_data.at(6, 1)
        )
    # 19, and 3 of the specialist-sessions section (no session, no programme: no section).
    assert queries() == before == 22


@pytest.mark.parametrize(
    ("query", "status"),
    [({"period": "2020-13"}, 400), ({"period": "kemarin"}, 400), ({"period": "2999-01"}, 400)],
)
def test_a_bad_month_is_400(district, team, client_for, query, status):
    assert client_for(district.dinkes).get(URL, query).status_code == status


def test_an_unknown_or_overlong_code_is_404(district, team, client_for):
    client = client_for(district.dinkes)
    assert client.get("/pembinaan/evaluasi/NOPE/").status_code == 404
    assert client.get(f"/pembinaan/evaluasi/{'X' * 200}/").status_code == 404
    assert client.get("/pembinaan/evaluasi/PUSTU-AMPEL/").status_code == 404
