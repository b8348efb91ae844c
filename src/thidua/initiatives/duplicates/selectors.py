"""Reads for the screening pages: a submission's duplicate candidates and the side-by-side view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from thidua.initiatives.duplicates.algorithm import Passage, shared_passages, shared_share
from thidua.initiatives.duplicates.index import text_of
from thidua.initiatives.models import Call, Submission
from thidua.initiatives.models_duplicates import (
    DuplicateCandidate,
    DuplicateMark,
    SimilaritySignature,
)
from thidua.initiatives.selectors import is_secretariat


def _latest_verdict() -> Subquery:
    return Subquery(
        DuplicateMark.objects.filter(candidate=OuterRef("pk"))
        .order_by("-at", "-id")
        .values("verdict")[:1]
    )


@dataclass(frozen=True)
class DuplicateRow:
    candidate: DuplicateCandidate
    other: Submission
    verdict: str  # "" while nobody has marked the pair

    @property
    def verdict_label(self) -> str:
        return DuplicateMark.Verdict(self.verdict).label if self.verdict else ""


@dataclass(frozen=True)
class DuplicatePanel:
    call_id: int
    submission_id: int
    indexed: bool
    rows: list[DuplicateRow]


def duplicate_panel(submission: Submission) -> DuplicatePanel:
    """What `initiatives/duplicates_panel.html` shows on a submission's staff page: its possible
    duplicates, best first, with the latest verdict. Two queries. Show it to the call's
    secretariat only (the caller checks; the compare page checks again)."""
    candidates = (
        DuplicateCandidate.objects.filter(Q(a_id=submission.pk) | Q(b_id=submission.pk))
        .select_related("a__call", "a__unit", "b__call", "b__unit")
        .annotate(verdict=_latest_verdict())
        .order_by("-score", "id")
    )
    rows = [
        DuplicateRow(
            candidate=c,
            other=c.b if c.a_id == submission.pk else c.a,
            verdict=c.verdict or "",
        )
        for c in candidates
    ]
    return DuplicatePanel(
        call_id=submission.call_id,
        submission_id=submission.pk,
        indexed=SimilaritySignature.objects.filter(submission_id=submission.pk).exists(),
        rows=rows,
    )


@dataclass(frozen=True)
class ComparedField:
    label: str
    mine: list[Passage]
    theirs: list[Passage]


@dataclass(frozen=True)
class Comparison:
    submission: Submission
    other: Submission
    candidate: DuplicateCandidate
    fields: list[ComparedField]
    shared_mine: float
    shared_theirs: float
    may_see_other_applicant: bool
    marks: list[DuplicateMark]

    @property
    def verdict(self) -> str:
        return self.marks[0].verdict if self.marks else ""


def get_comparison_for_user(
    user: Any, call: Call, submission_id: int, candidate_id: int
) -> Comparison:
    """The side-by-side view of a pair, for the secretariat of `call` only; anything else, or a
    pair that does not concern this call's submission, answers 404 like a missing one."""
    if not is_secretariat(user, call):
        raise Http404
    submission = (
        Submission.objects.select_related("call", "unit")
        .filter(call=call, pk=submission_id)
        .first()
    )
    if submission is None:
        raise Http404
    candidate = (
        DuplicateCandidate.objects.filter(Q(a_id=submission.pk) | Q(b_id=submission.pk))
        .filter(pk=candidate_id)
        .first()
    )
    if candidate is None:
        raise Http404
    other = Submission.objects.select_related("call", "unit").get(pk=candidate.other(submission.pk))
    mine_text, theirs_text = text_of(submission), text_of(other)
    labels = [
        (_("Title"), "title"),
        (_("Summary"), "summary"),
        (_("Full description"), "description"),
    ]
    fields = [
        ComparedField(
            label=label,
            mine=shared_passages(getattr(submission, name), theirs_text),
            theirs=shared_passages(getattr(other, name), mine_text),
        )
        for label, name in labels
    ]
    return Comparison(
        submission=submission,
        other=other,
        candidate=candidate,
        fields=fields,
        shared_mine=shared_share([p for f in fields for p in f.mine]),
        shared_theirs=shared_share([p for f in fields for p in f.theirs]),
        may_see_other_applicant=is_secretariat(user, other.call),
        marks=list(candidate.marks.select_related("by").order_by("-at", "-id")),
    )
