"""Photos of a story (renditions made on upload) and links to the records it tells about."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.text import clean_name
from thidua.core.uploads import IMAGE_TYPES, accept, files_removed_on_failure
from thidua.publishing import images, links
from thidua.publishing.models import IssueSlot, Photo, Revision, Story, StoryLink
from thidua.publishing.services.stories import _locked, _may_edit, _new_revision

S = Story.Status
SETTLED = frozenset({S.APPROVED, S.SCHEDULED, S.PUBLISHED, S.UNPUBLISHED})

MAX_PHOTO_BYTES = 15 * 1024 * 1024


def _working_revision(actor: Any, story: Story) -> Revision:
    """The revision a change of photos goes to. A revision the public reads, one frozen in an
    issue, or one an editor approved is never changed: the change makes a new revision (the
    same text), which goes to review as an edit of the text does."""
    revision = story.revision
    settled = (
        revision.pk == story.live_revision_id
        or story.status in SETTLED
        or IssueSlot.objects.filter(revision=revision).exists()
    )
    if not settled:
        return revision
    story.revision = _new_revision(
        actor, story, revision.title, revision.lead, revision.body, list(revision.photos.all())
    )
    if story.status in SETTLED:
        story.status = S.IN_REVIEW
        story.publish_at = None
    story.save()
    return story.revision


def add_photo(actor: Any, *, story: Story, file: Any, caption: str = "", credit: str = "") -> Photo:
    """A photo joins the story's working revision (a published or approved revision keeps its
    photos: the photo goes to a new revision under review)."""
    with files_removed_on_failure(), transaction.atomic():
        story = _locked(story)
        if not _may_edit(actor, story):
            raise PermissionDenied(_("You do not have permission to do this."))
        upload = accept(file, max_bytes=MAX_PHOTO_BYTES, types=IMAGE_TYPES, field="photo")
        content = upload.file.read()
        upload.file.seek(0)
        photo = Photo(
            story=story,
            caption=clean_name(caption),
            credit=clean_name(credit),
            order=story.photos.count(),
        )
        photo.original.save(upload.file.name, upload.file, save=False)
        photo.renditions, photo.width, photo.height = images.make_renditions(
            photo.original.name, content
        )
        photo.save()
        _working_revision(actor, story).photos.add(photo)
        audit.record(actor, "publishing.photo_add", story, {"caption": photo.caption})
    return photo


@transaction.atomic
def remove_photo(actor: Any, *, story: Story, photo: Photo) -> Story:
    """The photo leaves the story's working revision; revisions that show it (the public one, an
    issue's) keep it, and so does its file."""
    story = _locked(story)
    if not _may_edit(actor, story):
        raise PermissionDenied(_("You do not have permission to do this."))
    if photo.story_id != story.pk or not story.revision.photos.filter(pk=photo.pk).exists():
        raise ValidationError({"photo": _("This photo is not in the story's current text.")})
    _working_revision(actor, story).photos.remove(photo)
    audit.record(actor, "publishing.photo_remove", story, {"caption": photo.caption})
    return story


@transaction.atomic
def link_story(actor: Any, *, story: Story, kind: str, object_id: int) -> StoryLink:
    story = _locked(story)
    if not _may_edit(actor, story):
        raise PermissionDenied(_("You do not have permission to do this."))
    label, url = links.resolve(actor, kind, object_id)
    link, created = StoryLink.objects.get_or_create(
        story=story, kind=kind, object_id=object_id, defaults={"label": label, "url": url}
    )
    if not created:
        raise ValidationError({"links": _("The story already links to this record.")})
    audit.record(actor, "publishing.story_link", story, {"kind": kind, "label": label})
    return link


@transaction.atomic
def unlink_story(actor: Any, *, link: StoryLink) -> None:
    story = _locked(link.story)
    if not _may_edit(actor, story):
        raise PermissionDenied(_("You do not have permission to do this."))
    audit.record(actor, "publishing.story_unlink", story, {"kind": link.kind, "label": link.label})
    link.delete()
