"""Seed the Vietnamese award catalogue, its two rule versions and the base salary."""

from django.db import migrations


def forwards(apps, schema_editor):
    from thidua.honors.catalogue import seed

    seed(
        apps.get_model("honors", "AwardType"),
        apps.get_model("honors", "AwardRule"),
        apps.get_model("honors", "BaseSalary"),
        apps.get_model("org", "UnitKind"),
    )


def backwards(apps, schema_editor):
    from thidua.honors.catalogue import AWARD_TYPES, BASE_SALARIES

    codes = [spec["code"] for spec in AWARD_TYPES]
    apps.get_model("honors", "AwardRule").objects.filter(award_type__code__in=codes).delete()
    apps.get_model("honors", "AwardType").objects.filter(code__in=codes).delete()
    apps.get_model("honors", "BaseSalary").objects.filter(
        valid_from__in=[row[0] for row in BASE_SALARIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("honors", "0001_initial"),
        ("org", "0002_vietnam_unit_kinds"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
