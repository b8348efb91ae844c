"""Writes of the score tables.

Rules:
- a table has groups, criteria and sub-criteria; the leaves are scored, each with its maximum
  points, bonus and penalty maxima, whether evidence is required, a deadline and a guide;
- a table is frozen when the first sheet on it is submitted; editing a criterion of a frozen
  table makes the next version (a copy with the edit), the reviews using it move to the new
  version, their members are told, and the sheets already made stay on the version they have.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.clusters.models import CriteriaGroup, Criterion, ScoreTable
from thidua.clusters.services.common import label, tell
from thidua.core import audit
from thidua.core.policy import require
from thidua.core.text import clean_name
from thidua.org.models import Unit

EDITABLE = (
    "title",
    "max_points",
    "bonus_max",
    "penalty_max",
    "required",
    "evidence_required",
    "deadline",
    "scoring_guide",
)


def create_table(actor: Any, *, owner_unit: Unit, year: int, title: str) -> ScoreTable:
    require(actor, "clusters.manage", owner_unit)
    table = ScoreTable(owner_unit=owner_unit, year=year, title=clean_name(title))
    table.full_clean()
    with transaction.atomic():
        table.save()
        audit.record(actor, "clusters.create_table", table, {"title": table.title, "year": year})
    return table


def _editable(table: ScoreTable) -> None:
    if table.is_frozen:
        raise ValidationError(_("This table is in use: edit a criterion to make its next version."))


def add_group(actor: Any, *, table: ScoreTable, code: str, title: str) -> CriteriaGroup:
    require(actor, "clusters.manage", table.owner_unit)
    _editable(table)
    order = table.groups.count() + 1
    group = CriteriaGroup(table=table, code=code.strip(), title=title.strip(), order=order)
    group.full_clean()
    with transaction.atomic():
        group.save()
        audit.record(actor, "clusters.edit_table", table, {"group": group.code})
    return group


def _check_points(max_points: Decimal, bonus_max: Decimal, penalty_max: Decimal) -> None:
    if min(Decimal(max_points), Decimal(bonus_max), Decimal(penalty_max)) < 0:
        raise ValidationError(_("Points cannot be negative."))


def add_criterion(
    actor: Any,
    *,
    group: CriteriaGroup,
    code: str,
    title: str,
    max_points: Decimal = Decimal(0),
    bonus_max: Decimal = Decimal(0),
    penalty_max: Decimal = Decimal(0),
    required: bool = True,
    evidence_required: bool = False,
    deadline: dt.date | None = None,
    scoring_guide: str = "",
    parent: Criterion | None = None,
) -> Criterion:
    table = group.table
    require(actor, "clusters.manage", table.owner_unit)
    _editable(table)
    _check_points(max_points, bonus_max, penalty_max)
    if parent is not None and parent.group_id != group.pk:
        raise ValidationError(_("A sub-criterion belongs to its criterion's group."))
    criterion = Criterion(
        table=table,
        group=group,
        parent=parent,
        order=group.criteria.count() + 1,
        code=code.strip(),
        title=title.strip(),
        max_points=max_points,
        bonus_max=bonus_max,
        penalty_max=penalty_max,
        required=required,
        evidence_required=evidence_required,
        deadline=deadline,
        scoring_guide=scoring_guide.strip(),
    )
    criterion.full_clean()
    with transaction.atomic():
        criterion.save()
        audit.record(actor, "clusters.edit_table", table, {"criterion": criterion.code})
    return criterion


def _copy(table: ScoreTable, note: str) -> tuple[ScoreTable, dict[int, Criterion]]:
    """The next version: the same groups and criteria, not frozen."""
    copy = ScoreTable.objects.create(
        owner_unit=table.owner_unit,
        year=table.year,
        title=table.title,
        version=table.version + 1,
        previous=table,
        change_note=note,
    )
    groups = {}
    for group in table.groups.all():
        groups[group.pk] = CriteriaGroup.objects.create(
            table=copy, order=group.order, code=group.code, title=group.title
        )
    mapping: dict[int, Criterion] = {}
    # parents before children: a criterion's parent is copied first
    for criterion in sorted(table.criteria.all(), key=lambda c: (c.parent_id is not None, c.pk)):
        fields = {name: getattr(criterion, name) for name in EDITABLE}
        mapping[criterion.pk] = Criterion.objects.create(
            table=copy,
            group=groups[criterion.group_id],
            parent=mapping.get(criterion.parent_id) if criterion.parent_id else None,
            order=criterion.order,
            code=criterion.code,
            **fields,
        )
    return copy, mapping


def edit_criterion(
    actor: Any, *, criterion: Criterion, note: str = "", **changes: Any
) -> Criterion:
    """Change a criterion. On a frozen table this makes the next version, moves the reviews
    that use the table to it and tells their members; the sheets keep the version they have.
    Returns the criterion as changed (in the new version when one was made)."""
    table = criterion.table
    require(actor, "clusters.manage", table.owner_unit)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(f)s") % {"f": ", ".join(unknown)}
        )
    merged = {name: changes.get(name, getattr(criterion, name)) for name in EDITABLE}
    _check_points(merged["max_points"], merged["bonus_max"], merged["penalty_max"])
    if table.is_frozen and hasattr(table, "next_version"):
        raise ValidationError(_("Edit the latest version of this table."))
    with transaction.atomic():
        if table.is_frozen:
            if not note.strip():
                raise ValidationError({"note": _("Say what changes in the new version.")})
            new_table, mapping = _copy(table, note.strip())
            target = mapping[criterion.pk]
            reviews = list(table.reviews.select_related("cluster", "cluster__owner_unit"))
            for review in reviews:
                review.table = new_table
                review.save(update_fields=["table"])
        else:
            new_table, target, reviews = table, criterion, []
        for name, value in merged.items():
            setattr(target, name, value)
        target.full_clean()
        target.save()
        audit.record(
            actor,
            "clusters.edit_criterion",
            new_table,
            {
                "criterion": target.code,
                "version": new_table.version,
                "changes": {k: str(v) for k, v in changes.items()},
            },
        )
        for review in reviews:
            _tell_members(actor, review, new_table)
    return target


def _tell_members(actor: Any, review: Any, table: ScoreTable) -> None:
    for membership in review.cluster.memberships.filter(left_on__isnull=True).select_related(
        "unit", "unit__kind", "unit__parent"
    ):
        tell(
            actor,
            membership.unit,
            "clusters.self_assess",
            template="clusters/email/table_changed",
            context={
                "table": table.title,
                "version": table.version,
                "note": table.change_note,
                "cluster": review.cluster.name,
                "unit": label(membership.unit),
            },
            link=f"/clusters/reviews/{review.pk}/",
        )
