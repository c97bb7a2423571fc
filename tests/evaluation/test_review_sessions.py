"""The specialists' coaching in the routine evaluation, on hand-built data (the shared
programme "Pendampingan KIA dan rujukan 2026" of spog and spa covering Puskesmas Barat and
Timur, see ``conftest``):

- at Puskesmas Barat, a TPCB visit on 10 March 2026 with its recommendation "Sweeping ibu
  hamil yang belum K1" (due 30 April), and spog's session on 15 March with its recommendation
  "Latih ulang manajemen perdarahan pascapersalinan" (due 31 May), both created on their day;
- spa's session at Barat on 20 February (no participant), spog's at Timur on 10 April;
- the 15 March session's scores: pkm_barat PONED 50→80 and neonatal 60→70 (mean 55→75);
  Ni Made Sari PONED 40→75 and neonatal only a post-test of 90 (unpaired, not counted):
  40→75. Over the two persons: pre (55+40)/2 = 47.5, post (75+75)/2 = 75.0, change +27.5.

Programme coverage as at 31 March: Barat only (Timur's session is in April) → 1 of 2.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import date
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ilp.evaluation import district_review, programme_services, review
from ilp.evaluation.models import Recommendation
from ilp.evaluation.programme_services import ScoreEntry
from ilp.monitoring import pdf

pytestmark = pytest.mark.django_db

BARAT = "/pembinaan/evaluasi/P5271010101/"
TIMUR = "/pembinaan/evaluasi/P5271020101/"
MARCH = {"period": "2026-03"}
HEAD = "Tanggal Program Dokter spesialis pembina Peserta Rerata pre-test Rerata post-test Perubahan"


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _noon(day: date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=timezone.get_current_timezone())


def _created_on(rec: Recommendation, day: date) -> None:
    Recommendation.objects.filter(pk=rec.pk).update(created_at=_noon(day))
    rec.events.update(at=_noon(day))


def _session(district, by, puskesmas, day):
    return programme_services.session_create(
        user=by, programme=by.coaching_programmes.get(), puskesmas=puskesmas, specialist=by,
        session_date=day,
    )  # fmt: skip


def _scores(session, spog, entries):
    participants = {p.display_name: p.pk for p in session.participants.all()}
    topics = {t.code: t.pk for t in session.programme.topics.all()}
    programme_services.session_scores_set(
        user=spog,
        session=session,
        entries=[
            ScoreEntry(participants[who], topics[topic], pre, post)
            for who, topic, pre, post in entries
        ],
    )


@pytest.fixture
def data(district, rec, session, session_rec, spog, spa):
    _created_on(rec, date(2026, 3, 10))
    _created_on(session_rec, date(2026, 3, 15))
    _scores(
        session,
        spog,
        [
            ("pkm_barat", "poned", 50, 80),
            ("pkm_barat", "neonatal", 60, 70),
            ("Ni Made Sari", "poned", 40, 75),
            ("Ni Made Sari", "neonatal", None, 90),
        ],
    )
    _session(district, spa, district.pkm_barat_f, date(2026, 2, 20))
    _session(district, spog, district.pkm_timur_f, date(2026, 4, 10))
    return session


def _section(html: str) -> str:
    start = html.index('id="ev-sesi-spesialis"')
    return text_of(html[start + 23 : html.index("</section>", start)])


def test_the_monthly_page_shows_both_recommendations_with_their_origin(district, data, client_for):
    html = client_for(district.tpcb).get(BARAT, MARCH).content.decode()
    text = text_of(html)
    assert "2 rekomendasi terbuka" in text
    assert "2 baru bulan ini" in text
    recs = text_of(html[html.index('id="ev-rekomendasi"') : html.index('id="ev-pembinaan"')])
    assert (
        "Terbuka: 2 (lewat batas waktu: 0) Rekomendasi Asal Ditujukan ke Batas waktu Status "
        "Sweeping ibu hamil yang belum K1 kunjungan 10-03-2026 Klaster 2 – Ibu dan Anak "
        "30-04-2026 terbuka "
        "Latih ulang manajemen perdarahan pascapersalinan sesi spesialis 15-03-2026 "
        "Klaster 2 – Ibu dan Anak 31-05-2026 terbuka"
    ) in recs
    assert f'href="/pembinaan/sesi/{data.uuid}/#rek-' in html


def test_the_section_shows_the_sessions_with_exact_figures(district, data, client_for):
    html = client_for(district.pkm_barat).get(BARAT, MARCH).content.decode()
    assert html.count('id="ev-sesi-spesialis"') == 1
    assert _section(html) == (
        "Sesi pendampingan spesialis Sesi spesialis bulan ini "
        f"{HEAD} "
        "15-03-2026 Pendampingan KIA dan rujukan 2026 dr. Ayu SpOG 2 47,5 75,0 +27,5 "
        "Sesi spesialis sebelumnya "
        f"{HEAD} "
        "20-02-2026 Pendampingan KIA dan rujukan 2026 dr. Budi SpA 0 — — — "
        "Pre- dan post-test: rerata peserta yang mengikuti keduanya (tiap peserta sekali: "
        "rerata topiknya). "
        "Cakupan program Program Puskesmas dikunjungi Puskesmas ini "
        "Pendampingan KIA dan rujukan 2026 1 dari 2 sudah dikunjungi"
    )


def test_coverage_is_read_as_at_the_month_s_end(district, data, client_for):
    html = client_for(district.dinkes).get(BARAT, {"period": "2026-04"}).content.decode()
    section = _section(html)
    assert "Sesi spesialis bulan ini" in section
    assert "Tidak ada sesi spesialis bulan ini." in section
    # The last sessions before April: 15 March, then 20 February.
    assert section.index("15-03-2026") < section.index("20-02-2026")
    assert section.endswith("Pendampingan KIA dan rujukan 2026 2 dari 2 sudah dikunjungi")


def test_a_targeted_puskesmas_without_sessions_says_so(district, data, client_for):
    html = client_for(district.dinkes).get(TIMUR, MARCH).content.decode()
    section = _section(html)
    assert "Tidak ada sesi spesialis bulan ini." in section
    assert "Tidak ada sesi spesialis sebelumnya." in section
    assert section.endswith("Pendampingan KIA dan rujukan 2026 1 dari 2 belum dikunjungi")


def test_no_programme_and_no_session_adds_no_section(district, data, client_for):
    # January 2025: before the programme's period and before any session.
    html = client_for(district.dinkes).get(BARAT, {"period": "2025-01"}).content.decode()
    assert "ev-sesi-spesialis" not in html
    assert "Sesi pendampingan spesialis" not in html


def test_the_section_is_registered_once_at_start_up():
    from ilp.evaluation import programme_review

    assert review.SECTION_PROVIDERS.count(programme_review.specialist_sessions) == 1


def test_the_pdf_holds_both_recommendations_and_the_section(
    district, data, client_for, monkeypatch
):
    drawn = []
    real = pdf.html_to_pdf

    def keep(html: str) -> bytes:
        drawn.append(html)
        return real(html)

    monkeypatch.setattr(pdf, "html_to_pdf", keep)
    response = client_for(district.dinkes).get(f"{BARAT}pdf/", MARCH)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    html = drawn[0]
    recs = text_of(html[html.index('id="ev-rekomendasi"') : html.index('id="ev-pembinaan"')])
    assert "Sweeping ibu hamil yang belum K1 kunjungan 10-03-2026" in recs
    assert "Latih ulang manajemen perdarahan pascapersalinan sesi spesialis 15-03-2026" in recs
    assert "<a " not in html[html.index('id="ev-rekomendasi"') : html.index('id="ev-pembinaan"')]
    assert "2 47,5 75,0 +27,5" in _section(html)


def test_the_page_in_english(district, data, client):
    client.force_login(district.dinkes)
    client.cookies["django_language"] = "en"
    text = text_of(client.get(BARAT, MARCH, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Specialist coaching sessions" in text
    assert "Specialist sessions this month" in text
    assert "Programme coverage Programme Puskesmas visited This puskesmas" in text
    assert "1 of 2 visited" in text
    assert "Origin" in text


def test_the_monthly_queries_do_not_grow_with_sessions(district, data, spog):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            found = review.monthly_evaluation(
                district.tpcb, district.pkm_barat_f, year=2026, month=3, language="id"
            )
        assert found.sections[-1].key == "sesi-spesialis"
        return len(ctx)

    queries()  # caches warmed (the catalogue, content types)
    before = queries()
    for day in (3, 4, 5):
        more = _session(district, spog, district.pkm_barat_f, date(2026, 3, day))
        programme_services.session_participants_add(
            user=spog, session=more, staff=[], others=[("Wayan", "perawat")]
        )
        _scores(more, spog, [("Wayan", "poned", 10, 20)])
    # 19 of the evaluation, 6 of the section (sessions of the month, earlier ones,
    # programmes, their puskesmas, their sessions' puskesmas, the scores).
    assert queries() == before == 25


def test_the_district_review_counts_sessions_and_their_recommendations(district, data, client_for):
    html = (
        client_for(district.dinkes)
        .get("/pembinaan/tinjauan-triwulan/", {"quarter": "2026-T1"})
        .content.decode()
    )
    by_puskesmas = text_of(html[html.index('id="ev-puskesmas"') : html.index('id="ev-tim"')])
    # Barat: both recommendations open at 31 March, neither overdue; the visit of 10 March
    # planned (not done); two sessions (20 February, 15 March). Timur: its session is April's.
    assert "Sesi spesialis" in by_puskesmas
    assert "Puskesmas Barat Tim Barat 0/0 2 0 0 0/1 2" in by_puskesmas
    assert "Puskesmas Timur — 0/0 0 0 0 0/0 0" in by_puskesmas
    teams = text_of(html[html.index('id="ev-tim"') : html.index('id="ev-indikator"')])
    assert "Tim Barat 1 0 0 0/1 —" in teams
    assert "Pendampingan KIA dan rujukan 2026 · sesi spesialis 1 0 0 — 2" in teams
    q2 = district_review.district_review(
        district.dinkes, year=2026, months=[4, 5, 6], language="id"
    )
    timur = next(p for p in q2.puskesmas if p.facility == district.pkm_timur_f)
    assert timur.tally.sessions == 1
    assert [(r.programme.name, r.tally.sessions, r.tally.open) for r in q2.programmes] == [
        ("Pendampingan KIA dan rujukan 2026", 1, 1)
    ]


def test_the_district_review_queries_do_not_grow_with_sessions(district, data, spog):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            district_review.district_review(
                district.dinkes, year=2026, months=[1, 2, 3], language="id"
            )
        return len(ctx)

    queries()
    before = queries()
    for day in (3, 4):
        _session(district, spog, district.pkm_barat_f, date(2026, 3, day))
    assert queries() == before
