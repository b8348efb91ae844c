"""Reviewer calibration, ranking with uncertainty, flags and inter-rater reliability.

A lenient reviewer gives everything 80, a harsh one 50: whoever drew the lenient one wins. Each
review's weighted score (0–100) is put on the council's common scale:

- "zscore": (score − reviewer's mean) / reviewer's spread, mapped back to the pooled mean and
  spread of all reviews. A reviewer with one review has no spread, so it becomes the pooled mean.
- "bayes" (the default): the same, with the reviewer's mean and spread shrunk toward the pooled
  ones with weight n / (n + prior) (a reviewer with few reviews is trusted less to be biased),
  and the mean measured against the other reviewers of the same submissions, so that a reviewer
  who drew strong submissions is not mistaken for a lenient one.

Each submission's calibrated score is the mean of its calibrated reviews, with a normal-
approximation interval (pooled within-submission spread, plus the uncertainty of each
reviewer's estimated bias). Flags: outlying reviews (far from the other reviews of the same
submission), submissions with one review, and submissions whose side of the cut line hinges on
one review (dropping it moves them across). Krippendorff's alpha (interval metric) measures
agreement per criterion.

Two layers again: `calibrate` and `krippendorff_alpha` take plain arrays (benchmarks, tests);
`calibration_report(call)` loads a call in five queries and returns dataclasses for the page.
The chair's choice of ranking is written on the call by `services.calibration.choose_ranking`
(audited) and read back by `chosen_ranking`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from thidua.core.formatting import format_number
from thidua.initiatives.models import Review, Score, Submission
from thidua.initiatives.selectors import ON_THE_TABLE
from thidua.shared.models import CouncilMember

METHODS = {
    "raw": gettext_lazy("Raw mean"),
    "zscore": gettext_lazy("Per-reviewer z-score"),
    "bayes": gettext_lazy("Shrunk z-score (robust)"),
}
RANKINGS = {"raw": gettext_lazy("Raw ranking"), "calibrated": gettext_lazy("Calibrated ranking")}
PRIOR = 3.0  # pseudo-reviews of the pooled reviewer each reviewer's mean and spread shrink toward
LEVEL = 0.9  # of the uncertainty intervals
OUTLIER = 2.5  # standardised distance from the other reviews of the same submission
CONSENSUS_ROUNDS = 5


# --- the array layer --------------------------------------------------------------------------


@dataclass
class ReviewerFit:
    n: int
    mean: float
    sd: float | None
    used_mean: float  # the location subtracted (shrunk, consensus-adjusted for "bayes")
    used_sd: float  # the spread divided by
    weight: float  # n / (n + prior): how much of the reviewer's own figures is used


@dataclass
class SubmissionFit:
    n: int
    raw: float | None
    score: float | None
    low: float | None
    high: float | None


@dataclass
class Calibration:
    method: str
    pooled_mean: float
    pooled_sd: float
    residual_sd: float
    calibrated: np.ndarray  # per review, on the pooled scale
    reviewers: dict[Any, ReviewerFit]
    submissions: dict[Any, SubmissionFit]
    outliers: dict[int, float] = field(default_factory=dict)  # review index → standardised gap


def _group(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    unique, codes = np.unique(keys, return_inverse=True)
    return unique, codes.reshape(-1)


def calibrate(
    reviewers: Sequence[Any],
    submissions: Sequence[Any],
    scores: Sequence[float],
    *,
    method: str = "bayes",
    prior: float = PRIOR,
    level: float = LEVEL,
) -> Calibration:
    """Calibrate reviews given as three parallel sequences (reviewer key, submission key,
    score). Keys are any hashable values; scores are floats."""
    if method not in METHODS:
        raise ValueError(method)
    x = np.asarray(scores, float)
    r_keys, r = _group(np.asarray(reviewers))
    s_keys, s = _group(np.asarray(submissions))
    n_r, n_s = len(r_keys), len(s_keys)
    if x.size == 0:
        return Calibration(method, 0.0, 0.0, 0.0, x, {}, {})
    mu = float(x.mean())
    sigma = float(x.std(ddof=1)) if x.size > 1 else 0.0
    sigma = sigma or 1.0
    count = np.bincount(r, minlength=n_r).astype(float)
    mean = np.bincount(r, weights=x, minlength=n_r) / count
    square = np.bincount(r, weights=(x - mean[r]) ** 2, minlength=n_r)
    var = np.divide(square, count - 1, out=np.full(n_r, np.nan), where=count > 1)

    if method == "raw":
        used_mean, used_sd, weight = np.full(n_r, mu), np.full(n_r, sigma), np.zeros(n_r)
        c = x.copy()
    elif method == "zscore":
        weight = np.ones(n_r)
        used_mean = mean
        used_sd = np.where((count > 1) & (var > 0), np.sqrt(np.nan_to_num(var)), np.inf)
        # One review, or all scores equal: no spread to divide by — the review says "average".
        c = mu + sigma * (x - used_mean[r]) / used_sd[r]
    else:
        weight = count / (count + prior)
        dof = np.maximum(count - 1, 0)
        used_sd = np.sqrt((dof * np.nan_to_num(var) + prior * sigma**2) / (dof + prior))
        offset = np.zeros(n_r)
        for _round in range(CONSENSUS_ROUNDS):
            # The reviewer's raw mean minus the quality of what they drew, in their own units.
            adjusted = mean - offset * used_sd / sigma
            used_mean = weight * adjusted + (1 - weight) * mu
            c = mu + sigma * (x - used_mean[r]) / used_sd[r]
            total = np.bincount(s, weights=c, minlength=n_s)
            per = np.bincount(s, minlength=n_s)
            others = per[s] - 1
            loo = np.divide(total[s] - c, others, out=np.full(x.size, mu), where=others > 0)
            offset = np.bincount(r, weights=loo - mu, minlength=n_r) / count

    per = np.bincount(s, minlength=n_s)
    q = np.bincount(s, weights=c, minlength=n_s) / per
    raw = np.bincount(s, weights=x, minlength=n_s) / per
    residual = c - q[s]
    dof = float((per - 1).sum())
    residual_sd = float(np.sqrt((residual**2).sum() / dof)) if dof > 0 else sigma
    # Each reviewer's location is estimated: a share of its uncertainty passes to the score.
    location_var = (
        np.zeros(n_r)
        if method == "raw"
        else sigma**2 / (count + (prior if method == "bayes" else 0.0))
    )
    calibration_var = np.bincount(s, weights=location_var[r], minlength=n_s) / per**2
    se = np.sqrt(residual_sd**2 / per + calibration_var)
    z = NormalDist().inv_cdf(0.5 + level / 2)

    # Outliers are judged against a robust spread (the median absolute residual), so that one
    # wild review does not widen the yardstick it is measured with.
    shared = residual[per[s] >= 2]
    robust = 1.4826 * float(np.median(np.abs(shared))) if shared.size else 0.0
    robust = robust or residual_sd
    outliers: dict[int, float] = {}
    for i in np.flatnonzero(per[s] >= 3):
        others = per[s[i]] - 1
        loo = (q[s[i]] * per[s[i]] - c[i]) / others
        gap = (c[i] - loo) / (robust * math.sqrt(1 + 1 / others)) if robust else 0.0
        if abs(gap) > OUTLIER:
            outliers[int(i)] = float(gap)

    return Calibration(
        method=method,
        pooled_mean=mu,
        pooled_sd=sigma,
        residual_sd=residual_sd,
        calibrated=c,
        reviewers={
            key: ReviewerFit(
                n=int(count[i]),
                mean=float(mean[i]),
                sd=None if math.isnan(var[i]) else float(math.sqrt(var[i])),
                used_mean=float(used_mean[i]),
                used_sd=float(used_sd[i]),
                weight=float(weight[i]),
            )
            for i, key in enumerate(r_keys.tolist())
        },
        submissions={
            key: SubmissionFit(
                n=int(per[j]),
                raw=float(raw[j]),
                score=float(q[j]),
                low=float(q[j] - z * se[j]),
                high=float(q[j] + z * se[j]),
            )
            for j, key in enumerate(s_keys.tolist())
        },
        outliers=outliers,
    )


def hinges(
    scores: dict[Any, float], reviews: dict[Any, list[tuple[Any, float]]], places: int
) -> dict[Any, list[Any]]:
    """Submissions whose side of the cut line (after `places`) changes when one of their reviews
    is dropped: {submission: [reviewer keys]}. `reviews`: {submission: [(reviewer, value)]} on
    the same scale as `scores`; the others' scores stay as they are."""
    keys = list(scores)
    values = np.array([scores[k] for k in keys], float)
    ordered = np.sort(values)
    result: dict[Any, list[Any]] = {}
    for key, value in zip(keys, values, strict=True):
        own = reviews.get(key, [])
        if len(own) < 2:
            continue
        above = len(ordered) - np.searchsorted(ordered, value, side="right")
        inside = above < places
        total = sum(v for _r, v in own)
        for reviewer, v in own:
            dropped = (total - v) / (len(own) - 1)
            # Others strictly above the new score (the submission itself is not among them).
            others_above = len(ordered) - np.searchsorted(ordered, dropped, side="right")
            others_above -= int(value > dropped)
            if (others_above < places) != inside:
                result.setdefault(key, []).append(reviewer)
    return result


def krippendorff_alpha(units: Sequence[Sequence[float]]) -> float | None:
    """Krippendorff's alpha, interval metric: 1 − D_o / D_e over the values of units rated at
    least twice (the other units are not pairable). None when undefined (fewer than two
    pairable values, or no variation at all)."""
    pairable = [np.asarray(u, float) for u in units if len(u) >= 2]
    if not pairable:
        return None
    values = np.concatenate(pairable)
    n = values.size
    # Σ_{i≠j} (v_i − v_j)² = 2 (m Σv² − (Σv)²) within a unit (D_o) and over all values (D_e).
    observed = sum(2 * (u.size * (u**2).sum() - u.sum() ** 2) / (u.size - 1) for u in pairable) / n
    expected = 2 * (n * (values**2).sum() - values.sum() ** 2) / (n * (n - 1))
    if expected <= 1e-12:
        return None
    return float(1 - observed / expected)


# --- the Django layer -----------------------------------------------------------------------


@dataclass
class RankedSubmission:
    submission: Any
    n_reviews: int
    raw: float | None
    raw_rank: int | None = None
    score: float | None = None
    low: float | None = None
    high: float | None = None
    rank: int | None = None
    flags: list[str] = field(default_factory=list)
    raw_hinges_on: list[Any] = field(default_factory=list)
    hinges_on: list[Any] = field(default_factory=list)

    @property
    def moved(self) -> int | None:
        """Places gained by calibration (positive: moved up)."""
        if self.raw_rank is None or self.rank is None:
            return None
        return self.raw_rank - self.rank

    @property
    def moved_label(self) -> str:
        moved = self.moved
        if not moved:
            return "="
        return f"↑{moved}" if moved > 0 else f"↓{-moved}"


@dataclass
class ReviewerRow:
    member: Any
    n: int
    mean: float
    sd: float | None
    shift: float  # points added to this reviewer's scores at their mean, on the pooled scale
    weight: float
    explanation: str


@dataclass
class CriterionAgreement:
    name: str
    alpha: float | None
    units: int
    explanation: str


@dataclass
class CalibrationReport:
    call: Any
    method: str
    places: int
    pooled_mean: float
    pooled_sd: float
    raw_order: list[RankedSubmission]
    calibrated_order: list[RankedSubmission]
    reviewers: list[ReviewerRow]
    agreement: list[CriterionAgreement]
    outlier_notes: list[str]
    changed_sides: list[RankedSubmission]
    chosen: dict[str, Any] | None


def _agreement_text(alpha: float | None) -> str:
    if alpha is None:
        return _("not enough overlapping reviews to measure")
    if alpha >= 0.8:
        return _("reviewers agree well")
    if alpha >= 0.667:
        return _("reviewers agree moderately; read the spread before deciding")
    return _("reviewers agree poorly; the scores say more about who reviewed than about the idea")


def _reviewer_text(row_shift: float, fit: ReviewerFit, method: str) -> str:
    if method == "raw":
        return _("scores used as given")
    if fit.n == 1 and method == "zscore":
        return _("only one review: it counts as an average score")
    direction = (
        _("harsher than the council: their scores are raised by about %(points)s points")
        if row_shift > 1.0
        else _("more lenient than the council: their scores are lowered by about %(points)s points")
        if row_shift < -1.0
        else _("in line with the council")
    )
    text = direction % {"points": format_number(abs(row_shift), 1)}
    if method == "bayes" and fit.weight < 0.75:
        text += " " + ngettext(
            "(%(n)s review only, so trusted less to be biased)",
            "(%(n)s reviews only, so trusted less to be biased)",
            fit.n,
        ) % {"n": fit.n}
    return text


def _ranks(rows: list[RankedSubmission], key: str) -> list[RankedSubmission]:
    ordered = sorted(
        rows,
        key=lambda row: (
            getattr(row, key) is None,
            -(getattr(row, key) or 0.0),
            row.submission.number,
        ),
    )
    for place, row in enumerate(ordered, 1):
        if getattr(row, key) is not None:
            setattr(row, "raw_rank" if key == "raw" else "rank", place)
    return ordered


def calibration_report(
    call: Any, *, method: str = "bayes", places: int | None = None, prior: float = PRIOR
) -> CalibrationReport:
    """Raw and calibrated rankings of the submissions on the council's table, with intervals,
    flags, reviewers' calibration and agreement per criterion. Five queries, whatever the size
    (six with the chair's recorded choice)."""

    if method not in METHODS or method == "raw":
        method = "bayes"
    submissions = list(
        Submission.objects.filter(call=call, status__in=ON_THE_TABLE)
        .select_related("unit", "field")
        .only(
            "id",
            "number",
            "title",
            "status",
            "call_id",
            "unit__name",
            "field__code",
            "field__name_vi",
            "field__name_en",
            "field__name_id",
        )
        .order_by("number")
    )
    on_table = {s.pk for s in submissions}
    reviews = [
        (pk, member_id, submission_id, float(score))
        for pk, member_id, submission_id, score in Review.objects.filter(
            assignment__submission__call=call,
            status=Review.Status.SUBMITTED,
            weighted_score__isnull=False,
        ).values_list(
            "pk", "assignment__reviewer_id", "assignment__submission_id", "weighted_score"
        )
        if submission_id in on_table
    ]
    members = {
        m.pk: m
        for m in CouncilMember.objects.filter(council_id=call.council_id).select_related("user")
    }
    criteria = list(call.criteria.all())
    per_criterion: dict[int, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    review_submission = {pk: submission_id for pk, _m, submission_id, _s in reviews}
    for review_id, criterion_id, value in Score.objects.filter(
        review__assignment__submission__call=call, review__status=Review.Status.SUBMITTED
    ).values_list("review_id", "criterion_id", "score"):
        if review_id in review_submission:
            per_criterion[criterion_id][review_submission[review_id]].append(float(value))

    reviewer_keys = [member_id for _pk, member_id, _s, _v in reviews]
    submission_keys = [submission_id for _pk, _m, submission_id, _v in reviews]
    values = [v for *_rest, v in reviews]
    fit = calibrate(reviewer_keys, submission_keys, values, method=method, prior=prior)

    rows = {
        s.pk: RankedSubmission(
            submission=s,
            n_reviews=fit.submissions[s.pk].n if s.pk in fit.submissions else 0,
            raw=fit.submissions[s.pk].raw if s.pk in fit.submissions else None,
        )
        for s in submissions
    }
    for pk, sub in fit.submissions.items():
        row = rows[pk]
        row.score, row.low, row.high = sub.score, sub.low, sub.high
    raw_order = _ranks(list(rows.values()), "raw")
    calibrated_order = _ranks(list(rows.values()), "score")
    scored = [row for row in rows.values() if row.score is not None]
    if places is None:
        places = math.ceil(len(scored) / 3)
    places = max(0, min(int(places), len(scored)))

    raw_reviews: dict[int, list[tuple[int, float]]] = defaultdict(list)
    calibrated_reviews: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for i, (_pk, member_id, submission_id, value) in enumerate(reviews):
        raw_reviews[submission_id].append((member_id, value))
        calibrated_reviews[submission_id].append((member_id, float(fit.calibrated[i])))
    raw_hinges = hinges({r.submission.pk: r.raw for r in scored}, raw_reviews, places)
    calibrated_hinges = hinges(
        {r.submission.pk: r.score for r in scored}, calibrated_reviews, places
    )

    outlier_notes = []
    outliers_by_submission: dict[int, list[str]] = defaultdict(list)
    for i, gap in fit.outliers.items():
        _pk, member_id, submission_id, value = reviews[i]
        member = members.get(member_id)
        outliers_by_submission[submission_id].append(str(member.user if member else member_id))
        outlier_notes.append(
            _("%(member)s gave #%(number)s %(score)s, far %(direction)s the other reviewers of it.")
            % {
                "member": member.user if member else member_id,
                "number": rows[submission_id].submission.number,
                "score": format_number(value, 1),
                "direction": _("above") if gap > 0 else _("below"),
            }
        )
    for pk, row in rows.items():
        row.raw_hinges_on = [members[m].user for m in raw_hinges.get(pk, []) if m in members]
        row.hinges_on = [members[m].user for m in calibrated_hinges.get(pk, []) if m in members]
        if row.n_reviews == 0:
            row.flags.append(_("no review yet"))
        elif row.n_reviews == 1:
            row.flags.append(_("only one review: the outcome rests on one reviewer"))
        if row.n_reviews and row.n_reviews < call.reviews_per_submission:
            row.flags.append(_("missing reviews"))
        if outliers_by_submission.get(pk):
            row.flags.append(
                _("outlying review by %(members)s")
                % {"members": ", ".join(outliers_by_submission[pk])}
            )
        if row.hinges_on:
            row.flags.append(
                _("its side of the line hinges on the review by %(members)s")
                % {"members": ", ".join(str(u) for u in row.hinges_on)}
            )
        if row.low is not None and row.high is not None and places and places < len(scored):
            line = (calibrated_order[places - 1].score + calibrated_order[places].score) / 2
            if row.low <= line <= row.high:
                row.flags.append(_("too close to the line to tell"))

    reviewer_rows = []
    for member_id, reviewer_fit in fit.reviewers.items():
        # What calibration adds to this reviewer's score at their own mean.
        shift = (
            fit.pooled_mean
            + fit.pooled_sd * (reviewer_fit.mean - reviewer_fit.used_mean) / reviewer_fit.used_sd
            - reviewer_fit.mean
        )
        member = members.get(member_id)
        reviewer_rows.append(
            ReviewerRow(
                member=member.user if member else member_id,
                n=reviewer_fit.n,
                mean=reviewer_fit.mean,
                sd=reviewer_fit.sd,
                shift=shift,
                weight=reviewer_fit.weight,
                explanation=_reviewer_text(shift, reviewer_fit, method),
            )
        )
    reviewer_rows.sort(key=lambda row: row.shift)

    agreement = []
    for criterion in criteria:
        units = list(per_criterion[criterion.pk].values())
        alpha = krippendorff_alpha(units)
        agreement.append(
            CriterionAgreement(
                criterion.name,
                alpha,
                sum(len(u) >= 2 for u in units),
                _agreement_text(alpha),
            )
        )
    overall = krippendorff_alpha([[v for _m, v in own] for own in raw_reviews.values()])
    agreement.append(
        CriterionAgreement(
            _("Weighted score (0–100)"),
            overall,
            sum(len(own) >= 2 for own in raw_reviews.values()),
            _agreement_text(overall),
        )
    )
    changed = [
        row
        for row in calibrated_order
        if row.rank is not None
        and row.raw_rank is not None
        and (row.rank <= places) != (row.raw_rank <= places)
    ]
    return CalibrationReport(
        call=call,
        method=method,
        places=places,
        pooled_mean=fit.pooled_mean,
        pooled_sd=fit.pooled_sd,
        raw_order=raw_order,
        calibrated_order=calibrated_order,
        reviewers=reviewer_rows,
        agreement=agreement,
        outlier_notes=outlier_notes,
        changed_sides=changed,
        chosen=chosen_ranking(call),
    )


def chosen_ranking(call: Any) -> dict[str, Any] | None:
    """The chair's last choice ({"ranking", "method", "places", "order", "by", "at"}); None when
    not chosen yet."""
    if not call.ranking_choice:
        return None
    by = call.ranking_chosen_by
    return {
        **call.ranking_choice,
        "by": by.get_username() if by is not None else "",
        "at": call.ranking_chosen_at,
    }
