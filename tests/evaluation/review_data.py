"""Hand-built data of the evaluation pages' tests, for last year (a kept year, every month
past): indicator counts, and coaching in May–July with recommendations whose creation and
verification times are set, so each month's "as at" reading is known.

Counts (``IndicatorCount``, cumulative indicators, denominators in month 0):
- IDL (target 100 %): Puskesmas Barat 18/40 by June (May 14/40 = 35.0 %, June 45.0 %, line
  of June 50.0 %: below and rising); Puskesmas Timur 30/40 (March) = 75.0 %.
- K4 (target 100 %): Barat 25/20 (March) = 125.0 %; Timur 16/20 (March) = 80.0 %.

Coaching of Puskesmas Barat by "Tim Barat": a visit on 10 May (done), one on 12 June
(planned). Recommendations, all from the May visit:
- A "Sweeping K1": created 10 May, due 31 May, still open → at the end of June open, overdue;
- B "Kohort bayi": created 10 May, due 31 July, verified 20 June → closed in June;
- C "Lengkapi register": created 15 June, due 31 August, open → new in June, open, not overdue;
- D "Rapat lintas sektor": created 5 July → not yet there at the end of June;
- E "Validasi data": created 10 May, due 31 May, verified 25 May → closed before June.
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from types import SimpleNamespace

from django.utils import timezone

from ilp.evaluation import services
from ilp.evaluation.models import Recommendation, RecommendationEvent, RecState
from ilp.monitoring.models import IndicatorCount

YEAR = timezone.localdate().year - 1


def count(indicator, area, month, numerator=0, denominator=0, year=YEAR):
    IndicatorCount.objects.create(
        indicator=indicator,
        year=year,
        month=month,
        area=area,
        sex="F",
        numerator=numerator,
        denominator=denominator,
    )


def indicator_counts(d) -> None:
    count("idl", d.ampel_timur, 0, denominator=20)
    count("idl", d.ampel_timur, 5, numerator=8)
    count("idl", d.ampel_timur, 6, numerator=4)
    count("idl", d.ampel_barat, 0, denominator=10)
    count("idl", d.ampel_barat, 3, numerator=3)
    count("idl", d.batu_atas, 0, denominator=10)
    count("idl", d.batu_atas, 2, numerator=3)
    count("idl", d.cemara_raya, 0, denominator=40)
    count("idl", d.cemara_raya, 3, numerator=30)
    count("k4", d.ampel_timur, 0, denominator=20)
    count("k4", d.ampel_timur, 3, numerator=25)
    count("k4", d.cemara_raya, 0, denominator=20)
    count("k4", d.cemara_raya, 3, numerator=16)


def at(month: int, day: int) -> dt.datetime:
    """Noon of that day of YEAR in the district's time zone."""
    return dt.datetime(YEAR, month, day, 12, 0, tzinfo=timezone.get_current_timezone())


def _rec(d, visit, what, due, created, verified=None):
    rec = services.recommendation_create(
        user=d.tpcb,
        visit=visit,
        content=services.RecommendationContent(
            what=what, indicator="idl", why="", owner_role="k2", due_date=due
        ),
    )
    Recommendation.objects.filter(pk=rec.pk).update(created_at=created)
    rec.events.update(at=created)
    if verified is not None:
        Recommendation.objects.filter(pk=rec.pk).update(state=RecState.VERIFIED)
        RecommendationEvent.objects.create(
            recommendation=rec,
            by=d.tpcb,
            action="verify",
            from_state=RecState.ACCEPTED,
            to_state=RecState.VERIFIED,
        )
        rec.events.filter(action="verify").update(at=verified)
    rec.refresh_from_db()
    return rec


def coaching(d, team) -> SimpleNamespace:
    c = SimpleNamespace()
    c.may = services.visit_plan(
        user=d.tpcb,
        team=team,
        puskesmas=d.pkm_barat_f,
        planned_date=date(YEAR, 5, 10),
        members=[d.tpcb],
    )
    services.visit_findings_set(user=d.tpcb, visit=c.may, findings="K1 rendah di Ampel")
    services.visit_mark_done(user=d.tpcb, visit=c.may)
    c.june = services.visit_plan(
        user=d.tpcb,
        team=team,
        puskesmas=d.pkm_barat_f,
        planned_date=date(YEAR, 6, 12),
        members=[d.tpcb],
    )
    c.a = _rec(d, c.may, "Sweeping K1", date(YEAR, 5, 31), at(5, 10))
    c.b = _rec(d, c.may, "Kohort bayi", date(YEAR, 7, 31), at(5, 10), verified=at(6, 20))
    c.c = _rec(d, c.may, "Lengkapi register", date(YEAR, 8, 31), at(6, 15))
    c.d = _rec(d, c.may, "Rapat lintas sektor", date(YEAR, 8, 31), at(7, 5))
    c.e = _rec(d, c.may, "Validasi data", date(YEAR, 5, 31), at(5, 10), verified=at(5, 25))
    return c
