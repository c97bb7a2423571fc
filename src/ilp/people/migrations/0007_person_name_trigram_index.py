"""Name search inside the name ("rohmah" finds "Siti Rohmah") on PostgreSQL: a trigram GIN
index on person.name_key answers LIKE '%rohmah%' without reading all 500,000 names.

PostgreSQL only (pg_trgm is a trusted extension since PostgreSQL 13, so the database owner
may create it); on SQLite both steps do nothing and the search scans, which is quick at the
sizes SQLite is used for (tests, demo). The index lives outside the model's Meta because
Django would otherwise try to build a GIN index on SQLite too."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS person_name_trgm ON people_person "
    "USING gin (name_key gin_trgm_ops)"
)
DROP = "DROP INDEX IF EXISTS person_name_trgm"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_corrections_history"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]
