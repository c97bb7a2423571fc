"""``ilp care_summary``: recompute the work lists' per-person summaries from the records.

The care services keep the summaries current as they store records; run this after rows were
loaded or corrected behind their back (a bulk import, a database repair). Work lists stay
correct without it (a missing or outdated summary is read from the records), only slower.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from ilp.care.services.summary import summaries_rebuild


class Command(BaseCommand):
    help = "Recompute every person's work-list summary (last weighing, screenings, dose windows)."

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        n = summaries_rebuild()
        took = time.perf_counter() - started
        self.stdout.write(f"{n} persons summarised in {took:.1f} s")
