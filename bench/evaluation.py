"""Benchmark: routine evaluation and coaching on the 500,000-resident district on PostgreSQL
(issue #11, "Performance").

Needs DATABASE_URL naming a migrated database holding the demo district, its service history
and its indicator counts (``bench/care.py`` and ``ilp indicators rebuild``). When the
district has no coaching yet, it first adds some (written once, reused by later runs; the
rows are marked with the team name ``BENCH_TEAM``): one team per four puskesmas coaching all
of them, with the dinkes user and the district's TPCB users as members; for every puskesmas
a visit each month of the last twelve (done, except this month's) and three recommendations
per visit in every state (open, answered, accepted, sent back, verified) with their history,
due a month after the visit. Rows are bulk-written (not through the services: a year of
coaching for a district would take minutes that way); nothing else is changed.

Prints p50/p95 wall-clock milliseconds (with this process' CPU and the query count) and the
load average for:

- the monthly evaluation page of the largest puskesmas (most residents), last month, as the
  dinkes user, through the test client (URL routing, middleware, session, rendering): aim
  under 500 ms;
- its PDF: the evaluation built and drawn by WeasyPrint (the view's work without the audit
  row): aim under 5 s;
- the district's open-recommendation list ``/pembinaan/terbuka/`` through the test client:
  aim under 500 ms.

    .venv/bin/python bench/evaluation.py [--repeat 10] [--period YYYY-MM]
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta

from _common import setup_django  # bench/ is on sys.path when run
from monitoring import Ms, report, timed

BENCH_TEAM = "Tim bench evaluasi"
TEAM_SIZE = 4  # puskesmas per team


def _months_back(today: date, n: int) -> list[tuple[int, int]]:
    out = []
    year, month = today.year, today.month
    for _i in range(n):
        out.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out


def ensure_coaching(reader, puskesmas: list) -> None:  # type: ignore[no-untyped-def]
    """A year of coaching for every puskesmas, unless the district has coaching already."""
    from django.db import transaction
    from django.utils import timezone

    from ilp.accounts.models import Role, User
    from ilp.evaluation.models import (
        CoachingVisit,
        Recommendation,
        RecommendationEvent,
        RecState,
        TpcbTeam,
        VisitState,
    )

    if Recommendation.objects.filter(visit__team__district=reader.area).exists():
        print("coaching present: reused")
        return
    today = timezone.localdate()
    members = [reader, *User.objects.filter(role=Role.TPCB, area=reader.area)]
    states = [
        RecState.OPEN,
        RecState.ANSWERED,
        RecState.ACCEPTED,
        RecState.SENT_BACK,
        RecState.VERIFIED,
    ]
    path = {  # the history that leads to each state: (action, from, to)
        RecState.OPEN: [],
        RecState.ANSWERED: [("answer", RecState.OPEN, RecState.ANSWERED)],
        RecState.ACCEPTED: [
            ("answer", RecState.OPEN, RecState.ANSWERED),
            ("accept", RecState.ANSWERED, RecState.ACCEPTED),
        ],
        RecState.SENT_BACK: [
            ("answer", RecState.OPEN, RecState.ANSWERED),
            ("send_back", RecState.ANSWERED, RecState.SENT_BACK),
        ],
        RecState.VERIFIED: [
            ("answer", RecState.OPEN, RecState.ANSWERED),
            ("accept", RecState.ANSWERED, RecState.ACCEPTED),
            ("verify", RecState.ACCEPTED, RecState.VERIFIED),
        ],
    }
    codes = ["k1", "idl", "ds", "ptm_15", "hipertensi_pelayanan", ""]
    n_recs = 0
    with transaction.atomic():
        for start in range(0, len(puskesmas), TEAM_SIZE):
            group = puskesmas[start : start + TEAM_SIZE]
            team = TpcbTeam.objects.create(
                name=f"{BENCH_TEAM} {start // TEAM_SIZE + 1}",
                decree_number=f"BENCH/{start // TEAM_SIZE + 1}",
                decree_date=today - timedelta(days=400),
                lead=reader,
                district=reader.area,
            )
            team.members.set(members)
            team.puskesmas.set(group)
            for facility in group:
                for year, month in _months_back(today, 12):
                    planned = date(year, month, 10)
                    done = (year, month) != (today.year, today.month)
                    visit = CoachingVisit.objects.create(
                        team=team,
                        puskesmas=facility,
                        planned_date=planned,
                        state=VisitState.DONE if done else VisitState.PLANNED,
                        findings="bench" if done else "",
                        snapshot={"year": year, "month": month, "rows": []} if done else None,
                        done_at=timezone.now() if done else None,
                    )
                    visit.members.set(members[:1])
                    if not done:
                        continue
                    recs = []
                    for i in range(3):
                        state = states[(month + i) % len(states)]
                        code = codes[(month + i) % len(codes)]
                        recs.append(
                            Recommendation(
                                visit=visit,
                                what=f"Rekomendasi bench {i + 1} {facility.code} {year}-{month}",
                                indicator=code,
                                why="" if code else "bench",
                                owner_role="k2",
                                due_date=planned + timedelta(days=30),
                                state=state,
                            )
                        )
                    Recommendation.objects.bulk_create(recs)
                    events = []
                    for rec in recs:
                        events.append(
                            RecommendationEvent(
                                recommendation=rec, by=reader, action="create", to_state="open"
                            )
                        )
                        for action, before, after in path[rec.state]:
                            events.append(
                                RecommendationEvent(
                                    recommendation=rec,
                                    by=reader,
                                    action=action,
                                    from_state=before,
                                    to_state=after,
                                    note="bench",
                                )
                            )
                    RecommendationEvent.objects.bulk_create(events)
                    n_recs += len(recs)
    print(f"coaching added: {len(puskesmas)} puskesmas, {n_recs} recommendations")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--period", default="", help="YYYY-MM (default: last month)")
    args = parser.parse_args()
    setup_django()
    from django.db.models import Count
    from django.template.loader import render_to_string
    from django.test import Client, RequestFactory
    from django.utils import timezone, translation

    from ilp.accounts.access import evaluation_puskesmas
    from ilp.accounts.models import Role, User
    from ilp.evaluation import review
    from ilp.monitoring import pdf
    from ilp.people.models import Person

    translation.activate("id")
    today = timezone.localdate()
    if args.period:
        year, month = (int(p) for p in args.period.split("-"))
    else:
        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    reader = User.objects.filter(role=Role.DINKES_ADMIN, area__isnull=False).first()
    if reader is None:
        sys.exit("no dinkes user with an area in this database")
    facilities = list(evaluation_puskesmas(reader).prefetch_related("service_areas"))
    by_desa = dict(
        Person.objects.values("village")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("village", "n")
    )
    largest = max(
        facilities, key=lambda f: sum(by_desa.get(a.pk, 0) for a in f.service_areas.all())
    )
    ensure_coaching(reader, facilities)
    print(
        f"district: {Person.objects.count()} persons, {len(facilities)} puskesmas; period "
        f"{year}-{month:02d}; puskesmas {largest.code} {largest.name} "
        f"({sum(by_desa.get(a.pk, 0) for a in largest.service_areas.all())} residents)"
    )
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(reader)
    period = f"{year:04d}-{month:02d}"

    def page(url: str, label: str, aim: float) -> None:
        ms = Ms()
        for _i in range(args.repeat):
            with timed(ms):
                response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"{url}: HTTP {response.status_code}")
        report(label, ms, aim)

    page(
        f"/pembinaan/evaluasi/{largest.code}/?period={period}",
        "monthly evaluation, largest puskesmas: page",
        500,
    )
    request = RequestFactory().get("/", SERVER_NAME="127.0.0.1")
    request.user = reader
    html_ms, pdf_ms = Ms(), Ms()
    for _i in range(max(1, args.repeat // 2)):
        with timed(html_ms):
            evaluation = review.monthly_evaluation(
                reader, largest, year=year, month=month, language="id"
            )
            html = render_to_string(
                "evaluation/monthly.html",
                {
                    "ev": evaluation,
                    "pack": evaluation.pack,
                    "for_pdf": True,
                    "month_label": period,
                    "statuses": [],
                    "lokmin_url": f"/pws/lokmin/{largest.code}/?period={period}",
                },
                request=request,
            )
        with timed(pdf_ms):
            pdf.html_to_pdf(html)
    report("monthly evaluation: PDF HTML", html_ms, None)
    report("monthly evaluation: PDF (drawing)", pdf_ms, None)
    total = Ms()
    total.extend(h + p for h, p in zip(html_ms, pdf_ms, strict=True))
    report("monthly evaluation, largest puskesmas: PDF in all", total, 5000)
    page("/pembinaan/terbuka/", "open recommendations of the district: page", 500)


if __name__ == "__main__":
    main()
