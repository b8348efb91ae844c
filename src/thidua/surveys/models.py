"""Questionnaires, surveys with frozen frames, answers keyed in batches, tallies and postings.

A survey freezes three things when fielding starts: its questionnaire version, the frame (the
households of every residential area in scope, read from the units then) and its coverage rule
(copied from the dated rule in force on the opening day). Later changes to units, households or
rules change nothing in it. Answers carry no person; in household mode only a keyed hash of the
household code, unlinkable outside the survey.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from thidua.core.uploads import GeneratedPath, private_storage, public_storage


class CoverageRule(models.Model):
    """Dated rule data: the minimum household share a survey must reach at a level, and the
    satisfied share a unit must reach (HD 78/2017, HD 90/2022...)."""

    class Level(models.TextChoices):
        COMMUNE = "commune", _("commune")
        DISTRICT = "district", _("district or above")

    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    min_household_share = models.DecimalField(
        _("minimum share of households"), max_digits=5, decimal_places=4
    )
    max_household_share = models.DecimalField(
        _("recommended upper share of households"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
    )
    min_satisfied_share = models.DecimalField(
        _("minimum satisfied share"), max_digits=5, decimal_places=4
    )
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["level", "-valid_from"]
        verbose_name = _("coverage rule")
        verbose_name_plural = _("coverage rules")

    def __str__(self) -> str:
        return f"{self.legal_basis} ({self.get_level_display()})"


class Questionnaire(models.Model):
    class Purpose(models.TextChoices):
        NTM_SATISFACTION = "ntm_satisfaction", _("satisfaction with new rural areas")
        MOVEMENT_EFFECTIVENESS = "movement_effectiveness", _("effectiveness of a movement")
        AUTHORITY_SATISFACTION = "authority_satisfaction", _("satisfaction with local authority")
        CUSTOM = "custom", _("other")

    owner_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner unit")
    )
    title = models.CharField(_("title"), max_length=300)
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    # The pass rule: answers to `pass_question` among `pass_options` ≥ threshold of valid answers.
    pass_question = models.CharField(_("pass rule: question"), max_length=20, blank=True)
    pass_options = models.JSONField(_("pass rule: options"), default=list, blank=True)
    pass_threshold = models.DecimalField(
        _("pass rule: threshold"), max_digits=5, decimal_places=4, default=Decimal("0.8")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("one choice")
        MULTIPLE = "multiple", _("several choices")
        LIKERT = "likert", _("5-level scale")
        NUMBER = "number", _("number")
        TEXT = "text", _("text")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text_vi = models.CharField(_("text (Vietnamese)"), max_length=500)
    text_en = models.CharField(_("text (English)"), max_length=500, blank=True)
    text_id = models.CharField(_("text (Indonesian)"), max_length=500, blank=True)
    # [{"code": "a", "vi": "...", "en": "...", "id": "..."}]
    options = models.JSONField(_("options"), default=list, blank=True)
    allow_other = models.BooleanField(_('allows "other"'), default=False)
    required = models.BooleanField(_("required"), default=False)
    public = models.BooleanField(_("shown publicly"), default=True)
    # {"question": "Q1", "in": ["a", "b"]}: shown only when an earlier answer is one of these
    condition = models.JSONField(_("condition"), null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "code"], name="surveys_question_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        language = (get_language() or "vi")[:2]
        return getattr(self, f"text_{language}", "") or self.text_vi

    def option_codes(self) -> list[str]:
        return [option["code"] for option in self.options]

    def option_label(self, code: str) -> str:
        language = (get_language() or "vi")[:2]
        for option in self.options:
            if option["code"] == code:
                return option.get(language) or option.get("vi") or code
        return code

    def labelled_options(self) -> list[tuple[str, str]]:
        return [(code, self.option_label(code)) for code in self.option_codes()]


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        FIELDING = "fielding", _("fielding")
        CLOSED = "closed", _("closed")
        TALLIED = "tallied", _("tallied")
        POSTED = "posted", _("posted")
        REPORTED = "reported", _("reported up")
        ARCHIVED = "archived", _("archived")

    class Mode(models.TextChoices):
        ANONYMOUS = "anonymous", _("anonymous")
        HOUSEHOLD = "household", _("one answer per household")

    class Method(models.TextChoices):
        DOOR_TO_DOOR = "door_to_door", _("door to door")
        AREA_MEETING = "area_meeting", _("area meeting")
        ONLINE = "online", _("online")
        MIXED = "mixed", _("mixed")

    title = models.CharField(_("title"), max_length=300)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="surveys"
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("launching unit")
    )
    scope = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("surveyed unit")
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Sampling plan: every residential area (sample_size null) or a seeded random k of n.
    sample_size = models.PositiveIntegerField(_("areas sampled"), null=True, blank=True)
    sample_seed = models.BigIntegerField(_("sampling seed"), null=True, blank=True)
    # The coverage rule, copied from the dated rule at fielding (frozen with the frame).
    rule = models.ForeignKey(CoverageRule, on_delete=models.PROTECT, null=True, blank=True)
    commune_min_share = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.6"))
    district_min_share = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.2"))
    posting_days = models.PositiveSmallIntegerField(_("days on public posting"), default=10)
    # Keys household codes: unlinkable outside this survey.
    secret = models.CharField(max_length=64, editable=False)
    movement = models.ForeignKey(
        "movements.Movement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked movement"),
    )
    indicator_map = models.JSONField(default=dict, blank=True)  # {indicator pk: question code}
    fielded_at = models.DateTimeField(null=True, blank=True)
    # moves on at every recount: cached sums of the tallies are keyed on it
    tally_version = models.PositiveIntegerField(default=0, editable=False)
    reopen_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title

    @property
    def is_sampled(self) -> bool:
        return self.sample_size is not None


class FrameArea(models.Model):
    """One residential area of the frozen frame: its households at fielding."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="frame")
    area = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    households = models.PositiveIntegerField(_("households in frame"))
    # where the count came from: the household register when the area has one, else the unit
    from_register = models.BooleanField(_("counted from the household register"), default=False)
    selected = models.BooleanField(default=True)
    form_code = models.CharField(max_length=12)

    class Meta:
        ordering = ["area__path"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "area"], name="surveys_frame_area_unique"),
            models.UniqueConstraint(fields=["survey", "form_code"], name="surveys_frame_code"),
        ]

    def __str__(self) -> str:
        return f"{self.area} ({self.households})"


class HouseholdSlip(models.Model):
    """A household code handed out on a paper slip, kept only as its keyed hash."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="slips")
    area = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="surveys_slip_key_unique")
        ]

    def __str__(self) -> str:
        return str(self.area)


class Batch(models.Model):
    """Paper forms of one area keyed together (or a meeting's forms); resending is idempotent."""

    class Channel(models.TextChoices):
        PAPER = "paper", _("paper forms")
        MEETING = "meeting", _("area meeting")
        WEB = "web", _("web")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="batches")
    area = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    client_id = models.UUIDField()
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.PAPER)
    meeting_on = models.DateField(_("meeting date"), null=True, blank=True)
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    keyed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    forms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "client_id"], name="surveys_batch_client_id")
        ]

    def __str__(self) -> str:
        return f"{self.area} · {self.forms}"


class Response(models.Model):
    """One answered form. No person, no user: only the area and, in household mode, a keyed
    hash of the household code."""

    class Status(models.TextChoices):
        VALID = "valid", _("valid")
        SPOILED = "spoiled", _("spoiled")
        DUPLICATE = "duplicate", _("duplicate")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    area = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, null=True, blank=True, related_name="responses"
    )
    client_id = models.UUIDField()
    household_key = models.CharField(max_length=64, null=True, blank=True)
    channel = models.CharField(max_length=20, choices=Batch.Channel.choices)
    answers = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.VALID)
    received_on = models.DateField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "client_id"], name="surveys_response_client_id"
            ),
            models.UniqueConstraint(
                fields=["survey", "household_key"],
                condition=Q(status="valid", household_key__isnull=False),
                name="surveys_one_valid_answer_per_household",
            ),
        ]
        indexes = [models.Index(fields=["survey", "area"], name="surveys_response_area")]

    def __str__(self) -> str:
        return f"{self.area} · {self.get_status_display()}"


class AreaTally(models.Model):
    """The counts of one area, recomputed from its responses after each change; additive, so
    the roll-up sums them over any subtree under the tree of then or of now."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tallies")
    area = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    households = models.PositiveIntegerField(default=0)  # frozen frame
    valid = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    pass_valid = models.PositiveIntegerField(default=0)  # valid answers to the pass question
    pass_yes = models.PositiveIntegerField(default=0)
    # households × satisfied share, and households where the share is known: weighted sums
    weighted_yes = models.DecimalField(max_digits=16, decimal_places=6, default=Decimal(0))
    weighted_base = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)  # {question code: {option code: n}}

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "area"], name="surveys_tally_area_unique")
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.valid}/{self.households}"


class OptionTally(models.Model):
    """One cell of an area's tally (question, option, count; option "_n" is the number of forms
    answering the question), so that a subtree's counts are one grouped sum in the database."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="option_tallies")
    area = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    question = models.CharField(max_length=20)
    option = models.CharField(max_length=40)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["survey", "area"], name="surveys_option_tally_area")]

    def __str__(self) -> str:
        return f"{self.area} {self.question}={self.option}: {self.count}"


class Posting(models.Model):
    """Results posted publicly for a window, with the frozen PDF and its hash. A correction is a
    new posting that supersedes the old one; the old one stays visible."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="postings")
    number = models.PositiveSmallIntegerField(default=1)
    posted_from = models.DateField(_("posted from"))
    posted_to = models.DateField(_("posted until"))
    places = models.CharField(_("places of posting"), max_length=500, blank=True)
    pdf = models.FileField(
        upload_to=GeneratedPath("surveys/postings"), storage=public_storage, max_length=200
    )
    sha256 = models.CharField(max_length=64)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    reason = models.TextField(_("reason for the correction"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["survey", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="surveys_posting_number")
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.number}"


class SurveyReport(models.Model):
    """Results reported up to the launching unit's parent: the figures as they were when
    reported, waiting in that unit's inbox until an officer there receives them."""

    survey = models.OneToOneField(Survey, on_delete=models.PROTECT, related_name="report")
    to_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported to"),
    )
    reported_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)
    # {"households", "answered", "coverage", "unweighted", "weighted", "verdict", "rows": [...]}
    results = models.JSONField(default=dict)
    received_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("reported survey results")
        verbose_name_plural = _("reported survey results")

    def __str__(self) -> str:
        return str(self.survey)


class AnswersExport(models.Model):
    """The answers workbook of a survey, built once in the background and kept (privately)
    until the answers change: `digest` fingerprints the survey's tallies and answers."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Generating")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Stopped on an error")

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="answers_export")
    digest = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="surveys/exports/", storage=private_storage, blank=True)
    rows = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("answers export")
        verbose_name_plural = _("answers exports")

    def __str__(self) -> str:
        return f"{self.survey} · {self.get_status_display()}"

    @property
    def working(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
