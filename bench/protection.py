"""Benchmark: KtP/A protection cases on the 500,000-resident demo district, on PostgreSQL
(issue 13, "Performance").

Needs DATABASE_URL naming a migrated database holding the demo district, best with its
service history (``bench/care.py``: the work lists need it). Steps:

1. **Without cases**: removes the cases this script generated before (number ``BENCH-…``),
   then times person search (``ilp.people.selectors.person_search`` by NIK and by name prefix,
   as the dinkes administrator and a puskesmas worker, as ``bench/registry.py``) and the work
   lists (``compute_worklist`` of posyandu and of every puskesmas, as ``bench/care.py``).
2. **Generates** a year of cases ending now (``--cases``, default 3,000: several times the
   reported caseload of a city of 500,000, to stress the pages) across the puskesmas,
   weighted by their population: a victim from the puskesmas' working area (a woman or a
   child of the registry), an alleged perpetrator for half of them, the timed steps (arrival,
   first contact, examination, treatment, counselling, visum, referral, closing, with
   realistic delays and some still waiting), the officer in the circle, and referrals to four
   partner organisations (LPA, UPTD PPA, police, hospital), some referred in by a partner.
   Bulk inserts, timed. Partners and their staff logins are named ``Bench …`` / ``bench.ppa.…``.
3. **With cases**: times, as real requests through the test client (routing, middleware,
   session, audit row, rendering): the case page ``/perlindungan/kasus/<uuid>/`` of random
   cases as their officer (aim < 200 ms), the partner's case list ``/perlindungan/`` (first
   and last page) as the staff of the partner with most cases (aim < 200 ms), the Dinkes report
   ``/perlindungan/laporan/`` (twelve months) and its CSV; then person search and the work
   lists again, and prints each against step 1 (aim: no more than 10 % slower). Search and
   work lists are timed without, with, with and without cases (after an untimed warm-up
   pass), each side pooled: a drift of the shared machine's load weighs on both alike.

Prints p50/p95 wall-clock milliseconds (with this process' CPU and the query count) and the
load average. ``--clean`` removes the generated cases, partners and logins and stops; without
it the cases stay for a re-run with ``--reuse`` (skips steps 1 and 2).

    .venv/bin/python bench/protection.py [--cases 3000] [--repeat 30] [--no-shared]
                                         [--reuse]   # only the protection pages, cases kept
                                         [--clean]   # remove the bench cases and stop
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import timedelta
from typing import Any

from _common import percentile, setup_django  # bench/ is on sys.path when run
from monitoring import Ms, report, timed

PREFIX = "BENCH-"
PARTNERS = (
    ("Bench LPA Kota Mataram", "lpa", 0.40),
    ("Bench UPTD PPA Kota Mataram", "uptd_ppa", 0.30),
    ("Bench Unit PPA Polresta", "police", 0.20),
    ("Bench RSUD rujukan KtP/A", "hospital", 0.10),
)
KINDS = {"physical": 35, "psychological": 25, "sexual": 25, "neglect": 10, "exploitation": 5}
ROUTES = {"walk_in": 35, "screening": 15, "partner": 20, "police": 10, "school": 5, "family": 15}


def clean() -> int:
    """Remove what this script generated (cases ``BENCH-…`` with their rows, its partners and
    partner logins); the audit rows of the timed reads stay (the log is append-only)."""
    from django.db import transaction

    from ilp.accounts.models import User
    from ilp.protection import models as pm

    cases = pm.Case.objects.filter(number__startswith=PREFIX)
    with transaction.atomic():
        n = cases.count()
        for model in (pm.CaseStep, pm.CaseParty, pm.CaseAssignment, pm.CaseReferral, pm.BreakGlass):
            model.objects.filter(case__in=cases).delete()
        pm.Case.history.filter(number__startswith=PREFIX).delete()
        cases.delete()
        partners = pm.Partner.objects.filter(name__startswith="Bench ")
        members = pm.PartnerMember.objects.filter(partner__in=partners)
        users = list(members.values_list("user_id", flat=True))
        members.delete()
        partners.delete()
        User.objects.filter(pk__in=users, username__startswith="bench.ppa.").delete()
    return n


def _weighted(rnd: random.Random, weights: dict[str, float]) -> str:
    return rnd.choices(list(weights), weights=list(weights.values()))[0]


def _minutes(rnd: random.Random, median: float, spread: float = 0.8) -> timedelta:
    """A log-normal delay around `median` minutes (most near it, a long tail)."""
    return timedelta(minutes=max(1.0, rnd.lognormvariate(0, spread) * median))


def generate(n_cases: int, seed: int) -> dict[str, Any]:
    """Bulk-insert `n_cases` cases over the year ending now (see the module docstring)."""
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    from ilp.accounts.models import Role, User
    from ilp.demo.logins import coaching_login_specs, ensure_demo_logins
    from ilp.people.models import Person
    from ilp.places.models import Area, Facility, FacilityKind
    from ilp.protection.models import (
        Case,
        CaseAssignment,
        CaseParty,
        CaseReferral,
        CaseStep,
        Partner,
        PartnerMember,
    )
    from ilp.standards.working_days import add_working_days

    rnd = random.Random(seed)
    ensure_demo_logins(coaching_login_specs())  # a staff login at every puskesmas
    city = Area.objects.get(code="52.71")
    partners = []
    for name, kind, weight in PARTNERS:
        partner, _ = Partner.objects.get_or_create(name=name, area=city, defaults={"kind": kind})
        user, _ = User.objects.get_or_create(
            username=f"bench.ppa.{kind}", defaults={"role": Role.PROTECTION, "area": city}
        )
        PartnerMember.objects.get_or_create(user=user, defaults={"partner": partner})
        partners.append((partner, weight))
    puskesmas = list(
        Facility.objects.filter(kind=FacilityKind.PUSKESMAS)
        .annotate(villages=Count("service_areas"))
        .order_by("code")
    )
    officers = {}
    victims: dict[int, list[int]] = {}
    perpetrators: dict[int, list[int]] = {}
    weights = []
    child_born = timezone.localdate() - timedelta(days=18 * 365)
    for f in puskesmas:
        officers[f.pk] = (
            User.objects.filter(role=Role.PUSKESMAS, facility=f, is_active=True)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        people = Person.objects.filter(
            village__in=f.service_areas.all(), deceased_on__isnull=True
        ).order_by()
        victims[f.pk] = list(people.filter(sex="F").values_list("pk", flat=True)[:1500]) + list(
            people.filter(birth_date__gt=child_born).values_list("pk", flat=True)[:1500]
        )
        perpetrators[f.pk] = list(
            people.filter(sex="M", birth_date__lte=child_born).values_list("pk", flat=True)[:500]
        )
        weights.append(people.count())
    now = timezone.now()
    start = now - timedelta(days=365)
    t = time.perf_counter()
    cases: list[Case] = []
    plans: list[dict[str, Any]] = []
    for i in range(n_cases):
        f = rnd.choices(puskesmas, weights=weights)[0]
        arrived = start + timedelta(seconds=rnd.uniform(0, 365 * 86400))
        route = _weighted(rnd, ROUTES)
        referred_by = (
            rnd.choices([p for p, _ in partners], weights=[w for _, w in partners])[0]
            if route == "partner"
            else None
        )
        age = now - arrived
        # A partner's referral not yet taken stays without officer for a while.
        taken = officers[f.pk] is not None and (referred_by is None or age > timedelta(hours=6))
        closed = age > timedelta(days=30) and rnd.random() < 0.8
        case = Case(
            number=f"{PREFIX}{i + 1:06d}",
            facility=f,
            officer_id=officers[f.pk] if taken else None,
            state="closed" if closed else "in_care" if taken else "open",
            urgent=referred_by is not None or rnd.random() < 0.3,
            arrival_route=route,
            referred_by=referred_by,
            kinds=sorted({_weighted(rnd, KINDS) for _ in range(rnd.choice((1, 1, 2)))}),
            occurred_on=(arrived - timedelta(days=rnd.randint(0, 20))).date(),
            occurred_place=rnd.choice(["home", "home", "school", "public", "online", "unknown"]),
            summary="Kasus sintetis untuk uji kinerja.",
            clinical_notes="Catatan klinis sintetis." if taken else "",
            partner_may_read_clinical=rnd.random() < 0.3,
            arrived_at=arrived,
            retain_until=arrived.date().replace(year=arrived.year + 18, day=1),
            created_by_id=officers[f.pk],
        )
        cases.append(case)
        plans.append({"age": age, "taken": taken, "closed": closed, "facility": f.pk})
    with transaction.atomic():
        Case.objects.bulk_create(cases, batch_size=1000)
        steps, parties, circle, referrals = [], [], [], []
        for case, plan in zip(cases, plans, strict=True):
            arrived, by = case.arrived_at, case.officer_id
            steps.append(CaseStep(case=case, step="arrival", at=arrived, created_by_id=by))
            deaf = rnd.random() < 0.05
            # a registry victim; half the cases an alleged perpetrator, half of them known
            for role, pool, alias in (
                ("victim", victims[plan["facility"]], "Korban"),
                ("perpetrator", perpetrators[plan["facility"]], "Terduga pelaku"),
            ):
                if role == "perpetrator" and rnd.random() < 0.5:
                    continue
                known = bool(pool) and (role == "victim" or rnd.random() < 0.5)
                parties.append(
                    CaseParty(
                        case=case,
                        role=role,
                        person_id=rnd.choice(pool) if known else None,
                        alias="" if known else alias,
                        disabilities=["hearing"] if deaf and role == "victim" else [],
                        accommodations=["sign_language"] if deaf and role == "victim" else [],
                    )
                )
            if not plan["taken"]:
                continue
            circle.append(CaseAssignment(case=case, user_id=by, created_by_id=by))
            limit = arrived + plan["age"]
            at = arrived + _minutes(rnd, 35)  # first contact: most within the hour
            timeline = [("first_contact", at)]
            if rnd.random() < 0.9:
                at = at + _minutes(rnd, 150, 1.0)  # examination: most the same day
                timeline.append(("examination", at))
            for step, chance, median in (
                ("treatment", 0.6, 60),
                ("counselling", 0.6, 60 * 24),
                ("visum_issued", 0.15, 60 * 48),
                ("referred", 0.45, 60 * 24),
            ):
                if rnd.random() < chance:
                    timeline.append((step, at + _minutes(rnd, median)))
            if plan["closed"]:
                timeline.append(("closed", max(t for _, t in timeline) + timedelta(days=7)))
            for step, when in timeline:
                if when <= limit:
                    steps.append(CaseStep(case=case, step=step, at=when, created_by_id=by))
                    if step == "referred":
                        for partner in rnd.sample(partners, rnd.choice((1, 1, 2))):
                            ack = rnd.random() < 0.85
                            referrals.append(
                                CaseReferral(
                                    case=case,
                                    partner=partner[0],
                                    aim=rnd.choice(["social", "legal", "medical"]),
                                    state="followed_up"
                                    if plan["closed"]
                                    else "acknowledged"
                                    if ack
                                    else "sent",
                                    sent_at=when,
                                    follow_up_due=add_working_days(when.date(), 3),
                                    acknowledged_at=when + timedelta(hours=5) if ack else None,
                                    created_by_id=by,
                                )
                            )
        CaseStep.objects.bulk_create(steps, batch_size=2000)
        CaseParty.objects.bulk_create(parties, batch_size=2000)
        CaseAssignment.objects.bulk_create(circle, batch_size=2000)
        CaseReferral.objects.bulk_create(referrals, batch_size=2000)
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would give them
        for model in (Case, CaseStep, CaseParty, CaseAssignment, CaseReferral):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return {
        "cases": len(cases),
        "steps": len(steps),
        "parties": len(parties),
        "referrals": len(referrals),
        "seconds": time.perf_counter() - t,
        "puskesmas": len(puskesmas),
    }


def measure_shared(label: str, repeat: int, seed: int, quiet: bool = False) -> dict[str, Ms]:
    """Person search and the work lists (as bench/registry.py and bench/care.py)."""
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone

    from ilp.accounts.models import Role, User
    from ilp.care.models import Encounter
    from ilp.care.worklists import compute_worklist
    from ilp.people.selectors import person_search
    from ilp.places.models import Facility, FacilityKind

    rnd = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nik, name_key FROM people_person TABLESAMPLE SYSTEM (1) REPEATABLE (7)"
        )
        sample = cursor.fetchall()
    niks = [nik for nik, _ in sample if nik]
    prefixes = [key[: rnd.randint(3, 5)] for _, key in sample if key]
    found: dict[str, Ms] = {}
    users = [
        User.objects.select_related("area").get(username="dinkes"),
        User.objects.filter(role=Role.PUSKESMAS, is_active=True)
        .select_related("facility", "area")
        .order_by("pk")
        .first(),
    ]
    for user in users:
        for kind, pool in (("nik", niks), ("name", prefixes)):
            person_search(user, rnd.choice(pool))  # warm
            ms = found[f"person search by {kind}, {user.role}"] = Ms()
            for _ in range(repeat * 3):
                query = rnd.choice(pool)
                with timed(ms):
                    person_search(user, query)
    on = Encounter.objects.aggregate(last=Max("date"))["last"] or timezone.localdate()
    posyandu = list(Facility.objects.filter(kind=FacilityKind.POSYANDU).order_by("code"))
    sample_pos = random.Random(seed).sample(posyandu, min(repeat, len(posyandu)))
    compute_worklist(sample_pos[0], on=on)  # warm
    ms = found["work list, one posyandu"] = Ms()
    for f in sample_pos:
        with timed(ms):
            compute_worklist(f, on=on)
    ms = found["work list, one puskesmas"] = Ms()
    for f in Facility.objects.filter(kind=FacilityKind.PUSKESMAS).order_by("code"):
        with timed(ms):
            items = compute_worklist(f, on=on)
        del items
    if quiet:
        return found
    print(f"\n{label} (work lists on {on}):")
    for name, values in found.items():
        report(f"  {name}", values, None)
    return found


def measure_protection(repeat: int, seed: int) -> None:
    from django.db.models import Count, Q
    from django.test import Client

    from ilp.accounts.models import User
    from ilp.protection.models import Case, Partner, PartnerMember

    rnd = random.Random(seed)
    client = Client(HTTP_HOST="127.0.0.1")
    cases = list(
        Case.objects.filter(number__startswith=PREFIX, officer__isnull=False)
        .annotate(n=Count("steps"))
        .values_list("uuid", "officer_id", "n")
    )
    picked = rnd.sample(cases, min(repeat, len(cases)))
    officers = {u.pk: u for u in User.objects.filter(pk__in={o for _, o, _ in picked})}
    ms = Ms()
    warm = set()
    for case_uuid, officer_id, _n in picked:
        client.force_login(officers[officer_id])
        url = f"/perlindungan/kasus/{case_uuid}/"
        if officer_id not in warm:
            assert client.get(url).status_code == 200  # noqa: S101 - warm, and it works
            warm.add(officer_id)
        with timed(ms):
            response = client.get(url)
        assert response.status_code == 200  # noqa: S101
    steps = statistics.median(n for _, _, n in picked)
    report(f"case page, as its officer (median {steps:.0f} steps)", ms, 200)

    partner = (
        Partner.objects.filter(name__startswith="Bench ")
        .annotate(n=Count("case_referrals__case", distinct=True))
        .order_by("-n")
        .first()
    )
    member = PartnerMember.objects.select_related("user").get(partner=partner).user
    open_n = (
        Case.objects.filter(Q(referrals__partner=partner) | Q(referred_by=partner))
        .exclude(state="closed")
        .distinct()
        .count()
    )
    pages = max(1, -(-open_n // 50))
    dinkes = User.objects.get(username="dinkes")
    for user, url, label, aim in (
        (member, "/perlindungan/", f"partner list ({partner.n} cases, {open_n} open)", 200),
        (member, f"/perlindungan/?page={pages}", "partner list, last page", 200),
        (member, "/perlindungan/?status=ditutup", "partner list, closed cases", 200),
        (dinkes, "/perlindungan/laporan/", "Dinkes report (12 months)", None),
        (dinkes, "/perlindungan/laporan/csv/", "Dinkes report CSV (12 months)", None),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 200  # noqa: S101 - warm, and it works
        ms = Ms()
        for _ in range(repeat):
            with timed(ms):
                response = client.get(url)
            assert response.status_code == 200  # noqa: S101
        report(f"{label} {url}", ms, aim)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse", action="store_true", help="keep existing bench cases")
    parser.add_argument("--clean", action="store_true", help="remove the bench cases and stop")
    parser.add_argument("--no-shared", action="store_true", help="skip search and work lists")
    args = parser.parse_args()
    setup_django()
    from ilp.people.models import Person
    from ilp.protection.models import Case

    print(f"district: {Person.objects.count()} persons")
    if args.clean:
        print(f"removed {clean()} bench cases")
        return
    existing = Case.objects.filter(number__startswith=PREFIX).count()
    if args.reuse and existing:
        print(f"reusing {existing} bench cases\n")
        measure_protection(args.repeat, args.seed)
        return
    # Without, with, with, without (ABBA, after a warm-up pass): a drift of the shared
    # machine's load weighs on both sides alike. The cases are generated again at the end.
    before: dict[str, Ms] = {}
    after: dict[str, Ms] = {}
    removed = clean()
    if removed:
        print(f"removed {removed} bench cases of an earlier run")
    shared = not args.no_shared
    if shared:
        measure_shared("warm-up", args.repeat, args.seed, quiet=True)
        _merge(before, measure_shared("without cases (A)", args.repeat, args.seed))
    _generate(args)
    measure_protection(args.repeat, args.seed)
    if shared:
        _merge(after, measure_shared("with cases (B)", args.repeat, args.seed))
        _merge(after, measure_shared("with cases (B)", args.repeat, args.seed))
        print(f"\nremoved {clean()} bench cases")
        _merge(before, measure_shared("without cases (A)", args.repeat, args.seed))
        _generate(args)
    if before:
        print("\nwith cases against without, both passes pooled (aim: at most +10 %):")
        for name, ms in after.items():
            old = before[name]
            p50, p95 = statistics.median(ms), percentile(ms, 95)
            print(
                f"  {name:<36} without p50 {statistics.median(old):7.1f} p95 "
                f"{percentile(old, 95):7.1f} ms; with p50 {p50:7.1f} p95 {p95:7.1f} ms "
                f"({p50 / statistics.median(old) - 1:+.1%}, {p95 / percentile(old, 95) - 1:+.1%})"
            )


def _generate(args: argparse.Namespace) -> None:
    from ilp.protection.models import Case

    s = generate(args.cases, args.seed)
    print(
        f"\ngenerated {s['cases']} cases at {s['puskesmas']} puskesmas over the year: "
        f"{s['steps']} steps, {s['parties']} parties, {s['referrals']} referrals "
        f"in {s['seconds']:.1f} s; cases in the database: {Case.objects.count()}\n"
    )


def _merge(into: dict[str, Ms], found: dict[str, Ms]) -> None:
    for name, ms in found.items():
        into.setdefault(name, Ms()).extend(ms)


if __name__ == "__main__":
    main()
