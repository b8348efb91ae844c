# The model moved app without touching the database: its table keeps its name (db_table), every
# row and every foreign key stay; only the migration state changes.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0008_council_in_shared'),
        ('movements', '0007_field_in_shared'),
        ('practices', '0004_field_in_shared'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='Field',
                ),
            ],
        ),
    ]
