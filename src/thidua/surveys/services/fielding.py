"""Surveys and their workflow: draft → fielding → closed → tallied → posted → reported →
archived. Fielding freezes the questionnaire version, the frame (households per residential
area, read from the units on that day) and the coverage rule in force on the opening day."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.selectors import deciders
from thidua.core import audit
from thidua.core.actors import person_or_none
from thidua.core.notifications import notify_all
from thidua.core.policy import require
from thidua.core.work import unit_label
from thidua.org.models import Unit
from thidua.org.services.households import household_counts
from thidua.surveys import selectors
from thidua.surveys.models import (
    AreaTally,
    CoverageRule,
    FrameArea,
    HouseholdSlip,
    Questionnaire,
    Survey,
    SurveyReport,
)
from thidua.surveys.services.codes import household_codes, slip_key
from thidua.surveys.services.tallies import recount_areas

AREA_KIND = "residential_area"
COMMUNE_KINDS = frozenset({"ward", AREA_KIND})
S = Survey.Status
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.FIELDING,),
    S.FIELDING: (S.CLOSED,),
    S.CLOSED: (S.TALLIED,),
    S.TALLIED: (S.POSTED, S.CLOSED),  # back to closed only by an audited reopening
    S.POSTED: (S.POSTED, S.REPORTED),  # a correction posts again
    S.REPORTED: (S.ARCHIVED,),
    S.ARCHIVED: (),
}


def level_of(unit: Unit) -> str:
    return (
        CoverageRule.Level.COMMUNE
        if unit.kind.code in COMMUNE_KINDS
        else CoverageRule.Level.DISTRICT
    )


def rule_in_force(level: str, day: dt.date) -> CoverageRule | None:
    return (
        CoverageRule.objects.filter(level=level, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )


def _move(actor: Any, survey: Survey, to: str, verb: str, data: dict | None = None) -> Survey:
    require(actor, "surveys.manage", survey.scope)
    with transaction.atomic():
        current = Survey.objects.select_for_update().get(pk=survey.pk).status
        if to not in TRANSITIONS[current]:
            raise ValidationError(
                _("A survey that is %(status)s cannot become %(to)s.")
                % {"status": S(current).label, "to": S(to).label}
            )
        survey.status = to
        survey.save(update_fields=["status", "reopen_reason"])
        audit.record(actor, verb, survey, data or {}, unit=survey.scope)
    return survey


def create_survey(
    actor: Any,
    *,
    questionnaire: Questionnaire,
    unit: Unit,
    scope: Unit | None = None,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    mode: str = Survey.Mode.ANONYMOUS,
    method: str = Survey.Method.DOOR_TO_DOOR,
    sample_size: int | None = None,
    sample_seed: int | None = None,
    posting_days: int = 10,
    movement: Any = None,
    indicator_map: dict[str, str] | None = None,
) -> Survey:
    """A draft survey of a questionnaire version for a subtree of the launching unit."""
    require(actor, "surveys.manage", unit)
    scope = scope or unit
    if not scope.is_within(unit):
        raise ValidationError({"scope": _("The surveyed unit must be within the launching unit.")})
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The survey cannot close before it opens.")})
    if sample_size is not None and sample_size < 1:
        raise ValidationError({"sample_size": _("Sample at least one residential area.")})
    if hasattr(questionnaire, "next_version"):
        raise ValidationError(
            {"questionnaire": _("This questionnaire has a newer version: use that one.")}
        )
    if sample_size is not None and sample_seed is None:
        sample_seed = secrets.randbelow(2**62)
    survey = Survey(
        questionnaire=questionnaire,
        unit=unit,
        scope=scope,
        title=title.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        mode=mode,
        method=method,
        sample_size=sample_size,
        sample_seed=sample_seed,
        posting_days=posting_days,
        movement=movement,
        indicator_map=indicator_map or {},
        secret=secrets.token_hex(32),
    )
    survey.full_clean(exclude=["rule", "movement", "secret"])
    with transaction.atomic():
        survey.save()
        audit.record(actor, "surveys.create_survey", survey, {"title": survey.title}, unit=unit)
    return survey


def field_survey(actor: Any, *, survey: Survey) -> Survey:
    """Start fielding: freeze the questionnaire, the frame and the coverage rule; draw the
    sample of areas with the stored seed; hand out household codes in household mode."""
    require(actor, "surveys.manage", survey.unit)
    day = survey.opens_on
    areas = list(
        Unit.objects.within(survey.scope)
        .valid_on(day)
        .filter(kind__code=AREA_KIND)
        .select_related("parent")
        .order_by("path")
    )
    if not areas:
        raise ValidationError(_("There is no residential area in this survey's scope."))
    # the household register, where an area has one, else the count kept on the unit
    registered = household_counts(areas)
    counts = {a.pk: registered.get(a.pk) or a.households or 0 for a in areas}
    missing = [a.display_name for a in areas if not counts[a.pk]]
    if missing:
        raise ValidationError(
            _("These residential areas have no household count: %(areas)s.")
            % {"areas": ", ".join(missing[:10])}
        )
    selected = {a.pk for a in areas}
    if survey.sample_size is not None:
        if survey.sample_size > len(areas):
            raise ValidationError(
                {"sample_size": _("Only %(n)s residential areas are in scope.") % {"n": len(areas)}}
            )
        chooser = random.Random(survey.sample_seed)
        selected = set(chooser.sample(sorted(selected), survey.sample_size))
    commune_rule = rule_in_force(CoverageRule.Level.COMMUNE, day)
    district_rule = rule_in_force(CoverageRule.Level.DISTRICT, day)
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if locked.status != S.DRAFT:
            raise ValidationError(_("This survey is already fielded."))
        if commune_rule:
            survey.commune_min_share = commune_rule.min_household_share
        if district_rule:
            survey.district_min_share = district_rule.min_household_share
        survey.rule = commune_rule if level_of(survey.scope) == "commune" else district_rule
        survey.status = S.FIELDING
        survey.fielded_at = timezone.now()
        survey.save()
        Questionnaire.objects.filter(pk=survey.questionnaire_id, frozen_at__isnull=True).update(
            frozen_at=timezone.now()
        )
        used: set[str] = set()
        frame = []
        for area in areas:
            code = secrets.token_hex(3).upper()
            while code in used:
                code = secrets.token_hex(3).upper()
            used.add(code)
            frame.append(
                FrameArea(
                    survey=survey,
                    area=area,
                    households=counts[area.pk],
                    from_register=area.pk in registered,
                    selected=area.pk in selected,
                    form_code=code,
                )
            )
        FrameArea.objects.bulk_create(frame, batch_size=2000)
        AreaTally.objects.bulk_create(
            (
                AreaTally(survey=survey, area=area, households=counts[area.pk])
                for area in areas
                if area.pk in selected
            ),
            batch_size=2000,
        )
        if survey.mode == Survey.Mode.HOUSEHOLD:
            HouseholdSlip.objects.bulk_create(
                (
                    HouseholdSlip(survey=survey, area=area, key=slip_key(survey, code))
                    for area in areas
                    if area.pk in selected
                    for code in household_codes(survey, area.pk, counts[area.pk])
                ),
                batch_size=5000,
            )
        audit.record(
            actor,
            "surveys.field_survey",
            survey,
            {
                "areas": len(areas),
                "sampled": len(selected),
                "households": sum(counts[a.pk] for a in areas if a.pk in selected),
                "from_register": sum(1 for a in areas if a.pk in registered),
                "seed": survey.sample_seed,
            },
            unit=survey.unit,
        )
    return survey


def launch_survey(actor: Any, **fields: Any) -> Survey:
    """Create and field at once (the launch page)."""
    with transaction.atomic():
        survey = create_survey(actor, **fields)
        return field_survey(actor, survey=survey)


def close_survey(actor: Any, *, survey: Survey) -> Survey:
    return _move(actor, survey, S.CLOSED, "surveys.close_survey")


def tally_survey(actor: Any, *, survey: Survey) -> Survey:
    """Count every area again from its responses, then no more late entries."""
    with transaction.atomic():
        _move(actor, survey, S.TALLIED, "surveys.tally_survey")
        recount_areas(survey, survey.tallies.values_list("area_id", flat=True))
    return survey


def reopen_survey(actor: Any, *, survey: Survey, reason: str) -> Survey:
    """After tallying, late entries need an audited reopening with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    survey.reopen_reason = reason.strip()
    return _move(actor, survey, S.CLOSED, "surveys.reopen_survey", {"reason": reason.strip()})


def _snapshot(survey: Survey) -> dict[str, Any]:
    def row(result: Any) -> dict[str, Any]:
        return {
            "unit_id": result.unit.pk if result.unit else None,
            "unit": result.unit.name if result.unit else "",
            "households": result.households,
            "answered": result.answered,
            "coverage": None if result.coverage is None else str(round(result.coverage, 4)),
            "unweighted": None if result.unweighted is None else str(round(result.unweighted, 4)),
            "weighted": None if result.weighted is None else str(round(result.weighted, 4)),
            "verdict": result.verdict,
        }

    results = selectors.results(survey)
    return {**row(results.total), "rows": [row(r) for r in results.rows]}


def report_survey(actor: Any, *, survey: Survey) -> Survey:
    """Send the posted results up: to the launching unit's parent (or the nearest unit above
    where somebody manages surveys), as figures frozen now, with a work item and a
    notification for its officers until one of them receives them."""
    target, users = deciders(survey.unit.parent, action="surveys.manage")
    with transaction.atomic():
        _move(actor, survey, S.REPORTED, "surveys.report_survey")
        report = SurveyReport.objects.create(
            survey=survey,
            to_unit=target,
            reported_by=person_or_none(actor),
            results=_snapshot(survey),
        )
        link = reverse("surveys:reports")
        notify_all(
            users,
            template="surveys/email/results_reported",
            context={
                "survey": survey.title,
                "unit": unit_label(survey.unit),
                "verdict": str(report.results.get("verdict", "")),
                "link": link,
                "site_url": settings.SITE_URL,
            },
            link=link,
            actor=actor,
        )
    return survey


def receive_report(actor: Any, *, report: SurveyReport) -> SurveyReport:
    """An officer of the unit the results were reported to takes them in (the work item ends)."""
    if report.to_unit is None:
        raise ValidationError(_("These results were not reported to a unit."))
    require(actor, "surveys.manage", report.to_unit)
    with transaction.atomic():
        updated = SurveyReport.objects.filter(pk=report.pk, received_at__isnull=True).update(
            received_by=person_or_none(actor), received_at=timezone.now()
        )
        if not updated:
            raise ValidationError(_("These results were already received."))
        report.refresh_from_db()
        audit.record(actor, "surveys.receive_report", report.survey, {}, unit=report.to_unit)
    return report


def archive_survey(actor: Any, *, survey: Survey) -> Survey:
    return _move(actor, survey, S.ARCHIVED, "surveys.archive_survey")
