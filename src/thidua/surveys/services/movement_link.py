"""An effectiveness survey linked to a movement writes its findings as the movement's indicator
values: for each unit of the survey that takes part in the movement, a report for the period
holding the survey's closing day, with each mapped ratio indicator's value (answers among the
mapped options) and base (answers to the question). Only through the movements' services: the
report is submitted and, when the actor may decide on it, accepted, so it counts on the
movement's dashboard. A unit that already reported for the period is left as it is."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import can, require
from thidua.movements import services as movements
from thidua.org.models import Unit
from thidua.surveys.models import OptionTally, Survey
from thidua.surveys.services.tallies import ANSWERED

WRITABLE = (Survey.Status.TALLIED, Survey.Status.POSTED, Survey.Status.REPORTED)


def indicator_values(survey: Survey, unit: Unit) -> dict[int, tuple[int, int]]:
    """{indicator pk: (answers among the mapped options, answers to the question)} over the
    unit's subtree."""
    sums: dict[str, dict[str, int]] = defaultdict(dict)
    cells = (
        OptionTally.objects.filter(survey=survey, area__path__startswith=unit.path)
        .values("question", "option")
        .annotate(total=Sum("count"))
        .values_list("question", "option", "total")
        .order_by()
    )
    for code, option, total in cells:
        sums[code][option] = total
    values = {}
    for indicator_pk, rule in survey.indicator_map.items():
        cells = sums.get(rule["question"], {})
        yes = sum(n for option, n in cells.items() if option in set(rule["options"]))
        values[int(indicator_pk)] = (yes, cells.get(ANSWERED, 0))
    return values


def write_movement_indicators(actor: Any, *, survey: Survey) -> list[Any]:
    """Write the survey's indicator values into its movement, per participating unit."""
    require(actor, "surveys.manage", survey.scope)
    movement = survey.movement
    if movement is None or not survey.indicator_map:
        raise ValidationError(_("This survey is not linked to a movement's indicators."))
    if survey.status not in WRITABLE:
        raise ValidationError(_("Tally the survey before writing its findings."))
    period = movement.periods.filter(
        starts_on__lte=survey.closes_on, ends_on__gte=survey.closes_on
    ).first()
    if period is None:
        raise ValidationError(_("The movement has no period holding the survey's closing day."))
    units = [survey.scope] if movements.in_scope(movement, survey.scope) else []
    if not units:
        areas = Unit.objects.filter(
            pk__in=survey.tallies.filter(valid__gt=0).values("area_id")
        ).select_related("parent", "kind")
        units = [area for area in areas if movements.in_scope(movement, area)]
    reports = []
    with transaction.atomic():
        for unit in units:
            values = {
                pk: (yes, base)
                for pk, (yes, base) in indicator_values(survey, unit).items()
                if base
            }
            if not values:
                continue
            try:
                report = movements.save_report(
                    actor,
                    movement=movement,
                    unit=unit,
                    period=period,
                    values={pk: yes for pk, (yes, _base) in values.items()},
                    bases={pk: base for pk, (_yes, base) in values.items()},
                    narrative=_("Findings of the survey “%(title)s”.") % {"title": survey.title},
                    submit=True,
                )
            except ValidationError:
                continue  # already reported for this period: left as it is
            if unit.parent_id and can(actor, "unit.approve", unit.parent):
                movements.accept_report(actor, report=report)
            reports.append(report)
        audit.record(
            actor,
            "surveys.write_movement_indicators",
            survey,
            {"movement": movement.pk, "period": period.label, "reports": len(reports)},
            unit=survey.scope,
        )
    return reports
