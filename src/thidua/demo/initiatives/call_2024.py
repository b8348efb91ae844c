"""The demo's 2024 call: submissions, screening, reviews, the council's meeting and decision."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from thidua.core import audit
from thidua.demo.initiatives.common import _at, _compose, _fits, _lower, _plan
from thidua.demo.initiatives.data import (
    ABSENT,
    AMENDMENTS,
    ASSIGNED_ON,
    AWARDS,
    CALL_2024,
    CALL_2024_TEXT,
    CLOSES_2024,
    CONFLICTS,
    DECIDED_ON,
    DECISION_NUMBER,
    FLOOR,
    MEETING_NOTES,
    MEETING_ON,
    OPENS_2024,
    RECOGNISED_2024,
    REVIEW_COMMENTS,
    REVIEWS_DUE,
    REVIEWS_FROM,
    SCREENED_ON,
    SCREENED_OUT_2024,
    SCREENING_REASONS,
    SEED,
    SHORTLIST_MIN,
    SUBMISSIONS_2024,
    R,
    S,
)
from thidua.initiatives import selectors, services
from thidua.initiatives.models import (
    Assignment,
    Call,
    Conflict,
    Decision,
    Meeting,
    Review,
    Submission,
    SubmissionEvent,
    Vote,
)
from thidua.org.models import Unit
from thidua.org.selectors import normalise_search
from thidua.shared.models import Council, CouncilMember, Field

# --- the 2024 call ----------------------------------------------------------------------------


def _seed_2024(
    hanoi: Unit,
    organiser: Any,
    council: Council,
    seats: dict[str, CouncilMember],
    fields: dict[str, Field],
    legacy: list[Unit],
    current: list[Unit],
) -> Call:
    rng = random.Random(f"{SEED}:2024")
    chair, secretary = _role(seats, R.CHAIR), _role(seats, R.SECRETARY)
    call = services.create_call(
        organiser,
        owner_unit=hanoi,
        title=CALL_2024,
        description=CALL_2024_TEXT,
        opens_on=OPENS_2024,
        closes_on=CLOSES_2024,
        council=council,
        fields=list(fields.values()),
        award_levels=[(name, prize) for name, prize, _n in AWARDS],
        influence=Call.Influence.PROVINCIAL,
        reviews_per_submission=2,
        blind=True,
        recognition_share=Decimal("0.5"),
        strictly_more=True,
        review_deadline=REVIEWS_DUE,
    )
    services.set_call_status(organiser, call=call, status=Call.Status.OPEN)
    submissions = _write_history(call, organiser, hanoi, fields, legacy, rng)
    services.set_call_status(organiser, call=call, status=Call.Status.CLOSED)

    # Screening by the council's secretary.
    out = set(rng.sample(range(len(submissions)), SCREENED_OUT_2024))
    for index, submission in enumerate(submissions):
        services.screen(
            secretary.user,
            submission=submission,
            accept=index not in out,
            reason=SCREENING_REASONS[index % len(SCREENING_REASONS)] if index in out else "",
        )
    screened_in = [s for i, s in enumerate(submissions) if i not in out]

    # Declared conflicts, then the balanced assigner (which respects them and the home units).
    for (username, reason), submission in zip(
        CONFLICTS, rng.sample(screened_in, len(CONFLICTS)), strict=True
    ):
        services.declare_conflict(seats[username].user, submission=submission, reason=reason)
    services.auto_assign(secretary.user, call=call)

    _review(call, rng)
    meeting, ranked = _deliberate(call, seats, secretary, rng)
    recognised = _vote(meeting, ranked, seats, secretary, rng)
    levels = list(call.award_levels.order_by("order"))
    awards, start = {}, 0
    for level, (_name, _prize, n) in zip(levels, AWARDS, strict=True):
        for row in recognised[start : start + n]:
            awards[row.submission.pk] = level
        start += n
    services.finalise_decision(
        chair.user,
        call=call,
        number=DECISION_NUMBER,
        decided_on=DECIDED_ON,
        meeting=meeting,
        awards=awards,
    )
    _backdate_2024(call, meeting, rng)
    return call


def _role(seats: dict[str, CouncilMember], role: str) -> CouncilMember:
    return next(m for m in seats.values() if m.role == role)


def _write_history(
    call: Call,
    organiser: Any,
    hanoi: Unit,
    fields: dict[str, Field],
    legacy: list[Unit],
    rng: random.Random,
) -> list[Submission]:
    """The 512 submissions of 2024, written directly: `services.submit_initiative` accepts a
    submission only while the call is open today, so no service can write history. Entered by
    the wards' Fronts from paper dossiers (no email, so nobody is notified of the later steps)."""
    # wards weigh twice as much as communes: more initiatives come from the urban districts
    weights = [2 if u.name.startswith("Phường") else 1 for u in legacy]
    span = (CLOSES_2024 - OPENS_2024).days
    rows = []
    for field_code, combo in _plan(rng, SUBMISSIONS_2024):
        unit = rng.choices(legacy, weights=weights)[0]
        while not _fits(field_code, combo, unit):
            unit = rng.choices(legacy, weights=weights)[0]
        text = _compose(rng, field_code, combo, unit)
        # more dossiers come in as the deadline nears
        day = OPENS_2024 + dt.timedelta(days=round(rng.triangular(0, span, span * 0.85)))
        rows.append((_at(day, rng.randint(8, 16), rng.randint(0, 59)), unit, field_code, text))
    rows.sort(key=lambda row: row[0])
    submissions = [
        Submission(
            call=call,
            number=number,
            field=fields[field_code],
            unit=unit,
            status=S.SUBMITTED,
            submitted_at=at,
            search_text=normalise_search(f"{text['title']} {text['summary']}"),
            **text,
        )
        for number, (at, unit, field_code, text) in enumerate(rows, start=1)
    ]
    Submission.objects.bulk_create(submissions, batch_size=500)
    submissions = list(Submission.objects.filter(call=call).select_related("unit", "call"))
    for submission in submissions:
        submission.created_at = submission.submitted_at
    Submission.objects.bulk_update(submissions, ["created_at"], batch_size=500)
    SubmissionEvent.objects.bulk_create(
        [
            SubmissionEvent(
                submission=s,
                status=S.SUBMITTED,
                note=f"Hồ sơ nộp qua Ủy ban MTTQ {_lower(s.unit.name)}",
            )
            for s in submissions
        ],
        batch_size=500,
    )
    events = list(
        SubmissionEvent.objects.filter(submission__call=call).select_related("submission")
    )
    for event in events:
        event.at = event.submission.submitted_at
    SubmissionEvent.objects.bulk_update(events, ["at"], batch_size=500)
    audit.record(
        organiser,
        "initiatives.seed_history",
        call,
        {
            "submissions": len(submissions),
            "from": OPENS_2024,
            "to": CLOSES_2024,
            "note": "Demo history written directly: submit_initiative only accepts a call open "
            "today. Screening, reviews, votes and the decision went through the services.",
        },
        unit=hanoi,
    )
    return submissions


def _review(call: Call, rng: random.Random) -> None:
    """Every reviewer scores every assignment and submits; two amend a review with a reason."""
    criteria = list(call.criteria.all())
    assignments = list(
        Assignment.objects.filter(submission__call=call)
        .select_related("reviewer__user", "submission__call", "submission__unit")
        .order_by("submission__number", "reviewer_id")
    )
    leniency = {m: rng.uniform(-6, 6) for m in {a.reviewer_id for a in assignments}}
    quality: dict[int, float] = {}
    twist: dict[int, float] = {}
    for assignment in assignments:
        sid = assignment.submission_id
        if sid not in quality:
            quality[sid] = min(95.0, max(22.0, rng.gauss(60, 13)))
            # about one in twenty-five: the two reviewers see it very differently
            twist[sid] = rng.choice([-30, 30]) if rng.random() < 0.04 else 0.0
            twisted = True
        else:
            twisted = False
        base = quality[sid] + leniency[assignment.reviewer_id] + (twist[sid] if twisted else 0)
        scores = {}
        for criterion in criteria:
            raw = (base + rng.gauss(0, 7)) / 100 * criterion.max_score
            scores[criterion.pk] = Decimal(
                str(min(criterion.max_score, max(0, round(raw * 2) / 2)))
            )
        mean = services.weighted_score(scores, criteria) or Decimal(0)
        if mean >= 68:
            recommendation = Review.Recommendation.RECOGNISE
        elif mean >= 55:
            recommendation = rng.choice(
                [Review.Recommendation.UNSURE, Review.Recommendation.RECOGNISE]
            )
        else:
            recommendation = Review.Recommendation.REJECT
        services.save_review(
            assignment.reviewer.user,
            assignment=assignment,
            scores=scores,
            recommendation=recommendation,
            comment=rng.choice(REVIEW_COMMENTS[recommendation]),
            submit=True,
        )
    for assignment, reason in zip(
        rng.sample(assignments, len(AMENDMENTS)), AMENDMENTS, strict=True
    ):
        review = assignment.review
        scores = {
            s.criterion_id: s.score + 1 if s.score <= 9 else s.score for s in review.scores.all()
        }
        services.save_review(
            assignment.reviewer.user,
            assignment=assignment,
            scores=scores,
            recommendation=review.recommendation,
            comment=review.comment,
            amend_reason=reason,
        )


def _deliberate(
    call: Call, seats: dict[str, CouncilMember], secretary: CouncilMember, rng: random.Random
) -> tuple[Meeting, list[selectors.RankedRow]]:
    """The meeting, and the shortlist it votes on (best first)."""
    ranked = selectors.ranked_table(call)
    floor = min(FLOOR, Decimal(int(ranked[SHORTLIST_MIN - 1].mean or FLOOR)))
    shortlist = [row for row in ranked if row.mean is not None and row.mean >= floor]
    present = [m for name, m in seats.items() if name != ABSENT]
    meeting = services.record_meeting(
        secretary.user,
        call=call,
        held_on=MEETING_ON,
        present=present,
        notes=MEETING_NOTES.format(n=len(shortlist), floor=f"{floor:.0f}"),
    )
    return meeting, shortlist


def _vote(
    meeting: Meeting,
    ranked: list[selectors.RankedRow],
    seats: dict[str, CouncilMember],
    secretary: CouncilMember,
    rng: random.Random,
) -> list[selectors.RankedRow]:
    """Every member votes on every initiative of the shortlist (the absent one in writing). The
    council follows the scores, except that two pairs near the line change places: exactly
    RECOGNISED_2024 reach the share of all members. Returns the recognised, best first."""
    chosen = list(range(RECOGNISED_2024))
    for inside, outside in (
        (RECOGNISED_2024 - 2, RECOGNISED_2024 + 1),
        (RECOGNISED_2024 - 5, RECOGNISED_2024 + 4),
    ):
        chosen[chosen.index(inside)] = outside
    chosen_set = set(chosen)
    members = list(seats.values())
    needed = services.required_yes(meeting.call, len(members))
    yes_votes: dict[int, int] = {}
    for rank, row in enumerate(ranked):
        if rank in chosen_set:
            if rank < 30:
                yes = rng.choice([len(members), len(members), len(members) - 1])
            elif rank < 90:
                yes = rng.randint(needed + 1, len(members))
            else:
                yes = rng.randint(needed, needed + 2)
        elif rank < RECOGNISED_2024 + 50:
            yes = rng.randint(needed - 3, needed - 1)
        else:
            yes = rng.choice([0, 0, 1, 1, 2])
        saying_yes = set(rng.sample(range(len(members)), yes))
        for index, member in enumerate(members):
            choice = "yes" if index in saying_yes else rng.choice(["no"] * 6 + ["abstain"])
            if member.user.get_username() == ABSENT:
                services.cast_vote(
                    secretary.user,
                    meeting=meeting,
                    submission=row.submission,
                    choice=choice,
                    member=member,
                    written=True,
                )
            else:
                services.cast_vote(
                    member.user, meeting=meeting, submission=row.submission, choice=choice
                )
        yes_votes[row.submission.pk] = yes
    recognised = [ranked[rank] for rank in sorted(chosen_set)]
    recognised.sort(key=lambda r: (-yes_votes[r.submission.pk], -(r.mean or 0)))
    return recognised


def _backdate_2024(call: Call, meeting: Meeting, rng: random.Random) -> None:
    """The services stamp today's clock; move the 2024 rows to their dates (not the audit
    chain, which records when the seed ran)."""
    events = SubmissionEvent.objects.filter(submission__call=call)
    events.filter(status__in=[S.SCREENED_IN, S.SCREENED_OUT]).update(at=_at(SCREENED_ON, 10))
    events.filter(status=S.UNDER_REVIEW).update(at=_at(ASSIGNED_ON, 14))
    events.filter(status__in=[S.RECOGNISED, S.NOT_RECOGNISED]).update(at=_at(DECIDED_ON, 15))
    Conflict.objects.filter(submission__call=call).update(declared_at=_at(ASSIGNED_ON, 8))
    Assignment.objects.filter(submission__call=call).update(created_at=_at(ASSIGNED_ON, 14))
    span = (REVIEWS_DUE - REVIEWS_FROM).days
    reviews = list(Review.objects.filter(assignment__submission__call=call).order_by("pk"))
    for review in reviews:
        day = REVIEWS_FROM + dt.timedelta(days=rng.randint(0, span))
        review.submitted_at = review.updated_at = _at(day, rng.randint(8, 21), rng.randint(0, 59))
    Review.objects.bulk_update(reviews, ["submitted_at", "updated_at"], batch_size=500)
    Vote.objects.filter(meeting=meeting, written=True).update(cast_at=_at(MEETING_ON, 8))
    Vote.objects.filter(meeting=meeting, written=False).update(cast_at=_at(MEETING_ON, 10, 30))
    Meeting.objects.filter(pk=meeting.pk).update(created_at=_at(MEETING_ON, 16))
    Decision.objects.filter(call=call).update(created_at=_at(DECIDED_ON, 15))
    Call.objects.filter(pk=call.pk).update(created_at=_at(OPENS_2024 - dt.timedelta(days=5), 9))
