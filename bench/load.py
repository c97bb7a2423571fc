"""Load: 50 logged-in users for 60 s against `ilp serve` (production settings, PostgreSQL).

Against the demo district in DATABASE_URL (default postgres://postgres@127.0.0.1:5432/ilp_bench,
generated with `ILP_DEMO=true ilp demo --population 5000`), the script creates bench users at
Puskesmas Ampenan — a kader per posyandu, a midwife per pustu, puskesmas staff — starts
`ilp serve` (its default configuration, or --workers/--threads) on a free port, logs each user
in through the login page, and then every user repeats, for --duration seconds:

    40 %  search by a name prefix          GET /penduduk/cari/?q=...
    25 %  a person's page                  GET /penduduk/<uuid>/
    15 %  a service form (child/adult)     GET /layanan/orang/<uuid>/<package>/
    20 %  the facility's work list         GET /layanan/kerja/<code>/

with --think seconds (uniform 0..2×think) between requests (0: back to back, the
saturation case). Users arrive as people do, each after its own first think time (uniform
0..2×think); --together starts all 50 in the same instant instead (a thundering herd on
freshly started workers: that burst alone held every request over 500 ms of a 60 s run).
Persons are drawn from each user's own working area. Prints requests/s,
p50/p95/p99 per kind and overall, and every error (any status but 200, or no answer).
Aim on a 2-core server: p95 < 500 ms, 0 errors.

    .venv/bin/python bench/load.py [--users 50] [--duration 60] [--think 5]
                                   [--url http://host:port]   # an already running server
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from _common import percentile  # bench/ is on sys.path when run

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ilp_bench"
PASSWORD = "bench-load-2026"  # noqa: S105 - synthetic bench users in a demo database
MIX = [("search", 40), ("person", 25), ("form", 15), ("worklist", 20)]
WARMING_S = 10.0  # the first seconds of the run, reported apart: workers' first requests


@dataclass
class BenchUser:
    username: str
    worklist_code: str
    persons: list[str]  # uuids in scope
    children: list[str]  # uuids of under-fives in scope (the child service form)
    prefixes: list[str]  # 3-letter name prefixes in scope


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    warming: list[float] = field(default_factory=list)  # requests begun in the first seconds
    lock: threading.Lock = field(default_factory=threading.Lock)
    server_cpu: float = 0.0


def prepare_users(count: int) -> list[BenchUser]:
    """Create (or reuse) the bench users and what each may open; `count` of them, by role."""
    import django

    django.setup()
    from datetime import date

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from ilp.accounts.access import person_scope_q
    from ilp.accounts.models import Cluster, Role, User
    from ilp.care.worklists import facilities_for_user
    from ilp.demo.logins import DEMO_PUSKESMAS
    from ilp.people.models import Person
    from ilp.places.models import Facility, FacilityKind

    puskesmas = Facility.objects.get(kind=FacilityKind.PUSKESMAS, name=DEMO_PUSKESMAS)
    pustus = list(Facility.objects.filter(kind=FacilityKind.PUSTU, parent=puskesmas))
    posyandus = list(Facility.objects.filter(kind=FacilityKind.POSYANDU, parent__in=pustus))
    password = make_password(PASSWORD)
    accounts: list[User] = []
    # Roughly a puskesmas morning: kader at posyandu, midwives at pustu, staff at the puskesmas.
    plan = [(Role.KADER, f) for f in posyandus] + [(Role.PUSTU, f) for f in pustus]
    plan += [(Role.PUSKESMAS, puskesmas)] * 5
    for i, (role, facility) in enumerate(plan):
        user, _ = User.objects.update_or_create(
            username=f"bench.{role}.{i:02d}",
            defaults={
                "role": role,
                "facility": facility,
                "cluster": Cluster.K2 if role == Role.PUSKESMAS else "",
                "password": password,
                "is_active": True,
            },
        )
        accounts.append(user)
    today = timezone.localdate()
    under_five = date(today.year - 5, today.month, 1)
    prepared = []
    for user in accounts:
        people = Person.objects.active().filter(person_scope_q(user))
        persons = [str(u) for u in people.order_by("?").values_list("uuid", flat=True)[:200]]
        children = [
            str(u)
            for u in people.filter(birth_date__gt=under_five)
            .order_by("?")
            .values_list("uuid", flat=True)[:100]
        ]
        names = people.values_list("full_name", flat=True)[:300]
        prefixes = sorted({n[:3] for n in names if len(n) >= 3})
        facility = facilities_for_user(user).order_by("kind", "code").first()
        if persons and children and prefixes and facility:
            prepared.append(BenchUser(user.username, facility.code, persons, children, prefixes))
    # Kader first (the many), then midwives and staff, cycled up to `count` sessions.
    by_role = sorted(prepared, key=lambda u: (not u.username.startswith("bench.kader"), u.username))
    return [by_role[i % len(by_role)] for i in range(count)]


class Session:
    """One logged-in browser: a kept-alive connection and its cookies (set by hand, since the
    production cookies are marked Secure and this talks plain http to the server)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(host, port, timeout=60)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Host": f"{self.host}:{self.port}", "Accept-Language": "id"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError):
                # A kept-alive connection the server closed (worker recycled) is retried once
                # on a new one; anything else is an error of this request.
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt == 2:
                    raise
        self.location = response.getheader("Location", "")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text

    def login(self, username: str) -> None:
        status, page = self.request("GET", "/masuk/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            raise RuntimeError(f"login page answered {status}")
        form = urlencode(
            {"csrfmiddlewaretoken": token[1], "username": username, "password": PASSWORD}
        )
        status, _ = self.request("POST", "/masuk/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username} answered {status}")


def run_user(
    session: Session,
    user: BenchUser,
    results: Results,
    start: float,
    stop: float,
    think: float,
    rng: random.Random,
    together: bool = False,
) -> None:
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    while time.monotonic() < start:
        time.sleep(0.01)
    if think and not together:
        time.sleep(rng.uniform(0, 2 * think))  # arrives after its own first think time
    while time.monotonic() < stop:
        kind = rng.choices(kinds, weights)[0]
        if kind == "search":
            path = "/penduduk/cari/?q=" + quote(rng.choice(user.prefixes))
        elif kind == "person":
            path = f"/penduduk/{rng.choice(user.persons)}/"
        elif kind == "form":
            path = f"/layanan/orang/{rng.choice(user.children)}/child/"
        else:
            path = f"/layanan/kerja/{quote(user.worklist_code)}/"
        began = time.monotonic()
        try:
            status, _ = session.request("GET", path)
            outcome = "" if status == 200 else f"{kind} {status} {session.location}".strip()
        except (http.client.HTTPException, OSError) as exc:
            outcome = f"{kind} {type(exc).__name__}"
        took = time.monotonic() - began
        with results.lock:
            if outcome:
                results.errors[outcome] += 1
            elif began < stop:
                results.times[kind].append(took)
                if began - start < WARMING_S:
                    results.warming.append(took)
        if think:
            time.sleep(rng.uniform(0, 2 * think))


def server_cpu_seconds(master: int) -> float:
    """CPU seconds (user + system) used so far by the gunicorn master's worker processes, from
    /proc (Linux); 0 where that is not readable. Workers recycled meanwhile are not counted."""
    total = 0
    ticks = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:  # field 4 of stat: the parent's pid
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(workers: int | None, threads: int | None) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {
        **os.environ,
        "ILP_DEMO": "false",  # production settings; plain http only for this local run
        "ILP_SSL_REDIRECT": "false",
        "ILP_SECRET_KEY": os.environ.get("ILP_SECRET_KEY", "bench-only-" + "k" * 40),
        "ILP_ALLOWED_HOSTS": "127.0.0.1",
    }
    argv = [sys.executable, "-m", "ilp.cli", "serve", "--bind", f"127.0.0.1:{port}"]
    if workers:
        argv += ["--workers", str(workers)]
    if threads:
        argv += ["--threads", str(threads)]
    log = open(Path(tempfile.gettempdir()) / f"ilp-load-{port}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, url
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"ilp serve stopped; see {log.name}") from None
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("ilp serve did not start within 120 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--think", type=float, default=5.0, help="mean seconds between clicks")
    parser.add_argument(
        "--together", action="store_true", help="every user starts at the same instant"
    )
    parser.add_argument("--url", help="a running server (else `ilp serve` is started)")
    parser.add_argument("--workers", type=int, help="ilp serve --workers (default: its own)")
    parser.add_argument("--threads", type=int, help="ilp serve --threads (default: its own)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilp.settings")
    os.environ.setdefault("ILP_SECRET_KEY", "bench-only-" + "k" * 40)
    users = prepare_users(args.users)
    server = None
    url = args.url
    if not url:
        server, url = start_server(args.workers, args.threads)
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        sessions = [Session(host, port) for _ in users]
        began = time.monotonic()
        login_threads = [
            threading.Thread(target=s.login, args=(u.username,))
            for s, u in zip(sessions, users, strict=True)
        ]
        for t in login_threads:
            t.start()
        for t in login_threads:
            t.join()
        missing = [u.username for s, u in zip(sessions, users, strict=True) if not s.cookies]
        if missing:
            raise SystemExit(f"not logged in: {missing}")
        print(f"{len(users)} users logged in ({time.monotonic() - began:.1f} s); {url}")
        results = Results()
        start = time.monotonic() + 0.5
        stop = start + args.duration
        rng = random.Random(args.seed)
        threads = [
            threading.Thread(
                target=run_user,
                args=(
                    s,
                    u,
                    results,
                    start,
                    stop,
                    args.think,
                    random.Random(rng.random()),
                    args.together,
                ),
            )
            for s, u in zip(sessions, users, strict=True)
        ]
        cpu_before = server_cpu_seconds(server.pid) if server else 0.0
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        results.server_cpu = (server_cpu_seconds(server.pid) - cpu_before) if server else 0.0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    report(results, args)


def report(results: Results, args: argparse.Namespace) -> None:
    every = [t for times in results.times.values() for t in times]
    errors = sum(results.errors.values())
    print(
        f"{args.users} users, {args.duration:.0f} s, think {args.think} s: "
        f"{len(every) / args.duration:.1f} requests/s, {len(every)} answered 200, {errors} errors"
    )
    print(f"{'kind':<10}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind, _ in [*MIX, ("all", 0)]:
        times = every if kind == "all" else results.times.get(kind, [])
        if times:
            p50, p95, p99 = (percentile(times, q) * 1000 for q in (50, 95, 99))
            print(f"{kind:<10}{len(times):>7}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}")
    if results.warming:
        p95 = percentile(results.warming, 95) * 1000
        print(
            f"of which begun in the first {WARMING_S:.0f} s: {len(results.warming)}, "
            f"p95 {p95:.0f} ms (workers' first requests)"
        )
    if results.server_cpu and every:
        per_request = results.server_cpu / len(every) * 1000
        print(
            f"server CPU: {results.server_cpu:.1f} s, {per_request:.0f} ms per request "
            f"(ILP's processes only, not PostgreSQL's)"
        )
    for outcome, n in results.errors.most_common():
        print(f"error: {outcome} × {n}")


if __name__ == "__main__":
    main()
