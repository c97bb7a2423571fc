"""Fast inserts of precomputed rows: PostgreSQL COPY, or executemany elsewhere.

Rows carry their primary keys, so families can name their head and persons their mother before
either is written; Django creates foreign keys DEFERRABLE INITIALLY DEFERRED on PostgreSQL and
SQLite, so the checks run at commit. Sequences are moved past the written keys afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import IntegrityError, connection, models

BATCH = 5000


def columns_of(model: type[models.Model], names: Sequence[str]) -> list[str]:
    """Database column names of the given field attnames (checked against the model)."""
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    missing = [n for n in names if n not in by_attname]
    if missing:
        raise ValueError(f"{model.__name__} has no columns {missing}")
    return [by_attname[n] for n in names]


def write_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert `rows` (tuples in `columns` order) into `table`; return how many were written."""
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in columns)
    count = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {qn(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    placeholders = ", ".join(["%s"] * len(columns))
    # Table and column names come from the models (quoted); values go as parameters.
    sql = f"INSERT INTO {qn(table)} ({cols}) VALUES ({placeholders})"  # noqa: S608
    batch: list[Sequence] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def write_columns(model: type[models.Model], data: dict[str, list], extra: dict) -> int:
    """Insert column-wise `data` (attname → list) plus constant `extra` columns into `model`."""
    names = list(data) + list(extra)
    columns = columns_of(model, names)
    constants = tuple(extra.values())
    rows = (tuple(r) + constants for r in zip(*data.values(), strict=True))
    return write_rows(model._meta.db_table, columns, rows)


def reset_sequences(*model_classes: type[models.Model]) -> None:
    """Move the id sequences past the explicitly written keys (no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_classes))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def next_pk(model: type[models.Model]) -> int:
    """The first free primary key of `model`'s table."""
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


@contextmanager
def bulk_load(*model_classes: type[models.Model]):
    """Load large tables fast on PostgreSQL, as pg_restore does, inside the caller's transaction.

    - Plain (non-unique) indexes of the tables are dropped and rebuilt afterwards: one sorted
      build per index is far faster than maintaining a dozen indexes row by row.
    - When the database user may (superuser), row-by-row foreign-key triggers are switched off
      for the load (``session_replication_role = replica``) and every foreign key of the loaded
      tables is then checked with one anti-join per key instead; a dangling key raises and the
      transaction rolls back. Otherwise the deferred checks run as usual.

    A failure anywhere rolls back the indexes too. Elsewhere than PostgreSQL it does nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in model_classes]
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = bool(cursor.fetchone()[0])
        if superuser:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[])
              AND NOT i.indisunique AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        if superuser:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            _check_foreign_keys(cursor, model_classes)
        else:
            # Pending foreign-key checks must run before a table can be indexed.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        if not superuser:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _check_foreign_keys(cursor, model_classes) -> None:
    qn = connection.ops.quote_name
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if not f.is_relation:
                continue
            target = f.related_model._meta
            cursor.execute(
                f"SELECT count(*) FROM {qn(model._meta.db_table)} t "  # noqa: S608 - model names
                f"WHERE t.{qn(f.column)} IS NOT NULL AND NOT EXISTS ("
                f"SELECT 1 FROM {qn(target.db_table)} r "
                f"WHERE r.{qn(target.pk.column)} = t.{qn(f.column)})"
            )
            dangling = cursor.fetchone()[0]
            if dangling:
                raise IntegrityError(
                    f"{dangling} rows of {model._meta.db_table}.{f.column} point nowhere"
                )


def analyze(*model_classes: type[models.Model]) -> None:
    """After a bulk load on PostgreSQL: refresh the planner's statistics and, outside a
    transaction, VACUUM too, which marks the pages all-visible so that covering indexes
    answer without visiting the table (autovacuum would do it later, at a time of its own).
    Elsewhere it does nothing."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in model_classes:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
