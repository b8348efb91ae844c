"""Each public notice of proposed honours is also a shared posting (core.Posting): the field,
and a posting for every notice published before (its nominees as they are now, its window;
no PDF — the notice-board copy of an old notice was not kept)."""

import django.db.models.deletion
from django.db import migrations, models


def _unit_name(unit) -> str:
    # Unit.display_name (historical models have no properties).
    if unit.depth >= 3 and unit.parent_id:
        return f"{unit.name} — {unit.parent.name}"
    return unit.name


def link_postings(apps, schema_editor):
    from django.conf import settings
    from django.utils import translation

    PublicNotice = apps.get_model("honors", "PublicNotice")
    Posting = apps.get_model("core", "Posting")
    with translation.override(settings.LANGUAGE_CODE):
        columns = [
            str(translation.gettext(c)) for c in ("No.", "Proposed recipient", "Unit", "Award")
        ]
        for notice in PublicNotice.objects.filter(posting__isnull=True).select_related(
            "round", "published_by"
        ):
            key = f"honors.notice:{notice.pk}"
            if Posting.objects.filter(key=key).exists():
                continue
            nominations = notice.nominations.select_related(
                "award_type", "unit", "unit__parent"
            ).order_by("award_type", "id")
            entries = [
                [number, n.nominee_name, _unit_name(n.unit), n.award_type.name]
                for number, n in enumerate(nominations, 1)
            ]
            title = translation.gettext("Public notice of proposed honours — %(round)s") % {
                "round": notice.round.title
            }
            notice.posting = Posting.objects.create(
                key=key,
                version=1,
                unit_id=notice.round.owner_unit_id,
                title=title[:300],
                starts_on=notice.starts_on,
                ends_on=notice.ends_on,
                columns=columns,
                entries=entries,
                created_by_id=notice.published_by_id,
            )
            notice.save(update_fields=["posting"])


def unlink_postings(apps, schema_editor):
    apps.get_model("honors", "PublicNotice").objects.update(posting=None)
    apps.get_model("core", "Posting").objects.filter(key__startswith="honors.notice:").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_postings"),
        ("honors", "0018_seed_outside_catalogue"),
    ]

    operations = [
        migrations.AddField(
            model_name="publicnotice",
            name="posting",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.posting",
            ),
        ),
        migrations.RunPython(link_postings, unlink_postings),
    ]
