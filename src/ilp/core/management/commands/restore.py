"""`ilp restore FILE`: replace the database's content with a backup made by `ilp backup`.

Stop the server first. Without --yes the command asks before overwriting.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ilp.core.backup import BackupError, database_name, restore_backup


class Command(BaseCommand):
    help = "Restore the database from a backup file of `ilp backup` (stop the server first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="an ilp-*.sqlite3 or ilp-*.pgdump file")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask before replacing the database"
        )

    def handle(self, *args, file: str, yes: bool, **options) -> None:
        path = Path(file)
        name = database_name()
        if not yes:
            answer = input(f"Replace everything in database {name} with {path.name}? [y/N] ")
            if answer.strip().lower() not in {"y", "yes", "ya"}:
                raise CommandError("Nothing restored.")
        try:
            restore_backup(path)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {name} from {path}")
