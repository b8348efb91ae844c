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
from thidua.publishing.models import Photo, Story, StoryLink
from thidua.publishing.services.stories import _locked, _may_edit

MAX_PHOTO_BYTES = 15 * 1024 * 1024


def add_photo(actor: Any, *, story: Story, file: Any, caption: str = "", credit: str = "") -> Photo:
    """A photo joins the story's working revision (a published revision keeps its photos)."""
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
        story.revision.photos.add(photo)
        audit.record(actor, "publishing.photo_add", story, {"caption": photo.caption})
    return photo


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
