"""`ilp reseal_attachments`: seal every stored attachment again under the current key — the
middle step of a key rotation (``ilp.core.sealed``):

1. ILP_ATTACHMENT_KEY=<new>,<old>   (restart: the new key seals, both open)
2. ilp reseal_attachments            (every file moves to the new key; voided ones too)
3. ILP_ATTACHMENT_KEY=<new>          (restart: the old key is gone)

Files already under the current key are left alone, so it may be run again after an
interruption. A file no configured key opens is counted and named by its uuid, and the
command fails: keep the old key until that is solved.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ilp.core import sealed
from ilp.protection.models import Attachment


class Command(BaseCommand):
    help = "Seal every protection attachment again under the first ILP_ATTACHMENT_KEY."

    def handle(self, *args: Any, **options: Any) -> None:
        moved = current = 0
        unreadable: list[str] = []
        for pk in Attachment.objects.order_by("pk").values_list("pk", flat=True).iterator():
            with transaction.atomic():
                row = Attachment.objects.select_for_update().only("uuid", "sealed").get(pk=pk)
                if sealed.is_current(row.sealed):
                    current += 1
                    continue
                try:
                    resealed = sealed.reseal(row.sealed)
                except sealed.Unsealable:
                    unreadable.append(str(row.uuid))
                    continue
                Attachment.objects.filter(pk=pk).update(sealed=resealed)
                moved += 1
        self.stdout.write(
            f"{moved} attachment(s) sealed again under the current key, {current} already were."
        )
        if unreadable:
            raise CommandError(
                f"{len(unreadable)} attachment(s) no configured key opens: " + ", ".join(unreadable)
            )
