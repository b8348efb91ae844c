"""Calls for initiatives, submissions, the evaluation council, reviews, votes and decisions."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from thidua.core.uploads import GeneratedPath, file_url, private_storage

# The near-duplicate index's models live in their own module; imported here, they are part of the
# app's models and importable from `initiatives.models` like the others.
from thidua.initiatives.models_duplicates import (  # noqa: F401
    DuplicateCandidate,
    DuplicateMark,
    SimilarityBand,
    SimilaritySentence,
    SimilaritySignature,
)
from thidua.shared.models import Council, CouncilMember


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Call(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", pgettext_lazy("call status", "Closed for submissions")
        DECIDED = "decided", _("Decided")

    class Influence(models.TextChoices):
        GRASSROOTS = "grassroots", _("Grassroots")
        PROVINCIAL = "provincial", _("Ministry / province")
        NATIONAL = "national", _("National")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    owner_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("organising unit"),
    )
    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, null=True, blank=True, related_name="calls"
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    fields = models.ManyToManyField("shared.Field", blank=True, related_name="calls")
    individuals_may_apply = models.BooleanField(_("individuals may apply"), default=True)
    collectives_may_apply = models.BooleanField(_("collectives may apply"), default=True)
    units_may_apply = models.BooleanField(_("units in scope may apply"), default=True)
    influence = models.CharField(
        _("scope of influence"),
        max_length=20,
        choices=Influence.choices,
        default=Influence.GRASSROOTS,
    )
    reviews_per_submission = models.PositiveSmallIntegerField(
        _("reviews per submission"), default=2
    )
    blind = models.BooleanField(_("blind review"), default=True)
    recognition_share = models.DecimalField(
        _("share of all council members needed"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.5"),
        help_text=_("Counted over all members, present or not (e.g. 0.5 = more than half)."),
    )
    strictly_more = models.BooleanField(
        _("more than the share (not just equal to it)"), default=True
    )
    quorum_share = models.DecimalField(
        _("members present for a valid meeting (share)"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.667"),
    )
    secret_ballot = models.BooleanField(_("secret ballot"), default=False)
    review_deadline = models.DateField(_("reviews due on"), null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # The chair's choice of ranking for the meeting ({"ranking", "method", "places", "order"}),
    # written by `services.calibration.choose_ranking` (the audit chain records each choice too).
    ranking_choice = models.JSONField(null=True, blank=True, editable=False)
    ranking_chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    ranking_chosen_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on"]
        verbose_name = _("call for initiatives")
        verbose_name_plural = _("calls for initiatives")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="call_dates_order"
            ),
            models.CheckConstraint(
                condition=Q(recognition_share__gt=0) & Q(recognition_share__lte=1),
                name="call_share_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    guidance = models.TextField(_("guidance"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=Decimal(1))
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=10)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class AwardLevel(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="award_levels")
    name = models.CharField(_("award level"), max_length=200)
    prize = models.DecimalField(_("prize (VND)"), max_digits=14, decimal_places=0, default=0)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Submission(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        SCREENED_IN = "screened_in", _("Screened in")
        SCREENED_OUT = "screened_out", _("Screened out")
        UNDER_REVIEW = "under_review", _("Under review")
        DELIBERATED = "deliberated", _("Deliberated")
        RECOGNISED = "recognised", _("Recognised")
        NOT_RECOGNISED = "not_recognised", _("Not recognised")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class ApplicantKind(models.TextChoices):
        PERSON = "person", _("Person")
        COLLECTIVE = "collective", _("Collective")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="submissions")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    description = models.TextField(_("full description"))
    field = models.ForeignKey(
        "shared.Field", on_delete=models.PROTECT, related_name="+", verbose_name=_("field")
    )
    expected_benefit = models.TextField(_("expected benefit"))
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("unit of origin"),
    )
    applicant_kind = models.CharField(_("applicant"), max_length=20, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("name of the applicant"), max_length=200)
    applicant_email = models.EmailField(_("email"), blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=30, blank=True)
    applicant_language = models.CharField(max_length=8, default="vi")
    co_authors = models.TextField(_("co-authors"), blank=True, help_text=_("One per line."))
    publish_names = models.BooleanField(
        _("publish the applicants' names if recognised"), default=True
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    screening_reason = models.TextField(blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    award_level = models.ForeignKey(AwardLevel, on_delete=models.PROTECT, null=True, blank=True)
    # Review figures kept up to date by services.save_review (a roll-up, so the council's ranked
    # table is an index range scan whatever the size of the call).
    review_count = models.PositiveIntegerField(default=0, editable=False)
    review_mean = models.DecimalField(
        max_digits=7, decimal_places=3, null=True, blank=True, editable=False
    )
    review_min = models.DecimalField(
        max_digits=7, decimal_places=3, null=True, blank=True, editable=False
    )
    review_max = models.DecimalField(
        max_digits=7, decimal_places=3, null=True, blank=True, editable=False
    )
    recommend_yes = models.PositiveIntegerField(default=0, editable=False)
    client_token = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["call", "number"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="submission_number_unique")
        ]
        indexes = [
            models.Index(fields=["call", "status"], name="submission_status"),
            models.Index(fields=["call", "-review_mean", "number"], name="submission_ranking"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.title}"


class SubmissionEvent(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Submission.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.submission} → {self.status}"


class Attachment(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        upload_to=GeneratedPath("initiatives"), storage=private_storage, max_length=200
    )
    name = models.CharField(max_length=200)  # the user's file name, cleaned: display only
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.name

    @property
    def download_url(self) -> str:
        return file_url("initiative-attachment", self.pk)


class Conflict(models.Model):
    """A council member's declared conflict of interest with a submission."""

    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="conflicts")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "submission"], name="one_conflict")
        ]

    def __str__(self) -> str:
        return f"{self.member} ⟂ {self.submission}"


class Assignment(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        CouncilMember, on_delete=models.PROTECT, related_name="assignments"
    )
    method = models.CharField(max_length=20, default="manual")
    explanation = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "reviewer"], name="one_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.submission} → {self.reviewer}"


class Review(models.Model):
    class Recommendation(models.TextChoices):
        RECOGNISE = "recognise", _("Recognise")
        REJECT = "reject", _("Do not recognise")
        UNSURE = "unsure", _("Cannot decide")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    comment = models.TextField(_("overall comment"), blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    weighted_score = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.assignment}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=5, decimal_places=2)
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class Meeting(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("held on"))
    present = models.ManyToManyField(
        CouncilMember, related_name="meetings_attended", verbose_name=_("members present")
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.call} · {self.held_on}"


class Vote(models.Model):
    class Choice(models.TextChoices):
        YES = "yes", _("Recognise")
        NO = "no", _("Do not recognise")
        ABSTAIN = "abstain", _("Abstain")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    written = models.BooleanField(_("written opinion of an absent member"), default=False)
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "submission", "member"], name="one_vote_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.submission}: {self.choice}"


class Decision(models.Model):
    call = models.OneToOneField(Call, on_delete=models.PROTECT, related_name="decision")
    number = models.CharField(_("decision number"), max_length=60)
    decided_on = models.DateField(_("date"))
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.number


def private_storage():
    """Files only a view that checks permission hands out (core.uploads' private storage)."""
    return storages["private"]


class MinutesFile(models.Model):
    """A meeting's minutes as a PDF in one language, generated once in the background and served
    until something it shows changes (`digest`: of the meeting, its members, votes, the
    submissions on the table and the decision)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Generating")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Stopped on an error")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_files")
    language = models.CharField(max_length=10)
    digest = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    pdf = models.FileField(upload_to="initiatives/minutes/", storage=private_storage, blank=True)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("meeting minutes (PDF)")
        verbose_name_plural = _("meeting minutes (PDF)")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "language"], name="initiatives_minutes_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.language} · {self.get_status_display()}"

    @property
    def working(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
