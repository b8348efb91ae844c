"""Reads for surveys: scope checks, results per unit rolled up the tree, public tallies.

Results are sums of the per-area tallies through `org.selectors.rollup_measures` (the roll-up
movements use), under the tree of then (the units the areas belonged to at fielding) or of a
date (carried through the lineage). A unit that misses its coverage rule is "not eligible",
whatever its satisfied share: it can never read "passed"."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.core.cache import cache
from django.db.models import F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.core.policy import can, scope_filter, scope_paths
from thidua.org.models import PATH_SEPARATOR, Unit
from thidua.org.selectors import rollup_measures
from thidua.surveys.models import (
    AreaTally,
    FrameArea,
    OptionTally,
    Posting,
    Question,
    Questionnaire,
    Survey,
    SurveyReport,
)
from thidua.surveys.services.tallies import ANSWERED

SMALL_CELL = 5
LOW_RESPONSE = Decimal("0.5")
BOOTSTRAP_ROUNDS = 1000
COMMUNE_KINDS = frozenset({"ward", "residential_area"})
PUBLIC_STATUSES = (Survey.Status.POSTED, Survey.Status.REPORTED, Survey.Status.ARCHIVED)
NOTICE_STATUSES = (Survey.Status.FIELDING, Survey.Status.CLOSED, Survey.Status.TALLIED)

VERDICTS = {
    "passed": _("passed"),
    "failed": _("not passed"),
    "not_eligible": _("not eligible: coverage too low"),
    "no_answers": _("no answers yet"),
}
UNWEIGHTED_LABEL = _("Unweighted (satisfied ÷ valid answers)")
WEIGHTED_LABEL = _("Weighted by households in the frame")


def visible_surveys(user: Any) -> QuerySet[Survey]:
    """Surveys launched in, or covering, the user's part of the tree."""
    if not can(user, "surveys.view"):
        return Survey.objects.none()
    paths = _grant_paths(user)
    surveys = Survey.objects.select_related("unit", "scope", "scope__kind", "questionnaire")
    if paths is None:
        return surveys
    condition = Q(pk__in=[])
    for path in paths:
        # launched or surveyed in my part of the tree, or surveying a unit above me
        condition |= Q(unit__path__startswith=path) | Q(scope__path__startswith=path)
        condition |= Q(scope__path__in=_ancestor_paths(path)) & ~Q(status=Survey.Status.DRAFT)
    return surveys.filter(condition)


def _grant_paths(user: Any) -> list[str] | None:
    return scope_paths(user, "surveys.view")


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split(PATH_SEPARATOR) if p]
    return [PATH_SEPARATOR.join(parts[:i]) + PATH_SEPARATOR for i in range(1, len(parts) + 1)]


def get_survey_for_user(user: Any, pk: int) -> Survey:
    survey = visible_surveys(user).filter(pk=pk).first()
    if survey is None:
        raise Http404
    return survey


def visible_questionnaires(user: Any) -> QuerySet[Questionnaire]:
    """Questionnaires owned in the user's part of the tree (newest first)."""
    if not can(user, "surveys.view"):
        return Questionnaire.objects.none()
    return (
        Questionnaire.objects.filter(scope_filter(user, "surveys.view", "owner_unit__path"))
        .select_related("owner_unit", "owner_unit__parent", "next_version")
        .order_by("-created_at", "-id")
    )


def get_questionnaire_for_user(user: Any, pk: int) -> Questionnaire:
    questionnaire = visible_questionnaires(user).filter(pk=pk).first()
    if questionnaire is None:
        raise Http404
    return questionnaire


def questionnaire_in_use(questionnaire: Questionnaire) -> int:
    """How many surveys were fielded with this version."""
    return questionnaire.surveys.exclude(status=Survey.Status.DRAFT).count()


def reports_received(user: Any) -> QuerySet[SurveyReport]:
    """Survey results reported up to units in the user's part of the tree (waiting first)."""
    if not can(user, "surveys.view"):
        return SurveyReport.objects.none()
    return (
        SurveyReport.objects.filter(to_unit__isnull=False)
        .filter(scope_filter(user, "surveys.view", "to_unit__path"))
        .select_related(
            "survey", "survey__unit", "survey__unit__parent", "survey__scope", "to_unit"
        )
        .order_by(F("received_at").asc(nulls_first=True), "-reported_at", "-id")
    )


def report_of(survey: Survey) -> SurveyReport | None:
    return SurveyReport.objects.filter(survey=survey).select_related("to_unit").first()


def get_report_for_user(user: Any, pk: int) -> SurveyReport:
    report = reports_received(user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def public_surveys() -> QuerySet[Survey]:
    return Survey.objects.filter(status__in=(*NOTICE_STATUSES, *PUBLIC_STATUSES)).select_related(
        "unit", "scope"
    )


def get_public_survey(pk: int) -> Survey:
    survey = public_surveys().filter(pk=pk).first()
    if survey is None:
        raise Http404
    return survey


def areas_for_entry(
    user: Any, survey: Survey, *, root: Unit | None = None, limit: int | None = None
) -> list[FrameArea]:
    """The survey's areas the user may key forms for (below `root`, at most `limit`)."""
    rows = (
        FrameArea.objects.filter(survey=survey, selected=True)
        .filter(scope_filter(user, "surveys.enter_answers", "area__path"))
        .select_related("area", "area__parent", "area__kind")
        .order_by("area__path")
    )
    if root is not None:
        rows = rows.filter(area__path__startswith=root.path)
    return list(rows[:limit] if limit else rows)


def get_entry_area(user: Any, survey: Survey, area_pk: int) -> FrameArea:
    frame = (
        FrameArea.objects.filter(survey=survey, selected=True, area_id=area_pk)
        .filter(scope_filter(user, "surveys.enter_answers", "area__path"))
        .select_related("area", "area__parent", "area__kind")
        .first()
    )
    if frame is None:
        raise Http404
    return frame


def min_share(survey: Survey, unit: Unit) -> Decimal:
    if unit.kind.code in COMMUNE_KINDS:
        return survey.commune_min_share
    return survey.district_min_share


@dataclass
class UnitResult:
    unit: Unit | None
    households: int = 0
    answered: int = 0
    pass_valid: int = 0
    pass_yes: int = 0
    weighted_yes: Decimal = Decimal(0)
    weighted_base: int = 0
    min_share: Decimal = Decimal(0)
    threshold: Decimal = Decimal(0)
    interval: tuple[Decimal, Decimal] | None = None

    @property
    def coverage(self) -> Decimal | None:
        return Decimal(self.answered) / self.households if self.households else None

    @property
    def unweighted(self) -> Decimal | None:
        return Decimal(self.pass_yes) / self.pass_valid if self.pass_valid else None

    @property
    def weighted(self) -> Decimal | None:
        return self.weighted_yes / self.weighted_base if self.weighted_base else None

    @property
    def eligible(self) -> bool:
        coverage = self.coverage
        return coverage is not None and coverage >= self.min_share

    @property
    def low_response(self) -> bool:
        coverage = self.coverage
        return coverage is not None and coverage < LOW_RESPONSE

    @property
    def verdict(self) -> str:
        if not self.pass_valid:
            return "no_answers"
        if not self.eligible:
            return "not_eligible"
        return "passed" if self.unweighted >= self.threshold else "failed"

    @property
    def verdict_label(self) -> str:
        return str(VERDICTS[self.verdict])


@dataclass
class SurveyResults:
    survey: Survey
    root: Unit
    total: UnitResult
    rows: list[UnitResult] = field(default_factory=list)
    sampled: bool = False

    # read in the language of the request, not fixed when the module was imported
    @property
    def unweighted_label(self) -> str:
        return str(UNWEIGHTED_LABEL)

    @property
    def weighted_label(self) -> str:
        return str(WEIGHTED_LABEL)


MEASURES = ("households", "valid", "pass_valid", "pass_yes", "weighted_yes", "weighted_base")


def results(
    survey: Survey, *, root: Unit | None = None, tree: Literal["then"] | dt.date = "then"
) -> SurveyResults:
    """Coverage, shares and verdicts for `root` (the surveyed unit by default) and each of its
    children, in a bounded number of queries."""
    root = root or survey.scope
    rolled = rollup_measures(
        AreaTally.objects.filter(survey=survey),
        aggregates={name: Sum(name) for name in MEASURES},
        root=root,
        tree=tree,
        unit_field="area",
    )
    threshold = survey.questionnaire.pass_threshold

    def build(unit: Unit, child: int | None) -> UnitResult:
        def figure(name: str) -> Decimal:
            return rolled.total(None, name) if child is None else rolled.child(None, name, child)

        return UnitResult(
            unit=unit,
            households=int(figure("households")),
            answered=int(figure("valid")),
            pass_valid=int(figure("pass_valid")),
            pass_yes=int(figure("pass_yes")),
            weighted_yes=Decimal(figure("weighted_yes")),
            weighted_base=int(figure("weighted_base")),
            min_share=min_share(survey, unit),
            threshold=threshold,
        )

    total = build(root, None)
    rows = [build(child, child.pk) for child in rolled.children]
    rows = [row for row in rows if row.households]
    if survey.is_sampled:
        _add_intervals(survey, root, total, rows)
    return SurveyResults(
        survey=survey, root=root, total=total, rows=rows, sampled=survey.is_sampled
    )


def _bootstrap(clusters: list[tuple[int, int, int]], seed: int) -> tuple[Decimal, Decimal] | None:
    """95 % interval of the household-weighted share by resampling areas (clusters)."""
    clusters = [c for c in clusters if c[2]]
    if len(clusters) < 2:
        return None
    chooser = random.Random(seed)
    shares = []
    n = len(clusters)
    for _round in range(BOOTSTRAP_ROUNDS):
        weight = 0.0
        yes = 0.0
        for _pick in range(n):
            households, pass_yes, pass_valid = clusters[chooser.randrange(n)]
            weight += households
            yes += households * pass_yes / pass_valid
        shares.append(yes / weight)
    shares.sort()
    low = shares[int(0.025 * BOOTSTRAP_ROUNDS)]
    high = shares[int(0.975 * BOOTSTRAP_ROUNDS) - 1]
    return Decimal(str(round(low, 4))), Decimal(str(round(high, 4)))


def _add_intervals(survey: Survey, root: Unit, total: UnitResult, rows: list[UnitResult]) -> None:
    by_child: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    everything: list[tuple[int, int, int]] = []
    start = len(root.path)
    for path, households, pass_yes, pass_valid in AreaTally.objects.filter(
        survey=survey, area__path__startswith=root.path
    ).values_list("area__path", "households", "pass_yes", "pass_valid"):
        cluster = (households, pass_yes, pass_valid)
        everything.append(cluster)
        by_child[path[: path.find(PATH_SEPARATOR, start) + 1]].append(cluster)
    seed = survey.sample_seed or 0
    total.interval = _bootstrap(everything, seed)
    for row in rows:
        row.interval = _bootstrap(by_child.get(row.unit.path, []), seed)


@dataclass
class QuestionTally:
    question: Question
    answered: int | None
    cells: list[tuple[str, int | None, Decimal | None]]  # label, count, share of answered


def question_tallies(
    survey: Survey, *, root: Unit | None = None, public: bool = False
) -> list[QuestionTally]:
    """Counts per option over `root`'s subtree (multiple choice: each option counted). Public:
    only public questions, and any count under 5 suppressed (None), with a second cell when one
    alone could be worked out from the total."""
    root = root or survey.scope
    questions = [
        q
        for q in survey.questionnaire.questions.all()
        if q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.LIKERT)
        and (q.public or not public)
    ]
    sums = option_sums(survey, root)
    tallies = []
    for question in questions:
        counted = sums.get(question.code, {})
        answered = counted.get(ANSWERED, 0)
        options = question.labelled_options()
        if question.allow_other:
            options.append(("other", str(_("Other"))))
        values: list[int | None] = [counted.get(code, 0) for code, _label in options]
        shown_answered: int | None = answered
        if public:
            values, shown_answered = suppress(values, answered)
        cells = [
            (
                label,
                value,
                Decimal(value) / answered if value is not None and answered else None,
            )
            for (code, label), value in zip(options, values, strict=True)
        ]
        tallies.append(QuestionTally(question=question, answered=shown_answered, cells=cells))
    return tallies


def option_sums(survey: Survey, root: Unit) -> dict[str, dict[str, int]]:
    """{question: {option: count}} over `root`'s subtree; cached until the next recount."""
    version = Survey.objects.filter(pk=survey.pk).values_list("tally_version", flat=True).first()
    key = f"surveys:option-sums:{survey.pk}:{root.pk}:{version}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    rows = OptionTally.objects.filter(survey=survey)
    if root.pk != survey.scope_id:  # the whole survey needs no join on the units
        rows = rows.filter(area__path__startswith=root.path)
    sums: dict[str, dict[str, int]] = defaultdict(dict)
    cells = (
        rows.values("question", "option")
        .annotate(total=Sum("count"))
        .values_list("question", "option", "total")
        .order_by()
    )
    for code, option, total in cells:
        sums[code][option] = total
    sums = dict(sums)
    cache.set(key, sums, 3600)
    return sums


def suppress(values: list[int | None], answered: int) -> tuple[list[int | None], int | None]:
    """Small-cell suppression: no count from 1 to 4 is shown; when a single cell is hidden, the
    next smallest is hidden too, so that it cannot be worked out from the total."""
    if 0 < answered < SMALL_CELL:
        return [None] * len(values), None
    hidden = [v if v is None or not 0 < v < SMALL_CELL else None for v in values]
    if sum(1 for v in hidden if v is None) == 1:
        shown = [(v, i) for i, v in enumerate(hidden) if v]
        if shown:
            hidden[min(shown)[1]] = None
    return hidden, answered


def public_share(count: int, base: int) -> bool:
    """A share may be published when neither it nor its complement rests on 1–4 answers."""
    rest = base - count
    return base >= SMALL_CELL and not 0 < count < SMALL_CELL and not 0 < rest < SMALL_CELL


def postings(survey: Survey) -> QuerySet[Posting]:
    return survey.postings.select_related("supersedes").order_by("-number")


def current_posting(survey: Survey) -> Posting | None:
    return survey.postings.order_by("-number").first()


def posting_open(posting: Posting, day: dt.date | None = None) -> bool:
    day = day or timezone.localdate()
    return posting.posted_from <= day <= posting.posted_to


def frame_summary(survey: Survey) -> dict[str, int]:
    rows = FrameArea.objects.filter(survey=survey)
    selected = rows.filter(selected=True)
    return {
        "areas": rows.count(),
        "sampled": selected.count(),
        "households": selected.aggregate(n=Sum("households"))["n"] or 0,
        "from_register": selected.filter(from_register=True).count(),
    }


def area_rows(survey: Survey, root: Unit) -> list[tuple[AreaTally, str]]:
    """Every sampled area of `root`'s subtree with its tally (the posted sheet)."""
    return list(
        AreaTally.objects.filter(survey=survey, area__path__startswith=root.path)
        .select_related("area", "area__parent", "area__kind")
        .order_by("area__path")
    )
