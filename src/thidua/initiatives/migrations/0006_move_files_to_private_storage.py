"""Files stored before uploads were private: moved out of the public /media/ into their storage
under generated names (safe to run twice; missing files are tolerated)."""

from django.db import migrations

from thidua.core.uploads import StoredField, move_stored_files


def forwards(apps, schema_editor):
    move_stored_files(
        apps,
        [
        StoredField(
            "initiatives.Attachment",
            "file",
            "initiatives",
            name_field="name",
            type_field="content_type",
        ),
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0005_private_files")]

    # Going back changes nothing: the files stay in their storage under their generated names.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
