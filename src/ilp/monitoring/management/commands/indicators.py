"""``ilp indicators rebuild``: recompute every indicator fact and count from the records.

The services keep the counts current as records are written (``ilp.monitoring.services``);
rows loaded or repaired behind their back, or a changed catalogue, need this command. It
also recomputes the kept years when a new year begins (the counts cover the previous and
the current year).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ilp.monitoring.services import indicators_rebuild


class Command(BaseCommand):
    help = "Indicator counts: `rebuild` recomputes every fact and count from the records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild"], help="what to do")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        n = indicators_rebuild()
        took = time.perf_counter() - started
        self.stdout.write(f"{n} indicator facts recomputed in {took:.1f} s")
