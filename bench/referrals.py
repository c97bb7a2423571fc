"""Benchmark: referrals on the 500,000-resident demo district with a year of generated
referrals, on PostgreSQL (issue #12, "Performance").

Needs DATABASE_URL naming a migrated database holding the demo district and its service
history (``bench/care.py``). When it has no referrals yet, the demo's year of referrals is
generated first and timed (``ilp.demo.referrals.generate_referrals``, aim < 60 s; the
puskesmas staff logins of the demo, which act for their facilities, are ensured first as
``ilp demo`` does). Then prints p50/p95 wall-clock milliseconds (with this process' CPU and
the query count) and the load average for:

- the incoming list of the busiest hospital (most referrals waiting for it) as its staff:
  ``ilp.referrals.selectors.incoming`` (its first page and the counts) and the pages
  ``/rujukan/masuk/`` and its last page through the test client (routing, middleware,
  session, audit row, rendering): aim < 300 ms;
- the open list of the busiest puskesmas (most open referrals sent) as its staff:
  ``outgoing_open`` and the pages ``/rujukan/`` (first and last): aim < 300 ms;

"Now" for the overdue counts of the selectors is the last referral decision (a district
generated earlier is measured as of its last day).
- creating a referral from an alert (a KSPR screening's K1 encounter at that puskesmas, to
  the hospital): ``referral_create`` and the page POST ``/rujukan/baru/?encounter=…``, each
  in a transaction rolled back afterwards (nothing of the timing runs is kept): aim < 100 ms.

    .venv/bin/python bench/referrals.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import time

from _common import setup_django  # bench/ is on sys.path when run
from monitoring import Ms, report, timed


class _Rollback(Exception):
    pass


def ensure_referrals() -> None:
    from ilp.demo.logins import coaching_login_specs, ensure_demo_logins
    from ilp.demo.referrals import generate_referrals, referrals_exist
    from ilp.referrals.models import Referral, ReferralEvent

    if referrals_exist():
        print(f"referrals present: {Referral.objects.count()} reused")
        return
    ensure_demo_logins(coaching_login_specs())
    t = time.perf_counter()
    s = generate_referrals(progress=lambda m: print(f"  {m}", flush=True))
    took = time.perf_counter() - t
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(s.by_kind.items()))
    states = ", ".join(f"{n} {k}" for k, n in sorted(s.by_state.items()))
    print(
        f"referrals: {s.start}..{s.end}: {s.referrals} ({kinds}; {states}; {s.overdue} overdue), "
        f"{ReferralEvent.objects.count()} events in {took:.1f} s "
        f"(aim 60 s: {'ok' if took < 60 else 'ABOVE AIM'})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup_django()
    from django.db import transaction
    from django.db.models import Count, Q
    from django.test import Client
    from django.urls import reverse

    from ilp.accounts.models import Role, User
    from ilp.care.models import Screening
    from ilp.people.models import Person
    from ilp.places.models import Facility, FacilityKind
    from ilp.referrals import selectors, services
    from ilp.referrals.models import Referral
    from ilp.standards import referral as rules

    print(f"district: {Person.objects.count()} persons")
    ensure_referrals()

    waiting = Q(referrals_received__state__in=sorted(rules.AWAITING_RECEIVER))
    hospital = (
        Facility.objects.filter(kind=FacilityKind.HOSPITAL)
        .annotate(n=Count("referrals_received", filter=waiting))
        .order_by("-n")
        .first()
    )
    staff = User.objects.get(
        pk=User.objects.filter(role=Role.HOSPITAL, facility=hospital).first().pk
    )
    received = Referral.objects.filter(to_facility=hospital).count()
    print(f"busiest hospital: {hospital} ({hospital.n} waiting of {received} received in the year)")
    open_sent = Q(referrals_sent__state__in=list(selectors.OPEN_STATES))
    puskesmas = (
        Facility.objects.filter(kind=FacilityKind.PUSKESMAS)
        .annotate(n=Count("referrals_sent", filter=open_sent))
        .order_by("-n")
        .first()
    )
    pkm_user = User.objects.filter(role=Role.PUSKESMAS, facility=puskesmas).order_by("pk").first()
    print(f"busiest puskesmas: {puskesmas} ({puskesmas.n} open referrals sent)")

    # "Today" is the day of the last referral decision (as bench/referral_delays.py): the
    # overdue counts of a district generated earlier are those of its last day.
    now = Referral.objects.order_by("-decided_at").values_list("decided_at", flat=True).first()
    client = Client(HTTP_HOST="127.0.0.1")
    for label, user, read, url in (
        ("incoming, busiest hospital", staff, selectors.incoming, reverse("referrals:incoming")),
        (
            "open sent, busiest puskesmas",
            pkm_user,
            selectors.outgoing_open,
            reverse("referrals:index"),
        ),
    ):
        listed = read(user, now=now)  # warm
        ms = Ms()
        for _ in range(args.repeat):
            with timed(ms):
                listed = read(user, now=now)
        rows = f"{len(listed.rows)} rows of {listed.total}, {listed.overdue} overdue"
        report(f"{label}: selector, first page ({rows})", ms, 300)
        client.force_login(user)
        # the first page and the last (each 50 rows at most; the counts over all of them)
        for page_url in (url, f"{url}?page={listed.at.pages}"):
            assert client.get(page_url).status_code == 200  # noqa: S101 - warm, and it works
            ms = Ms()
            for _ in range(args.repeat):
                with timed(ms):
                    response = client.get(page_url)
                assert response.status_code == 200  # noqa: S101
            report(f"{label}: page {page_url} ({len(response.content) // 1024} KB)", ms, 300)

    # create from an alert: a KSPR screening's K1 encounter at the puskesmas
    encounters = list(
        Screening.objects.filter(
            instrument="kspr",
            result_code__in=("krt", "krst"),
            encounter__facility=puskesmas,
            person__deceased_on__isnull=True,
        )
        .select_related("encounter__person")
        .order_by("-date")[: args.repeat + 1]
    )
    if not encounters:
        print("no KSPR screening at the puskesmas: referral_create not timed")
        return
    client.force_login(pkm_user)
    ms_service, ms_page = Ms(), Ms()
    for i, screening in enumerate(encounters):
        encounter = screening.encounter
        try:
            with transaction.atomic():
                with timed(ms_service):
                    services.referral_create(
                        user=pkm_user,
                        person=encounter.person,
                        from_facility=puskesmas,
                        to_facility=hospital,
                        kind="planned",
                        reason="KSPR risiko tinggi",
                        diagnosis_code="Z35.8",
                        encounter=encounter,
                    )
                raise _Rollback
        except _Rollback:
            pass
        url = reverse("referrals:new") + f"?encounter={encounter.uuid}"
        data = {
            "from_facility": puskesmas.pk,
            "to_facility": hospital.pk,
            "kind": "planned",
            "reason": "KSPR risiko tinggi",
            "diagnosis_code": "Z35.8",
        }
        try:
            with transaction.atomic():
                with timed(ms_page):
                    response = client.post(url, data)
                assert response.status_code == 302, response.status_code  # noqa: S101
                raise _Rollback
        except _Rollback:
            pass
        if i == 0:  # the first of each warms caches (ICD-10 list, templates)
            ms_service.clear(), ms_service.cpu.clear(), ms_service.queries.clear()
            ms_page.clear(), ms_page.cpu.clear(), ms_page.queries.clear()
    report("referral_create from an alert: service", ms_service, 100)
    report("referral_create from an alert: page POST", ms_page, 100)


if __name__ == "__main__":
    main()
