"""A burst of concurrent registrations against a running ILP server (``ilp serve``).

`setup` (run with the server's DATABASE_URL, migrated) creates a small area tree, a posyandu,
its kader and an API token for her, and prints the token and the RT code. `run` then sends
USERS threads × EACH registrations of a family (POST /api/v1/families, each with its own
client id, name and birth date) at once, and prints how many answered 201 and what else came
back. tests/core/test_concurrent_writes.py runs both against SQLite and PostgreSQL.

    DATABASE_URL=... ILP_SECRET_KEY=... python bench/burst.py setup
    python bench/burst.py run --url http://127.0.0.1:8000 --token ilp_... --area 52.99.01...
"""

from __future__ import annotations

import argparse
import json
import random
import string
import threading
import urllib.error
import urllib.request
import uuid
from collections import Counter
from datetime import date, timedelta

RT_CODE = "52.99.01.1001.01.001"


def setup() -> tuple[str, str]:
    """Create the burst's kader and her token in the configured database; (token, RT code)."""
    import django

    django.setup()
    from django.utils import timezone

    from ilp.accounts.models import Role, User
    from ilp.accounts.tokens import token_issue
    from ilp.places.models import Area, AreaLevel, Facility

    parent = None
    codes = RT_CODE.split(".")
    levels = [
        AreaLevel.PROVINCE,
        AreaLevel.REGENCY,
        AreaLevel.DISTRICT,
        AreaLevel.VILLAGE,
        AreaLevel.HAMLET,
        AreaLevel.RT,
    ]
    for depth, level in enumerate(levels, start=1):
        code = ".".join(codes[:depth])
        parent, _ = Area.objects.get_or_create(
            code=code, defaults={"name": f"Uji {code}", "level": level, "parent": parent}
        )
    hamlet = parent.parent
    posyandu, _ = Facility.objects.get_or_create(
        code="POS-BURST", defaults={"kind": "posyandu", "name": "Posyandu Uji", "area": hamlet}
    )
    posyandu.service_areas.set([hamlet])
    admin, _ = User.objects.get_or_create(
        username="burst_admin", defaults={"role": Role.DINKES_ADMIN, "is_staff": True}
    )
    kader, _ = User.objects.get_or_create(
        username="burst_kader", defaults={"role": Role.KADER, "facility": posyandu}
    )
    _token, raw = token_issue(
        user=kader,
        name=f"burst {uuid.uuid4().hex[:8]}",
        expires_at=timezone.now() + timedelta(days=1),
        rate_per_minute=10_000,
        by=admin,
        ip=None,
    )
    return raw, RT_CODE


def _family(area_code: str, n: int) -> dict:
    # Names of random letters: the duplicate check (same birth date and desa, similar name)
    # must not take one registration for another, also across runs on one database.
    name = "".join(random.choice(string.ascii_lowercase) for _ in range(10)).title()
    birth = date(1950, 1, 1) + timedelta(days=n)
    return {
        "client_id": str(uuid.uuid4()),
        "address": f"Jl. Uji {n}",
        "area_code": area_code,
        "members": [
            {
                "full_name": f"Warga {name}",
                "sex": "M" if n % 2 else "F",
                "birth_date": birth.isoformat(),
                "relationship": "head",
            }
        ],
    }


def burst(url: str, token: str, area_code: str, users: int = 20, each: int = 3) -> Counter:
    """Send `users` × `each` registrations from `users` threads released at the same moment;
    a Counter of the answers' status codes (and "error: ..." for failed connections)."""
    results: Counter = Counter()
    lock = threading.Lock()
    start = threading.Barrier(users)

    def user(i: int) -> None:
        start.wait()
        for k in range(each):
            body = json.dumps(_family(area_code, i * each + k)).encode()
            request = urllib.request.Request(  # noqa: S310 - the URL is the test's own server
                url.rstrip("/") + "/api/v1/families",
                data=body,
                method="POST",
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            try:
                with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                    outcome: int | str = response.status
            except urllib.error.HTTPError as exc:
                outcome = exc.code
            except OSError as exc:
                outcome = f"error: {exc}"
            with lock:
                results[outcome] += 1

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup", help="create the kader and token; prints TOKEN AREA")
    run = sub.add_parser("run", help="send the burst; prints the answers")
    run.add_argument("--url", default="http://127.0.0.1:8000")
    run.add_argument("--token", required=True)
    run.add_argument("--area", default=RT_CODE)
    run.add_argument("--users", type=int, default=20)
    run.add_argument("--each", type=int, default=3)
    args = parser.parse_args()
    if args.command == "setup":
        token, area = setup()
        print(token, area)
    else:
        results = burst(args.url, args.token, args.area, args.users, args.each)
        print(json.dumps({str(k): v for k, v in results.items()}))


if __name__ == "__main__":
    main()
