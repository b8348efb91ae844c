"""On PostgreSQL, the ledger refuses edits: a confirmed receipt cannot be updated (but for its one
step to "reversed", nothing else changing) and no receipt, disbursement or disclosure snapshot can
be deleted; disbursements and snapshots cannot be updated at all. TRUNCATE stays possible for the
database owner (test flushes, a full reset)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION mobilization_receipt_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'mobilization_receipt is append-only: DELETE refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.status = 'recorded' AND NEW.status = 'confirmed'
       AND (to_jsonb(NEW) - ARRAY['status', 'confirmed_by_id', 'confirmed_at', 'self_confirmed'])
           = (to_jsonb(OLD) - ARRAY['status', 'confirmed_by_id', 'confirmed_at', 'self_confirmed'])
    THEN
        RETURN NEW;
    END IF;
    IF OLD.status = 'confirmed' AND NEW.status = 'reversed'
       AND (to_jsonb(NEW) - 'status') = (to_jsonb(OLD) - 'status')
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'mobilization_receipt is append-only: UPDATE of a % receipt refused', OLD.status
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER mobilization_receipt_append_only
    BEFORE UPDATE OR DELETE ON mobilization_receipt
    FOR EACH ROW EXECUTE FUNCTION mobilization_receipt_guard();

CREATE OR REPLACE FUNCTION mobilization_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER mobilization_disbursement_append_only
    BEFORE UPDATE OR DELETE ON mobilization_disbursement
    FOR EACH ROW EXECUTE FUNCTION mobilization_refuse_change();
CREATE TRIGGER mobilization_disclosure_append_only
    BEFORE UPDATE OR DELETE ON mobilization_disclosure
    FOR EACH ROW EXECUTE FUNCTION mobilization_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS mobilization_receipt_append_only ON mobilization_receipt;
DROP TRIGGER IF EXISTS mobilization_disbursement_append_only ON mobilization_disbursement;
DROP TRIGGER IF EXISTS mobilization_disclosure_append_only ON mobilization_disclosure;
DROP FUNCTION IF EXISTS mobilization_receipt_guard();
DROP FUNCTION IF EXISTS mobilization_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("mobilization", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
