"""Speed of care: the case page's steps against the targets (elapsed, within/over, waiting),
its query count whatever the number of steps, and the Dinkes report (exact figures, small
counts suppressed, the CSV logged as an export, every other role refused)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ilp.accounts.models import AuditEvent
from ilp.protection import services
from ilp.protection.models import Case, CaseStep, Step

pytestmark = pytest.mark.django_db

# The case page of a health worker in the circle: session and user, the case, its audit row,
# parties, steps, break-glass, circle and actions, the assignable staff, and the sections of
# visum, attachments, partner referrals and the officer's access log. The speed section adds
# none: it reads the steps the page has already loaded.
QUERIES_CASE_PAGE = 25


def _open(prot, hours_ago: float, steps=()) -> Case:
    """A case of Puskesmas Barat arrived `hours_ago`, with `steps` (step, time after arrival)."""
    case = services.case_open(
        user=prot.d.pkm_barat,
        arrival_route="walk_in",
        arrived_at=timezone.now() - timedelta(hours=hours_ago),
        victim={"person": prot.d.siti},
    )
    for step, after in steps:
        services.step_record(
            user=prot.d.pkm_barat, case=case, step=step, at=case.arrived_at + after
        )
    return case


def _speed(client, case: Case) -> str:
    page = client.get(f"/perlindungan/kasus/{case.uuid}/")
    assert page.status_code == 200
    text = page.content.decode()
    return text[text.index('id="case-speed"') :]


def _row(section: str, step: str) -> str:
    start = section.index(f'data-step="{step}"')
    return section[start : section.index("</li>", start)]


@pytest.mark.parametrize(
    ("hours_ago", "first_after", "first_shows", "exam_shows"),
    [
        (
            3,
            timedelta(minutes=45),
            ['data-mark="within"', "45 menit setelah datang", "Sesuai target (paling lama 1 jam)"],
            # still inside its day: waiting, with how long it has been
            [
                'data-mark="waiting"',
                "belum tercatat",
                "sudah 3 jam sejak datang",
                "Menunggu: target paling lama 1 hari",
            ],
        ),
        (
            30,
            timedelta(hours=2, minutes=5),
            [
                'data-mark="late"',
                "2 jam 5 menit setelah datang",
                "Melewati target (paling lama 1 jam)",
            ],
            [
                'data-mark="overdue"',
                "sudah 1 hari 6 jam sejak datang",
                "Lewat target (paling lama 1 hari)",
            ],
        ),
    ],
)
def test_case_page_shows_elapsed_and_marks(
    client, prot, hours_ago, first_after, first_shows, exam_shows
):
    case = _open(prot, hours_ago, [(Step.FIRST_CONTACT, first_after)])
    client.force_login(prot.d.pkm_barat)
    section = _speed(client, case)
    first, exam = _row(section, "first_contact"), _row(section, "examination")
    assert [text for text in first_shows if text not in first] == []
    assert [text for text in exam_shows if text not in exam] == []


def test_examination_target_same_day_setting(client, prot, settings):
    settings.ILP_PROTECTION_TARGET_EXAMINATION_HOURS = 0
    case = _open(prot, 50)
    client.force_login(prot.d.pkm_barat)
    exam = _row(_speed(client, case), "examination")
    assert 'data-mark="overdue"' in exam
    assert "Lewat target (hari yang sama)" in exam


def test_partner_sees_the_speed_of_a_referred_case(client, prot):
    case = prot.case
    from ilp.protection.models import CaseReferral

    CaseReferral.objects.create(
        case=case,
        partner=prot.lpa,
        aim="social",
        sent_at=timezone.now(),
        follow_up_due=timezone.localdate() + timedelta(days=3),
    )
    client.force_login(prot.d.ppa)
    assert 'data-step="first_contact"' in _speed(client, case)


def test_case_page_query_count_does_not_grow_with_steps(client, prot):
    case = _open(prot, 10)
    client.force_login(prot.d.pkm_barat)
    url = f"/perlindungan/kasus/{case.uuid}/"
    client.get(url)  # warm (session, caches)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    more = [
        Step.FIRST_CONTACT,
        Step.EXAMINATION,
        Step.TREATMENT,
        Step.COUNSELLING,
        Step.EXAMINATION,
    ]
    for i, step in enumerate(more):
        services.step_record(
            user=prot.d.pkm_barat, case=case, step=step, at=case.arrived_at + timedelta(hours=i)
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_case_page_query_count_is_fixed(client, prot, django_assert_num_queries):
    steps = [Step.FIRST_CONTACT, Step.EXAMINATION, Step.TREATMENT]
    case = _open(prot, 10, [(step, timedelta(hours=i)) for i, step in enumerate(steps)])
    client.force_login(prot.d.pkm_barat)
    url = f"/perlindungan/kasus/{case.uuid}/"
    client.get(url)
    with django_assert_num_queries(QUERIES_CASE_PAGE):
        client.get(url)
    # twice the steps, the same queries (every section of the page reads its rows at once)
    more = [*steps, Step.COUNSELLING, Step.TREATMENT, Step.COUNSELLING]
    other = _open(prot, 11, [(step, timedelta(hours=i)) for i, step in enumerate(more)])
    client.get(f"/perlindungan/kasus/{other.uuid}/")
    with django_assert_num_queries(QUERIES_CASE_PAGE):
        client.get(f"/perlindungan/kasus/{other.uuid}/")


# ---------------------------------------------------------------- the Dinkes report

WITA = timezone.get_fixed_timezone(8 * 60)


def _case(prot, n: int, arrived: datetime, fc_minutes: float | None, ex_hours: float | None):
    case = Case.objects.create(
        number=f"KTPA-TEST-{n:04d}",
        facility=prot.d.pkm_barat_f if n % 2 else prot.d.pkm_timur_f,
        arrival_route="walk_in",
        arrived_at=arrived,
        retain_until=arrived.date().replace(year=arrived.year + 18),
    )
    CaseStep.objects.create(case=case, step=Step.ARRIVAL, at=arrived)
    if fc_minutes is not None:
        CaseStep.objects.create(
            case=case, step=Step.FIRST_CONTACT, at=arrived + timedelta(minutes=fc_minutes)
        )
    if ex_hours is not None:
        CaseStep.objects.create(
            case=case, step=Step.EXAMINATION, at=arrived + timedelta(hours=ex_hours)
        )
    return case


@pytest.fixture
def june(prot):
    """Six cases arrived in June 2025 (first contact 10…50 and 90 minutes; examinations 1–5
    and 30 hours), two in July; a voided step and another district's case count nowhere."""
    base = datetime(2025, 6, 10, 9, 0, tzinfo=WITA)
    for i, (fc, ex) in enumerate([(10, 1), (20, 2), (30, 3), (40, 4), (50, 5), (90, 30)]):
        case = _case(prot, i + 1, base + timedelta(days=i), fc, ex)
    # a voided earlier examination of the last case does not count
    CaseStep.objects.create(
        case=case, step=Step.EXAMINATION, at=case.arrived_at, voided_at=timezone.now()
    )
    july = datetime(2025, 7, 3, 9, 0, tzinfo=WITA)
    _case(prot, 7, july, 15, 2)
    _case(prot, 8, july + timedelta(days=1), 25, None)
    return prot


def _report(client, user, query: str):
    client.force_login(user)
    page = client.get(f"/perlindungan/laporan/?{query}")
    assert page.status_code == 200
    return page.content.decode()


def _card(text: str, card_id: str) -> str:
    start = text.index(f'id="{card_id}"')
    return text[start : text.index("</li>", start)]


def test_report_figures_of_one_month_are_exact(client, june):
    text = _report(client, june.d.dinkes, "dari=2025-06&sampai=2025-06")
    june_card = _card(text, "bulan-2025-06")
    assert '<strong class="speed-cases">6</strong>' in june_card
    # first contact 10, 20, 30, 40, 50, 90 min: median 35, p90 50 + 0.5 × 40 = 70; 5 of 6
    assert "median 35 menit · p90 1 jam 10 menit · sesuai target 83,3%" in june_card
    # examination 1, 2, 3, 4, 5, 30 h: median 3.5 h, p90 5 + 0.5 × 25 = 17.5 h; 5 of 6
    assert "median 3 jam 30 menit · p90 17 jam 30 menit · sesuai target 83,3%" in june_card
    assert "Siti" not in text and "KTPA-TEST" not in text and "Puskesmas" not in text


def test_report_suppresses_small_months_and_their_complement(client, june):
    text = _report(client, june.d.tpcb, "dari=2025-06&sampai=2025-08")
    # July's 2 cases are hidden, and June too: the total (8) would give July back
    for month in ("bulan-2025-06", "bulan-2025-07"):
        card = _card(text, month)
        assert '<strong class="speed-cases">—</strong>' in card
        assert "median" not in card
    assert '<strong class="speed-cases">0</strong>' in _card(text, "bulan-2025-08")
    total = _card(text, "laporan-jumlah")
    assert '<strong class="speed-cases">8</strong>' in total
    # 8 first contacts: 10, 15, 20, 25, 30, 40, 50, 90 → median 27.5 min → 27 menit (whole)
    assert "median 27 menit" in total


def test_report_csv_is_suppressed_and_logged(client, june):
    client.force_login(june.d.dinkes)
    response = client.get("/perlindungan/laporan/csv/?dari=2025-06&sampai=2025-07")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Bulan", "Kasus"]
    assert rows[1] == ["2025-06", "", "", "", "", "", "", "", "disembunyikan: jumlah kecil"]
    assert rows[2][1] == "" and rows[2][-1] == "disembunyikan: jumlah kecil"
    # 8 first contacts: median 27.5 → 27 whole minutes, p90 50 + 0.3 × 40 = 62; 7 of 8 within
    assert rows[3][:5] == ["2025-06–2025-07", "8", "27", "62", "87.5"]
    event = AuditEvent.objects.get(object_type="protection_report", action="export")
    assert event.user == june.d.dinkes
    assert event.detail["rows"] == 3
    assert event.detail["from"] == "2025-06"


def test_report_refuses_a_bad_range(client, june):
    client.force_login(june.d.dinkes)
    page = client.get("/perlindungan/laporan/?dari=2025-08&sampai=2025-06")
    assert page.status_code == 400
    assert "Bulan akhir tidak boleh sebelum bulan awal." in page.content.decode()


@pytest.mark.parametrize(
    "who",
    [
        "pkm_barat",
        "bidan_ampel",
        "kader_ampel_timur",
        "ppa",
        "camat_barat",
        "kades_ampel",
        "rs_uji",
        "norole",
    ],
)
def test_report_refused_to_other_roles(client, june, who):
    client.force_login(getattr(june.d, who))
    assert client.get("/perlindungan/laporan/").status_code == 403
    assert client.get("/perlindungan/laporan/csv/").status_code == 403


@pytest.mark.parametrize(
    ("who", "linked"), [("dinkes", True), ("tpcb", True), ("pkm_barat", False)]
)
def test_pws_index_links_the_report_for_the_district(client, prot, who, linked):
    client.force_login(getattr(prot.d, who))
    page = client.get("/pws/")
    assert page.status_code == 200
    assert ('href="/perlindungan/laporan/"' in page.content.decode()) is linked
