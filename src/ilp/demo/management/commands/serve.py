"""`ilp serve`: run ILP under gunicorn (static files through WhiteNoise) on 127.0.0.1:8000.

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


class Command(BaseCommand):
    help = "Serve ILP with gunicorn (Django's runserver without reload when gunicorn is missing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="HOST:PORT to listen on")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")

    def handle(self, *args, bind: str, workers: int, **options) -> None:
        refusals = unsafe_settings()
        if refusals:
            raise CommandError(" ".join(refusals))
        host, sep, port = bind.rpartition(":")
        if not sep or not host or not port.isdigit():
            raise CommandError("--bind must look like HOST:PORT, e.g. 127.0.0.1:8000")
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
            "--access-logfile",
            "-",
        ]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilp.settings")
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn


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
