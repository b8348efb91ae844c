"""Writers' fees (nhuận bút): the type's rate times the unit's coefficient, proposed by the
editorial board for the stories of an issue or a month, approved by the editor-in-chief."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import require
from thidua.publishing.models import Fee, Issue, Story, StoryType

# Rates per story type in đồng (to be set by the client's fee rules; see the report).
RATES: dict[str, Decimal] = {
    StoryType.NEWS: Decimal(300_000),
    StoryType.ARTICLE: Decimal(600_000),
    StoryType.FEATURE: Decimal(800_000),
    StoryType.PHOTO: Decimal(400_000),
    StoryType.INTERVIEW: Decimal(700_000),
}


def fee_for(story_type: str, coefficient: Decimal = Decimal(1)) -> Decimal:
    return (RATES.get(story_type, RATES[StoryType.NEWS]) * coefficient).quantize(Decimal(1))


@transaction.atomic
def propose_fees(actor: Any, *, issue: Issue, coefficient: Decimal = Decimal(1)) -> list[Fee]:
    """A fee for each story of the issue that has none yet (idempotent)."""
    require(actor, "publishing.issue", issue.owner_unit)
    if coefficient <= 0:
        raise ValidationError({"coefficient": _("The coefficient must be above zero.")})
    made = []
    slots = issue.slots.select_related("story", "story__author")
    period = issue.issued_on.strftime("%Y-%m")
    for slot in slots:
        story: Story = slot.story
        if Fee.objects.filter(story=story).exists():
            continue
        made.append(
            Fee.objects.create(
                story=story,
                issue=issue,
                payee=story.byline or str(story.author),
                story_type=story.story_type,
                amount=fee_for(story.story_type, coefficient),
                period=period,
            )
        )
    audit.record(actor, "publishing.fees_propose", issue, {"count": len(made)})
    return made


@transaction.atomic
def approve_fees(actor: Any, *, issue: Issue) -> int:
    require(actor, "publishing.approve_fees", issue.owner_unit)
    fees = Fee.objects.select_for_update().filter(issue=issue, status=Fee.Status.PROPOSED)
    count = fees.update(status=Fee.Status.APPROVED, approved_by=actor)
    audit.record(actor, "publishing.fees_approve", issue, {"count": count})
    return count
