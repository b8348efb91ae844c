"""Nominations up the tree, their documents and history, the council's votes and ballots,
and the public notices with their comments."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.core.uploads import GeneratedPath, file_url, private_storage
from thidua.honors.models.catalogue import AgeBand, AwardType, DocumentKind, Gender, RecipientKind
from thidua.honors.models.rounds import Round


class Nomination(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting endorsement")
        RETURNED = "returned", _("Returned")
        AT_COUNCIL = "at_council", _("Before the council")
        APPROVED = "approved", _("Approved by the council")
        NOT_APPROVED = "not_approved", _("Not approved by the council")
        REJECTED = "rejected", _("Rejected")
        CONFERRED = "conferred", _("Conferred")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="nominations")
    award_type = models.ForeignKey(
        AwardType, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("award")
    )
    nominee_kind = models.CharField(_("nominee"), max_length=20, choices=RecipientKind.choices)
    nominee_name = models.CharField(_("name of the nominee"), max_length=200)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    # Who the nominee is (normalised name, year of birth, unit): one live nomination per
    # nominee, award and round (honors.services.recipient_key, filled by the service).
    nominee_key = models.CharField(max_length=300, editable=False, default="")
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("nominee's unit"),
    )
    proposing_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("proposing unit")
    )
    current_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("current level")
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    women_share = models.DecimalField(
        _("share of women (collectives)"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    is_direct_worker = models.BooleanField(_("direct worker"), default=False)
    is_ethnic_minority = models.BooleanField(_("ethnic minority"), default=False)
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices, blank=True)
    under_discipline = models.BooleanField(_("under discipline or investigation"), default=False)
    exemplar = models.ForeignKey(
        "practices.Exemplar",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("from an exemplar"),
    )
    submission = models.ForeignKey(
        "initiatives.Submission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("from a recognised initiative"),
    )
    practice = models.ForeignKey(
        "practices.Practice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("from a replicated practice"),
    )
    achievements = models.TextField(_("achievements"))
    nominated_on = models.DateField(_("date of the nomination"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    level_due_on = models.DateField(_("due at this level"), null=True, blank=True)
    notice = models.ForeignKey(
        "PublicNotice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("public notice"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        indexes = [models.Index(fields=["round", "status"], name="honors_nom_round_status")]
        constraints = [
            # Two simultaneous submissions cannot both make a live dossier (the service says
            # which dossier exists; this is for the race between its check and its insert).
            models.UniqueConstraint(
                fields=["round", "award_type", "nominee_key"],
                condition=~models.Q(status__in=["not_approved", "rejected"]),
                name="honors_one_live_nomination",
            )
        ]

    DEAD = ("not_approved", "rejected")  # refused: the nominee may be proposed again

    def __str__(self) -> str:
        return f"{self.nominee_name} · {self.award_type}"

    def is_overdue(self, today: dt.date) -> bool:
        """Past the time limit of the level where the dossier sits (endorsement or council)."""
        return (
            self.status in (self.Status.SUBMITTED, self.Status.AT_COUNCIL)
            and self.level_due_on is not None
            and self.level_due_on < today
        )

    @property
    def overdue(self) -> bool:
        return self.is_overdue(timezone.localdate())


class NominationDocument(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(
        upload_to=GeneratedPath("honors/documents"), storage=private_storage, max_length=200
    )
    name = models.CharField(max_length=200)  # the user's file name, cleaned: display only
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def download_url(self) -> str:
        return file_url("nomination-document", self.pk)


class NominationEvent(models.Model):
    """The dossier's history, level by level; never edited."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        SUBMITTED = "submitted", _("Submitted")
        ENDORSED = "endorsed", _("Endorsed and forwarded")
        RETURNED = "returned", _("Returned")
        REJECTED = "rejected", _("Rejected")
        VOTED = "voted", _("Council vote closed")
        CONFERRED = "conferred", _("Conferred")

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.unit}"


class Vote(models.Model):
    """The council's vote on one nomination: the tally, not who voted how when secret."""

    nomination = models.OneToOneField(Nomination, on_delete=models.CASCADE, related_name="vote")
    council = models.ForeignKey(
        "shared.Council", on_delete=models.PROTECT, related_name="honor_votes"
    )
    secret = models.BooleanField(default=False)
    yes = models.PositiveIntegerField(default=0)
    no = models.PositiveIntegerField(default=0)
    abstain = models.PositiveIntegerField(default=0)
    members = models.PositiveIntegerField(_("all members"), default=0)
    needed = models.PositiveIntegerField(_("yes votes needed"), default=0)
    passed = models.BooleanField(null=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("council vote")
        verbose_name_plural = _("council votes")

    def __str__(self) -> str:
        return f"{self.nomination}: {self.yes}/{self.members}"


class Ballot(models.Model):
    """That a member voted (in person or by a written opinion); how, only when not secret."""

    class Choice(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        ABSTAIN = "abstain", _("Abstain")

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(
        "shared.CouncilMember", on_delete=models.PROTECT, related_name="honor_ballots"
    )
    written = models.BooleanField(_("written opinion of an absent member"), default=False)
    choice = models.CharField(max_length=10, choices=Choice.choices, blank=True)
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "member"], name="honors_one_ballot_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.vote}"


class PublicNotice(models.Model):
    """The list of proposed recipients, published for public comment after the council vote
    and before the decision, from `starts_on` to `ends_on` inclusive."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="notices")
    starts_on = models.DateField(_("published on"))
    ends_on = models.DateField(_("last day of the notice"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)
    # The shared posting (core) holding the frozen list and its window; `starts_on`/`ends_on`
    # above are kept equal to it for the pages and queries that still read them.
    posting = models.ForeignKey(
        "core.Posting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="honors_notice_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"

    @property
    def posting_key(self) -> str:
        return f"honors.notice:{self.pk}"

    def window(self) -> tuple[dt.date, dt.date]:
        """The first and last day of the notice: its posting's when it has one."""
        if self.posting_id is not None:
            return self.posting.starts_on, self.posting.ends_on
        return self.starts_on, self.ends_on

    def is_open_on(self, day: dt.date) -> bool:
        starts_on, ends_on = self.window()
        return starts_on <= day <= ends_on

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())


class NoticeComment(models.Model):
    """A comment from the public on one proposed recipient; read by the secretariat only."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="comments")
    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="public_comments"
    )
    name = models.CharField(_("your name"), max_length=120)
    contact = models.CharField(_("phone or email"), max_length=200)
    text = models.TextField(_("comment"), max_length=2000)
    client_key = models.CharField(max_length=64, db_index=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notice_comments",
        help_text=_("The account of a signed-in commenter, so they find their comments again."),
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("public comment")
        verbose_name_plural = _("public comments")

    def __str__(self) -> str:
        return f"{self.name} · {self.nomination}"
