"""What the benchmark scripts share: a PostgreSQL database to run on, and percentiles."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of `url` if it does not exist yet."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def setup_django(postgresql_only: bool = True) -> None:
    """Django for a benchmark run from the repository: ILP's source on the path, its settings,
    the demo flag (synthetic data on this machine); exits unless DATABASE_URL names a
    PostgreSQL database (when `postgresql_only`)."""
    import os
    import sys
    from pathlib import Path

    if "DATABASE_URL" not in os.environ:
        sys.exit("DATABASE_URL must name a PostgreSQL database with the demo district")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilp.settings")
    os.environ.setdefault("ILP_DEMO", "true")
    import django

    django.setup()
    from django.db import connection

    if postgresql_only and connection.vendor != "postgresql":
        sys.exit("this benchmark runs on PostgreSQL")
