"""`ilp demo`: generate the synthetic Kota Mataram district into the configured database."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ilp.demo.boundaries import write_demo_boundaries
from ilp.demo.coaching import CoachingSummary, generate_coaching
from ilp.demo.deaths import generate_deaths
from ilp.demo.generate import (
    DEFAULT_POPULATION,
    DEFAULT_SEED,
    Summary,
    district_exists,
    generate_district,
    has_data,
    wipe_demo_data,
)
from ilp.demo.geography import CITY_CODE
from ilp.demo.history import HistorySummary, generate_service_history
from ilp.demo.logins import DEMO_PASSWORD, DemoLogin, ensure_demo_logins
from ilp.demo.protection import generate_protection
from ilp.demo.referrals import ReferralSummary, generate_referrals
from ilp.demo.specialists import ProgrammeSummary
from ilp.places.models import AreaBoundary


class Command(BaseCommand):
    help = (
        "Generate the deterministic demo district (Kota Mataram, NTB): areas, facilities, "
        "families, residents, pregnancies, a service history (posyandu sessions, weighings, "
        "immunisations, ANC, screenings, tasks), coaching, a year of referrals and one login "
        "per role. Does not start a server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--population", type=int, default=DEFAULT_POPULATION, help="about this many residents"
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
        parser.add_argument(
            "--history-years",
            type=int,
            default=2,
            help="years of service history to generate up to today (0: none; default 2)",
        )
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

    def handle(
        self,
        *args,
        population: int,
        seed: int,
        history_years: int,
        if_empty: bool,
        reset: bool,
        **options,
    ):
        if population < 1:
            raise CommandError("--population must be at least 1")
        if not 0 <= history_years <= 10:
            raise CommandError("--history-years must be between 0 and 10")
        if has_data():
            if if_empty:
                self.stdout.write("Data already exists; nothing generated (--if-empty).")
                logins = ensure_demo_logins() if district_exists() else []
                if district_exists() and not AreaBoundary.objects.exists():
                    self._import_boundaries(seed)
                if district_exists():
                    logins += self._coaching(seed, options["verbosity"])
                    self._referrals(seed, options["verbosity"])
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
        if history_years:
            today = timezone.localdate()
            start = today - timedelta(days=365 * history_years)
            self.stdout.write(f"Generating the service history {start:%d-%m-%Y} – {today:%d-%m-%Y}")
            history = generate_service_history(
                start=start,
                end=today,
                seed=seed,
                progress=self._progress if options["verbosity"] > 1 else None,
            )
            self._print_history(history)
        self._import_boundaries(seed)
        logins = summary.logins + self._coaching(seed, options["verbosity"])
        self._referrals(seed, options["verbosity"])
        self._print_logins(logins)

    def _import_boundaries(self, seed: int) -> None:
        """Synthetic desa outlines, written to a file and loaded by `ilp boundaries import`
        like a Dinkes' own file, so the PWS pages draw the desa map with outlines."""
        self.stdout.write("Importing synthetic desa boundaries (made up, not official ones)")
        with tempfile.TemporaryDirectory() as folder:
            path = write_demo_boundaries(Path(folder), region_code=CITY_CODE, seed=seed)
            if path is not None:
                # On behalf of the demo's Dinkes admin login (made before this runs).
                call_command("boundaries", "import", str(path), user="dinkes", stdout=self.stdout)

    def _coaching(self, seed: int, verbosity: int) -> list[DemoLogin]:
        """The TPCB teams, a year of their visits and recommendations (``ilp.demo.coaching``;
        none written when a team exists); the coaching logins."""
        c = generate_coaching(seed=seed, progress=self._progress if verbosity > 1 else None)
        if c.teams:
            self._print_coaching(c)
        if c.programme is not None:
            self._print_programme(c.programme)
        # A few maternal and perinatal deaths with their reviews (nothing when one exists).
        deaths = generate_deaths()
        if deaths:
            self.stdout.write(f"{deaths} maternal/perinatal deaths with their reviews")
        return c.logins

    def _referrals(self, seed: int, verbosity: int) -> None:
        """A year of referrals up to the history's last day (``ilp.demo.referrals``; none
        written when referrals exist). Its hospital staff logins are not printed."""
        r = generate_referrals(seed=seed, progress=self._progress if verbosity > 1 else None)
        if r.referrals:
            self._print_referrals(r)
        # The partner organisations (the ppa login's among them) and a few KtP/A cases.
        cases = generate_protection()
        if cases:
            self.stdout.write(f"{cases} KtP/A cases, some referred to the ppa login's UPTD PPA")

    def _print_referrals(self, r: ReferralSummary) -> None:
        states = ", ".join(f"{n} {state}" for state, n in sorted(r.by_state.items()))
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(r.by_kind.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {r.seconds:.1f} s: {r.referrals} referrals {r.start:%d-%m-%Y} – "
                f"{r.end:%d-%m-%Y} ({kinds}; {states}; {r.overdue} overdue), {r.events} "
                "referral events."
            )
        )

    def _print_coaching(self, c: CoachingSummary) -> None:
        states = ", ".join(f"{n} {state}" for state, n in c.by_state.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {c.seconds:.1f} s: {c.teams} TPCB teams, {c.visits} coaching visits "
                f"({c.done} done, {c.answers} checklist answers on {c.checklists} checklists), "
                f"{c.recommendations} recommendations ({states}; {c.overdue} overdue)."
            )
        )

    def _print_programme(self, p: ProgrammeSummary) -> None:
        states = ", ".join(f"{n} {state}" for state, n in p.by_state.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {p.seconds:.1f} s: specialist programme, {p.sessions} sessions at "
                f"{p.visited} of {p.to_cover} puskesmas, {p.participants} participants, "
                f"{p.case_reviews} case reviews, tests {p.mean_pre:.1f} → {p.mean_post:.1f} "
                f"(mean of {p.scores}), {p.recommendations} recommendations ({states})."
            )
        )

    def _progress(self, message: str) -> None:
        self.stdout.write(f"  {message}")

    def _print_summary(self, s: Summary) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {s.seconds:.1f} s: {s.areas} areas, {s.facilities} facilities, "
                f"{s.families} families, {s.persons} persons, {s.pregnancies} pregnancies."
            )
        )

    def _print_history(self, h: HistorySummary) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {h.seconds:.1f} s: {h.sessions} posyandu sessions, "
                f"{h.encounters} encounters, {h.observations} observations, "
                f"{h.immunizations} immunisations, {h.screenings} screenings, {h.tasks} tasks."
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
