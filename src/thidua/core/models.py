from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from thidua.core.uploads import GeneratedPath, private_storage


class NamedInLanguages:
    """For a model with `name_vi`, `name_en` and `name_id`: `name` in the active language,
    Vietnamese when that one is empty."""

    name_vi: str

    @property
    def name(self) -> str:
        language = (get_language() or "vi")[:2]
        return getattr(self, f"name_{language}", None) or self.name_vi

    def __str__(self) -> str:
        return self.name


class AuditEvent(models.Model):
    """One link of the append-only audit chain (see `thidua.core.audit`)."""

    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=200)
    verb = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_label = models.CharField(_("object"), max_length=300, blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    data = models.JSONField(_("details"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id"], name="core_audit_target")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.verb} {self.target_label}"

    @property
    def sentence(self) -> str:
        """The event in plain words, in the active language (load `actor` with the events)."""
        from thidua.core.audit_text import describe

        return describe(self)


class Notification(models.Model):
    """An in-app notification, written in the recipient's language when it is created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(_("message"), max_length=500)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Waiting for the recipient's daily digest (they chose one e-mail a day).
    in_digest = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="core_notification_unread")]

    def __str__(self) -> str:
        return self.message


class Posting(models.Model):
    """A list published for comments for N days (Decree 86's 10-day lists, commendation notices,
    survey results, fund disclosures...): what was posted is frozen here — the rows shown on the
    public page, and the notice-board PDF with its hash. A correction is a new version of the
    same `key`; the old one is kept, marked superseded. The subject is named by `key`
    ("<app>.<thing>:<id>") so that core knows no app."""

    key = models.CharField(max_length=100, db_index=True)
    version = models.PositiveSmallIntegerField(default=1)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    title = models.CharField(_("title"), max_length=300)
    starts_on = models.DateField(_("posted on"))
    ends_on = models.DateField(_("last day of the posting"))
    columns = models.JSONField(default=list)
    entries = models.JSONField(default=list)
    pdf = models.FileField(
        upload_to=GeneratedPath("core/postings"),
        storage=private_storage,
        max_length=200,
        blank=True,
    )
    pdf_hash = models.CharField(max_length=64, blank=True)
    change_note = models.TextField(_("what changed"), blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "-version"]
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="core_posting_key_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    def is_open_on(self, day) -> bool:
        return self.superseded_at is None and self.starts_on <= day <= self.ends_on


class PostingComment(models.Model):
    """A comment on a posting, received on the web or entered by the committee, and the answer
    given to it."""

    class Source(models.TextChoices):
        WEB = "web", _("on the web")
        COMMITTEE = "committee", _("at the committee")

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="comments")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    name = models.CharField(_("your name"), max_length=120)
    contact = models.CharField(_("phone or email"), max_length=200, blank=True)
    text = models.TextField(_("comment"), max_length=2000)
    about = models.CharField(_("about"), max_length=100, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolution = models.TextField(_("resolution"), blank=True)
    changes_result = models.BooleanField(_("changes a result"), default=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment on a posting")
        verbose_name_plural = _("comments on postings")

    def __str__(self) -> str:
        return f"{self.name}: {self.text[:40]}"
