"""Files stored before uploads were private: moved out of the public /media/ into their storage
under generated names (safe to run twice; missing files are tolerated)."""

from django.db import migrations

from thidua.core.uploads import StoredField, move_stored_files


def forwards(apps, schema_editor):
    move_stored_files(
        apps,
        [
        StoredField("honors.AwardType", "emblem", "honors/emblems", storage="public"),
        StoredField("honors.AwardType", "signature", "honors/signatures"),
        StoredField(
            "honors.NominationDocument",
            "file",
            "honors/documents",
            name_field="name",
            type_field="content_type",
        ),
        StoredField("honors.Certificate", "pdf", "honors/certificates"),
        StoredField("honors.CertificateBatch", "archive", "honors/batches"),
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("honors", "0012_private_files")]

    # Going back changes nothing: the files stay in their storage under their generated names.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
