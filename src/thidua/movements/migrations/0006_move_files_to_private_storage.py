"""Files stored before uploads were private: moved out of the public /media/ into their storage
under generated names (safe to run twice; missing files are tolerated)."""

from django.db import migrations

from thidua.core.uploads import StoredField, move_stored_files


def forwards(apps, schema_editor):
    move_stored_files(
        apps,
        [
        StoredField("movements.Evidence", "file", "evidence", name_field="name"),
        StoredField("movements.Attachment", "file", "reports", name_field="name"),
        StoredField("movements.ImportJob", "file", "imports"),
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("movements", "0005_private_files")]

    # Going back changes nothing: the files stay in their storage under their generated names.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
