"""The referral delay report: which facilities' rows each role reads, the figures per facility
and month, one query whatever the number of referrals, the page (filter, bad input, no person
named) and its CSV export (audited)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from ilp.accounts.models import AuditEvent
from ilp.referrals import selectors
from ilp.referrals.models import Referral

pytestmark = pytest.mark.django_db

MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


def at(day: int, hour: float, month: int = 3) -> datetime:
    """A time in the district's time zone, `hour` hours after midnight."""
    zone = timezone.get_current_timezone()
    return datetime(2026, month, day, tzinfo=zone) + timedelta(hours=hour)


def make(district, source, target, kind, state, **stamps):
    stamps.setdefault("detected_at", stamps["decided_at"] - timedelta(hours=1))
    return Referral.objects.create(
        person=district.siti,
        from_facility=source,
        to_facility=target,
        kind=kind,
        state=state,
        reason="uji",
        **stamps,
    )


@pytest.fixture
def legs(district):
    d = district
    return {
        # Pustu Ampel → Puskesmas Barat: received 1.5 h after the decision, answered after 4 h
        "a": make(
            d,
            d.pustu_ampel_f,
            d.pkm_barat_f,
            "maternal",
            "answered",
            decided_at=at(10, 8),
            departed_at=at(10, 8.5),
            received_at=at(10, 9.5),
            handled_at=at(10, 10),
            answered_at=at(10, 12),
        ),
        # Puskesmas Barat → RSUD: received 3 h after the decision (late), not answered
        "b": make(
            d,
            d.pkm_barat_f,
            d.hospital_f,
            "emergency",
            "handled",
            decided_at=at(12, 8),
            departed_at=at(12, 9),
            received_at=at(12, 11),
            handled_at=at(12, 11.5),
        ),
        # Puskesmas Barat → RSUD, planned, in April: received after 1 day, answered after 10
        "c": make(
            d,
            d.pkm_barat_f,
            d.hospital_f,
            "planned",
            "closed",
            decided_at=at(2, 8, 4),
            received_at=at(3, 8, 4),
            handled_at=at(3, 9, 4),
            answered_at=at(12, 8, 4),
            closed_at=at(13, 8, 4),
        ),
        # Puskesmas Timur → RSUD, still waiting
        "d": make(d, d.pkm_timur_f, d.hospital_f, "maternal", "created", decided_at=at(15, 8)),
        # Pustu Cemara → Puskesmas Timur, cancelled
        "e": make(
            d,
            d.pustu_cemara_f,
            d.pkm_timur_f,
            "planned",
            "cancelled",
            decided_at=at(20, 8),
            ended_at=at(20, 9),
        ),
        # the last minute of February (local time): outside March
        "f": make(d, d.pkm_barat_f, d.hospital_f, "planned", "created", decided_at=at(1, -0.02)),
    }


def _rows(page):
    return [(r.facility_name, f"{r.month:%Y-%m}", r.report.referrals) for r in page.rows]


def test_district_roles_read_every_facility_by_sender(district, legs):
    for user in (district.dinkes, district.tpcb):
        page = selectors.delay_report(user, start=MARCH, end=APRIL)
        assert _rows(page) == [
            ("Puskesmas Barat", "2026-03", 1),
            ("Puskesmas Barat", "2026-04", 1),
            ("Puskesmas Timur", "2026-03", 1),
            ("Pustu Ampel", "2026-03", 1),
            ("Pustu Cemara", "2026-03", 1),
        ]
        assert page.total.referrals == 5


def test_puskesmas_reads_itself_its_pustu_and_posyandu(district, legs):
    page = selectors.delay_report(district.pkm_barat, start=MARCH, end=MARCH)
    assert _rows(page) == [("Puskesmas Barat", "2026-03", 1), ("Pustu Ampel", "2026-03", 1)]
    received = selectors.delay_report(district.pkm_barat, start=MARCH, end=MARCH, side="received")
    assert _rows(received) == [("Puskesmas Barat", "2026-03", 1)]


def test_hospital_reads_its_own_as_receiver(district, legs):
    page = selectors.delay_report(district.rs_uji, start=MARCH, end=APRIL, side="received")
    assert _rows(page) == [("RSUD Kota Uji", "2026-03", 2), ("RSUD Kota Uji", "2026-04", 1)]
    assert selectors.delay_report(district.rs_uji, start=MARCH, end=APRIL).rows == []


def test_other_roles_read_nothing(district, legs):
    for user in (
        district.bidan_ampel,
        district.kader_ampel_timur,
        district.camat_barat,
        district.ppa,
        district.norole,
    ):
        assert selectors.delay_report(user, start=MARCH, end=APRIL).total.referrals == 0


def test_figures_of_a_facility_and_month(district, legs):
    page = selectors.delay_report(district.rs_uji, start=MARCH, end=MARCH, side="received")
    (row,) = page.rows
    report = row.report
    # b received 3 h after the decision (limit 2 h for urgent kinds): late; d not received
    assert (report.referrals, report.received, report.too_late) == (2, 1, 1)
    assert report.too_late_share == 100.0
    assert (report.answered, report.answered_share) == (0, 0.0)
    assert report.delays["departure_reception"]["median"] == timedelta(hours=2)
    assert report.delays["reception_handling"]["p90"] == timedelta(minutes=30)
    assert report.delays["handling_answer"] == {"median": None, "p90": None, "n": 0}
    april = selectors.delay_report(district.rs_uji, start=APRIL, end=APRIL, side="received")
    # c: planned, answered 10 days after the decision (allowance 7 days): answered, not in
    # time; received after 1 day (limit 3 days): on time
    (row,) = april.rows
    assert (row.report.answered, row.report.answered_in_time, row.report.too_late) == (1, 0, 0)


def test_period_rows_per_facility_and_month_totals(district, legs):
    page = selectors.delay_report(district.dinkes, start=MARCH, end=APRIL, per_month=False)
    assert [(r.facility_name, r.month, r.report.referrals) for r in page.rows] == [
        ("Puskesmas Barat", None, 2),
        ("Puskesmas Timur", None, 1),
        ("Pustu Ampel", None, 1),
        ("Pustu Cemara", None, 1),
    ]
    assert [(m.month, m.report.referrals) for m in page.months] == [(MARCH, 4), (APRIL, 1)]
    assert page.total.referrals == 5
    # the same figures as the detailed report: April's total is Puskesmas Barat's April row
    detailed = selectors.delay_report(district.dinkes, start=APRIL, end=APRIL)
    assert page.months[1].report == detailed.total


@pytest.mark.parametrize("per_month", [True, False])
def test_report_is_one_query(district, legs, per_month, django_assert_num_queries):
    for _ in range(20):
        make(
            district,
            district.pustu_batu_f,
            district.pkm_barat_f,
            "planned",
            "created",
            decided_at=at(5, 8),
        )
    user = district.pkm_barat
    user.facility  # noqa: B018 - the request's user has it loaded
    with django_assert_num_queries(1):
        page = selectors.delay_report(
            user, start=MARCH, end=APRIL, side="received", per_month=per_month
        )
    assert page.total.referrals == 21


def test_overdue_sent_count(district, legs, pkm_timur):
    now = at(16, 9)
    # Puskesmas Timur's side: d (maternal, decided the 15th 08:00) is 25 h old; e cancelled
    assert selectors.overdue_sent_count(pkm_timur, now) == 1
    # Puskesmas Barat's side: b waits (handled) since the 12th: overdue (24 h); f (planned)
    # since 28 Feb: overdue (7 days); a answered: not
    assert selectors.overdue_sent_count(district.pkm_barat, now) == 2
    assert selectors.overdue_sent_count(district.pkm_barat, at(1, 1)) == 0


# ---------------------------------------------------------------- the page

PAGE = "/rujukan/laporan/"
EXPECTED = {
    "dinkes": 200,
    "tpcb": 200,
    "pkm_barat": 200,
    "rs_uji": 200,
    "bidan_ampel": 403,
    "kader_ampel_timur": 403,
    "ppa": 403,
    "camat_barat": 403,
    "kades_ampel": 403,
    "norole": 403,
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_who_opens_the_report(client, district, who):
    client.force_login(getattr(district, who))
    assert client.get(PAGE).status_code == EXPECTED[who]
    assert client.get(PAGE + "csv/").status_code == EXPECTED[who]


def test_page_shows_rows_and_no_person(client, district, legs):
    client.force_login(district.dinkes)
    response = client.get(PAGE, {"dari": "2026-03", "sampai": "2026-04"})
    html = response.content.decode()
    assert response.status_code == 200
    # two months: a row per facility over the period (Puskesmas Barat's 2 referrals in one
    # row), and the district's total per month
    assert response.context["page"].months
    assert '<th scope="row">Puskesmas Barat</th><td class="num">2</td>' in html
    assert '<th scope="row">Pustu Cemara</th><td class="num">1</td>' in html
    assert "<td>Maret 2026</td>" not in html
    assert "Per fasilitas, Maret 2026 – April 2026" in html
    assert '<th scope="row">Maret 2026</th><td class="num">4</td>' in html
    assert '<th scope="row">April 2026</th><td class="num">1</td>' in html
    assert district.siti.full_name not in html
    # the total: 5 referrals, 2 answered (40%), 1 of 3 received late
    assert "40,0% (2)" in html
    assert "33,3% (1 dari 3 yang diterima)" in html
    # delays in hours and minutes, median · p90: Pustu Ampel's decision → departure is 30
    # minutes, Puskesmas Barat's (b) an hour; Pustu Cemara's is unknown
    assert "<td>30 menit · 30 menit</td>" in html
    assert "<td>1 jam · 1 jam</td>" in html


def test_page_in_english_uses_english_number_format(client, district, legs):
    client.force_login(district.dinkes)
    client.cookies["django_language"] = "en"
    html = client.get(PAGE, {"dari": "2026-03", "sampai": "2026-04"}).content.decode()
    assert "40.0% (2)" in html
    assert "33.3% (1 of 3 received)" in html
    assert '<th scope="row">March 2026</th><td class="num">4</td>' in html
    assert "Finding → decision to refer" in html


def test_page_of_one_month_keeps_a_row_per_facility_and_month(client, district, legs):
    client.force_login(district.dinkes)
    response = client.get(PAGE, {"dari": "2026-03", "sampai": "2026-03"})
    html = response.content.decode()
    assert response.context["page"].months == []
    assert '<th scope="row">Puskesmas Barat</th><td>Maret 2026</td>' in html
    assert '<th scope="row">Pustu Cemara</th><td>Maret 2026</td>' in html
    assert 'id="laporan-bulan"' not in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"dari": "2026-13"}, "dari", "Tulis bulan sebagai TTTT-BB, misalnya 2026-03."),
        ({"dari": "maret"}, "dari", "Tulis bulan sebagai TTTT-BB, misalnya 2026-03."),
        (
            {"dari": "2026-04", "sampai": "2026-03"},
            "sampai",
            "Bulan akhir tidak boleh sebelum bulan awal.",
        ),
        ({"dari": "2023-01", "sampai": "2025-01"}, "sampai", "Rentang paling lama 24 bulan."),
        ({"dari": "2999-01"}, "dari", "Bulan ini belum tiba."),
        ({"sisi": "keduanya"}, "sisi", None),
    ],
)
def test_bad_filter_is_told_on_its_field(client, district, query, field, message):
    client.force_login(district.dinkes)
    response = client.get(PAGE, query)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert errors[field] == [message]
        assert message in response.content.decode()
    assert client.get(PAGE + "csv/", query).status_code == 400


def test_csv_export_is_audited(client, district, legs):
    client.force_login(district.pkm_barat)
    response = client.get(PAGE + "csv/", {"dari": "2026-03", "sisi": "sent"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:7] == [
        "Fasilitas",
        "Bulan",
        "Rujukan",
        "Dijawab (%)",
        "Dijawab tepat waktu (%)",
        "Diterima",
        "Terlambat tiba (%)",
    ]
    assert rows[0][7] == "Temuan → keputusan merujuk, median (menit)"
    # Pustu Ampel, March: a (answered, 90 min to reception), detection → decision 60 minutes
    assert rows[2][:9] == ["Pustu Ampel", "2026-03", "1", "100.0", "100.0", "1", "0.0", "60", "60"]
    assert rows[-1][:3] == ["Jumlah", "", "2"]
    event = AuditEvent.objects.get(object_type="referral_report")
    assert event.action == "export"
    assert event.person_ids == []
    assert event.detail["rows"] == 2


def test_csv_of_several_months_keeps_facility_and_month_rows(client, district, legs):
    client.force_login(district.dinkes)
    response = client.get(PAGE + "csv/", {"dari": "2026-03", "sampai": "2026-04"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[:3] for row in rows[1:]] == [
        ["Puskesmas Barat", "2026-03", "1"],
        ["Puskesmas Barat", "2026-04", "1"],
        ["Puskesmas Timur", "2026-03", "1"],
        ["Pustu Ampel", "2026-03", "1"],
        ["Pustu Cemara", "2026-03", "1"],
        ["Jumlah", "", "5"],
    ]


# ---------------------------------------------------------------- the kepala puskesmas' home


def test_puskesmas_home_shows_this_months_referrals(client, district, referral, now):
    """The conftest referral (Pustu Ampel → Puskesmas Barat, maternal, decided 3 h ago) and
    one of Puskesmas Barat decided 30 h ago and not answered (overdue, if still this month)."""
    old = make(
        district,
        district.pkm_barat_f,
        district.hospital_f,
        "emergency",
        "departed",
        decided_at=now - timedelta(hours=30),
        departed_at=now - timedelta(hours=29),
    )
    this_month = timezone.localtime(now).date().replace(day=1)
    counted = 1 + (timezone.localtime(old.decided_at).date() >= this_month)
    client.force_login(district.pkm_barat)
    response = client.get("/")
    section = response.context["referral_home"]
    assert section["report"].referrals == counted
    assert section["overdue"] == 1
    html = response.content.decode()
    assert 'id="home-rujukan"' in html
    assert '<a href="/rujukan/">1 rujukan</a>' in html
    assert "Temuan → keputusan merujuk" in html
    assert "1 jam" in html  # the conftest referral: found 4 h ago, decided 3 h ago


def test_other_homes_have_no_referral_section(client, district, referral):
    for user in (district.bidan_ampel, district.dinkes, district.kader_ampel_timur):
        client.force_login(user)
        assert "referral_home" not in client.get("/").context


def test_network_rows_group_pustu_and_posyandu_under_their_puskesmas(district, legs):
    make(
        district,
        district.pos_batu_f,
        district.pkm_barat_f,
        "planned",
        "created",
        decided_at=at(5, 8),
    )
    page = selectors.delay_report(district.dinkes, start=MARCH, end=MARCH, network=True)
    assert _rows(page) == [("Puskesmas Barat", "2026-03", 3), ("Puskesmas Timur", "2026-03", 2)]
    hospital = selectors.delay_report(
        district.dinkes, start=MARCH, end=MARCH, side="received", network=True
    )
    assert _rows(hospital) == [
        ("Puskesmas Barat", "2026-03", 2),
        ("Puskesmas Timur", "2026-03", 1),
        ("RSUD Kota Uji", "2026-03", 2),
    ]


# ---------------------------------------------------------------- the monitoring pages


def test_summary_page_has_the_referral_family(client, district, legs):
    client.force_login(district.dinkes)
    response = client.get("/pws/ringkasan/", {"area": district.city.code, "period": "2026-03"})
    assert response.status_code == 200
    family = response.context["family"]
    assert [(row.name, row.report.referrals) for row in family["rows"]] == [
        ("Puskesmas Barat", 2),
        ("Puskesmas Timur", 2),
    ]
    html = response.content.decode()
    assert 'id="sum-rujukan"' in html
    # Puskesmas Barat: a answered in time (1 of 2: 50%), b late (1 of 2 received: 50%),
    # decision → reception 1.5 h and 3 h: median 2 h 15 min
    assert (
        '<tr><th scope="row">Puskesmas Barat</th><td class="num">2</td><td class="num">50,0%</td>'
        '<td>2 jam 15 menit</td><td class="num">50,0%</td></tr>'
    ) in html
    assert '<a href="/rujukan/laporan/?dari=2026-03">' in html
    index = client.get("/pws/").content.decode()
    assert 'id="pws-rujukan"' in index


def test_monitoring_pages_have_no_referral_family_for_other_readers(client, district, legs):
    for user in (district.bidan_ampel, district.camat_barat):
        client.force_login(user)
        response = client.get("/pws/ringkasan/", {"period": "2026-03"})
        assert response.context["family"] is None
        assert 'id="pws-rujukan"' not in client.get("/pws/").content.decode()


def test_large_counts_use_the_locale_thousands_separator():
    from django.template.loader import render_to_string
    from django.utils import translation

    from ilp.standards.referral import DelayReport, delay_report

    report = delay_report([])
    big = DelayReport(referrals=12345, answered=6000, delays=report.delays, reaching={})
    with translation.override("id"):
        html = render_to_string("referrals/_report_card.html", {"report": big, "title": "x"})
    assert "<dd>12.345</dd>" in html
    assert "48,6% (6.000)" in html
    with translation.override("en"):
        html = render_to_string("referrals/_report_card.html", {"report": big, "title": "x"})
    assert "<dd>12,345</dd>" in html
    assert "48.6% (6,000)" in html
