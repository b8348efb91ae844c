"""Seed the Vietnamese levels; other countries' levels are added as data (see README)."""

from django.db import migrations

KINDS = [
    ("nation", "Toàn quốc", "Nation", "Nasional", 0),
    ("province", "Tỉnh / Thành phố", "Province / City", "Provinsi", 1),
    ("district", "Quận / Huyện", "District", "Kabupaten / Kota", 2),
    ("ward", "Phường / Xã", "Ward / Commune", "Kelurahan / Desa", 3),
    ("residential_area", "Khu dân cư / Tổ dân phố", "Residential area", "Kawasan perumahan", 4),
]


def forwards(apps, schema_editor):
    UnitKind = apps.get_model("org", "UnitKind")
    for code, vi, en, id_, order in KINDS:
        UnitKind.objects.update_or_create(
            code=code, defaults={"name_vi": vi, "name_en": en, "name_id": id_, "order": order}
        )


def backwards(apps, schema_editor):
    apps.get_model("org", "UnitKind").objects.filter(code__in=[k[0] for k in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
