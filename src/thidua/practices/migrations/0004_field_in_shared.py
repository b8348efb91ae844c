# The model moved app without touching the database: its table keeps its name (db_table), every
# row and every foreign key stay; only the migration state changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('practices', '0003_move_files_to_private_storage'),
        ('shared', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='practice',
                    name='field',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='practices', to='shared.field', verbose_name='field'),
                ),
            ],
        ),
    ]
