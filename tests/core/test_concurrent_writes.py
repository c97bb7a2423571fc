"""Concurrent writes: SQLite waits for its turn instead of answering "database is locked", and
a burst of 20 users × 3 registrations against `ilp serve` stores all 60 on SQLite and on
PostgreSQL (whichever database the suite runs on)."""

from __future__ import annotations

import copy
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

from burst import burst  # noqa: E402  (bench/ is a folder of scripts, not a package)

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own locking")


def _sqlite_connection(path: Path, alias: str):
    """A second and third connection to a file database, configured exactly as ILP's."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    config = copy.deepcopy(connection.settings_dict)
    config["NAME"] = str(path)
    config["OPTIONS"]["timeout"] = 5
    return DatabaseWrapper(config, alias=alias)


@on_sqlite
def test_sqlite_settings_are_for_several_server_processes(db):
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert connection.settings_dict["OPTIONS"]["timeout"] >= 10
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


@on_sqlite
def test_a_transaction_that_reads_then_writes_waits_instead_of_failing(tmp_path, django_db_blocker):
    """The failure of the burst in small: a transaction reads (a duplicate check), another
    connection writes meanwhile, then the first writes. Begun DEFERRED, SQLite cannot let the
    first write on its old snapshot and answers "database is locked" at once, without waiting;
    begun IMMEDIATE, the other writer waits for the first transaction and both rows land."""
    django_db_blocker.unblock()  # these connections go to their own file, not the test database
    first = _sqlite_connection(tmp_path / "burst.sqlite3", "first")
    first.cursor().execute("CREATE TABLE registration (n INTEGER)")
    errors: list[Exception] = []

    def other_writer() -> None:
        second = _sqlite_connection(tmp_path / "burst.sqlite3", "second")
        try:
            second.cursor().execute("INSERT INTO registration VALUES (2)")
        except Exception as exc:
            errors.append(exc)
        finally:
            second.close()

    # What transaction.atomic() does on SQLite: BEGIN in the configured mode.
    first._start_transaction_under_autocommit()
    try:
        first.cursor().execute("SELECT count(*) FROM registration").fetchone()
        writer = threading.Thread(target=other_writer)
        writer.start()
        writer.join(timeout=0.5)  # DEFERRED: done by now; IMMEDIATE: waiting for our lock
        first.cursor().execute("INSERT INTO registration VALUES (1)")
        first.commit()
    finally:
        writer.join()
    rows = first.cursor().execute("SELECT n FROM registration ORDER BY n").fetchall()
    first.close()
    django_db_blocker.restore()
    assert errors == []
    assert rows == [(1,), (2,)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _burst_database(tmp_path: Path) -> str:
    """A fresh database for the server: a SQLite file, or `<suite database>_burst` on
    PostgreSQL when the suite runs there."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'burst.sqlite3'}"
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_burst"
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as pg:
        pg.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        pg.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(parts._replace(path="/" + name))


@pytest.mark.slow
def test_a_burst_of_registrations_on_the_served_configuration_loses_nothing(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": _burst_database(tmp_path),
        "DJANGO_SETTINGS_MODULE": "ilp.settings",
        "ILP_DEMO": "false",
        "ILP_DEBUG": "false",
        "ILP_SECRET_KEY": "burst-test-only-" + "s3cret" * 8,
        "ILP_SSL_REDIRECT": "false",
    }
    ilp = [sys.executable, "-m", "ilp.cli"]
    subprocess.run([*ilp, "migrate", "--noinput"], env=env, check=True, capture_output=True)
    setup = subprocess.run(
        [sys.executable, str(REPO / "bench" / "burst.py"), "setup"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    token, area = setup.stdout.split()
    port = _free_port()
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115 - open while the server runs
    # `ilp serve` as a district runs it: gunicorn, several processes with threads.
    server = subprocess.Popen(
        [*ilp, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "3"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/static/ilp/care.css", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail((tmp_path / "server.log").read_text())
                time.sleep(0.5)
        results = burst(f"http://127.0.0.1:{port}", token, area, users=20, each=3)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert dict(results) == {201: 60}, (tmp_path / "server.log").read_text()[-3000:]
    count = subprocess.run(
        [
            *ilp,
            "shell",
            "-c",
            "from ilp.people.models import Family; print(Family.objects.count())",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert count.stdout.split()[-1] == "60"
