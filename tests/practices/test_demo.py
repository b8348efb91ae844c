"""`seed_practices`: Long Biên's 37 practices and the exemplars, on the real Hà Nội tree.

The whole Hà Nội demo (`seed_demo`) is built once per test run and shared with the other demo
modules (`tests/hanoi_demo.py`); each test runs in a savepoint inside it.
"""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from thidua.core.models import AuditEvent
from thidua.demo.movements import FIELDS as MOVEMENT_FIELDS
from thidua.demo.practices import FIELDS, HOME_WARDS, PRACTICES
from thidua.org.models import Unit
from thidua.org.selectors import successor_map
from thidua.practices.models import Exemplar, Practice, Stage, StageChange

pytestmark = pytest.mark.django_db


COUNTED_APPS = ("practices", "movements", "core", "org", "accounts")


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for label in COUNTED_APPS
        for model in apps.get_app_config(label).get_models()
    }


def old_long_bien_today() -> list[str]:
    """Paths of the units that carry the 2024 wards of Quận Long Biên today."""
    legacy = Unit.objects.filter(
        parent__code="004", parent__kind__code="district", kind__code="ward"
    ).values_list("pk", flat=True)
    carriers = {s.unit_id for succ in successor_map(unit_ids=list(legacy)).values() for s in succ}
    return list(Unit.objects.filter(pk__in=carriers).values_list("path", flat=True))


def under(unit: Unit, paths: list[str]) -> bool:
    return any(unit.path.startswith(path) for path in paths)


def originals():
    return Practice.objects.filter(source__isnull=True).select_related("owner_unit", "field")


@pytest.mark.usefixtures("hanoi_demo")
class TestSeedPractices:
    def test_seed_reports_what_it_created(self, hanoi_demo):
        assert "Practices created: 37, already there: 0" in hanoi_demo.output

    def test_37_originals_on_the_units_that_carry_old_long_bien(self):
        area = old_long_bien_today()
        practices = list(originals())
        assert len(practices) == len(PRACTICES) == 37
        assert all(under(p.owner_unit, area) for p in practices)
        assert all(p.owner_unit.is_current for p in practices)
        kinds = {p.owner_unit.kind.code for p in practices}
        assert kinds == {"ward", "residential_area"}
        assert {p.owner_unit.name for p in practices if p.owner_unit.kind.code == "ward"} == set(
            HOME_WARDS
        )
        assert len({(p.owner_unit_id, p.title) for p in practices}) == 37
        assert all(p.description and 2024 <= p.started_on.year <= 2026 for p in practices)
        assert all(p.created_by.username == "admin" for p in practices)

    def test_two_field_groups_with_the_codes_of_the_demo_movements(self):
        codes = {code for code, *_names in FIELDS}
        assert codes <= {code for code, *_names in MOVEMENT_FIELDS}
        by_field = {code: originals().filter(field__code=code).count() for code in codes}
        assert set(by_field) == codes and all(n >= 15 for n in by_field.values()), by_field

    def test_every_stage_with_its_evidence(self):
        practices = list(originals().prefetch_related("replications"))
        assert {p.stage for p in practices} == set(Stage.values)
        for practice in practices:
            if practice.stage in (Stage.SUMMARISED, Stage.REPLICATED):
                assert hasattr(practice, "summary"), practice
            if practice.stage == Stage.NURTURED:
                assert practice.plan.checkpoints.count() == 2, practice
            if practice.stage == Stage.REPLICATED:
                assert practice.replications.all(), practice
            history = list(practice.stage_changes.values_list("to_stage", flat=True))
            assert history[0] == Stage.DISCOVERED and history[-1] == practice.stage

    def test_replications_reach_beyond_old_long_bien_and_go_two_levels_deep(self):
        area = old_long_bien_today()
        replicas = list(Practice.objects.filter(source__isnull=False).select_related("owner_unit"))
        outside = {r.owner_unit.name for r in replicas if not under(r.owner_unit, area)}
        assert len(outside) >= 5, outside
        assert any(under(r.owner_unit, area) for r in replicas)  # between residential groups
        assert all(r.owner_unit.is_current for r in replicas)
        second_level = [r for r in replicas if r.source.source_id is not None]
        assert second_level
        assert all(r.origin_id == r.source.origin_id for r in second_level)

    def test_overrides_are_audited_with_their_reasons(self):
        overrides = StageChange.objects.filter(is_override=True)
        assert overrides.count() == 2
        assert all(change.reason for change in overrides)
        assert AuditEvent.objects.filter(verb="practices.override_stage").count() == 2
        early = [
            event
            for event in AuditEvent.objects.filter(verb="practices.replicate")
            if event.data["override_reason"]
        ]
        assert len(early) == 1
        assert Practice.objects.get(pk=early[0].data["source"]).stage == Stage.NURTURED
        assert originals().filter(is_active=False).count() == 1
        assert set(
            AuditEvent.objects.filter(verb__startswith="practices.").values_list(
                "actor__username", flat=True
            )
        ) == {"admin"}

    def test_exemplars_with_stories_mostly_verified(self):
        exemplars = list(Exemplar.objects.prefetch_related("practices"))
        assert 8 <= len(exemplars) <= 10
        assert {e.kind for e in exemplars} == set(Exemplar.Kind.values)
        assert all(e.story and e.deeds for e in exemplars)
        verified = [e for e in exemplars if e.status == Exemplar.Status.VERIFIED]
        assert len(verified) >= 0.7 * len(exemplars)
        assert all(e.verified_by.username == "admin" for e in verified)
        featured = [e for e in exemplars if e.is_featured]
        assert 2 <= len(featured) <= 4
        assert all(e.status == Exemplar.Status.VERIFIED for e in featured)
        returned = [e for e in exemplars if e.status == Exemplar.Status.RETURNED]
        assert all(e.return_reason for e in returned)
        assert all(e.practices.all() for e in exemplars)

    def test_a_second_run_changes_nothing(self):
        before = row_counts()
        out = io.StringIO()
        call_command("seed_practices", stdout=out)
        assert row_counts() == before
        assert "Practices created: 0, already there: 37" in out.getvalue()
        assert "Exemplars created: 0, already there: 9" in out.getvalue()


def test_without_the_hanoi_tree_the_command_says_what_to_run(db):
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_practices", stdout=io.StringIO())
    assert not Practice.objects.exists()
