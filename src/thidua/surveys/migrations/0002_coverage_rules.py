"""The coverage rules as dated data: HD 78/HD-MTTW-BTT (24/4/2017) and HD 90/HD-MTTW-BTT
(20/9/2022) of the VFF Central Standing Board; editable in the admin."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

RULES = [
    # level, min households, upper households, min satisfied, legal basis, from, to
    ("commune", "0.60", None, "0.80", "HD 78/HD-MTTW-BTT", dt.date(2017, 4, 24), dt.date(2022, 9, 19)),
    ("district", "0.20", "0.30", "0.80", "HD 78/HD-MTTW-BTT", dt.date(2017, 4, 24), dt.date(2022, 9, 19)),
    ("commune", "0.60", None, "0.80", "HD 90/HD-MTTW-BTT", dt.date(2022, 9, 20), None),
    ("district", "0.20", "0.30", "0.90", "HD 90/HD-MTTW-BTT", dt.date(2022, 9, 20), None),
]


def add_rules(apps, schema_editor):
    CoverageRule = apps.get_model("surveys", "CoverageRule")
    for level, low, high, satisfied, basis, start, end in RULES:
        CoverageRule.objects.get_or_create(
            level=level,
            legal_basis=basis,
            valid_from=start,
            defaults={
                "min_household_share": Decimal(low),
                "max_household_share": Decimal(high) if high else None,
                "min_satisfied_share": Decimal(satisfied),
                "valid_to": end,
            },
        )


def remove_rules(apps, schema_editor):
    CoverageRule = apps.get_model("surveys", "CoverageRule")
    for level, _low, _high, _satisfied, basis, start, _end in RULES:
        CoverageRule.objects.filter(level=level, legal_basis=basis, valid_from=start).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(add_rules, remove_rules)]
