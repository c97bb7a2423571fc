"""`ilp serve`: run ILP under gunicorn (static files through WhiteNoise) on 127.0.0.1:8000."""

from __future__ import annotations

import importlib.util
import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Serve ILP with gunicorn (Django's runserver without reload when gunicorn is missing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="HOST:PORT to listen on")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")

    def handle(self, *args, bind: str, workers: int, **options) -> None:
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
