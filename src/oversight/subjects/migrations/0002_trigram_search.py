"""On PostgreSQL, trigram indexes so that a search inside names and credit codes stays fast at a
million subjects (``name ILIKE '%…%'`` uses them). SQLite has no such index and needs none."""

from django.db import migrations

INDEXES = [
    ("subjects_name_trgm", "name"),
    ("subjects_credit_code_trgm", "credit_code"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON subjects_subject "
            f"USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("subjects", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
