"""The indicator counts off the write path (``ilp.monitoring.refresh``): a write only marks its
persons pending; a request refreshes them after its response; the sweep answers what is left
and fills a new year.

Desa Ampel (the shared district): rina is its only balita until a test adds one; budi, siti
and ahmad are its residents 15+.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ilp.care.models import PosyanduSession
from ilp.monitoring import refresh
from ilp.monitoring.catalogue import load_catalogue
from ilp.monitoring.models import IndicatorCount, IndicatorFact, IndicatorPending, IndicatorYear
from ilp.monitoring.refresh import indicators_sweep, pending_refresh, years_to_fill
from ilp.monitoring.selectors import indicator_values
from ilp.monitoring.services import facts_refresh, indicators_rebuild
from tests.care import record, resident

pytestmark = pytest.mark.django_db


def ds(district, on) -> tuple[int, int]:
    """D/S of desa Ampel in `on`'s month, as the counts hold it now (no refresh here)."""
    row = indicator_values(
        district.dinkes,
        load_catalogue()["ds"],
        area_code=district.ampel.code,
        year=on.year,
        month=on.month,
    )[0]
    return row.numerator, row.denominator


def weigh(district, child, on):
    """The child weighed at Pustu Ampel (``tests.care.record``)."""
    return record(
        district, child, on, "child", {"weight": 9.5, "height": 76.0, "measured": "lying"}
    )


def test_a_write_only_marks_its_person_and_the_refresh_counts_it(district):
    """The weighing leaves D/S as it was and one mark for the child; the refresh moves D
    0 → 1, deletes the mark and says one person was refreshed; a second refresh finds none."""
    today = timezone.localdate()
    child = resident(district, "Anak", "F", today - timedelta(days=400))
    indicators_rebuild()
    assert ds(district, today) == (0, 2)

    with CaptureQueriesContext(connection) as ctx:
        weigh(district, child, today)
    assert ds(district, today) == (0, 2)  # not counted yet
    assert list(IndicatorPending.objects.values_list("person_id", flat=True)) == [child.pk]
    # No indicator fact or count is read or written in the write's transaction.
    touched = [q["sql"] for q in ctx.captured_queries if "monitoring_indicator" in q["sql"]]
    assert len(touched) == 1 and touched[0].startswith('INSERT INTO "monitoring_indicatorpending"')

    assert pending_refresh() == 1
    assert ds(district, today) == (1, 2)
    assert not IndicatorPending.objects.exists()
    assert pending_refresh() == 0


def test_a_weighing_through_the_session_page_is_counted_when_the_response_is_done(district):
    """The kader's row POST of the session page (an htmx request): by the time the test
    client has the response (the WSGI server closed it: ``request_finished``), D of desa Ampel
    moved 0 → 1 and no mark is left."""
    today = timezone.localdate()
    child = resident(district, "Anak", "F", today - timedelta(days=400))
    indicators_rebuild()
    client = Client()
    client.force_login(district.kader_ampel_timur)
    opened = client.post(
        reverse("care:session_open", kwargs={"code": "POS-AT"}), {"on": today.isoformat()}
    )
    assert opened.status_code == 302
    assert PosyanduSession.objects.filter(posyandu__code="POS-AT", date=today).exists()
    row = client.post(
        reverse(
            "care:session_row",
            kwargs={"code": "POS-AT", "on": today.isoformat(), "person_uuid": child.uuid},
        ),
        {"client_id": str(uuid.uuid4()), "weight": "9,5", "height": "76", "measured": "lying"},
        HTTP_HX_REQUEST="true",
    )
    assert row.status_code == 200
    assert ds(district, today) == (1, 2)
    assert not IndicatorPending.objects.exists()


def test_a_failed_refresh_after_the_response_leaves_the_mark_for_the_sweep(district, monkeypatch):
    """The refresh after the response fails (the database refused it, say): the response was
    already sent, nothing is raised, the mark stays, and the sweep counts the weighing."""
    today = timezone.localdate()
    child = resident(district, "Anak", "F", today - timedelta(days=400))
    indicators_rebuild()

    def refused(*args, **kwargs):
        raise RuntimeError("refused")

    refresh.request_begins()
    weigh(district, child, today)
    monkeypatch.setattr(refresh, "facts_refresh", refused)
    refresh.refresh_after_response()
    assert ds(district, today) == (0, 2)
    assert IndicatorPending.objects.filter(person=child).count() == 1
    monkeypatch.undo()
    assert indicators_sweep().persons == 1
    assert ds(district, today) == (1, 2)


def test_writes_outside_a_request_wait_for_the_sweep_command(district):
    """A service called outside a request (an import, a shell) leaves its mark; the request
    hooks only refresh what their own request marked. ``ilp indicators sweep`` answers it."""
    today = timezone.localdate()
    child = resident(district, "Anak", "F", today - timedelta(days=400))
    indicators_rebuild()
    weigh(district, child, today)
    refresh.request_begins()
    refresh.refresh_after_response()  # another request, which marked nobody
    assert ds(district, today) == (0, 2)
    out = StringIO()
    call_command("indicators", "sweep", stdout=out)
    assert out.getvalue().startswith("1 pending persons refreshed, 0 facts of new years written")
    assert ds(district, today) == (1, 2)


def test_the_request_refresh_takes_only_its_own_persons(district):
    """Two marks, one made by this request: its refresh answers that one; the other waits."""
    today = timezone.localdate()
    mine = resident(district, "Anak", "F", today - timedelta(days=400))
    other = resident(district, "Bayu", "M", today - timedelta(days=500))
    indicators_rebuild()
    weigh(district, other, today)  # outside the request
    refresh.request_begins()
    weigh(district, mine, today)
    refresh.refresh_after_response()
    assert list(IndicatorPending.objects.values_list("person_id", flat=True)) == [other.pk]
    assert ds(district, today) == (1, 3)
    assert pending_refresh() == 1
    assert ds(district, today) == (2, 3)


def counts_of(years) -> dict[tuple, tuple[int, int]]:
    return {
        (c.indicator, c.year, c.month, c.area_id, c.sex, c.age_band, c.disability): (
            c.numerator,
            c.denominator,
        )
        for c in IndicatorCount.objects.filter(year__in=years)
        if (c.numerator, c.denominator) != (0, 0)
    }


def test_the_sweep_fills_the_new_year_on_the_first_days_of_january(district):
    """Counts rebuilt on 20 December 2025 keep 2024 and 2025. On 2 January 2026 budi, siti
    and ahmad (15+, PTM targets every year, not written to since) have no 2026 facts; rina
    was weighed on 1 January, so she has. The sweep of 2 January sees 2026 not filled,
    fills it and then answers rina's mark: PTM 15+ of desa Ampel for 2026 is 0/3, and the
    2025 and 2026 counts equal a rebuild of 2 January. The next pass fills nothing."""
    december, january = date(2025, 12, 20), date(2026, 1, 2)
    indicators_rebuild(today=december)
    assert sorted(IndicatorYear.objects.values_list("year", flat=True)) == [2024, 2025]
    assert years_to_fill(january) == [2026]
    # rina's weighing of 1 January, refreshed as a request would on that day.
    weigh(district, district.rina, date(2026, 1, 1))
    pending_refresh(today=date(2026, 1, 1))
    assert IndicatorFact.objects.filter(person=district.rina, year=2026).exists()
    assert not IndicatorFact.objects.filter(person=district.budi, year=2026).exists()

    swept = indicators_sweep(today=january)
    assert swept.years_filled == [2026]
    assert IndicatorFact.objects.filter(person=district.budi, year=2026, indicator="ptm_15")
    ptm = load_catalogue()["ptm_15"]
    ampel = indicator_values(
        district.dinkes, ptm, area_code=district.ampel.code, year=2026, month=1
    )[0]
    assert (ampel.numerator, ampel.denominator) == (0, 3)
    filled = counts_of([2025, 2026])
    kept_2024 = counts_of([2024])
    assert indicators_sweep(today=january).years_filled == []

    indicators_rebuild(today=january)
    assert counts_of([2025, 2026]) == filled
    assert kept_2024  # 2024 (no longer kept) stayed as rebuilt in December
    assert sorted(IndicatorYear.objects.values_list("year", flat=True)) == [2025, 2026]


def test_a_refresh_waiting_behind_the_fill_does_not_count_twice(district):
    """A mark written on New Year's day before the fill is answered after it: rina's 2026
    facts are then those of one computation, not the fill's plus the refresh's."""
    indicators_rebuild(today=date(2025, 12, 20))
    weigh(district, district.rina, date(2026, 1, 1))
    swept = indicators_sweep(today=date(2026, 1, 2))
    assert (swept.years_filled, swept.persons) == ([2026], 1)
    mine = sorted(
        IndicatorFact.objects.filter(person=district.rina, year=2026).values_list(
            "indicator", "month", "side"
        )
    )
    facts_refresh([district.rina.pk], today=date(2026, 1, 2))  # again: nothing changes
    again = sorted(
        IndicatorFact.objects.filter(person=district.rina, year=2026).values_list(
            "indicator", "month", "side"
        )
    )
    assert mine == again
    assert ("ds", 1, "n") in mine


@pytest.mark.django_db(transaction=True)
def test_the_refresh_after_a_response_does_not_wait_for_a_years_fill(district):
    """A year's fill holds the facts table (another connection, as the sweep would): the
    request's refresh returns at once and leaves its mark; once the fill is done the sweep
    answers it. PostgreSQL only (SQLite has no table locks to wait for)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's table lock")
    today = timezone.localdate()
    child = resident(district, "Anak", "F", today - timedelta(days=400))
    indicators_rebuild()
    fill = connection.get_new_connection(connection.get_connection_params())
    try:
        fill.autocommit = False
        with fill.cursor() as cursor:
            cursor.execute("LOCK TABLE monitoring_indicatorfact IN SHARE ROW EXCLUSIVE MODE")
        refresh.request_begins()
        weigh(district, child, today)
        refresh.refresh_after_response()
        assert IndicatorPending.objects.filter(person=child).count() == 1
        assert ds(district, today) == (0, 2)
    finally:
        fill.rollback()
        fill.close()
    assert pending_refresh() == 1
    assert ds(district, today) == (1, 2)
