"""Seed the statistical regimes TT 03/2018, TT 02/2023 and TT 18/2025 (a placeholder) with their
forms."""

from django.db import migrations


def forwards(apps, schema_editor):
    from thidua.reports.regimes import seed

    seed(apps.get_model("reports", "StatRegime"), apps.get_model("reports", "StatForm"))


def backwards(apps, schema_editor):
    from thidua.reports.regimes import REGIMES

    apps.get_model("reports", "StatRegime").objects.filter(
        code__in=[r["code"] for r in REGIMES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
