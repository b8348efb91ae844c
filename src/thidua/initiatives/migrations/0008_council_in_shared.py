# The model moved app without touching the database: its table keeps its name (db_table), every
# row and every foreign key stay; only the migration state changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('honors', '0014_council_in_shared'),
        ('initiatives', '0007_sentence_call'),
        ('shared', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='call',
                    name='council',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='calls', to='shared.council'),
                ),
                migrations.RemoveField(
                    model_name='councilmember',
                    name='council',
                ),
                migrations.RemoveField(
                    model_name='councilmember',
                    name='expertise',
                ),
                migrations.RemoveField(
                    model_name='councilmember',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='councilmember',
                    name='user',
                ),
                migrations.AlterField(
                    model_name='conflict',
                    name='member',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='conflicts', to='shared.councilmember'),
                ),
                migrations.AlterField(
                    model_name='vote',
                    name='member',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='votes', to='shared.councilmember'),
                ),
                migrations.AlterField(
                    model_name='assignment',
                    name='reviewer',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='shared.councilmember'),
                ),
                migrations.AlterField(
                    model_name='call',
                    name='fields',
                    field=models.ManyToManyField(blank=True, related_name='calls', to='shared.field'),
                ),
                migrations.AlterField(
                    model_name='meeting',
                    name='present',
                    field=models.ManyToManyField(related_name='meetings_attended', to='shared.councilmember', verbose_name='members present'),
                ),
                migrations.AlterField(
                    model_name='submission',
                    name='field',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='shared.field', verbose_name='field'),
                ),
                migrations.DeleteModel(
                    name='Council',
                ),
                migrations.DeleteModel(
                    name='CouncilMember',
                ),
            ],
        ),
    ]
