"""Commendation: award catalogue and rules, rounds, nominations, decisions, certificates and
the honours registry.

Rules change by decree, so every rule set (`AwardRule`) and the base salary carry effective dates
and a nomination is judged by the versions in force on its date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from thidua.core.formatting import format_money
from thidua.core.models import NamedInLanguages
from thidua.core.uploads import GeneratedPath, file_url, private_storage, public_storage


class AwardKind(models.TextChoices):
    MERIT = "merit", _("For merit and achievement")
    AD_HOC = "ad_hoc", _("Ad hoc")
    THEMATIC = "thematic", _("Thematic (by movement)")
    LIFETIME = "lifetime", _("Lifetime contribution")
    LONG_SERVICE = "long_service", _("Long service")
    FOREIGN = "foreign", _("Foreign")


class RecipientKind(models.TextChoices):
    PERSON = "person", _("Person")
    HOUSEHOLD = "household", _("Household")
    COLLECTIVE = "collective", _("Collective")


class DocumentKind(models.TextChoices):
    PROPOSAL_LETTER = "proposal_letter", _("Proposal letter")
    ACHIEVEMENT_REPORT = "achievement_report", _("Achievement report")
    VOTE_MINUTES = "vote_minutes", _("Minutes of the vote")
    INITIATIVE_PROOF = "initiative_proof", _("Proof of an initiative")
    OTHER = "other", _("Other evidence")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class AgeBand(models.TextChoices):
    UNDER_30 = "under_30", _("Under 30")
    FROM_30_TO_45 = "30_45", _("30 to 45")
    FROM_46_TO_60 = "46_60", _("46 to 60")
    OVER_60 = "over_60", _("Over 60")


class AwardType(NamedInLanguages, models.Model):
    """One form of commendation (Bằng khen, Giấy khen, an emulation title, a flag...)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AwardKind.choices)
    for_person = models.BooleanField(_("for persons"), default=True)
    for_household = models.BooleanField(_("for households"), default=False)
    for_collective = models.BooleanField(_("for collectives"), default=False)
    conferring_kinds = models.ManyToManyField(
        "org.UnitKind",
        related_name="award_types",
        verbose_name=_("unit kinds that may confer it"),
    )
    cash_coefficient = models.DecimalField(
        _("cash reward (× base salary)"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # The emblem is public (printed on public certificates); the signature image is not.
    emblem = models.FileField(
        _("emblem on the certificate"),
        upload_to=GeneratedPath("honors/emblems"),
        storage=public_storage,
        max_length=200,
        blank=True,
    )
    signature = models.FileField(
        _("signature on the certificate"),
        upload_to=GeneratedPath("honors/signatures"),
        storage=private_storage,
        max_length=200,
        blank=True,
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("award type")
        verbose_name_plural = _("award types")

    def __str__(self) -> str:
        return self.name

    def accepts(self, recipient_kind: str) -> bool:
        return {
            RecipientKind.PERSON: self.for_person,
            RecipientKind.HOUSEHOLD: self.for_household,
            RecipientKind.COLLECTIVE: self.for_collective,
        }.get(recipient_kind, False)


class AwardRule(models.Model):
    """The conferring rules of one award type between two dates (inclusive)."""

    award_type = models.ForeignKey(AwardType, on_delete=models.CASCADE, related_name="rules")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    window_years = models.PositiveSmallIntegerField(
        _("not the same award within (years)"), default=0
    )
    prerequisites = models.ManyToManyField(
        AwardType, blank=True, related_name="+", verbose_name=_("prerequisite awards")
    )
    prerequisite_years = models.PositiveSmallIntegerField(
        _("prerequisites held within (years)"), default=0, help_text=_("0 means at any time")
    )
    quota_per_round = models.PositiveIntegerField(_("quota per round"), null=True, blank=True)
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    vote_share = models.DecimalField(
        _("share of all council members"), max_digits=4, decimal_places=3, default=Decimal("0.5")
    )
    strictly_more = models.BooleanField(_("strictly more than the share"), default=False)
    secret_ballot = models.BooleanField(_("secret ballot"), default=False)
    public_notice_days = models.PositiveSmallIntegerField(_("public notice (days)"), default=0)
    short_path = models.BooleanField(
        _("short path for ad hoc awards"),
        default=False,
        help_text=_(
            "An ad hoc award for an outstanding deed may go straight to the conferring level "
            "without each intermediate endorsement."
        ),
    )
    short_path_days = models.PositiveSmallIntegerField(
        _("working days at each level on the short path"), default=5
    )

    class Meta:
        ordering = ["award_type", "-valid_from"]
        verbose_name = _("award rule")
        verbose_name_plural = _("award rules")
        constraints = [
            models.UniqueConstraint(
                fields=["award_type", "valid_from"], name="honors_rule_type_from_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="honors_rule_to_after_from",
            ),
            models.CheckConstraint(
                condition=Q(vote_share__gt=0) & Q(vote_share__lte=1),
                name="honors_rule_share_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_type} · {self.valid_from:%d/%m/%Y} · {self.legal_basis}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class BaseSalary(models.Model):
    """The statutory base salary (lương cơ sở), in VND a month, from a date."""

    valid_from = models.DateField(_("valid from"), unique=True)
    amount = models.DecimalField(_("amount (VND)"), max_digits=14, decimal_places=0)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")

    def __str__(self) -> str:
        return f"{self.valid_from:%d/%m/%Y}: {format_money(self.amount)}"


class Round(models.Model):
    """A commendation round organised (and conferred) by one unit."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular")
        THEMATIC = "thematic", _("Thematic")
        AD_HOC = "ad_hoc", _("Ad hoc")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", pgettext_lazy("commendation round status", "Closed")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    owner_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="honor_rounds",
        verbose_name=_("organising unit"),
    )
    council = models.ForeignKey(
        "shared.Council",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="honor_rounds",
        verbose_name=_("council"),
    )
    award_types = models.ManyToManyField(
        AwardType, related_name="rounds", verbose_name=_("award types")
    )
    movement = models.ForeignKey(
        "movements.Movement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="honor_rounds",
        verbose_name=_("movement"),
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    deadline_days = models.PositiveSmallIntegerField(
        _("working days allowed at each level"), default=20
    )
    level_deadlines = models.JSONField(
        _("working days by level"),
        default=dict,
        blank=True,
        help_text=_("Unit kind code → working days, where a level has its own time limit."),
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("commendation round")
        verbose_name_plural = _("commendation rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="honors_round_dates"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def honour_kind(self) -> str:
        """The kind of commendation an award of this round is (ad hoc/thematic never merit)."""
        return {
            self.Kind.AD_HOC: AwardKind.AD_HOC,
            self.Kind.THEMATIC: AwardKind.THEMATIC,
        }.get(self.kind, AwardKind.MERIT)


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
        from django.utils import timezone

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

    def is_open_on(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def is_open(self) -> bool:
        from django.utils import timezone

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


class Decision(models.Model):
    """An award decision (quyết định khen thưởng) of the conferring unit."""

    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="honor_decisions",
        verbose_name=_("conferring unit"),
    )
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    number = models.CharField(_("decision number"), max_length=60)
    signed_on = models.DateField(_("date of the decision"))
    signer = models.CharField(_("signed by"), max_length=200)
    base_salary = models.DecimalField(
        _("base salary applied (VND)"), max_digits=14, decimal_places=0, default=0
    )
    total_cash = models.DecimalField(
        _("total cash reward (VND)"), max_digits=16, decimal_places=0, default=0
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="honors_decision_number_unique")
        ]

    def __str__(self) -> str:
        return self.number


class Honour(models.Model):
    """One row of the honours registry: who received what, when, by which decision."""

    recipient_kind = models.CharField(max_length=20, choices=RecipientKind.choices)
    recipient_name = models.CharField(_("recipient"), max_length=200)
    search_name = models.CharField(max_length=200, editable=False)
    recipient_key = models.CharField(max_length=300, editable=False, db_index=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="honours")
    unit_path = models.CharField(max_length=255, editable=False)
    award_type = models.ForeignKey(AwardType, on_delete=models.PROTECT, related_name="honours")
    kind = models.CharField(_("kind"), max_length=20, choices=AwardKind.choices)
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="honours"
    )
    nomination = models.OneToOneField(
        Nomination, on_delete=models.PROTECT, null=True, blank=True, related_name="honour"
    )
    conferred_on = models.DateField(_("conferred on"))
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True)
    is_direct_worker = models.BooleanField(default=False)
    is_ethnic_minority = models.BooleanField(default=False)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    cash = models.DecimalField(max_digits=14, decimal_places=0, default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-conferred_on", "-id"]
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        indexes = [
            models.Index(fields=["search_name"], name="honors_honour_search"),
            models.Index(fields=["unit_path"], name="honors_honour_path"),
            models.Index(fields=["award_type", "conferred_on"], name="honors_honour_type_date"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name} · {self.award_type}"


class Certificate(models.Model):
    honour = models.OneToOneField(Honour, on_delete=models.PROTECT, related_name="certificate")
    serial = models.CharField(_("certificate number"), max_length=60, unique=True)
    content_hash = models.CharField(max_length=64)
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    pdf = models.FileField(
        _("generated PDF"),
        upload_to=GeneratedPath("honors/certificates"),
        storage=private_storage,
        max_length=200,
        blank=True,
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.serial

    @property
    def unit(self):
        return self.honour.decision.unit if self.honour.decision_id else self.honour.unit

    @property
    def check_code(self) -> str:
        """The short check code printed beside the QR code: the hash's first 8 characters,
        grouped for reading aloud (ABCD-EFGH); typed back in any case, with or without the dash."""
        return check_code(self.content_hash)


CHECK_CODE_LENGTH = 8


def check_code(content_hash: str) -> str:
    head = content_hash[:CHECK_CODE_LENGTH].upper()
    return f"{head[:4]}-{head[4:]}"


class CertificateBatch(models.Model):
    """The generation, in the background, of every certificate PDF of a decision (and one ZIP
    of them all), with its progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Generating")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Stopped on an error")

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="certificate_batches"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    archive = models.FileField(
        upload_to=GeneratedPath("honors/batches"),
        storage=private_storage,
        max_length=200,
        blank=True,
    )
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")

    def __str__(self) -> str:
        return f"{self.decision} · {self.get_status_display()}"

    @property
    def percent(self) -> int:
        return round(100 * self.processed / self.total) if self.total else 0

    @property
    def working(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
