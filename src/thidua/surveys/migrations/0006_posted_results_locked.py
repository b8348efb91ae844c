"""On PostgreSQL, the answers and tallies of a survey whose results are posted (then reported,
archived) are locked: no row of its responses, batches, area tallies or option tallies can be
inserted, updated or deleted. The services already refuse it; this holds against any other
writer. SQLite relies on the services. TRUNCATE stays possible for the database owner."""

from django.db import migrations

TABLES = ("surveys_response", "surveys_batch", "surveys_areatally", "surveys_optiontally")

CREATE = """
CREATE OR REPLACE FUNCTION surveys_posted_guard() RETURNS trigger AS $$
DECLARE
    survey bigint;
    state varchar;
BEGIN
    IF TG_OP = 'DELETE' THEN
        survey := OLD.survey_id;
    ELSE
        survey := NEW.survey_id;
    END IF;
    SELECT status INTO state FROM surveys_survey WHERE id = survey;
    IF state IN ('posted', 'reported', 'archived') THEN
        RAISE EXCEPTION '% of a survey whose results are posted is locked: % refused',
            TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {table}_posted_lock
    BEFORE INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION surveys_posted_guard();
"""
    for table in TABLES
)

DROP = "".join(f"DROP TRIGGER IF EXISTS {table}_posted_lock ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION IF EXISTS surveys_posted_guard();\n"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0005_reports_and_exports")]
    operations = [migrations.RunPython(forwards, backwards)]
