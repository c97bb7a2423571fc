"""KF/KN windows: DOMAIN.md §3.3."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from ilp.standards.postnatal import next_postnatal_visit, postnatal_complete, postnatal_visits
from ilp.standards.result import OutOfRange

WIB = timezone(timedelta(hours=7))
DELIVERED = datetime(2024, 5, 1, 22, 0, tzinfo=WIB)


def states(series, visits, on):
    return {
        s.code: s.state
        for s in postnatal_visits(series, delivered_at=DELIVERED, visits=visits, on=on)
    }


def test_kn1_window_opens_at_6_hours():
    assert states("KN", [], DELIVERED + timedelta(hours=5, minutes=59))["KN1"] == "upcoming"
    assert states("KN", [], DELIVERED + timedelta(hours=6))["KN1"] == "due"
    assert states("KN", [], DELIVERED + timedelta(hours=48))["KN1"] == "missed"
    assert states("KN", [], DELIVERED + timedelta(hours=48))["KN2"] == "due"


def test_date_means_whole_day():
    # Delivered 22:00: KN1 opens 04:00 next day; on the delivery date it is upcoming.
    assert states("KN", [], date(2024, 5, 1))["KN1"] == "upcoming"
    assert states("KN", [], date(2024, 5, 2))["KN1"] == "due"
    # 48 h ends 3 May 22:00: on 3 May both KN1 and KN2 are open for part of the day.
    s = states("KN", [], date(2024, 5, 3))
    assert (s["KN1"], s["KN2"]) == ("due", "due")


def test_visits_fill_their_own_window():
    visits = [DELIVERED + timedelta(hours=10), DELIVERED + timedelta(hours=20)]
    s = states("KF", visits, DELIVERED + timedelta(days=5))
    assert s == {"KF1": "done", "KF2": "due", "KF3": "upcoming", "KF4": "upcoming"}
    nxt = next_postnatal_visit(
        "KF", delivered_at=DELIVERED, visits=visits, on=DELIVERED + timedelta(days=5)
    )
    assert (nxt.code, nxt.item) == ("KF2", "nifas:KF2")


def test_kf4_window_and_complete():
    visits = [DELIVERED + timedelta(hours=h) for h in (7, 50, 200, 700)]
    vs = postnatal_visits(
        "KF", delivered_at=DELIVERED, visits=visits, on=DELIVERED + timedelta(days=43)
    )
    assert [v.state for v in vs] == ["done"] * 4
    assert postnatal_complete(vs) is True
    assert vs[3].window_end == DELIVERED + timedelta(days=42)
    assert (
        next_postnatal_visit(
            "KF", delivered_at=DELIVERED, visits=visits, on=DELIVERED + timedelta(days=43)
        )
        is None
    )
    missing = postnatal_visits(
        "KF", delivered_at=DELIVERED, visits=visits[:3], on=DELIVERED + timedelta(days=43)
    )
    assert missing[3].state == "missed"
    assert postnatal_complete(missing) is False


def test_visit_before_6_hours_counts_for_nothing():
    s = states("KN", [DELIVERED + timedelta(hours=2)], DELIVERED + timedelta(hours=8))
    assert s["KN1"] == "due"


def test_errors():
    with pytest.raises(OutOfRange) as e:
        states("KN", [DELIVERED - timedelta(hours=1)], DELIVERED + timedelta(hours=8))
    assert e.value.field == "visit"
    with pytest.raises(OutOfRange) as e:
        states("KN", [], DELIVERED - timedelta(hours=1))
    assert e.value.field == "on"
    with pytest.raises(ValueError):
        states("KX", [], DELIVERED)
