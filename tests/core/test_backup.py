"""`ilp backup` / `ilp restore`: a round trip gives back every table with the same rows, on
SQLite (online backup API) and PostgreSQL (pg_dump / pg_restore), whichever the suite runs on.

On SQLite the test database lives in memory, so the round trip runs on a file copy of it,
reached through a connection configured exactly as ILP's."""

from __future__ import annotations

import copy
import io
import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ilp.core import backup


@pytest.fixture
def database(transactional_db, district, tmp_path, monkeypatch):
    """The database the commands back up: the test database itself on PostgreSQL, a file
    copy of it on SQLite. The district's rows are committed (transactional_db)."""
    if connection.vendor != "sqlite":
        yield connection
        return
    from django.db.backends.sqlite3.base import DatabaseWrapper

    path = tmp_path / "ilp.sqlite3"
    connection.ensure_connection()
    copy_target = sqlite3.connect(path)
    connection.connection.backup(copy_target)
    copy_target.close()
    config = copy.deepcopy(connection.settings_dict)
    config["NAME"] = str(path)
    file_db = DatabaseWrapper(config, alias="backup-test")
    monkeypatch.setattr(backup, "connection", file_db)
    yield file_db
    file_db.close()


def _run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_round_trip_gives_back_every_table(database, tmp_path):
    before = backup.table_checksums()
    assert before["people_person"][0] == 6
    assert before["accounts_user"][0] == 12
    assert sum(rows for rows, _ in before.values()) > 60

    printed = _run("backup", dir=str(tmp_path / "backups"))
    path = Path(printed.split(" (")[0])
    assert path.parent == tmp_path / "backups"
    assert path.name.startswith("ilp-") and path.suffix in {".sqlite3", ".pgdump"}
    assert path.stat().st_mode & 0o777 == 0o600  # health records: the owner only
    assert (tmp_path / "backups").stat().st_mode & 0o777 == 0o700

    # After the backup: changed names, lost links.
    with database.cursor() as cursor:
        cursor.execute("UPDATE people_person SET full_name = 'Diubah'")
        cursor.execute("UPDATE places_area SET name = 'Diubah' WHERE code = '52'")
        cursor.execute("DELETE FROM places_facility_service_areas")
    changed = backup.table_checksums()
    assert changed["people_person"][0] == before["people_person"][0]
    assert changed["people_person"][1] != before["people_person"][1]
    assert changed["places_area"] != before["places_area"]
    assert changed["places_facility_service_areas"][0] == 0

    assert "restored" in _run("restore", str(path), yes=True)
    after = backup.table_checksums()
    assert after == before


def test_backup_keeps_the_newest(database, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    suffix = backup.backup_suffix()
    for day in ("20260101", "20260102", "20260103"):
        (folder / f"ilp-{day}-020000{suffix}").write_bytes(b"old")
    (folder / "notes.txt").write_text("not a backup")
    printed = _run("backup", dir=str(folder), keep=2)
    new = Path(printed.splitlines()[0].split(" (")[0])
    assert {p.name for p in folder.iterdir()} == {
        f"ilp-20260103-020000{suffix}",
        new.name,
        "notes.txt",
    }
    assert printed.splitlines()[1:] == [
        f"removed {folder / f'ilp-20260101-020000{suffix}'}",
        f"removed {folder / f'ilp-20260102-020000{suffix}'}",
    ]


def test_restore_refuses_a_file_of_the_other_kind_or_none(database, tmp_path):
    other = ".pgdump" if database.vendor == "sqlite" else ".sqlite3"
    wrong = tmp_path / f"ilp-20260101-020000{other}"
    wrong.write_bytes(b"x")
    with pytest.raises(CommandError, match="not a backup of this database"):
        _run("restore", str(wrong), yes=True)
    with pytest.raises(CommandError, match="no such file"):
        _run("restore", str(tmp_path / "missing.sqlite3"), yes=True)


def test_restore_asks_first(database, tmp_path, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    with pytest.raises(CommandError, match="Nothing restored"):
        _run("restore", str(tmp_path / "any.sqlite3"))
