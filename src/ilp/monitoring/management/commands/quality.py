"""``ilp quality rebuild``: recompute every desa's kept resident counts of the data-quality
scorecard (``ilp.monitoring.residents``).

Triggers keep the counts current on every write of a person, so this is only needed after
a load or restore that ran with triggers disabled; a read recomputes an out-of-date desa
anyway.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ilp.monitoring.residents import residents_rebuild


class Command(BaseCommand):
    help = "Data quality: `rebuild` recomputes every desa's kept resident counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild"], help="what to do")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        n = residents_rebuild()
        took = time.perf_counter() - started
        self.stdout.write(f"resident counts of {n} desa recomputed in {took:.1f} s")
