"""On PostgreSQL, a trigram index so diacritic-free "contains" search on the registry stays fast
at millions of rows (SQLite keeps the plain index)."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS honors_honour_search_trgm "
    "ON honors_honour USING gin (search_name gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS honors_honour_search_trgm"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("honors", "0002_seed_catalogue")]

    operations = [migrations.RunPython(forwards, backwards)]
