"""Stories and their editorial workflow.

draft → submitted (with a comment) → in review → approved → scheduled / published; an editor
may return a submitted or reviewed story to its author with a required reason (back to draft).
Contributors (officers) write and submit; only editors whose unit covers the story's unit approve,
schedule and publish. Editing a live story writes a new revision that goes to review while the
public keeps reading the approved one (`live_revision`) until the new one is published.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import can, require
from thidua.core.text import clean_name
from thidua.org.selectors import normalise_search
from thidua.publishing.models import Column, Revision, Story
from thidua.publishing.models.stories import slug_of
from thidua.publishing.richtext import clean_html, plain_text
from thidua.publishing.tasks import publish_scheduled_story

S = Story.Status

TRANSITIONS: dict[str, frozenset[str]] = {
    "submit": frozenset({S.DRAFT}),
    "start_review": frozenset({S.SUBMITTED}),
    "return": frozenset({S.SUBMITTED, S.IN_REVIEW, S.APPROVED, S.SCHEDULED}),
    "approve": frozenset({S.SUBMITTED, S.IN_REVIEW}),
    "schedule": frozenset({S.APPROVED, S.SCHEDULED}),
    "publish": frozenset({S.APPROVED, S.SCHEDULED}),
    "unpublish": frozenset({S.PUBLISHED}),
}


def _check_transition(story: Story, action: str) -> None:
    if story.status not in TRANSITIONS[action]:
        raise ValidationError(
            _("This story is %(status)s: this step is not possible now.")
            % {"status": story.get_status_display().lower()}
        )


def _locked(story: Story) -> Story:
    return Story.objects.select_for_update().select_related("owner_unit").get(pk=story.pk)


def _text(title: str, lead: str, body: str) -> tuple[str, str, str]:
    title = clean_name(title)
    lead = " ".join((lead or "").split())
    body = clean_html(body)
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Give the story a title.")
    if not lead:
        errors["lead"] = _("Write the lead: one or two sentences.")
    if not plain_text(body):
        errors["body"] = _("Write the story's text.")
    if errors:
        raise ValidationError(errors)
    return title, lead, body


def _check_column(column: Column, unit: Any) -> None:
    # A column belongs to a unit's portal: a story may go into a column of its own unit or of
    # a unit above it (the city's columns take stories from every ward); a retired column
    # takes no new story.
    if not unit.path.startswith(column.unit.path):
        raise ValidationError({"column": _("Choose a column of this unit or of a unit above.")})
    if not Column.objects.filter(pk=column.pk, is_active=True).exists():
        raise ValidationError({"column": _("This column is retired: choose another.")})


def _may_edit(actor: Any, story: Story) -> bool:
    if can(actor, "publishing.approve", story.owner_unit):
        return True
    return story.author_id == actor.pk and can(actor, "publishing.write", story.owner_unit)


def _new_revision(actor: Any, story: Story, title: str, lead: str, body: str, photos) -> Revision:
    number = (story.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    revision = Revision.objects.create(
        story=story, number=number, title=title, lead=lead, body=body, author=actor
    )
    if photos is not None:
        revision.photos.set(photos)
    return revision


@transaction.atomic
def create_story(
    actor: Any,
    *,
    unit: Any,
    column: Column,
    title: str,
    lead: str,
    body: str,
    language: str = "vi",
    story_type: str = "news",
    tags: str = "",
    byline: str = "",
    translation_of: Story | None = None,
) -> Story:
    """A new draft in the actor's part of the tree (officers, leaders and editors write)."""
    require(actor, "publishing.write", unit)
    title, lead, body = _text(title, lead, body)
    _check_column(column, unit)
    story = Story(
        owner_unit=unit,
        column=column,
        language=language,
        story_type=story_type,
        tags=clean_name(tags),
        byline=clean_name(byline) or str(actor),
        author=actor,
        translation_of=translation_of,
        slug=slug_of(title),
    )
    story.full_clean(exclude=["revision", "live_revision", "author"])
    story.save()
    story.revision = _new_revision(actor, story, title, lead, body, photos=[])
    story.save(update_fields=["revision"])
    audit.record(actor, "publishing.story_create", story, {"title": title})
    return story


@transaction.atomic
def edit_story(
    actor: Any,
    *,
    story: Story,
    title: str,
    lead: str,
    body: str,
    column: Column | None = None,
    tags: str | None = None,
    byline: str | None = None,
    story_type: str | None = None,
    photos=None,
) -> Story:
    """A new revision. Of a draft: it stays a draft. Of an approved, scheduled or live story: it
    goes to review, and the public page keeps the published revision until the new one is."""
    story = _locked(story)
    if not _may_edit(actor, story):
        raise PermissionDenied(_("You do not have permission to do this."))
    title, lead, body = _text(title, lead, body)
    if column is not None and column.pk != story.column_id:
        _check_column(column, story.owner_unit)
        story.column = column
    if tags is not None:
        story.tags = clean_name(tags)
    if byline is not None:
        story.byline = clean_name(byline) or story.byline
    if story_type is not None:
        story.story_type = story_type
    current_photos = list(story.revision.photos.all()) if photos is None else photos
    story.revision = _new_revision(actor, story, title, lead, body, current_photos)
    if story.status in {S.APPROVED, S.SCHEDULED, S.PUBLISHED, S.UNPUBLISHED}:
        story.status = S.IN_REVIEW
        story.publish_at = None
    if not story.is_live:
        story.slug = slug_of(title)
    story.save()
    audit.record(
        actor, "publishing.story_edit", story, {"revision": story.revision.number, "title": title}
    )
    return story


@transaction.atomic
def submit_story(actor: Any, *, story: Story, comment: str) -> Story:
    """The author sends the draft to the editors, with a comment for them."""
    story = _locked(story)
    if not _may_edit(actor, story):
        raise PermissionDenied(_("You do not have permission to do this."))
    _check_transition(story, "submit")
    comment = " ".join((comment or "").split())
    if not comment:
        raise ValidationError({"comment": _("Write a comment for the editors.")})
    story.status = S.SUBMITTED
    story.submit_comment = comment
    story.save(update_fields=["status", "submit_comment", "updated_at"])
    audit.record(actor, "publishing.story_submit", story, {"comment": comment})
    return story


def _editor_step(actor: Any, story: Story, action: str) -> Story:
    story = _locked(story)
    require(actor, "publishing.approve", story.owner_unit)
    _check_transition(story, action)
    return story


@transaction.atomic
def start_review(actor: Any, *, story: Story) -> Story:
    story = _editor_step(actor, story, "start_review")
    story.status = S.IN_REVIEW
    story.save(update_fields=["status", "updated_at"])
    audit.record(actor, "publishing.story_review", story)
    return story


@transaction.atomic
def return_story(actor: Any, *, story: Story, reason: str) -> Story:
    """Back to the author as a draft; the reason is required and shown to the author."""
    story = _editor_step(actor, story, "return")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the story is returned.")})
    story.status = S.DRAFT
    story.return_reason = reason
    story.publish_at = None
    story.save(update_fields=["status", "return_reason", "publish_at", "updated_at"])
    audit.record(actor, "publishing.story_return", story, {"reason": reason})
    return story


@transaction.atomic
def approve_story(actor: Any, *, story: Story) -> Story:
    story = _editor_step(actor, story, "approve")
    story.status = S.APPROVED
    story.return_reason = ""
    story.save(update_fields=["status", "return_reason", "updated_at"])
    audit.record(actor, "publishing.story_approve", story, {"revision": story.revision.number})
    return story


@transaction.atomic
def schedule_story(actor: Any, *, story: Story, publish_at: dt.datetime) -> Story:
    """Publish an approved story at a set time: the task worker publishes it then."""
    story = _editor_step(actor, story, "schedule")
    if publish_at is None or publish_at <= timezone.now():
        raise ValidationError({"publish_at": _("Choose a time in the future.")})
    story.status = S.SCHEDULED
    story.publish_at = publish_at
    story.save(update_fields=["status", "publish_at", "updated_at"])
    audit.record(actor, "publishing.story_schedule", story, {"publish_at": publish_at})

    def enqueue() -> None:
        task = publish_scheduled_story
        if task.get_backend().supports_defer:
            task = task.using(run_after=publish_at)
        task.enqueue(story.pk)

    transaction.on_commit(enqueue)
    return story


def _go_live(story: Story, now: dt.datetime) -> None:
    revision = story.revision
    story.status = S.PUBLISHED
    story.live_revision = revision
    story.is_live = True
    story.published_at = story.published_at or now
    story.live_title = revision.title
    story.live_lead = revision.lead
    story.search_text = normalise_search(
        " ".join([revision.title, revision.lead, plain_text(revision.body), story.tags])
    )
    story.save()


@transaction.atomic
def publish_story(actor: Any, *, story: Story) -> Story:
    story = _editor_step(actor, story, "publish")
    _go_live(story, timezone.now())
    audit.record(actor, "publishing.story_publish", story, {"revision": story.revision.number})
    return story


def publish_due_stories(*, now: dt.datetime | None = None, story_id: int | None = None) -> int:
    """The task worker's step: publish the scheduled stories whose time has come. Idempotent:
    a story already published, returned or rescheduled later is left alone."""
    now = now or timezone.now()
    due = Story.objects.filter(status=S.SCHEDULED, publish_at__lte=now)
    if story_id is not None:
        due = due.filter(pk=story_id)
    published = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            story = _locked(Story(pk=pk))
            if story.status != S.SCHEDULED or story.publish_at > now:
                continue
            _go_live(story, story.publish_at)
            audit.record(
                "task worker",
                "publishing.story_publish",
                story,
                {"revision": story.revision.number, "scheduled": True},
            )
            published += 1
    return published


@transaction.atomic
def unpublish_story(actor: Any, *, story: Story, reason: str) -> Story:
    story = _editor_step(actor, story, "unpublish")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the story is withdrawn.")})
    story.status = S.UNPUBLISHED
    story.is_live = False
    story.return_reason = reason
    story.save(update_fields=["status", "is_live", "return_reason", "updated_at"])
    audit.record(actor, "publishing.story_unpublish", story, {"reason": reason})
    return story
