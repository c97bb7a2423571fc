"""``ilp care_summary``: recompute the work lists' per-person summaries from the records.

The care services keep the summaries current as they store records. Rows loaded or corrected
behind their back (a bulk import, a database repair) must be followed by this command, or by
``summaries_refresh`` for the persons concerned: a summary does not know of a record dated
on or before its basis that it never saw. (Persons with no summary at all are simply read
from their records, only more slowly.)
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
