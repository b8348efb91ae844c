"""Posting an area's list for 10 days, comments and their resolutions, and filing the dossier.

Rules enforced here:
- a list is posted once the meeting is recorded and every household of the area is assessed;
  the posting is a `core.Posting` (frozen rows, numbered A4 PDF with its hash);
- a comment's resolution that changes a household's result reissues the list as a new version
  (the old one kept) and restarts the 10 days;
- the dossier is filed only after the posting's last day and with every comment resolved;
  after the 25 November deadline filing asks for a reason (the law sets the date: warn, not
  block).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.formatting import format_date
from thidua.core.models import Posting, PostingComment
from thidua.core.pdf import render_pdf
from thidua.core.policy import require
from thidua.core.services import posting
from thidua.cultural_titles.models import AreaAssessment, HouseholdAssessment

S = AreaAssessment.Status


def posting_title(assessment: AreaAssessment) -> str:
    return _("Households proposed for the title “Cultural family” %(year)s — %(area)s") % {
        "year": assessment.round.year,
        "area": assessment.area.display_name,
    }


def _entries(assessment: AreaAssessment) -> list[list[Any]]:
    rows = assessment.households.filter(eligible=True).order_by("code")
    return [
        [number, row.head_name, row.address]
        for number, row in enumerate(rows.values_list("head_name", "address", named=True), 1)
    ]


def list_pdf(
    assessment: AreaAssessment, entries: list[list[Any]], starts_on: dt.date, ends_on: dt.date
) -> bytes:
    """The notice-board list: A4, numbered rows, large type."""

    html = render_to_string(
        "cultural_titles/posting_pdf.html",
        {
            "assessment": assessment,
            "title": posting_title(assessment),
            "entries": entries,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "assessed": assessment.assessed,
        },
    )
    return render_pdf(html)


def post_list(actor: Any, *, assessment: AreaAssessment, today: dt.date | None = None) -> Posting:
    """Post the area's list of eligible households for the round's posting days."""
    require(actor, "cultural_titles.manage", assessment.area)
    today = today or timezone.localdate()
    if assessment.status != S.DRAFT:
        raise ValidationError(_("This list is already posted."))
    if assessment.meeting_on is None:
        raise ValidationError(_("Record the meeting (date, chair) before posting its list."))
    if not assessment.assessed:
        raise ValidationError(_("Upload the assessed households before posting the list."))
    if today < assessment.meeting_on:
        raise ValidationError(_("The list is posted after the meeting."))
    entries = _entries(assessment)
    days = assessment.round.posting_days
    ends_on = today + dt.timedelta(days=days - 1)
    with transaction.atomic():
        created = posting.publish(
            actor,
            key=assessment.posting_key,
            unit=assessment.area,
            title=posting_title(assessment),
            starts_on=today,
            days=days,
            columns=[_("No."), _("Head of household"), _("Address")],
            entries=entries,
            pdf=list_pdf(assessment, entries, today, ends_on),
            verb="cultural_titles.post_list",
        )
        assessment.status = S.POSTED
        assessment.posting = created
        assessment.posted_on = created.starts_on
        assessment.posting_ends_on = created.ends_on
        assessment.save(
            update_fields=["status", "posting", "posted_on", "posting_ends_on", "updated_at"]
        )
    return created


def comment(
    actor: Any,
    *,
    assessment: AreaAssessment,
    name: str,
    text: str,
    contact: str = "",
    about: str = "",
    by_committee: bool = False,
    today: dt.date | None = None,
) -> PostingComment:
    """A resident's comment on the posted list: on the web while it is open, or entered by the
    committee (which may do so at any time before the dossier is filed)."""
    if assessment.posting is None or assessment.status != S.POSTED:
        raise ValidationError(_("This list is not posted for comments."))
    source = PostingComment.Source.WEB
    if by_committee:
        require(actor, "cultural_titles.manage", assessment.area)
        source = PostingComment.Source.COMMITTEE
    return posting.add_comment(
        actor,
        posting=assessment.posting,
        name=name,
        text=text,
        contact=contact,
        about=about,
        source=source,
        today=today,
    )


def resolve(
    actor: Any,
    *,
    assessment: AreaAssessment,
    comment: PostingComment,
    resolution: str,
    household_code: str = "",
    eligible: bool | None = None,
    today: dt.date | None = None,
) -> Posting:
    """Answer a comment. When it changes a household's result, the result is changed and the
    list reissued as a new version (the old one kept); returns the posting in force."""
    require(actor, "cultural_titles.manage", assessment.area)
    if comment.posting.key != assessment.posting_key:
        raise ValidationError(_("This comment is about another list."))
    if assessment.status != S.POSTED:
        raise ValidationError(_("The dossier is filed: comments can no longer change the list."))
    changes = bool(household_code) and eligible is not None
    row = None
    if changes:
        row = assessment.households.filter(code=household_code.strip()).first()
        if row is None:
            raise ValidationError({"household_code": _("No household with this code in the list.")})
        if row.eligible == eligible:
            changes = False
    with transaction.atomic():
        posting.resolve_comment(
            actor, comment=comment, resolution=resolution, changes_result=changes
        )
        if not changes:
            return assessment.posting
        row.eligible = eligible
        row.contested = True
        row.reason = resolution.strip()[:300]
        row.save(update_fields=["eligible", "contested", "reason"])
        assessment.eligible = assessment.households.filter(eligible=True).count()
        entries = _entries(assessment)
        today = today or timezone.localdate()
        ends_on = today + dt.timedelta(days=assessment.round.posting_days - 1)
        reissued = posting.reissue(
            actor,
            posting=assessment.posting,
            entries=entries,
            pdf=list_pdf(assessment, entries, today, ends_on),
            change_note=_("%(code)s: %(resolution)s")
            % {"code": row.code, "resolution": resolution.strip()},
            today=today,
            verb="cultural_titles.reissue_list",
        )
        # The comments stay on the version they were made on; the new version is posted anew.
        assessment.posting = reissued
        assessment.posted_on = reissued.starts_on
        assessment.posting_ends_on = reissued.ends_on
        assessment.save(
            update_fields=["eligible", "posting", "posted_on", "posting_ends_on", "updated_at"]
        )
    return reissued


def is_late(assessment: AreaAssessment, today: dt.date) -> bool:
    return assessment.filed_on is None and today > assessment.round.deadline


def file_dossier(
    actor: Any, *, assessment: AreaAssessment, late_reason: str = "", today: dt.date | None = None
) -> AreaAssessment:
    """File the area's dossier with the commune after the posting (Decree 86 Art. 7(1))."""
    require(actor, "cultural_titles.manage", assessment.area)
    today = today or timezone.localdate()
    if assessment.status != S.POSTED or assessment.posting_ends_on is None:
        raise ValidationError(_("Post the list for comments before filing the dossier."))
    if today <= assessment.posting_ends_on:
        raise ValidationError(
            _("The list is posted until %(day)s: the dossier can be filed from the day after.")
            % {"day": format_date(assessment.posting_ends_on)}
        )
    open_ones = posting.open_comments([c.pk for c in posting.versions(assessment.posting_key)])
    if sum(open_ones.values()):
        raise ValidationError(_("Resolve every comment before filing the dossier."))
    late_reason = (late_reason or "").strip()
    if today > assessment.round.deadline and not late_reason:
        raise ValidationError(
            {
                "late_reason": _("The deadline was %(day)s: give the reason for filing late.")
                % {"day": format_date(assessment.round.deadline)}
            }
        )
    with transaction.atomic():
        assessment.status = S.FILED
        assessment.filed_on = today
        assessment.late_reason = late_reason
        assessment.save(update_fields=["status", "filed_on", "late_reason", "updated_at"])
        audit.record(
            actor,
            "cultural_titles.file_dossier",
            assessment,
            {"on": today, "late": bool(late_reason)},
        )
    return assessment


def household_rows(assessment: AreaAssessment):
    return HouseholdAssessment.objects.filter(assessment=assessment).order_by("code")
