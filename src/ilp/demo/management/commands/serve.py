"""`ilp serve`: run ILP under gunicorn (static files through WhiteNoise) on 127.0.0.1:8000.

The configuration is the one measured for a puskesmas server on 2 cores (bench/load.py,
README "Server"): cores + 1 worker processes of 4 threads each (gthread). A request spends much
of its time waiting for the database, so threads keep the cores busy without a process (and
its memory) per concurrent user; each thread keeps its database connection for
ILP_DB_CONN_MAX_AGE seconds (settings), checked before reuse. Workers are replaced after
about 1000 requests so that a slow leak cannot grow for weeks.

It refuses to start with DEBUG on or with the public development secret key, unless the
demo mode (``ILP_DEMO``, set by ``make demo``) says this is the local demo.
"""

from __future__ import annotations

import importlib.util
import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

THREADS = 4


class Command(BaseCommand):
    help = "Serve ILP with gunicorn (Django's runserver without reload when gunicorn is missing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="HOST:PORT to listen on")
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="gunicorn worker processes (default: cores + 1)",
        )
        parser.add_argument(
            "--threads", type=int, default=THREADS, help="threads per worker (default 4)"
        )

    def handle(self, *args, bind: str, workers: int, threads: int, **options) -> None:
        refusals = unsafe_settings()
        if refusals:
            raise CommandError(" ".join(refusals))
        host, sep, port = bind.rpartition(":")
        if not sep or not host or not port.isdigit():
            raise CommandError("--bind must look like HOST:PORT, e.g. 127.0.0.1:8000")
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1")
        self.stdout.write(f"ILP at http://{bind}/  (Ctrl+C stops)")
        self.stdout.flush()
        if importlib.util.find_spec("gunicorn") is None:
            call_command("runserver", bind, use_reloader=False)
            return
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "ilp.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--max-requests",
            "1000",
            "--max-requests-jitter",
            "100",
            "--timeout",
            "60",
            "--access-logfile",
            "-",
        ]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilp.settings")
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn


def default_workers() -> int:
    """Cores + 1: one process can run Python while the others wait for the database."""
    return (os.cpu_count() or 1) + 1


def unsafe_settings() -> list[str]:
    """Why the current settings must not serve anyone (empty when they may)."""
    if settings.DEMO:
        return []
    refusals = []
    if settings.DEBUG:
        refusals.append(
            "ILP_DEBUG is on: Django's debug pages would show data and settings to anyone; "
            "unset it (only `make demo` may serve with it)."
        )
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        refusals.append("ILP_SECRET_KEY is the public development key: set a secret one.")
    return refusals
