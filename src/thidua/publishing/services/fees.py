"""Writers' fees (nhuận bút).

Rates are dated data: an editorial board (a unit) enters a version of its rates, one per story
type, in force from a date until its next version (`add_rate_version`). A fee is the rate of the
story's type in force on the publication date (the issue's date, or the day a web story went
live) times the board's coefficient, proposed by the editorial board for the stories of an issue
(`propose_fees`) or for the web stories of a month (`propose_month_fees`) and approved by the
editor-in-chief. A board with no rates of its own uses the nearest board above it, and the
defaults below when no board above has any.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import require
from thidua.core.text import clean_name
from thidua.org.models import Unit
from thidua.publishing.models import Fee, FeeRate, Issue, Story, StoryType

# Used only while no board up the tree has entered rates (the demo, a new installation).
DEFAULT_RATES: dict[str, Decimal] = {
    StoryType.NEWS: Decimal(300_000),
    StoryType.ARTICLE: Decimal(600_000),
    StoryType.FEATURE: Decimal(800_000),
    StoryType.PHOTO: Decimal(400_000),
    StoryType.INTERVIEW: Decimal(700_000),
}
RATES = DEFAULT_RATES  # the former name


def _amount(raw: Any) -> Decimal | None:
    """A rate as typed ("300.000", "300000") or as a number; None when it is not one."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        raw = raw.replace(".", "").replace(" ", "").replace("đ", "")
    try:
        return Decimal(raw)
    except (InvalidOperation, TypeError, ValueError):
        return None


def _ancestor_paths(unit: Unit) -> list[str]:
    """The unit's path and its ancestors', nearest first ("1/5/9/" → "1/5/9/", "1/5/", "1/")."""
    parts = [p for p in unit.path.split("/") if p]
    return ["/".join(parts[:n]) + "/" for n in range(len(parts), 0, -1)]


def rate_in_force(unit: Unit, story_type: str, on: dt.date) -> tuple[Decimal, dt.date | None]:
    """(rate, in force from) of the nearest board at or above `unit` that has a rate for the
    type on that day; (default, None) when none has."""
    paths = _ancestor_paths(unit)
    rows = (
        FeeRate.objects.filter(
            owner_unit__path__in=paths, story_type=story_type, valid_from__lte=on
        )
        .order_by("-valid_from")
        .values_list("owner_unit__path", "amount", "valid_from")
    )
    best: dict[str, tuple[Decimal, dt.date]] = {}
    for path, amount, valid_from in rows:
        best.setdefault(path, (amount, valid_from))
    for path in paths:
        if path in best:
            return best[path]
    return DEFAULT_RATES.get(story_type, DEFAULT_RATES[StoryType.NEWS]), None


def fee_for(story_type: str, coefficient: Decimal = Decimal(1)) -> Decimal:
    """The default rate times a coefficient (kept for callers without a unit and a date)."""
    return (DEFAULT_RATES.get(story_type, DEFAULT_RATES[StoryType.NEWS]) * coefficient).quantize(
        Decimal(1)
    )


def rate_versions(unit: Unit) -> list[dict]:
    """The unit's rate versions, newest first: {valid_from, note, rates: {type: amount}}."""
    versions: dict[dt.date, dict] = {}
    for rate in FeeRate.objects.filter(owner_unit=unit).order_by("-valid_from", "story_type"):
        version = versions.setdefault(
            rate.valid_from, {"valid_from": rate.valid_from, "note": rate.note, "rates": {}}
        )
        version["rates"][rate.story_type] = rate.amount
    return list(versions.values())


@transaction.atomic
def add_rate_version(
    actor: Any,
    *,
    unit: Unit,
    valid_from: dt.date,
    rates: dict[str, Any],
    note: str = "",
) -> list[FeeRate]:
    """A new version of the board's rates, one per story type, in force from `valid_from`.
    Fees already proposed keep the amount they were made with."""
    require(actor, "publishing.approve_fees", unit)
    errors: dict[str, str] = {}
    amounts: dict[str, Decimal] = {}
    for story_type in StoryType.values:
        amount = _amount(rates.get(story_type))
        if amount is None or amount <= 0 or amount != amount.to_integral_value():
            errors[story_type] = _("Enter the rate in đồng, a whole number above zero.")
        else:
            amounts[story_type] = amount
    if valid_from is None:
        errors["valid_from"] = _("Enter the date the rates are in force from.")
    if errors:
        raise ValidationError(errors)
    if FeeRate.objects.filter(owner_unit=unit, valid_from=valid_from).exists():
        raise ValidationError(
            {"valid_from": _("A version of the rates is already in force from this date.")}
        )
    try:
        with transaction.atomic():
            made = [
                FeeRate.objects.create(
                    owner_unit=unit,
                    story_type=story_type,
                    amount=amount,
                    valid_from=valid_from,
                    note=clean_name(note),
                    created_by=actor,
                )
                for story_type, amount in amounts.items()
            ]
    except IntegrityError as error:  # a concurrent version of the same date
        raise ValidationError(
            {"valid_from": _("A version of the rates is already in force from this date.")}
        ) from error
    audit.record(
        actor,
        "publishing.fee_rates_add",
        unit,
        {"valid_from": valid_from.isoformat(), **{k: str(v) for k, v in amounts.items()}},
        unit=unit,
    )
    return made


def _fee(story: Story, *, unit: Unit, published_on: dt.date, coefficient: Decimal, issue=None):
    rate, rate_from = rate_in_force(unit, story.story_type, published_on)
    return Fee.objects.create(
        story=story,
        issue=issue,
        owner_unit=unit,
        payee=story.byline or str(story.author),
        story_type=story.story_type,
        rate=rate,
        rate_from=rate_from,
        coefficient=coefficient,
        published_on=published_on,
        amount=(rate * coefficient).quantize(Decimal(1)),
        period=published_on.strftime("%Y-%m"),
    )


def _check_coefficient(coefficient: Decimal) -> None:
    if coefficient <= 0:
        raise ValidationError({"coefficient": _("The coefficient must be above zero.")})


@transaction.atomic
def propose_fees(actor: Any, *, issue: Issue, coefficient: Decimal = Decimal(1)) -> list[Fee]:
    """A fee for each story of the issue that has none yet (idempotent), at the rate in force
    on the issue's date."""
    require(actor, "publishing.issue", issue.owner_unit)
    _check_coefficient(coefficient)
    made = []
    slots = issue.slots.select_related("story", "story__author")
    for slot in slots:
        story: Story = slot.story
        if Fee.objects.filter(story=story).exists():
            continue
        made.append(
            _fee(
                story,
                unit=issue.owner_unit,
                published_on=issue.issued_on,
                coefficient=coefficient,
                issue=issue,
            )
        )
    audit.record(actor, "publishing.fees_propose", issue, {"count": len(made)})
    return made


def parse_period(period: str) -> tuple[dt.date, dt.date]:
    """ "2024-10" → (1 Oct 2024, 1 Nov 2024); a ValidationError otherwise."""
    try:
        first = dt.datetime.strptime(period or "", "%Y-%m").date()
    except ValueError as error:
        raise ValidationError({"period": _("Choose a month (for example 2024-10).")}) from error
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following


@transaction.atomic
def propose_month_fees(
    actor: Any, *, unit: Unit, period: str, coefficient: Decimal = Decimal(1)
) -> list[Fee]:
    """A fee for each story of the unit's part of the tree that went live on the web in the
    month and has none yet (a story already paid through an issue is not paid twice), at the
    rate in force on the day it went live."""
    require(actor, "publishing.issue", unit)
    _check_coefficient(coefficient)
    first, following = parse_period(period)
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(following, dt.time.min, tzinfo=zone)
    stories = (
        Story.objects.filter(
            owner_unit__path__startswith=unit.path,
            is_live=True,
            published_at__gte=start,
            published_at__lt=end,
            fee__isnull=True,
        )
        .select_related("author")
        .order_by("published_at", "id")
    )
    made = [
        _fee(
            story,
            unit=unit,
            published_on=timezone.localtime(story.published_at).date(),
            coefficient=coefficient,
        )
        for story in stories
    ]
    audit.record(
        actor, "publishing.fees_propose_month", unit, {"period": period, "count": len(made)}
    )
    return made


@transaction.atomic
def approve_fees(actor: Any, *, issue: Issue) -> int:
    require(actor, "publishing.approve_fees", issue.owner_unit)
    fees = Fee.objects.select_for_update().filter(issue=issue, status=Fee.Status.PROPOSED)
    count = fees.update(status=Fee.Status.APPROVED, approved_by=actor)
    audit.record(actor, "publishing.fees_approve", issue, {"count": count})
    return count


@transaction.atomic
def approve_month_fees(actor: Any, *, unit: Unit, period: str) -> int:
    """The editor-in-chief approves the month's web fees proposed by the unit's board."""
    require(actor, "publishing.approve_fees", unit)
    parse_period(period)
    fees = Fee.objects.select_for_update().filter(
        owner_unit=unit, issue__isnull=True, period=period, status=Fee.Status.PROPOSED
    )
    count = fees.update(status=Fee.Status.APPROVED, approved_by=actor)
    audit.record(actor, "publishing.fees_approve_month", unit, {"period": period, "count": count})
    return count
