"""Fill the statistics' launch level, scope and method of existing movements from the launching
unit's level and the movement's kind (what can be derived; an officer corrects the rest)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from thidua.movements.statistics import derived_launch_level, derived_method, derived_scope

    Movement = apps.get_model("movements", "Movement")
    for movement in Movement.objects.select_related("owner_unit__kind").iterator():
        code = movement.owner_unit.kind.code
        movement.launch_level = movement.launch_level or derived_launch_level(code)
        movement.scope = movement.scope or derived_scope(code)
        movement.method = movement.method or derived_method(movement.kind)
        movement.save(update_fields=["launch_level", "scope", "method"])


def backwards(apps, schema_editor):
    apps.get_model("movements", "Movement").objects.update(launch_level="", scope="", method="")


class Migration(migrations.Migration):
    dependencies = [("movements", "0009_statistics_fields")]

    operations = [migrations.RunPython(forwards, backwards)]
