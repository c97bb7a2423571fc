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


def test_kn1_window_opens_at_6_hours_and_closes_after_48():
    assert states("KN", [], DELIVERED + timedelta(hours=5, minutes=59))["KN1"] == "upcoming"
    assert states("KN", [], DELIVERED + timedelta(hours=6))["KN1"] == "due"
    # "6–48 jam": hour 48 is still KN1; KN2 ("3–7 hari") opens after it.
    s = states("KN", [], DELIVERED + timedelta(hours=48))
    assert (s["KN1"], s["KN2"]) == ("due", "upcoming")
    s = states("KN", [], DELIVERED + timedelta(hours=48, minutes=1))
    assert (s["KN1"], s["KN2"]) == ("missed", "due")


@pytest.mark.parametrize(
    ("after", "counts_for"),
    [
        (timedelta(hours=5, minutes=59), None),
        (timedelta(hours=6), "KF1"),
        # Permenkes 21/2021: KF1 "6 jam sampai dengan 2 hari", KF2 "3 hari sampai dengan 7 hari".
        (timedelta(hours=48), "KF1"),
        (timedelta(hours=48, minutes=1), "KF2"),
        (timedelta(days=7), "KF2"),
        (timedelta(days=7, minutes=1), "KF3"),
        (timedelta(days=28), "KF3"),
        (timedelta(days=28, minutes=1), "KF4"),
        (timedelta(days=42), "KF4"),
    ],
)
def test_kf_window_edges_belong_to_the_earlier_visit(after, counts_for):
    visit = DELIVERED + after
    done = [
        s.code
        for s in postnatal_visits("KF", delivered_at=DELIVERED, visits=[visit], on=visit)
        if s.state == "done"
    ]
    assert done == ([counts_for] if counts_for else [])


def test_window_reason_codes():
    vs = postnatal_visits(
        "KF",
        delivered_at=DELIVERED,
        visits=[DELIVERED + timedelta(hours=10)],
        on=DELIVERED + timedelta(days=10),
    )
    got = {v.code: (v.state, v.reason_code, dict(v.params)) for v in vs}
    assert got["KF1"] == (
        "done",
        "visited",
        {"visit": "KF1", "visited_at": DELIVERED + timedelta(hours=10)},
    )
    assert got["KF2"] == (
        "missed",
        "window_closed",
        {"visit": "KF2", "window_end": DELIVERED + timedelta(days=7)},
    )
    assert got["KF3"][:2] == ("due", "window_open")
    assert got["KF4"][:2] == ("upcoming", "window_not_open")
    assert vs[1].reason == "KF2 terlewat: jendela berakhir 8 Mei 2024 22.00"


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
