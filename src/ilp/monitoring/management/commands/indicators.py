"""``ilp indicators rebuild|sweep``: the indicator counts' maintenance.

- ``rebuild`` recomputes every indicator fact and count from the records: for rows loaded or
  repaired behind the services' back, or a changed catalogue.
- ``sweep`` refreshes the persons still marked pending (writes outside a request, a refresh
  after a response that failed) and fills a kept year not yet computed for everyone (on 1
  January, the new year); ``--loop SECONDS`` repeats it until stopped, the way to run it
  beside ``ilp serve`` (README, "Indicator counts: sweep and New Year"). See
  ``ilp.monitoring.refresh``.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from ilp.monitoring.refresh import indicators_sweep
from ilp.monitoring.services import indicators_rebuild


class Command(BaseCommand):
    help = (
        "Indicator counts: `rebuild` recomputes every fact and count from the records; "
        "`sweep` refreshes the persons still pending and fills a new year."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "sweep"], help="what to do")
        parser.add_argument(
            "--loop",
            type=float,
            default=0,
            metavar="SECONDS",
            help="sweep: repeat every SECONDS until stopped (default: one pass)",
        )

    def handle(self, *args: Any, action: str, loop: float, **options: Any) -> None:
        if action == "rebuild":
            started = time.perf_counter()
            n = indicators_rebuild()
            took = time.perf_counter() - started
            self.stdout.write(f"{n} indicator facts recomputed in {took:.1f} s")
            return
        if loop < 0:
            raise CommandError("--loop must be 0 (one pass) or a number of seconds")
        while True:
            self._sweep_once(quiet=loop > 0)
            if not loop:
                return
            # A long-running loop: drop a connection the server closed or that is too old.
            close_old_connections()
            time.sleep(loop)

    def _sweep_once(self, *, quiet: bool) -> None:
        started = time.perf_counter()
        done = indicators_sweep()
        took = time.perf_counter() - started
        for year in done.years_filled:
            self.stdout.write(f"year {year} filled for everyone")
        if done.persons or done.years_filled or not quiet:
            self.stdout.write(
                f"{done.persons} pending persons refreshed, {done.facts_written} facts of "
                f"new years written in {took:.1f} s"
            )
            self.stdout.flush()
