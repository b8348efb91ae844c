"""Fill the award types' statistical form column from their names, and the direct workers'
position band (what can be derived; the rest stays empty until an officer sets it)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from thidua.honors.statistics import derived_stat_column

    AwardType = apps.get_model("honors", "AwardType")
    for award in AwardType.objects.filter(stat_column=""):
        award.stat_column = derived_stat_column(award.name_vi)
        award.save(update_fields=["stat_column"])
    Honour = apps.get_model("honors", "Honour")
    Honour.objects.filter(is_direct_worker=True, position_band="").update(
        position_band="direct_worker"
    )


def backwards(apps, schema_editor):
    apps.get_model("honors", "AwardType").objects.update(stat_column="")
    apps.get_model("honors", "Honour").objects.update(position_band="")


class Migration(migrations.Migration):
    dependencies = [("honors", "0015_statistics_fields")]

    operations = [migrations.RunPython(forwards, backwards)]
