"""`ilp backup`: a consistent copy of the database into a folder, keeping the newest N.

ilp backup                          # into ./backups, keep the newest 14
ilp backup --dir /var/backups/ilp --keep 30
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ilp.core.backup import BackupError, make_backup, prune


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite: online backup API; PostgreSQL: pg_dump custom format) "
        "into --dir and delete all but the newest --keep backups there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir", default="backups", help="folder of the backups (default ./backups)"
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=14,
            help="how many backups to keep in the folder, newest first (default 14; 0 keeps all)",
        )

    def handle(self, *args, dir: str, keep: int, **options) -> None:
        if keep < 0:
            raise CommandError("--keep must be 0 (keep all) or more.")
        folder = Path(dir)
        try:
            path = make_backup(folder)
            removed = prune(folder, keep) if keep else []
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{path} ({path.stat().st_size:,} bytes)")
        for old in removed:
            self.stdout.write(f"removed {old}")
