"""Higher awards ("khen cao"): the bodies outside the Front that confer awards the Front can only
propose (the city People's Committee, the Government, the State President), what each confers and
the dossier it asks for (dated and versioned like the award rules); the proposals sent to them
(tờ trình), their documents, their tracking history and the outside decisions that come back."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from thidua.core.models import NamedInLanguages
from thidua.core.uploads import GeneratedPath, file_url, private_storage
from thidua.honors.models.catalogue import AwardType, DocumentKind
from thidua.honors.models.nominations import Nomination


class OutsideBody(NamedInLanguages, models.Model):
    """A body outside the Front that confers awards on its proposal, between two dates."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    addressee = models.CharField(
        _("addressee of the proposal letter"),
        max_length=300,
        help_text=_("The “Kính gửi” line of the proposal letter."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("outside conferring body")
        verbose_name_plural = _("outside conferring bodies")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="honors_outside_body_dates",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class OutsideAwardRule(models.Model):
    """That `body` confers `award_type` between two dates (inclusive), who in the Front may
    propose it, and the dossier the body asks for."""

    body = models.ForeignKey(OutsideBody, on_delete=models.CASCADE, related_name="award_rules")
    award_type = models.ForeignKey(
        AwardType, on_delete=models.CASCADE, related_name="outside_rules"
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    proposing_kinds = models.ManyToManyField(
        "org.UnitKind",
        related_name="+",
        verbose_name=_("unit kinds of the Front that may propose it"),
    )
    nominee_documents = models.JSONField(_("documents for each nominee"), default=list, blank=True)
    dossier_documents = models.JSONField(
        _("documents of the whole dossier"), default=list, blank=True
    )
    copies = models.PositiveSmallIntegerField(_("number of copies of the dossier"), default=1)
    annex_form = models.CharField(_("form of the annex table"), max_length=300, blank=True)
    follow_up_days = models.PositiveSmallIntegerField(
        _("follow up after (days)"),
        default=30,
        help_text=_("Days after sending when the sender should ask for news."),
    )

    class Meta:
        ordering = ["body", "award_type", "-valid_from"]
        verbose_name = _("outside award rule")
        verbose_name_plural = _("outside award rules")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "award_type", "valid_from"], name="honors_outside_rule_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="honors_outside_rule_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} · {self.award_type} · {self.valid_from:%d/%m/%Y}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class UpwardChannel(models.TextChoices):
    DOCUMENT_SYSTEM = "document_system", _("Electronic document exchange")
    POST = "post", pgettext_lazy("channel of a dossier", "Post")
    BY_HAND = "by_hand", _("Delivered by hand")
    EMAIL = "email", _("E-mail")
    OTHER = "other", _("Other")


class UpwardProposal(models.Model):
    """A proposal (tờ trình) of a Front unit to an outside body, for one award, listing nominees
    the Front's council approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        SENT = "sent", _("Sent")
        ACKNOWLEDGED = "acknowledged", _("Received by the body")
        RETURNED = "returned", _("Returned for completion")
        DECIDED = "decided", _("Decided")
        NOT_APPROVED = "not_approved", _("Not approved by the body")

    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="upward_proposals",
        verbose_name=_("proposing unit"),
    )
    body = models.ForeignKey(
        OutsideBody,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("outside body"),
    )
    award_type = models.ForeignKey(
        AwardType,
        on_delete=models.PROTECT,
        related_name="upward_proposals",
        verbose_name=_("award"),
    )
    rule = models.ForeignKey(OutsideAwardRule, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("number of the proposal"), max_length=60)
    dated = models.DateField(_("date of the proposal"))
    signer = models.CharField(_("signed by"), max_length=200)
    summary = models.TextField(_("summary of the proposal"), blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    channel = models.CharField(
        _("channel"), max_length=20, choices=UpwardChannel.choices, blank=True
    )
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_on = models.DateField(_("received by the body on"), null=True, blank=True)
    follow_up_due = models.DateField(_("follow up by"), null=True, blank=True)
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    package = models.FileField(
        upload_to=GeneratedPath("honors/upward"),
        storage=private_storage,
        max_length=200,
        blank=True,
    )
    package_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    OPEN = ("draft", "returned")  # the dossier is at the Front: it may be completed
    WAITING = ("sent", "acknowledged")  # the dossier is with the body
    FINAL = ("decided", "not_approved")

    class Meta:
        ordering = ["-dated", "-id"]
        verbose_name = _("proposal to a higher level")
        verbose_name_plural = _("proposals to higher levels")
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="honors_upward_number_unique")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def is_overdue(self, today: dt.date) -> bool:
        return (
            self.status in self.WAITING
            and self.follow_up_due is not None
            and self.follow_up_due < today
        )

    @property
    def overdue(self) -> bool:
        return self.is_overdue(timezone.localdate())


class UpwardEntry(models.Model):
    """One nominee of a proposal: a nomination the Front's council approved."""

    proposal = models.ForeignKey(UpwardProposal, on_delete=models.CASCADE, related_name="entries")
    nomination = models.ForeignKey(
        Nomination, on_delete=models.PROTECT, related_name="upward_entries"
    )
    order = models.PositiveSmallIntegerField(default=0)
    honoured = models.BooleanField(null=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "nomination"], name="honors_upward_entry_unique"
            )
        ]

    def __str__(self) -> str:
        return self.nomination.nominee_name


class UpwardDocument(models.Model):
    """A document of the dossier sent upward: of the whole proposal (e.g. the council's
    minutes), or of one nominee (`entry`)."""

    proposal = models.ForeignKey(UpwardProposal, on_delete=models.CASCADE, related_name="documents")
    entry = models.ForeignKey(
        UpwardEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(
        upload_to=GeneratedPath("honors/upward-documents"), storage=private_storage, max_length=200
    )
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def download_url(self) -> str:
        return file_url("upward-document", self.pk)


class UpwardEvent(models.Model):
    """The proposal's history; never edited (a return and a second sending stay side by side)."""

    class Action(models.TextChoices):
        CREATED = "created", _("Prepared")
        SENT = "sent", _("Sent")
        RESENT = "resent", _("Sent again")
        ACKNOWLEDGED = "acknowledged", _("Received by the body")
        RETURNED = "returned", _("Returned for completion")
        DECIDED = "decided", _("Decision recorded")
        NOT_APPROVED = "not_approved", _("Not approved by the body")

    proposal = models.ForeignKey(UpwardProposal, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    on = models.DateField(null=True, blank=True)
    channel = models.CharField(max_length=20, choices=UpwardChannel.choices, blank=True)
    reference = models.CharField(max_length=120, blank=True)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.proposal}"


class OutsideDecision(models.Model):
    """The decision of the outside body on a proposal: who it honoured, with its file."""

    proposal = models.OneToOneField(
        UpwardProposal, on_delete=models.PROTECT, related_name="decision"
    )
    body = models.ForeignKey(OutsideBody, on_delete=models.PROTECT, related_name="decisions")
    number = models.CharField(_("decision number"), max_length=60)
    signed_on = models.DateField(_("date of the decision"))
    signer = models.CharField(_("signed by"), max_length=200)
    file = models.FileField(
        upload_to=GeneratedPath("honors/outside-decisions"),
        storage=private_storage,
        max_length=200,
    )
    file_name = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("outside decision")
        verbose_name_plural = _("outside decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "number"], name="honors_outside_decision_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def download_url(self) -> str:
        return file_url("outside-decision", self.pk)
