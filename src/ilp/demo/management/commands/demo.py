"""`ilp demo`: generate the synthetic Kota Mataram district into the configured database."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ilp.demo.generate import (
    DEFAULT_POPULATION,
    DEFAULT_SEED,
    Summary,
    district_exists,
    generate_district,
    has_data,
    wipe_demo_data,
)
from ilp.demo.logins import DEMO_PASSWORD, DemoLogin, ensure_demo_logins


class Command(BaseCommand):
    help = (
        "Generate the deterministic demo district (Kota Mataram, NTB): areas, facilities, "
        "families, residents, pregnancies and one login per role. Does not start a server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--population", type=int, default=DEFAULT_POPULATION, help="about this many residents"
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (but print the logins) when data already exists",
        )
        group.add_argument(
            "--reset",
            action="store_true",
            help="delete existing people, places and demo logins first",
        )

    def handle(self, *args, population: int, seed: int, if_empty: bool, reset: bool, **options):
        if population < 1:
            raise CommandError("--population must be at least 1")
        if has_data():
            if if_empty:
                self.stdout.write("Data already exists; nothing generated (--if-empty).")
                logins = ensure_demo_logins() if district_exists() else []
                self._print_logins(logins)
                return
            if not reset:
                raise CommandError(
                    "The database already holds places or people. Use --if-empty to keep them "
                    "or --reset to delete them (and the demo logins) and generate anew."
                )
            self.stdout.write("Deleting existing people, places and demo logins ...")
            wipe_demo_data()
        self.stdout.write(f"Generating the demo district: population {population}, seed {seed}")
        summary = generate_district(
            population=population,
            seed=seed,
            progress=self._progress if options["verbosity"] > 1 else None,
        )
        self._print_summary(summary)
        self._print_logins(summary.logins)

    def _progress(self, message: str) -> None:
        self.stdout.write(f"  {message}")

    def _print_summary(self, s: Summary) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {s.seconds:.1f} s: {s.areas} areas, {s.facilities} facilities, "
                f"{s.families} families, {s.persons} persons, {s.pregnancies} pregnancies."
            )
        )

    def _print_logins(self, logins: list[DemoLogin]) -> None:
        if not logins:
            self.stdout.write("No demo logins (the demo district is not in this database).")
            return
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        rows = [("ROLE", "USERNAME", "PASSWORD", "SCOPE")] + [
            (login.role, login.username, DEMO_PASSWORD, login.scope) for login in logins
        ]
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        for row in rows:
            self.stdout.write(
                "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3]
            )
