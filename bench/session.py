"""Benchmark: one posyandu session on the 500,000-resident demo district (PostgreSQL), timed
as the server answers the kader's phone — full requests through Django (middleware, view,
service, template), not the service alone:

- the session page (balita and adult cards, audited once),
- one balita row saved (htmx, ``session_row``),
- one adult row saved (htmx, ``session_adult``: blood pressure, weight, smoking),
- closing the session (absent balita → home-visit tasks).

Aim (issue 8): one session row < 50 ms server time, with adults on the session screen.
Needs a database where ``bench/care.py`` has generated the district and its history.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/session.py \
        [--rows 60]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

from _common import percentile  # bench/ is on sys.path when run


def report(label: str, ms: list[float], aim: float | None) -> None:
    p50, p95 = statistics.median(ms), percentile(ms, 95)
    verdict = "" if aim is None else f"(aim {aim:g} ms: {'ok' if p95 < aim else 'ABOVE AIM'})"
    print(f"{label:<36} n={len(ms):<4} p50 {p50:8.1f} ms  p95 {p95:8.1f} ms  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60, help="balita and adult rows to time")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        sys.exit("Set DATABASE_URL to the benchmark database (see bench/care.py).")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilp.settings")
    os.environ.setdefault("ILP_DEMO", "true")  # synthetic data on this machine
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from ilp.accounts.models import Role, User
    from ilp.care.models import PosyanduSession
    from ilp.care.services.sessions import session_expected

    call_command("migrate", verbosity=0)
    kader = (
        User.objects.filter(role=Role.KADER, facility__isnull=False)
        .select_related("facility")
        .first()
    )
    if kader is None:
        sys.exit("no kader login in the demo district")
    post = kader.facility
    today = timezone.localdate()
    session, _ = PosyanduSession.objects.get_or_create(
        posyandu=post, date=today, defaults={"opened_by": kader}
    )
    PosyanduSession.objects.filter(pk=session.pk).update(closed_at=None)
    session.refresh_from_db()
    expected = session_expected(session)
    balita = [p for p in expected if p.sasaran == "balita"][: args.rows]
    adults = [p for p in expected if p.sasaran in ("dewasa", "lansia")][: args.rows]
    print(
        f"{post.code}: {len(expected)} expected, timing {len(balita)} balita, {len(adults)} adults"
    )

    client = Client(SERVER_NAME="localhost")
    client.force_login(kader)
    day = today.isoformat()
    page_url = reverse("care:session", kwargs={"code": post.code, "on": day})

    def timed(method, url, data=None, **extra) -> float:
        t = time.perf_counter()
        response = getattr(client, method)(url, data or {}, **extra)
        took = (time.perf_counter() - t) * 1000
        if response.status_code not in (200, 302):
            print(f"  {url}: {response.status_code}")
        return took

    timed("get", page_url)  # warm caches
    report("session page", [timed("get", page_url) for _ in range(5)], None)
    rows = []
    for child in balita:
        months = (today - child.birth_date).days / 30.4
        data = {
            "client_id": str(uuid.uuid4()),
            "weight": f"{3.3 + 0.6 * min(months, 12) + 0.2 * max(months - 12, 0):.1f}",
            "height": f"{50 + 2.2 * min(months, 12) + 0.8 * max(months - 12, 0):.1f}",
            "measured": "lying" if months < 24 else "standing",
            "confirm_unusual": "on",
        }
        url = reverse(
            "care:session_row", kwargs={"code": post.code, "on": day, "person_uuid": child.uuid}
        )
        rows.append(timed("post", url, data, HTTP_HX_REQUEST="true"))
    if rows:
        report("balita row (htmx)", rows, 50)
    rows = []
    for i, adult in enumerate(adults):
        data = {
            "client_id": str(uuid.uuid4()),
            "weight": "62",
            "sbp": str(110 + i % 60),
            "dbp": str(70 + i % 30),
            "smoking": "false",
            "confirm_unusual": "on",
        }
        url = reverse(
            "care:session_adult", kwargs={"code": post.code, "on": day, "person_uuid": adult.uuid}
        )
        rows.append(timed("post", url, data, HTTP_HX_REQUEST="true"))
    if rows:
        report("adult row (htmx)", rows, 50)
    report("session page, filled", [timed("get", page_url) for _ in range(5)], None)
    close_url = reverse("care:session_close", kwargs={"code": post.code, "on": day})
    report("close", [timed("post", close_url)], None)


if __name__ == "__main__":
    main()
