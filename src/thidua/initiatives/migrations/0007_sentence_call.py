"""Sentence keys carry their submission's call, so boilerplate is also counted per call."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_calls(apps, schema_editor):
    SimilaritySentence = apps.get_model("initiatives", "SimilaritySentence")
    Submission = apps.get_model("initiatives", "Submission")
    SimilaritySentence.objects.filter(call__isnull=True).update(
        call_id=Subquery(Submission.objects.filter(pk=OuterRef("submission_id")).values("call_id"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0006_move_files_to_private_storage"),
    ]

    operations = [
        migrations.AddField(
            model_name="similaritysentence",
            name="call",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="initiatives.call",
            ),
        ),
        migrations.RunPython(fill_calls, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="similaritysentence",
            name="call",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="initiatives.call",
            ),
        ),
        migrations.AddIndex(
            model_name="similaritysentence",
            index=models.Index(fields=["key", "call"], name="sentence_key_call"),
        ),
    ]
