# The model moved app without touching the database: its table keeps its name (db_table), every
# row and every foreign key stay; only the migration state changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('movements', '0006_move_files_to_private_storage'),
        ('shared', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='work',
                    name='field',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='shared.field', verbose_name='field'),
                ),
                migrations.AlterField(
                    model_name='movement',
                    name='fields',
                    field=models.ManyToManyField(blank=True, related_name='movements', to='shared.field'),
                ),
            ],
        ),
    ]
