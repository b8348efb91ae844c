"""The public notice of proposed recipients (niêm yết công khai) and the public's comments.

Rules enforced here:
- where the award rule in force on the nomination's date asks for a public notice of N days,
  the secretariat publishes the approved nominees after the council vote; the notice runs N
  days from its publication (the longest N among the nominees it lists);
- anyone may comment on a listed nominee while the notice runs: a name, a way to reach them
  and the text, all required and bounded (the page limits how many comments a client address
  may leave: `core.limits`, RATE_LIMITS["notice_comment"]);
- only the secretariat reads the comments (they carry personal contacts);
- the decision is issued only once the notice has ended (see `decision_obstacles`);
- the notice is also a shared `core.Posting` (key `honors.notice:<id>`): the listed nominees
  frozen as published (name, unit, award), the window, and the numbered A4 PDF with its hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core.formatting import format_date
from thidua.honors.models import Nomination, NoticeComment, PublicNotice, Round
from thidua.honors.rules import is_secretariat, rule_in_force

S = Nomination.Status


NAME_MAX = 120


CONTACT_MAX = 200


TEXT_MIN = 10


TEXT_MAX = 2000


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def notice_days(nomination: Nomination) -> int:
    """Days of public notice the rule in force on the nomination's date asks for (0: none)."""
    rule = rule_in_force(nomination.award_type, nomination.nominated_on)
    return rule.public_notice_days if rule is not None else 0


def awaiting_notice(round: Round) -> list[Nomination]:
    """Approved nominations of the round whose rule asks for a notice not yet published."""
    approved = (
        Nomination.objects.filter(round=round, status=S.APPROVED, notice__isnull=True)
        .select_related("award_type", "unit")
        .order_by("id")
    )
    days: dict[tuple[int, dt.date], int] = {}
    for nomination in approved:
        key = (nomination.award_type_id, nomination.nominated_on)
        if key not in days:
            days[key] = notice_days(nomination)
    return [n for n in approved if days[(n.award_type_id, n.nominated_on)] > 0]


def posting_title(round: Round) -> str:
    return _("Public notice of proposed honours — %(round)s") % {"round": round.title}


def posting_columns() -> list[str]:
    return [_("No."), _("Proposed recipient"), _("Unit"), _("Award")]


def posting_entries(nominations: list[Nomination]) -> list[list[Any]]:
    """The rows the public notice page shows, numbered, frozen as published."""
    return [
        [number, n.nominee_name, n.unit.display_name, n.award_type.name]
        for number, n in enumerate(nominations, 1)
    ]


def client_key(address: str) -> str:
    """Who commented, kept as a keyed hash of the address, never the address itself."""
    return hashlib.sha256(f"{settings.SECRET_KEY}|{address}".encode()).hexdigest()


def open_notices(today: dt.date | None = None) -> QuerySet[PublicNotice]:
    """Notices running today, the soonest to end first, with how many nominees each lists."""
    today = today or timezone.localdate()
    return (
        PublicNotice.objects.filter(starts_on__lte=today, ends_on__gte=today)
        .select_related("round", "round__owner_unit")
        .annotate(count=Count("nominations"))
        .order_by("ends_on", "id")
    )


def comments_by(user: Any) -> QuerySet[NoticeComment]:
    """A signed-in person's own public comments, newest first (the text they wrote, the nominee
    and the notice; never anyone else's)."""
    if user is None or not user.is_authenticated:
        return NoticeComment.objects.none()
    return (
        NoticeComment.objects.filter(author=user)
        .select_related("notice__round", "nomination")
        .order_by("-created_at", "-id")
    )


def comments_for(actor: Any, nomination: Nomination) -> list[NoticeComment]:
    """The public's comments on a nominee, for the secretariat only."""
    if not is_secretariat(actor, nomination.round):
        return []
    return list(nomination.public_comments.all())


def decision_obstacles(
    nominations: list[Nomination], *, signed_on: dt.date, today: dt.date | None = None
) -> list[str]:
    """Why a decision cannot confer these awards yet: a notice the rule asks for is missing or
    still running (on the day of issue or on the decision's date)."""
    today = today or timezone.localdate()
    reasons = []
    for nomination in nominations:
        days = notice_days(nomination)
        if not days:
            continue
        notice = nomination.notice
        ends_on = notice.window()[1] if notice is not None else None
        if notice is None:
            reasons.append(
                _(
                    "%(nominee)s must first be published for public notice (%(days)s days) "
                    "before the decision."
                )
                % {"nominee": nomination.nominee_name, "days": days}
            )
        elif ends_on >= today or ends_on >= signed_on:
            reasons.append(
                _(
                    "The public notice of %(nominee)s runs until %(date)s: the decision can be "
                    "issued and dated from %(next)s."
                )
                % {
                    "nominee": nomination.nominee_name,
                    "date": format_date(ends_on),
                    "next": format_date(ends_on + dt.timedelta(days=1)),
                }
            )
    return reasons
