"""Emulation clusters and blocks (cụm, khối thi đua; Law 06/2022/QH15 art. 16(2)): members over
time, a yearly term (head, deputy, election, rotation), the yearly pledge, versioned score tables
and the members' score sheets with their approval chain, append-only score entries and the
published ranking that proposes the emulation flag."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.core.uploads import GeneratedPath

USER = settings.AUTH_USER_MODEL
POINTS = {"max_digits": 7, "decimal_places": 2}


class Step(models.TextChoices):
    """Where a score sheet stands; also the step a score entry was given at."""

    SELF_ASSESSING = "self_assessing", _("Self-assessment")
    SUBMITTED = "submitted", _("Submitted")
    PEER_SCORING = "peer_scoring", _("Peer scoring")
    SPECIALIST_REVIEW = "specialist_review", _("Specialist review")
    BOARD_REVIEW = "board_review", _("Board review")
    COUNCIL_REVIEW = "council_review", _("Emulation council review")
    STANDING_REVIEW = "standing_review", _("Standing board review")
    PUBLISHED = "published", _("Published")
    NOMINATED = "nominated", _("Nominated for the flag")


REVIEW_STEPS = [
    Step.SPECIALIST_REVIEW,
    Step.BOARD_REVIEW,
    Step.COUNCIL_REVIEW,
    Step.STANDING_REVIEW,
]
LOCKED = frozenset({Step.PUBLISHED, Step.NOMINATED})


class ReviewChain(models.Model):
    """The review steps an organising unit runs, in order (Đồng Nai's four when none is set)."""

    owner_unit = models.OneToOneField(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("organising unit")
    )
    steps = models.JSONField(_("review steps"), default=list)
    peer_scoring = models.BooleanField(_("peer scoring"), default=False)

    class Meta:
        verbose_name = _("review chain")

    def __str__(self) -> str:
        return str(self.owner_unit)


class Cluster(models.Model):
    class Kind(models.TextChoices):
        CLUSTER = "cluster", _("Cluster (geographic peers)")
        BLOCK = "block", _("Block (functional peers)")

    owner_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("organising unit")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CLUSTER)
    name = models.CharField(_("name"), max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)
    min_members = models.PositiveSmallIntegerField(_("minimum members"), default=5)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["owner_unit_id", "name", "pk"]
        verbose_name = _("emulation cluster")
        verbose_name_plural = _("emulation clusters")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("member from"))
    left_on = models.DateField(_("member until"), null=True, blank=True)

    class Meta:
        ordering = ["cluster_id", "unit__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="clusters_membership_dates",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.cluster}"


class Term(models.Model):
    """The cluster's year: head and deputy units, the rotation order that proposed the head and
    the election that may have chosen another."""

    class Source(models.TextChoices):
        ROTATION = "rotation", _("Rotation")
        ELECTION = "election", _("Election")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="terms")
    year = models.PositiveSmallIntegerField(_("year"))
    head = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("head unit")
    )
    deputy = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("deputy unit"),
    )
    rotation_order = models.JSONField(_("rotation order"), default=list, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ROTATION)
    elected_on = models.DateField(_("election date"), null=True, blank=True)
    election_note = models.TextField(_("election record"), blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    voters = models.PositiveSmallIntegerField(_("voters"), null=True, blank=True)

    class Meta:
        ordering = ["cluster_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="clusters_one_term_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.cluster} {self.year}"


class Pledge(models.Model):
    """The yearly pledge (giao ước thi đua) the members sign."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="pledges")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    content = models.TextField(_("content"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    class Meta:
        ordering = ["cluster_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="clusters_one_pledge_a_year")
        ]

    def __str__(self) -> str:
        return self.title


class PledgeTarget(models.Model):
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("target"), max_length=300)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    measure = models.CharField(_("measure"), max_length=60, blank=True)

    class Meta:
        ordering = ["pledge_id", "unit__name", "pk"]

    def __str__(self) -> str:
        return self.description


class ScoreTable(models.Model):
    """A score table version: frozen at the first submitted sheet; an edit after that makes the
    next version (`previous` links them) and the sheets stay on theirs."""

    owner_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("organising unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    change_note = models.TextField(_("what changed"), blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "title", "-version"]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class CriteriaGroup(models.Model):
    table = models.ForeignKey(ScoreTable, on_delete=models.CASCADE, related_name="groups")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(_("code"), max_length=10)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["table_id", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Criterion(models.Model):
    """A criterion or, with a parent, a sub-criterion. Leaves are scored; a parent's points are
    its children's."""

    table = models.ForeignKey(ScoreTable, on_delete=models.CASCADE, related_name="criteria")
    group = models.ForeignKey(CriteriaGroup, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    order = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(_("code"), max_length=12)
    title = models.CharField(_("title"), max_length=400)
    max_points = models.DecimalField(_("maximum points"), default=0, **POINTS)
    bonus_max = models.DecimalField(_("bonus up to"), default=0, **POINTS)
    penalty_max = models.DecimalField(_("penalty up to"), default=0, **POINTS)
    required = models.BooleanField(_("must be scored"), default=True)
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    scoring_guide = models.TextField(_("scoring guide"), blank=True)

    class Meta:
        ordering = ["table_id", "group__order", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Review(models.Model):
    """A cluster's year-end review under one score table."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("year"))
    table = models.ForeignKey(ScoreTable, on_delete=models.PROTECT, related_name="reviews")
    peer_count = models.PositiveSmallIntegerField(_("peers each member scores"), default=0)
    flag_quota = models.PositiveSmallIntegerField(_("flags proposed"), default=1)
    flag_round = models.ForeignKey(
        "honors.Round", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    meeting_on = models.DateField(_("review meeting"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    nominated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "cluster__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="clusters_one_review_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.cluster} {self.year}"

    @property
    def owner_unit(self):
        return self.cluster.owner_unit

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ScoreSheet(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="sheets")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    table = models.ForeignKey(ScoreTable, on_delete=models.PROTECT, related_name="sheets")
    status = models.CharField(max_length=20, choices=Step.choices, default=Step.SELF_ASSESSING)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review_id", "unit__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "unit"], name="clusters_one_sheet_a_member")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.review}"

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED


class ScoreEntry(models.Model):
    """One score given: append-only (the latest at a step wins; the earlier ones are history)."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.PROTECT, related_name="entries")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    step = models.CharField(max_length=20, choices=Step.choices)
    scorer_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    value = models.DecimalField(**POINTS)
    bonus = models.DecimalField(default=0, **POINTS)
    penalty = models.DecimalField(default=0, **POINTS)
    previous_value = models.DecimalField(null=True, blank=True, **POINTS)
    comment = models.TextField(blank=True)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sheet_id", "criterion_id", "at", "pk"]
        indexes = [models.Index(fields=["sheet", "criterion", "step"])]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.value}"

    @property
    def points(self) -> Decimal:
        return self.value + self.bonus - self.penalty


class Evidence(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.PROTECT, related_name="evidence")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=GeneratedPath("clusters/evidence"), max_length=200)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sheet_id", "criterion_id", "pk"]

    def __str__(self) -> str:
        return self.name


class SheetEvent(models.Model):
    """The sheet's history: every move, every return with its reason."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Step.choices)
    to_status = models.CharField(max_length=20, choices=Step.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sheet_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.sheet}: {self.from_status} → {self.to_status}"


class PeerAssignment(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="peer_assignments")
    scorer = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="+")
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="peers")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scorer", "sheet"], name="clusters_peer_once"),
            models.CheckConstraint(
                condition=~Q(scorer=models.F("sheet")), name="clusters_no_self_scoring"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scorer} → {self.sheet}"


class RankingRow(models.Model):
    """The published ranking, stored at publication with its tie-break trail."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ranking")
    sheet = models.OneToOneField(ScoreSheet, on_delete=models.PROTECT, related_name="rank")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    total = models.DecimalField(**POINTS)
    self_total = models.DecimalField(**POINTS)
    peer_total = models.DecimalField(null=True, blank=True, **POINTS)
    group_totals = models.JSONField(default=dict)
    tie_break = models.CharField(max_length=300, blank=True)
    flag_proposed = models.BooleanField(default=False)
    nomination = models.ForeignKey(
        "honors.Nomination", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["review_id", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.unit}"
