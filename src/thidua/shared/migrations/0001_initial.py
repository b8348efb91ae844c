# The model moved app without touching the database: its table keeps its name (db_table), every
# row and every foreign key stay; only the migration state changes.

import django.db.models.deletion
import thidua.core.models
from django.conf import settings
from django.db import migrations, models

MOVED = [("movements", "field"), ("initiatives", "council"), ("initiatives", "councilmember")]


def move_content_types(apps, schema_editor):
    # Permissions and anything else keyed on a content type follow the model to its new app.
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_app, model in MOVED:
        if not ContentType.objects.filter(app_label="shared", model=model).exists():
            ContentType.objects.filter(app_label=old_app, model=model).update(app_label="shared")


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_app, model in MOVED:
        if not ContentType.objects.filter(app_label=old_app, model=model).exists():
            ContentType.objects.filter(app_label="shared", model=model).update(app_label=old_app)


class Migration(migrations.Migration):

    initial = True

    # The tables exist already: movements_field (movements 0001), initiatives_council and
    # initiatives_councilmember (initiatives 0001).
    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('initiatives', '0007_sentence_call'),
        ('movements', '0006_move_files_to_private_storage'),
        ('org', '0003_restructuring_previous_ends'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Field',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(unique=True, verbose_name='code')),
                        ('name_vi', models.CharField(max_length=200, verbose_name='name (Vietnamese)')),
                        ('name_en', models.CharField(max_length=200, verbose_name='name (English)')),
                        ('name_id', models.CharField(max_length=200, verbose_name='name (Indonesian)')),
                    ],
                    options={
                        'verbose_name': 'field',
                        'verbose_name_plural': 'fields',
                        'db_table': 'movements_field',
                        'ordering': ['name_vi'],
                    },
                    bases=(thidua.core.models.NamedInLanguages, models.Model),
                ),
                migrations.CreateModel(
                    name='Council',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('owner_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='councils', to='org.unit')),
                    ],
                    options={
                        'verbose_name': 'council',
                        'verbose_name_plural': 'councils',
                        'db_table': 'initiatives_council',
                    },
                ),
                migrations.CreateModel(
                    name='CouncilMember',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('chair', 'Chair'), ('vice_chair', 'Vice chair'), ('secretary', 'Secretary'), ('member', 'Member')], default='member', max_length=20, verbose_name='role')),
                        ('is_active', models.BooleanField(default=True)),
                        ('council', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='shared.council')),
                        ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.unit', verbose_name='home unit')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='council_seats', to=settings.AUTH_USER_MODEL)),
                        ('expertise', models.ManyToManyField(blank=True, related_name='+', to='shared.field')),
                    ],
                    options={
                        'db_table': 'initiatives_councilmember',
                        'ordering': ['council', 'role', 'id'],
                        'constraints': [models.UniqueConstraint(fields=('council', 'user'), name='one_seat_per_council')],
                    },
                ),
            ],
            database_operations=[
                migrations.RunPython(move_content_types, restore_content_types),
            ],
        ),
    ]
