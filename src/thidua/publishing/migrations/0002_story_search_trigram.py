"""On PostgreSQL, a trigram index so the portal's accent-free "contains" search over the
stories' text stays fast at 100,000 stories (SQLite keeps a plain scan)."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS publishing_story_search_trgm "
    "ON publishing_story USING gin (search_text gin_trgm_ops) WHERE is_live",
]
DROP = ["DROP INDEX IF EXISTS publishing_story_search_trgm"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("publishing", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
