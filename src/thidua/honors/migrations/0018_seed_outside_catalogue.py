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


def _delete(model, ids, alias):
    """Rows by plain DELETE, their own many-to-many rows first."""
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        through.objects.filter(**{f"{field.m2m_field_name()}__in": ids})._raw_delete(alias)
    model.objects.filter(pk__in=ids)._raw_delete(alias)


def backwards(apps, schema_editor):
    """Rules, bodies and award types by plain DELETE: Django's collector would look for related
    rows through the historical models of every app, which, when several apps are migrated
    back together, can hold two versions of AwardType (`Cannot query "AwardType object"`)."""
    from thidua.honors.upward_catalogue import OUTSIDE_AWARD_TYPES, OUTSIDE_BODIES

    alias = schema_editor.connection.alias
    codes = [spec["code"] for spec in OUTSIDE_AWARD_TYPES]
    AwardType = apps.get_model("honors", "AwardType")
    AwardRule = apps.get_model("honors", "AwardRule")
    OutsideAwardRule = apps.get_model("honors", "OutsideAwardRule")
    OutsideBody = apps.get_model("honors", "OutsideBody")
    type_ids = list(AwardType.objects.filter(code__in=codes).values_list("pk", flat=True))
    ids = OutsideAwardRule.objects.filter(award_type_id__in=type_ids).values_list("pk", flat=True)
    _delete(OutsideAwardRule, list(ids), alias)
    ids = OutsideBody.objects.filter(code__in=[spec["code"] for spec in OUTSIDE_BODIES])
    _delete(OutsideBody, list(ids.values_list("pk", flat=True)), alias)
    # other rules may name these awards as prerequisites
    AwardRule.prerequisites.through.objects.filter(awardtype_id__in=type_ids)._raw_delete(alias)
    ids = AwardRule.objects.filter(award_type_id__in=type_ids).values_list("pk", flat=True)
    _delete(AwardRule, list(ids), alias)
    _delete(AwardType, type_ids, alias)


class Migration(migrations.Migration):
    dependencies = [
        ("honors", "0017_upward"),
        ("org", "0002_vietnam_unit_kinds"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
