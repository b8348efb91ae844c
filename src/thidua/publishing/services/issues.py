"""Bulletin issues: the editorial board places approved stories of its subtree as frozen
revisions on planned pages; draft → proof → approved (the editor-in-chief) → published. The
print PDF is rendered in the background and stored privately with its SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import require
from thidua.core.text import clean_name
from thidua.core.uploads import private_storage
from thidua.publishing.bulletin_pdf import issue_pdf
from thidua.publishing.models import Issue, IssueSlot, Story
from thidua.publishing.models.bulletin import BULLETIN_NAME
from thidua.publishing.tasks import render_issue_pdf_task

I = Issue.Status  # noqa: E741
PLACEABLE = {Story.Status.APPROVED, Story.Status.SCHEDULED, Story.Status.PUBLISHED}


def _locked(issue: Issue) -> Issue:
    return Issue.objects.select_for_update().select_related("owner_unit").get(pk=issue.pk)


@transaction.atomic
def create_issue(
    actor: Any,
    *,
    unit: Any,
    number: str,
    issued_on: dt.date,
    editor_in_chief: str,
    masthead: str = "",
    bulletin: str = BULLETIN_NAME,
    planned_pages: int = 8,
) -> Issue:
    require(actor, "publishing.issue", unit)
    issue = Issue(
        owner_unit=unit,
        bulletin=clean_name(bulletin) or BULLETIN_NAME,
        number=clean_name(number),
        issued_on=issued_on,
        editor_in_chief=clean_name(editor_in_chief),
        masthead=clean_name(masthead),
        planned_pages=planned_pages,
        created_by=actor,
    )
    if Issue.objects.filter(owner_unit=unit, bulletin=issue.bulletin, number=issue.number).exists():
        raise ValidationError({"number": _("An issue with this number already exists.")})
    issue.full_clean(exclude=["created_by", "pdf"])
    issue.save()
    audit.record(actor, "publishing.issue_create", issue, {"number": issue.number})
    return issue


def _editable(issue: Issue) -> None:
    if issue.status not in {I.DRAFT, I.PROOF}:
        raise ValidationError(_("This issue is approved: its pages can no longer change."))


@transaction.atomic
def place_story(
    actor: Any, *, issue: Issue, story: Story, page: int, layout: str, position: int = 0
) -> IssueSlot:
    """Place a story's approved revision on a page: that revision is frozen into the issue."""
    issue = _locked(issue)
    require(actor, "publishing.issue", issue.owner_unit)
    _editable(issue)
    story = Story.objects.select_related("owner_unit", "revision").get(pk=story.pk)
    if not story.owner_unit.path.startswith(issue.owner_unit.path):
        raise ValidationError({"story": _("Choose a story of this unit's part of the tree.")})
    if story.status not in PLACEABLE and not story.is_live:
        raise ValidationError({"story": _("Only approved stories can go into an issue.")})
    if not 1 <= page <= issue.planned_pages:
        raise ValidationError(
            {"page": _("Choose a page from 1 to %(pages)s.") % {"pages": issue.planned_pages}}
        )
    if layout not in IssueSlot.Layout.values:
        raise ValidationError({"layout": _("Choose a layout.")})
    revision = story.revision if story.status in PLACEABLE else story.live_revision
    if IssueSlot.objects.filter(issue=issue, story=story).exists():
        raise ValidationError({"story": _("This story is already in the issue.")})
    slot = IssueSlot.objects.create(
        issue=issue, story=story, revision=revision, page=page, layout=layout, position=position
    )
    _stale_pdf(issue)
    audit.record(actor, "publishing.issue_place", issue, {"story": revision.title, "page": page})
    return slot


@transaction.atomic
def remove_slot(actor: Any, *, slot: IssueSlot) -> None:
    issue = _locked(slot.issue)
    require(actor, "publishing.issue", issue.owner_unit)
    _editable(issue)
    audit.record(actor, "publishing.issue_remove", issue, {"story": slot.revision.title})
    slot.delete()
    _stale_pdf(issue)


def _stale_pdf(issue: Issue) -> None:
    if issue.pdf_sha256:
        Issue.objects.filter(pk=issue.pk).update(pdf_sha256="", pdf_pages=0)


def _enqueue_render(issue: Issue) -> None:
    transaction.on_commit(lambda: render_issue_pdf_task.enqueue(issue.pk))


@transaction.atomic
def send_to_proof(actor: Any, *, issue: Issue) -> Issue:
    """The board's layout is ready: the proof PDF is rendered in the background."""
    issue = _locked(issue)
    require(actor, "publishing.issue", issue.owner_unit)
    if issue.status != I.DRAFT:
        raise ValidationError(_("Only a draft issue goes to proof."))
    if not issue.slots.exists():
        raise ValidationError(_("Place at least one story in the issue."))
    issue.status = I.PROOF
    issue.save(update_fields=["status"])
    audit.record(actor, "publishing.issue_proof", issue)
    _enqueue_render(issue)
    return issue


@transaction.atomic
def approve_issue(actor: Any, *, issue: Issue) -> Issue:
    """The editor-in-chief approves the proof."""
    issue = _locked(issue)
    require(actor, "publishing.approve_issue", issue.owner_unit)
    if issue.status != I.PROOF:
        raise ValidationError(_("Only an issue in proof can be approved."))
    issue.status = I.APPROVED
    issue.save(update_fields=["status"])
    audit.record(actor, "publishing.issue_approve", issue)
    return issue


@transaction.atomic
def publish_issue(actor: Any, *, issue: Issue) -> Issue:
    issue = _locked(issue)
    require(actor, "publishing.issue", issue.owner_unit)
    if issue.status != I.APPROVED:
        raise ValidationError(_("Only an approved issue can be published."))
    issue.status = I.PUBLISHED
    issue.published_at = timezone.now()
    issue.save(update_fields=["status", "published_at"])
    audit.record(actor, "publishing.issue_publish", issue)
    if not issue.pdf_sha256:
        _enqueue_render(issue)
    return issue


def render_issue_pdf(issue_id: int) -> str:
    """Render and store the print PDF (the task's body). Idempotent: the same slots give the
    same file, stored again under a new name with its hash."""
    from pypdf import PdfReader

    issue = Issue.objects.select_related("owner_unit").get(pk=issue_id)
    content = issue_pdf(issue)
    digest = hashlib.sha256(content).hexdigest()

    pages = len(PdfReader(io.BytesIO(content)).pages)
    with transaction.atomic():
        issue = _locked(issue)
        old = issue.pdf.name
        issue.pdf.save(f"{issue.pk}.pdf", ContentFile(content), save=False)
        issue.pdf_sha256 = digest
        issue.pdf_pages = pages
        issue.pdf_rendered_at = timezone.now()
        issue.save(update_fields=["pdf", "pdf_sha256", "pdf_pages", "pdf_rendered_at"])
        audit.record("task worker", "publishing.issue_pdf", issue, {"sha256": digest})
        if old:
            transaction.on_commit(lambda: private_storage().delete(old))
    return digest
