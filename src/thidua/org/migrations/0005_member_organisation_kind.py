"""The Front's member organisations (Hội Liên hiệp Phụ nữ, Đoàn Thanh niên, Hội Nông dân, Hội
Cựu chiến binh, Liên đoàn Lao động; under the Front since the 2025 reform) as a kind of unit.

They are not a territorial level: their order (10) puts them after every level of the tree, so
the next level down of a city stays its wards and communes (pickers, coverage, "the next level")
and a unit below a residential group never falls on them by order."""

from django.db import migrations

CODE = "organisation"
KIND = {
    "name_vi": "Tổ chức chính trị - xã hội",
    "name_en": "Member organisation",
    "name_id": "Organisasi anggota",
    "order": 10,
}


def forwards(apps, schema_editor):
    apps.get_model("org", "UnitKind").objects.update_or_create(code=CODE, defaults=KIND)


def backwards(apps, schema_editor):
    UnitKind = apps.get_model("org", "UnitKind")
    # a kind still carrying units stays (PROTECT): the units would lose their kind
    if not apps.get_model("org", "Unit").objects.filter(kind__code=CODE).exists():
        UnitKind.objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0004_households")]
    operations = [migrations.RunPython(forwards, backwards)]
