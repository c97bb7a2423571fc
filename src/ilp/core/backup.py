"""Backup and restore of ILP's database (`ilp backup`, `ilp restore`), SQLite or PostgreSQL.

SQLite is copied with SQLite's online backup API: a consistent snapshot of the database, the
WAL's committed pages included, while the server keeps running. PostgreSQL is dumped with
``pg_dump --format=custom`` (one consistent snapshot too) and restored with ``pg_restore``;
both come with the PostgreSQL client package and must be on PATH. Backups hold every
resident's health record: the folder is created readable by its owner only, and so is each
file. README.md ("Backup and restore") says how to schedule it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone

SQLITE_SUFFIX = ".sqlite3"
POSTGRES_SUFFIX = ".pgdump"
PREFIX = "ilp-"


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason for the operator."""


def database_name() -> str:
    """The configured database's name (a file path for SQLite)."""
    return str(connection.settings_dict["NAME"])


def backup_suffix() -> str:
    """The file ending of backups of the configured database."""
    if connection.vendor == "sqlite":
        return SQLITE_SUFFIX
    if connection.vendor == "postgresql":
        return POSTGRES_SUFFIX
    raise BackupError(f"No backup for a {connection.vendor} database (SQLite or PostgreSQL).")


def make_backup(folder: Path, *, now: datetime | None = None) -> Path:
    """Write a backup of the configured database into `folder`; the file's path. The file is
    written under a temporary name and renamed when complete, so a file named ilp-*.sqlite3 or
    ilp-*.pgdump is always a whole backup."""
    suffix = backup_suffix()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{PREFIX}{stamp}{suffix}"
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    # Created empty with owner-only permissions before any data goes in.
    partial.touch(mode=0o600)
    try:
        if suffix == SQLITE_SUFFIX:
            _sqlite_copy(_sqlite_path(), partial)
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(partial)])
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore_backup(path: Path) -> None:
    """Replace the configured database's content with the backup at `path`. Stop the server
    first: requests during a restore would see half of it."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file.")
    suffix = backup_suffix()
    if path.suffix != suffix:
        raise BackupError(f"{path.name}: not a backup of this database (expected *{suffix}).")
    connection.close()
    if suffix == SQLITE_SUFFIX:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"{path.name} is damaged (SQLite quick_check failed).")
        finally:
            source.close()
        _sqlite_copy(path, _sqlite_path())
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                str(path),
            ],
            database_flag=True,
        )


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups of this database's kind in `folder`; the
    deleted paths. Names carry the time, so the name order is the age order."""
    backups = sorted(folder.glob(f"{PREFIX}*{backup_suffix()}"))
    old = backups[: max(0, len(backups) - keep)]
    for path in old:
        path.unlink()
    return old


def table_checksums() -> dict[str, tuple[int, str]]:
    """Every table's row count and a SHA-256 of its rows (independent of row order): equal
    before a backup and after its restore."""
    result = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from the database's own catalogue, quoted
            digests = sorted(hashlib.sha256(_row_bytes(row)).hexdigest() for row in cursor)
            whole = hashlib.sha256("".join(digests).encode()).hexdigest()
            result[table] = (len(digests), whole)
    return result


def _row_bytes(row: tuple[Any, ...]) -> bytes:
    return repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)).encode()


def _sqlite_path() -> Path:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError("The SQLite database is in memory: there is no file to back up.")
    return Path(name)


def _sqlite_copy(source_path: Path, target_path: Path) -> None:
    """Copy one SQLite database into another with the online backup API (page by page,
    consistent: a writer meanwhile makes it start over on the changed pages)."""
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _run(argv: list[str], *, database_flag: bool = False) -> None:
    """Run a PostgreSQL client program against the configured database (connection values
    through the libpq environment, so the password never shows in the process list)."""
    if shutil.which(argv[0]) is None:
        raise BackupError(
            f"{argv[0]} is not on PATH: install the PostgreSQL client programs "
            "(Debian/Ubuntu: apt install postgresql-client) of the server's version."
        )
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(db["OPTIONS"]["sslmode"])
    if database_flag:
        argv = [*argv[:-1], "--dbname", str(db["NAME"]), argv[-1]]
    else:
        argv = [*argv, str(db["NAME"])]
    done = subprocess.run(argv, env=env, capture_output=True, text=True)  # noqa: S603 - fixed program, arguments are paths and the configured names
    if done.returncode != 0:
        raise BackupError(f"{argv[0]} failed: {done.stderr.strip()}")
