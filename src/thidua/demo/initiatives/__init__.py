"""Demo initiatives: Hà Nội's 2024 call (512 submissions, 119 recognised) and an open call.

The source document says that since 2020 an evaluation council of the Hà Nội Front reviews and
proposes recognition of initiatives and new ideas: more than 500 applications, 119 selected,
awarded and published. `seed_initiatives()` writes that year as the product would have held it:

- the council: nine members (a chair, a vice chair, a secretary, six members), among them the demo
  user `hoidong`; the others are created here (`hoidong1` … `hoidong8`, password
  "thidua-demo-2026"); their home units are wards of the 2024 tree and of today's, which the
  conflict rule uses (nobody reviews an initiative of their own ward);
- the 2024 call of Thành phố Hà Nội (open 2024-03-01 – 2024-06-30, decided 2024-09-15) with the
  four Vietnamese recognition criteria and four award levels;
- 512 submissions across the six fields of the demo movements (same codes), titles and summaries
  composed from the catalogues below, from the 2024 wards and communes of Hà Nội, by persons and
  collectives;
- 20 screened out with their reasons, three declared conflicts, the rest assigned to two reviewers
  each by the balanced assigner, 984 submitted reviews (two amended with a reason), one meeting on
  2024-09-10 with eight of nine members present, which votes on the initiatives whose mean score
  reaches 65 points (every member, the absent one by written opinion), and decision
  245/QĐ-MTTQ-BTT signed by the chair on 2024-09-15: exactly 119 recognised by the rule (more than
  half of all nine members voting yes), with award levels A/B/C/Khuyến khích; the others are not
  recognised;
- a small call open today with ten submissions at every stage (awaiting email confirmation,
  waiting for screening, screened out, screened in, under review with a draft review of
  `hoidong`, withdrawn), so the staff pages have live work.

One way in, with one exception. `services.submit_initiative` accepts a submission only while the
call is open on today's date, so no service can write a 2024 submission in 2026: the 512
submissions and their "submitted" events are written directly with the ORM, and one audit event
("initiatives.seed_history") says so. Everything after the submission (screening, conflicts,
assignment, reviews, meeting, votes, decision) goes through the services with the council members
as actors. The services stamp rows with today's clock, so at the end the seed moves the
timestamps of those rows (submission events, assignments, reviews, votes, the meeting, the
decision) to their 2024 dates; the audit chain is not touched and records when the seed ran.

Figures come from random generators seeded with constant strings: two databases hold the same
2024 data. Idempotent: a council, call or user that exists (same owner and name, same username)
is left as it is, with everything that hangs from it.

The seeder is split by topic: `data` (what it is made of), `common` (organiser, fields, council,
writing submissions), `call_2024` and `open_call`; `seed` below is the `seed_demo` step.
"""

from __future__ import annotations

import time
from typing import Any, TextIO

from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count

from thidua.demo.initiatives.call_2024 import _seed_2024
from thidua.demo.initiatives.common import _council, _fields, _organiser
from thidua.demo.initiatives.data import (
    ABSENT,
    AMENDMENTS,
    ASSIGNED_ON,
    AWARDS,
    BENEFITS,
    BO_DE,
    CALL_2024,
    CALL_2024_TEXT,
    CALL_OPEN,
    CALL_OPEN_TEXT,
    CLOSES_2024,
    COLLECTIVES,
    CONFLICTS,
    COUNCIL_NAME,
    DATA,
    DECIDED_ON,
    DECISION_NUMBER,
    EMAIL_DOMAIN,
    FAMILY,
    FIELDS,
    FLOOR,
    GIVEN_FEMALE,
    GIVEN_MALE,
    GRANTS_FROM,
    HANOI_CODE,
    IDEAS,
    LEGACY_DAY,
    MEETING_NOTES,
    MEETING_ON,
    MIDDLE_FEMALE,
    MIDDLE_MALE,
    OPEN_FOR,
    OPEN_PLAN,
    OPEN_SINCE,
    OPENS_2024,
    ORGANISATION,
    PASSWORD,
    RECOGNISED_2024,
    REVIEW_COMMENTS,
    REVIEWS_DUE,
    REVIEWS_FROM,
    SCREENED_ON,
    SCREENED_OUT_2024,
    SCREENING_REASONS,
    SEATS,
    SEED,
    SHORTLIST_MIN,
    SPREAD,
    SUBMISSIONS_2024,
    VILLAGES,
    DemoDataMissing,
    Idea,
    R,
    S,
    Seat,
)
from thidua.demo.initiatives.open_call import _seed_open_call
from thidua.initiatives import duplicates
from thidua.initiatives.models import (
    Call,
    Review,
    Submission,
    Vote,
)
from thidua.org.models import Unit

# --- entry point ------------------------------------------------------------------------------


def seed_initiatives(*, stdout: TextIO | None = None) -> dict[str, Any]:
    """Create the demo council and its two calls (skipping what exists); return what was done."""
    started = time.perf_counter()
    hanoi = Unit.objects.filter(
        code=HANOI_CODE, kind__code="province", valid_to__isnull=True
    ).first()
    if hanoi is None:
        raise DemoDataMissing("Thành phố Hà Nội is missing: run `manage.py seed_demo` first.")
    legacy = list(
        Unit.objects.filter(path__startswith=hanoi.path, kind__code="ward")
        .exclude(valid_to__isnull=True)
        .valid_on(LEGACY_DAY)
        .order_by("code")
    )
    current = list(
        Unit.objects.filter(parent=hanoi, kind__code="ward", valid_to__isnull=True).order_by("code")
    )
    if not legacy or not current:
        raise DemoDataMissing("The Hà Nội wards are missing: run `manage.py seed_demo` first.")
    organiser = _organiser()
    fields = _fields()
    summary: dict[str, Any] = {"created": [], "skipped": [], "calls": {}}

    with transaction.atomic():
        council, created = _council(hanoi, organiser, fields, legacy, current)
    (summary["created"] if created else summary["skipped"]).append(council.name)
    seats = {
        m.user.get_username(): m
        for m in council.members.select_related("user", "unit").order_by("pk")
    }

    for title, seed in ((CALL_2024, _seed_2024), (CALL_OPEN, _seed_open_call)):
        call = Call.objects.filter(owner_unit=hanoi, title=title).first()
        if call is not None:
            summary["skipped"].append(title)
        else:
            with transaction.atomic():
                call = seed(hanoi, organiser, council, seats, fields, legacy, current)
            summary["created"].append(title)
        summary["calls"][title] = counts = call_counts(call)
        if stdout is not None:
            verb = "created" if title in summary["created"] else "exists"
            figures = ", ".join(f"{k} {v}" for k, v in counts.items())
            stdout.write(f"{title} ({verb}): {figures}\n")
    # screen every submission for near-duplicates (in the background worker; at once in tests)
    summary["duplicates_queued"] = duplicates.schedule_backfill()
    summary["seconds"] = round(time.perf_counter() - started, 2)
    if stdout is not None:
        stdout.write(
            f"Council: {council.name} ({council.members.count()} members). Calls created: "
            f"{sum(t in summary['created'] for t in (CALL_2024, CALL_OPEN))}, already there: "
            f"{sum(t in summary['skipped'] for t in (CALL_2024, CALL_OPEN))} "
            f"({summary['seconds']} s)\n"
        )
    return summary


def call_counts(call: Call) -> dict[str, int]:
    statuses = dict(
        Submission.objects.filter(call=call)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    reviews = Review.objects.filter(assignment__submission__call=call)
    return {
        "submissions": sum(statuses.values()),
        **{status: statuses[status] for status in S.values if statuses.get(status)},
        "reviews submitted": reviews.filter(status=Review.Status.SUBMITTED).count(),
        "reviews draft": reviews.filter(status=Review.Status.DRAFT).count(),
        "votes": Vote.objects.filter(meeting__call=call).count(),
    }


def seed(*, stdout: TextIO | None = None) -> dict:
    """The `seed_demo` step (and `manage.py seed_initiatives`); a CommandError without the tree."""
    try:
        return seed_initiatives(stdout=stdout)
    except DemoDataMissing as error:
        raise CommandError(str(error)) from error


__all__ = [
    "ABSENT",
    "AMENDMENTS",
    "ASSIGNED_ON",
    "AWARDS",
    "BENEFITS",
    "BO_DE",
    "CALL_2024",
    "CALL_2024_TEXT",
    "CALL_OPEN",
    "CALL_OPEN_TEXT",
    "CLOSES_2024",
    "COLLECTIVES",
    "CONFLICTS",
    "COUNCIL_NAME",
    "DATA",
    "DECIDED_ON",
    "DECISION_NUMBER",
    "DemoDataMissing",
    "EMAIL_DOMAIN",
    "FAMILY",
    "FIELDS",
    "FLOOR",
    "GIVEN_FEMALE",
    "GIVEN_MALE",
    "GRANTS_FROM",
    "HANOI_CODE",
    "IDEAS",
    "Idea",
    "LEGACY_DAY",
    "MEETING_NOTES",
    "MEETING_ON",
    "MIDDLE_FEMALE",
    "MIDDLE_MALE",
    "OPENS_2024",
    "OPEN_FOR",
    "OPEN_PLAN",
    "OPEN_SINCE",
    "ORGANISATION",
    "PASSWORD",
    "R",
    "RECOGNISED_2024",
    "REVIEWS_DUE",
    "REVIEWS_FROM",
    "REVIEW_COMMENTS",
    "S",
    "SCREENED_ON",
    "SCREENED_OUT_2024",
    "SCREENING_REASONS",
    "SEATS",
    "SEED",
    "SHORTLIST_MIN",
    "SPREAD",
    "SUBMISSIONS_2024",
    "Seat",
    "VILLAGES",
    "call_counts",
    "seed",
    "seed_initiatives",
]
