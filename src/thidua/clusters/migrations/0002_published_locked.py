"""On PostgreSQL, a published review refuses writes in the database too: score entries are
append-only (never updated or deleted) and none is added to a published or nominated sheet;
evidence is not added, changed or removed there; a published sheet changes only to
"nominated", nothing else changing. TRUNCATE stays possible for the database owner."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION clusters_sheet_locked(sheet bigint) RETURNS boolean AS $$
    SELECT status IN ('published', 'nominated') FROM clusters_scoresheet WHERE id = sheet;
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION clusters_entry_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        RAISE EXCEPTION 'clusters_scoreentry is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF clusters_sheet_locked(NEW.sheet_id) THEN
        RAISE EXCEPTION 'the score sheet is published: new score refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER clusters_scoreentry_guard
    BEFORE INSERT OR UPDATE OR DELETE ON clusters_scoreentry
    FOR EACH ROW EXECUTE FUNCTION clusters_entry_guard();

CREATE OR REPLACE FUNCTION clusters_evidence_guard() RETURNS trigger AS $$
BEGIN
    IF clusters_sheet_locked(CASE WHEN TG_OP = 'DELETE' THEN OLD.sheet_id ELSE NEW.sheet_id END)
    THEN
        RAISE EXCEPTION 'the score sheet is published: % of evidence refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER clusters_evidence_guard
    BEFORE INSERT OR UPDATE OR DELETE ON clusters_evidence
    FOR EACH ROW EXECUTE FUNCTION clusters_evidence_guard();

CREATE OR REPLACE FUNCTION clusters_sheet_guard() RETURNS trigger AS $$
BEGIN
    IF OLD.status NOT IN ('published', 'nominated') THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status = 'published' AND NEW.status = 'nominated'
       AND (to_jsonb(NEW) - 'status') = (to_jsonb(OLD) - 'status') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'clusters_scoresheet is published: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER clusters_scoresheet_guard
    BEFORE UPDATE OR DELETE ON clusters_scoresheet
    FOR EACH ROW EXECUTE FUNCTION clusters_sheet_guard();
"""

DROP = """
DROP TRIGGER IF EXISTS clusters_scoreentry_guard ON clusters_scoreentry;
DROP TRIGGER IF EXISTS clusters_evidence_guard ON clusters_evidence;
DROP TRIGGER IF EXISTS clusters_scoresheet_guard ON clusters_scoresheet;
DROP FUNCTION IF EXISTS clusters_entry_guard();
DROP FUNCTION IF EXISTS clusters_evidence_guard();
DROP FUNCTION IF EXISTS clusters_sheet_guard();
DROP FUNCTION IF EXISTS clusters_sheet_locked(bigint);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("clusters", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
