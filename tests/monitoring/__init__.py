"""Tests of the monitoring app: the indicator catalogue, kept-current counts, values API."""

from __future__ import annotations

from datetime import date

from ilp.standards.dates import add_months


def refresh_pending() -> int:
    """Run the refresh a request runs after its response (``ilp.monitoring.refresh``) for
    every person the services marked: tests that call services directly, outside a request,
    call it before reading counts. Returns how many persons were refreshed."""
    from ilp.monitoring.refresh import pending_refresh

    total = 0
    while n := pending_refresh():
        total += n
    return total


def idl_doses(birth: date, mr1: date | None) -> list[tuple[str, date]]:
    """The classic IDL set on schedule (HB0 at birth … DPT-HB-Hib 3, OPV4, IPV1 at 4 months),
    MR1 on `mr1` (left out when None)."""
    doses = [
        ("HB0", birth),
        ("BCG", add_months(birth, 1)),
        ("OPV1", add_months(birth, 1)),
        ("DPT-HB-Hib 1", add_months(birth, 2)),
        ("OPV2", add_months(birth, 2)),
        ("DPT-HB-Hib 2", add_months(birth, 3)),
        ("OPV3", add_months(birth, 3)),
        ("DPT-HB-Hib 3", add_months(birth, 4)),
        ("OPV4", add_months(birth, 4)),
        ("IPV1", add_months(birth, 4)),
    ]
    if mr1 is not None:
        doses.append(("MR1", mr1))
    return doses
