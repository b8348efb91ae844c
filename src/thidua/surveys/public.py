"""What the public sees of a survey, for the pages, the JSON and the API alike: units and areas
with coverage, the satisfied share where no small cell gives it away, the public questions'
suppressed tallies and the postings. Never an individual answer."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from thidua.surveys import selectors
from thidua.surveys.models import Survey


def _share(count: int, base: int) -> Decimal | None:
    return Decimal(count) / base if selectors.public_share(count, base) else None


def public_figures(survey: Survey) -> dict[str, Any]:
    """Everything the public pages and JSON show: units and areas with coverage, the satisfied
    share where no small cell gives it away, and the public questions' suppressed tallies."""
    posted = survey.status in selectors.PUBLIC_STATUSES
    if not posted:
        return {"posted": False}
    results = selectors.results(survey)
    pass_public = survey.questionnaire.questions.filter(
        code=survey.questionnaire.pass_question, public=True
    ).exists()

    def unit_row(name: str, households: int, answered: int, yes: int, valid: int, verdict: str):
        shown = answered if answered == 0 or answered >= selectors.SMALL_CELL else None
        return {
            "name": name,
            "households": households,
            "answered": shown,
            "coverage": Decimal(answered) / households
            if households and shown is not None
            else None,
            "satisfied": _share(yes, valid) if pass_public else None,
            "verdict": verdict,
        }

    units = [
        unit_row(r.unit.name, r.households, r.answered, r.pass_yes, r.pass_valid, r.verdict_label)
        for r in [results.total, *results.rows]
    ]
    areas = [
        unit_row(t.area.display_name, t.households, t.valid, t.pass_yes, t.pass_valid, "")
        for t in selectors.area_rows(survey, survey.scope)
    ]
    return {
        "posted": True,
        "units": units,
        "areas": areas,
        "tallies": selectors.question_tallies(survey, public=True),
        "postings": list(selectors.postings(survey)),
    }


def _number(value: Any) -> Any:
    return float(round(value, 4)) if isinstance(value, Decimal) else value


def public_data(survey: Survey) -> dict[str, Any]:
    figures = public_figures(survey)
    data: dict[str, Any] = {
        "title": survey.title,
        "unit": survey.scope.name,
        "opens_on": survey.opens_on.isoformat(),
        "closes_on": survey.closes_on.isoformat(),
        "status": survey.status,
        "posted": figures["posted"],
    }
    if figures["posted"]:
        data["units"] = [{k: _number(v) for k, v in row.items()} for row in figures["units"]]
        data["areas"] = [{k: _number(v) for k, v in row.items()} for row in figures["areas"]]
        data["questions"] = [
            {
                "code": t.question.code,
                "text": t.question.text,
                "answered": t.answered,
                "options": [
                    {"label": label, "count": value, "share": _number(share)}
                    for label, value, share in t.cells
                ],
            }
            for t in figures["tallies"]
        ]
        data["postings"] = [
            {
                "number": p.number,
                "from": p.posted_from.isoformat(),
                "to": p.posted_to.isoformat(),
                "sha256": p.sha256,
                "pdf": p.pdf.url,
            }
            for p in figures["postings"]
        ]
    return data
