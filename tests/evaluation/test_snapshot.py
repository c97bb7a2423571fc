"""The visit's frozen indicator snapshot: taken when the visit is marked done, of the visit's
month, and unchanged when later data arrive; the movement shown beside a recommendation.

Counts are written straight to the table (``IndicatorCount``) for desa Ampel, served by
Puskesmas Barat. K1 is cumulative over the year: a month's row holds that month's additions,
and the value of a month is the numerators of January up to it over their denominators."""

from __future__ import annotations

from datetime import date

import pytest

from ilp.core.exceptions import Conflict
from ilp.evaluation import selectors, services
from ilp.evaluation.models import VisitState
from ilp.monitoring.models import IndicatorCount

pytestmark = pytest.mark.django_db


def _count(district, month: int, numerator: int, denominator: int) -> None:
    IndicatorCount.objects.update_or_create(
        indicator="k1",
        year=2026,
        month=month,
        area=district.ampel,
        sex="F",
        age_band="",
        disability="",
        defaults={"numerator": numerator, "denominator": denominator},
    )


def _k1(snapshot: dict) -> dict:
    return next(r for r in snapshot["rows"] if r["code"] == "k1")


def test_snapshot_frozen_at_done_and_unchanged_by_later_data(district, visit, rec):
    _count(district, 3, numerator=1, denominator=4)  # March: 1 of 4 pregnant women, 25 %
    services.visit_mark_done(user=district.tpcb, visit=visit)
    visit.refresh_from_db()
    assert visit.state == VisitState.DONE
    assert (visit.snapshot["year"], visit.snapshot["month"]) == (2026, 3)
    frozen = _k1(visit.snapshot)
    assert frozen["value"] == 25.0
    assert len(visit.snapshot["rows"]) > 1

    # Later data: two more women had K1 in March (entered late), the fourth in April (no new
    # pregnant woman in April).
    _count(district, 3, numerator=3, denominator=4)
    _count(district, 4, numerator=1, denominator=0)
    visit.refresh_from_db()
    assert _k1(visit.snapshot) == frozen

    # Movement beside the recommendation: frozen 25 %, now (April 2026) 3+1 of 4+0 = 100 %.
    recs = selectors.visit_recommendations(visit)
    moves = selectors.movements(district.dinkes, recs, today=date(2026, 4, 15))
    assert list(moves) == [rec.pk]
    move = moves[rec.pk]
    assert (move.code, move.frozen, move.current, move.change) == ("k1", 25.0, 100.0, 75.0)


def test_visit_marked_done_once_only_by_its_team(district, visit, tpcb_other):
    from ilp.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.visit_mark_done(user=tpcb_other, visit=visit)
    services.visit_mark_done(user=district.tpcb, visit=visit)
    with pytest.raises(Conflict) as exc:
        services.visit_mark_done(user=district.tpcb, visit=visit)
    assert str(exc.value.message) == "Kunjungan ini sudah selesai."


def test_no_movement_before_the_visit_is_done(district, visit, rec):
    assert selectors.movements(district.dinkes, selectors.visit_recommendations(visit)) == {}
