"""Columns, static pages, stories, their revisions, photos and links."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from unidecode import unidecode

from thidua.core.uploads import GeneratedPath, private_storage


def slug_of(text: str) -> str:
    return slugify(unidecode(text or ""))[:80] or "bai-viet"


class Column(models.Model):
    """A column (chuyên mục) of a unit's portal."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(max_length=80)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    name_id = models.CharField(_("name in Indonesian"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_public = models.BooleanField(_("shown on the portal"), default=True)
    # a retired column takes no new story and leaves the portal's menus; its stories and its
    # page stay (their addresses are kept)
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("column")
        constraints = [
            models.UniqueConstraint(fields=["unit", "slug"], name="publishing_column_slug"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("public_publishing:column", args=[self.pk, self.slug])

    @property
    def display_name(self) -> str:
        language = get_language() or "vi"
        if language.startswith("en") and self.name_en:
            return self.name_en
        if language.startswith("id") and self.name_id:
            return self.name_id
        return self.name


class StaticPage(models.Model):
    """About, contacts, documents: a page of a unit's portal, edited by its editors."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(max_length=80)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)  # sanitised HTML
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "slug"], name="publishing_page_slug"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("public_publishing:page", args=[self.unit_id, self.slug])


class StoryType(models.TextChoices):
    """The article types writers' fees are paid by (thể loại)."""

    NEWS = "news", _("News item")
    ARTICLE = "article", _("Article")
    FEATURE = "feature", _("Feature story")
    PHOTO = "photo", _("Photo story")
    INTERVIEW = "interview", _("Interview")


class Story(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Withdrawn")

    owner_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    column = models.ForeignKey(
        Column, on_delete=models.PROTECT, related_name="stories", verbose_name=_("column")
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )
    translation_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="translations"
    )
    story_type = models.CharField(
        _("type"), max_length=20, choices=StoryType.choices, default=StoryType.NEWS
    )
    tags = models.CharField(_("tags"), max_length=300, blank=True)
    byline = models.CharField(_("byline"), max_length=200, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # the working revision (the latest one written) and the one the public reads
    revision = models.ForeignKey("Revision", null=True, on_delete=models.PROTECT, related_name="+")
    live_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_live = models.BooleanField(default=False)
    slug = models.SlugField(max_length=80, blank=True)
    submit_comment = models.TextField(blank=True)
    return_reason = models.TextField(blank=True)
    publish_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    live_title = models.CharField(max_length=300, blank=True)  # the live revision's, for lists
    live_lead = models.TextField(blank=True)
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [
            models.Index(fields=["is_live", "-published_at"], name="publishing_story_live"),
            models.Index(
                fields=["column", "is_live", "-published_at"], name="publishing_story_column"
            ),
            models.Index(fields=["status"], name="publishing_story_status"),
        ]

    def __str__(self) -> str:
        return self.live_title or (self.revision.title if self.revision_id else "")

    def get_absolute_url(self) -> str:
        return reverse("public_publishing:story", args=[self.pk, self.slug or "bai-viet"])

    @property
    def title(self) -> str:
        return self.revision.title if self.revision_id else ""

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    @property
    def has_pending_edit(self) -> bool:
        return self.is_live and self.revision_id != self.live_revision_id


class Revision(models.Model):
    """One version of a story's text. Never changed once written: an edit is a new revision."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=300)
    lead = models.TextField(_("lead"))
    body = models.TextField(_("text"))  # sanitised HTML
    photos = models.ManyToManyField("Photo", blank=True, related_name="revisions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["story", "number"]
        constraints = [
            models.UniqueConstraint(fields=["story", "number"], name="publishing_revision_number"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.number})"


class Photo(models.Model):
    """A photo of a story, with its renditions (WebP and JPEG at a few widths, and a print copy),
    stored privately and served by the portal's photo view."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="photos")
    original = models.FileField(
        upload_to=GeneratedPath("publishing/photos"), storage=private_storage, max_length=200
    )
    renditions = models.JSONField(default=dict)  # "960.webp" -> stored name
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.caption or f"photo {self.pk}"

    def url(self, width: int = 960, extension: str = "webp") -> str:
        return reverse("public_publishing:photo", args=[self.pk, width, extension])


class LinkKind(models.TextChoices):
    EXEMPLAR = "exemplar", _("Exemplar")
    PRACTICE = "practice", _("Exemplary practice")
    INITIATIVE = "initiative", _("Recognised initiative")
    HONOUR = "honour", _("Honour")
    MOVEMENT = "movement", _("Movement")
    DRIVE = "drive", _("Fund drive")


class StoryLink(models.Model):
    """A domain object the story tells about; the object's page lists the story too."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    object_id = models.PositiveIntegerField()
    label = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["story", "kind", "object_id"], name="publishing_link_once"
            ),
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="publishing_link_object")]

    def __str__(self) -> str:
        return self.label
