"""Per-area tallies, recomputed from the area's responses inside the writing transaction.

Multiple choice counts each option ticked (never the combination); "_n" is the number of valid
forms answering the question. The pass rule's numerator and base and the household-weighted
figures are stored beside the counts so every roll-up is a sum."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F

from thidua.surveys.models import AreaTally, OptionTally, Question, Response, Survey

ANSWERED = "_n"
CHOICES = {Question.Kind.SINGLE, Question.Kind.LIKERT, Question.Kind.MULTIPLE}


def count_forms(
    questions: list[Question], forms: Iterable[dict[str, Any]]
) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter] = defaultdict(Counter)
    kinds = {q.code: q.kind for q in questions}
    for answers in forms:
        for code, value in answers.items():
            kind = kinds.get(code)
            if kind is None:
                continue  # "Q3.other" texts are not counted
            counts[code][ANSWERED] += 1
            if kind == Question.Kind.MULTIPLE:
                for option in value:
                    counts[code][option] += 1
            elif kind in CHOICES:
                counts[code][value] += 1
    return {code: dict(counter) for code, counter in counts.items()}


def recount_areas(survey: Survey, area_ids: Iterable[int]) -> None:
    area_ids = list(area_ids)
    questionnaire = survey.questionnaire
    questions = list(questionnaire.questions.all())
    pass_options = set(questionnaire.pass_options or [])
    statuses: dict[int, Counter] = defaultdict(Counter)
    forms: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = Response.objects.filter(survey=survey, area_id__in=area_ids).values_list(
        "area_id", "status", "answers"
    )
    for area_id, status, answers in rows.iterator(chunk_size=5000):
        statuses[area_id][status] += 1
        if status == Response.Status.VALID:
            forms[area_id].append(answers)
    tallies = list(AreaTally.objects.filter(survey=survey, area_id__in=area_ids))
    for tally in tallies:
        counts = count_forms(questions, forms.get(tally.area_id, []))
        tally.counts = counts
        tally.valid = statuses[tally.area_id][Response.Status.VALID]
        tally.duplicates = statuses[tally.area_id][Response.Status.DUPLICATE]
        answered = counts.get(questionnaire.pass_question, {})
        tally.pass_valid = answered.get(ANSWERED, 0)
        tally.pass_yes = sum(n for option, n in answered.items() if option in pass_options)
        if tally.pass_valid:
            tally.weighted_yes = (
                Decimal(tally.households) * tally.pass_yes / tally.pass_valid
            ).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
            tally.weighted_base = tally.households
        else:
            tally.weighted_yes = Decimal(0)
            tally.weighted_base = 0
    AreaTally.objects.bulk_update(
        tallies,
        [
            "counts",
            "valid",
            "duplicates",
            "pass_valid",
            "pass_yes",
            "weighted_yes",
            "weighted_base",
        ],
        batch_size=1000,
    )
    write_option_tallies(survey, tallies)
    Survey.objects.filter(pk=survey.pk).update(tally_version=F("tally_version") + 1)


def write_option_tallies(survey: Survey, tallies: list[AreaTally]) -> None:
    """The tallies' cells as rows (replaced for these areas)."""
    OptionTally.objects.filter(survey=survey, area_id__in=[t.area_id for t in tallies]).delete()
    OptionTally.objects.bulk_create(
        (
            OptionTally(survey=survey, area_id=t.area_id, question=code, option=option, count=n)
            for t in tallies
            for code, cells in t.counts.items()
            for option, n in cells.items()
        ),
        batch_size=5000,
    )
