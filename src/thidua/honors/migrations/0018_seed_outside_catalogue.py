"""Seed the bodies outside the Front that confer the awards it proposes, their awards (in the
award catalogue) and the dossier each asks for (honors.upward_catalogue)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from thidua.honors.upward_catalogue import seed

    seed(
        apps.get_model("honors", "AwardType"),
        apps.get_model("honors", "AwardRule"),
        apps.get_model("honors", "OutsideBody"),
        apps.get_model("honors", "OutsideAwardRule"),
        apps.get_model("org", "UnitKind"),
    )


def backwards(apps, schema_editor):
    from thidua.honors.upward_catalogue import OUTSIDE_AWARD_TYPES, OUTSIDE_BODIES

    codes = [spec["code"] for spec in OUTSIDE_AWARD_TYPES]
    apps.get_model("honors", "OutsideAwardRule").objects.filter(award_type__code__in=codes).delete()
    apps.get_model("honors", "OutsideBody").objects.filter(
        code__in=[spec["code"] for spec in OUTSIDE_BODIES]
    ).delete()
    apps.get_model("honors", "AwardRule").objects.filter(award_type__code__in=codes).delete()
    apps.get_model("honors", "AwardType").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("honors", "0017_upward"),
        ("org", "0002_vietnam_unit_kinds"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
