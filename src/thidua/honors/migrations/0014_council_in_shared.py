# The model moved app without touching the database: its table keeps its name (db_table), every
# row and every foreign key stay; only the migration state changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('honors', '0013_move_files_to_private_storage'),
        ('shared', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='ballot',
                    name='member',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='honor_ballots', to='shared.councilmember'),
                ),
                migrations.AlterField(
                    model_name='round',
                    name='council',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='honor_rounds', to='shared.council', verbose_name='council'),
                ),
                migrations.AlterField(
                    model_name='vote',
                    name='council',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='honor_votes', to='shared.council'),
                ),
            ],
        ),
    ]
