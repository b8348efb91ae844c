"""The public ledger's order as an index; on PostgreSQL, a trigram index for the search by a
donor's public name (ILIKE '%…%')."""

from django.db import migrations, models

TRIGRAM = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS mobilization_donor_public_name_trgm "
    "ON mobilization_donor USING gin (public_name gin_trgm_ops)",
]


def trigram_forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in TRIGRAM:
            schema_editor.execute(statement, params=None)


def trigram_backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP INDEX IF EXISTS mobilization_donor_public_name_trgm", params=None
        )


class Migration(migrations.Migration):
    dependencies = [("mobilization", "0002_append_only")]

    operations = [
        migrations.AddIndex(
            model_name="receipt",
            index=models.Index(
                fields=["fund", "-received_on", "-id"], name="mobilization_ledger_order"
            ),
        ),
        migrations.AddIndex(
            model_name="receipt",
            index=models.Index(
                fields=["fund", "account", "status", "received_on"],
                name="mobilization_ledger_account",
            ),
        ),
        migrations.RunPython(trigram_forwards, trigram_backwards),
    ]
