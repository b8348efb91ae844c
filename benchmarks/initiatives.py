"""The council's ranked table at scale on PostgreSQL: a call with 20,000 submissions and 60,000
reviews, read by `selectors.ranked_table` and rendered by the deliberation page.

Builds (or reuses) the database `thidua_bench_initiatives` on the server named by DATABASE_URL:
Hà Nội's real tree (`import_vietnam --province 01`), a council of nine (through the service), and
two closed calls of the same shape (through the services), each loaded in bulk (this is data;
what is timed is reading it):

- the big call: `--submissions` submissions under review from today's wards of Hà Nội, each
  assigned to `--reviews` of the nine members with a submitted review (four criterion scores and
  the weighted score `services.weighted_score` gives), a meeting with eight of nine present (the
  chair among them; one absent) and the votes of the present members on the best `--voted`;
- the small call: `--small` submissions built the same way (votes on a quarter of them).

Then it times, `--repeat` times each after one warm-up, both calls:

1. the page `initiatives:deliberation` through Django's test client, logged in as the chair (so
   it renders the full ranked table, with the chair's vote buttons, the written-opinion forms and
   the award choices of the decision form on every row), and inside it the template rendering
   alone (the view's `render` timed);
2. `selectors.ranked_table(call, meeting=meeting)` alone;
3. the same page with the table cut to the best `--top` rows (the fix proposed below, simulated
   by wrapping `selectors.ranked_table` with `limit=--top`; views are not edited);

and counts the queries of the page and of the selector for both calls (they must be equal).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/initiatives.py [--submissions 20000] [--reviews 3] \\
        [--small 200] [--voted 2000] [--repeat 30] [--top 100] [--reuse]

Only the server of DATABASE_URL is used: the benchmark always works in
`thidua_bench_initiatives`, which it drops and recreates unless --reuse finds it loaded with the
same sizes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "src"))
os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
os.environ["DEBUG"] = "false"  # no query log in memory while timing

from _pg import (  # noqa: E402  benchmarks/_pg.py
    HANOI,
    Timer,
    analyse,
    database_settings,
    import_hanoi,
    loaded_info,
    migrate,
    record_info,
    recreate_database,
    stable,
)

BENCH_DB = "thidua_bench_initiatives"
TARGET_MS = 300
BIG_TITLE = "Bench: sáng kiến, ý tưởng mới (big call)"
SMALL_TITLE = "Bench: sáng kiến, ý tưởng mới (small call)"
COUNCIL = "Bench: Hội đồng thẩm định sáng kiến"
ROLES = ["chair", "vice_chair", "secretary"] + ["member"] * 6
ABSENT = 8  # the last member is away; the chair (0) is present


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=20_000, help="in the big call")
    parser.add_argument("--reviews", type=int, default=3, help="submitted reviews per submission")
    parser.add_argument("--small", type=int, default=200, help="submissions in the small call")
    parser.add_argument("--voted", type=int, default=2_000, help="big-call submissions voted on")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per case")
    parser.add_argument("--top", type=int, default=100, help="rows of the proposed cut table")
    parser.add_argument(
        "--slow-after",
        type=float,
        default=5000,
        help="ms; a slower case is run --slow-repeat times",
    )
    parser.add_argument("--slow-repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep a database already loaded")
    args = parser.parse_args()
    if not 1 <= args.reviews <= len(ROLES):
        parser.error(f"--reviews must be between 1 and {len(ROLES)}")
    return args


# --- loading -------------------------------------------------------------------------------------


def actor():
    from thidua.core.actors import SystemActor

    return SystemActor("benchmarks/initiatives")


def create_council():
    """Nine bench users (the chair first) in a council of Hà Nội, through the service."""
    from thidua.accounts.models import User
    from thidua.initiatives import services
    from thidua.org.models import Unit

    hanoi = Unit.objects.get(code=HANOI, kind__code="province", valid_to__isnull=True)
    members = []
    for index, role in enumerate(ROLES):
        user, _created = User.objects.get_or_create(
            username=f"bench-council-{index}", defaults={"full_name": f"Bench member {index}"}
        )
        members.append({"user": user, "role": role, "unit": None})
    return services.create_council(actor(), owner_unit=hanoi, name=COUNCIL, members=members)


def create_call(title: str, council, reviews: int):
    """A closed call with the default criteria and four award levels, through the services."""
    from thidua.initiatives import services
    from thidua.initiatives.models import Call
    from thidua.org.models import Unit

    hanoi = Unit.objects.get(code=HANOI, kind__code="province", valid_to__isnull=True)
    call = services.create_call(
        actor(),
        owner_unit=hanoi,
        title=title,
        opens_on=dt.date(2026, 3, 1),
        closes_on=dt.date(2026, 6, 30),
        council=council,
        award_levels=[
            ("Giải A", Decimal(10_000_000)),
            ("Giải B", Decimal(7_000_000)),
            ("Giải C", Decimal(5_000_000)),
            ("Giải Khuyến khích", Decimal(2_000_000)),
        ],
        reviews_per_submission=reviews,
    )
    services.set_call_status(actor(), call=call, status=Call.Status.OPEN)
    return services.set_call_status(actor(), call=call, status=Call.Status.CLOSED)


def load_call(call, count: int, reviews: int, voted: int) -> dict[str, int]:
    """`count` submissions under review, `reviews` submitted reviews each (with their four
    scores), a meeting with eight of nine present and the present members' votes on the best
    `voted`. Bulk writes in one transaction."""
    from django.db import connection, transaction
    from django.utils import timezone

    from thidua.initiatives import services
    from thidua.initiatives.models import (
        Assignment,
        Review,
        Score,
        Submission,
        Vote,
    )
    from thidua.org.models import Unit
    from thidua.shared.models import Field

    hanoi = call.owner_unit
    wards = list(
        Unit.objects.filter(parent=hanoi, kind__code="ward", valid_to__isnull=True).order_by("code")
    )
    field, _created = Field.objects.get_or_create(
        code="sang-kien-sang-tao",
        defaults={
            "name_vi": "Sáng kiến – sáng tạo",
            "name_en": "Initiatives and innovation",
            "name_id": "Inisiatif dan inovasi",
        },
    )
    members = list(call.council.members.order_by("pk"))
    criteria = list(call.criteria.all())
    now = timezone.now()
    with transaction.atomic():
        submissions = Submission.objects.bulk_create(
            (
                Submission(
                    call=call,
                    number=number,
                    title=f"Sáng kiến số {number}: mô hình tự quản ở khu dân cư",
                    summary="Tóm tắt giải pháp, kết quả áp dụng thử và khả năng nhân rộng.",
                    description="Mô tả đầy đủ của giải pháp.",
                    expected_benefit="Lợi ích kinh tế – xã hội.",
                    field=field,
                    unit=wards[stable("unit", call.pk, number) % len(wards)],
                    applicant_kind=Submission.ApplicantKind.PERSON,
                    applicant_name=f"Người đề xuất {number}",
                    status=Submission.Status.UNDER_REVIEW,
                    submitted_at=now,
                    search_text=f"sang kien so {number}",
                )
                for number in range(1, count + 1)
            ),
            batch_size=5000,
        )
        assignments = Assignment.objects.bulk_create(
            (
                Assignment(
                    submission=submission,
                    reviewer=members[(submission.number + k) % len(members)],
                    method="balanced",
                )
                for submission in submissions
                for k in range(reviews)
            ),
            batch_size=5000,
        )
        all_scores: list[dict[int, Decimal]] = []
        review_rows = []
        for assignment in assignments:
            quality = 35 + stable("quality", call.pk, assignment.submission.number) % 60
            scores = {}
            for c in criteria:
                percent = min(100, max(0, quality + stable("s", assignment.pk, c.pk) % 21 - 10))
                scores[c.pk] = (Decimal(percent * c.max_score) / 100).quantize(Decimal("0.1"))
            all_scores.append(scores)
            review_rows.append(
                Review(
                    assignment=assignment,
                    recommendation=Review.Recommendation.RECOGNISE
                    if quality >= 65
                    else Review.Recommendation.REJECT,
                    status=Review.Status.SUBMITTED,
                    weighted_score=services.weighted_score(scores, criteria),
                    submitted_at=now,
                )
            )
        reviews_made = Review.objects.bulk_create(review_rows, batch_size=5000)
        with connection.cursor() as cursor:
            table = Score._meta.db_table
            with cursor.cursor.copy(
                f'COPY "{table}" (review_id, criterion_id, score, comment) FROM STDIN'
            ) as copy:
                for review, scores in zip(reviews_made, all_scores, strict=True):
                    for criterion_id, score in scores.items():
                        copy.write_row((review.pk, criterion_id, score, ""))
        # Bulk-loaded reviews bypass save_review: build their roll-up the same way it does.
        services.refresh_review_figures(Submission.objects.filter(call=call))
        present = [m for i, m in enumerate(members) if i != ABSENT]
        meeting = services.record_meeting(
            actor(), call=call, held_on=dt.date(2026, 9, 10), present=present
        )
        best = sorted(
            submissions,
            key=lambda s: -(35 + stable("quality", call.pk, s.number) % 60),
        )[:voted]
        Vote.objects.bulk_create(
            (
                Vote(
                    meeting=meeting,
                    submission=submission,
                    member=member,
                    choice="yes" if stable("vote", submission.pk, member.pk) % 3 else "no",
                )
                for submission in best
                for member in present
                # the chair has voted on every other one: vote buttons stay on the rest
                if member is not members[0] or submission.number % 2 == 0
            ),
            batch_size=5000,
        )
    return {
        "submissions": len(submissions),
        "reviews": len(reviews_made),
        "scores": len(reviews_made) * len(criteria),
        "votes": Vote.objects.filter(meeting=meeting).count(),
        "meeting": meeting.pk,
        "call": call.pk,
    }


def sizes_key(args: argparse.Namespace) -> str:
    return f"{args.submissions}/{args.reviews}/{args.small}/{args.voted}"


def load(args: argparse.Namespace, config: dict[str, Any]) -> dict[str, str]:
    import django

    timer = Timer()
    print(f"Building {BENCH_DB} (dropped and recreated):")
    timer.run("create database", lambda: recreate_database(config, BENCH_DB))
    django.setup()
    timer.run("migrate", migrate)
    timer.run("import_vietnam --province 01", import_hanoi)
    council = timer.run("council of nine (service)", create_council)
    big_call = timer.run(
        "big call (services)", lambda: create_call(BIG_TITLE, council, args.reviews)
    )
    small_call = timer.run(
        "small call (services)", lambda: create_call(SMALL_TITLE, council, args.reviews)
    )
    big = timer.run(
        f"{args.submissions:,} submissions, {args.submissions * args.reviews:,} reviews, votes",
        lambda: load_call(big_call, args.submissions, args.reviews, args.voted),
    )
    small = timer.run(
        f"{args.small:,} submissions, {args.small * args.reviews:,} reviews, votes",
        lambda: load_call(small_call, args.small, args.reviews, max(1, args.small // 4)),
    )
    timer.run("VACUUM ANALYZE", analyse)
    info = {
        "sizes": sizes_key(args),
        **{f"big {key}": value for key, value in big.items()},
        **{f"small {key}": value for key, value in small.items()},
        **{f"time {key}": f"{seconds:.1f}" for key, seconds in timer.steps.items()},
    }
    record_info(info)
    return {key: str(value) for key, value in info.items()}


# --- timing --------------------------------------------------------------------------------------


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


class RenderClock:
    """Wraps the views module's `render` to time the template rendering of each request."""

    def __init__(self) -> None:
        from thidua.initiatives import views

        self.views = views
        self.original = views.render
        self.last = 0.0

    def __enter__(self) -> RenderClock:
        def timed(*args: Any, **kwargs: Any):
            start = time.perf_counter()
            response = self.original(*args, **kwargs)
            self.last = (time.perf_counter() - start) * 1000
            return response

        self.views.render = timed
        return self

    def __exit__(self, *exc: Any) -> None:
        self.views.render = self.original


class CutTable:
    """The proposed fix, simulated: the deliberation view gets only the best `top` rows."""

    def __init__(self, top: int) -> None:
        from thidua.initiatives import selectors

        self.selectors = selectors
        self.original = selectors.ranked_table
        self.top = top

    def __enter__(self) -> CutTable:
        original, top = self.original, self.top

        def cut(call, *, meeting=None, limit=None):
            return original(call, meeting=meeting, limit=limit or top)

        self.selectors.ranked_table = cut
        return self

    def __exit__(self, *exc: Any) -> None:
        self.selectors.ranked_table = self.original


class Case:
    def __init__(self, label: str, rows: int) -> None:
        self.label = label
        self.rows = rows
        self.times: list[float] = []  # wall ms
        self.cpu: list[float] = []  # this process's CPU ms (not PostgreSQL's)
        self.render: list[float] = []  # wall ms in the view's `render`
        self.queries: int | None = None
        self.size = 0


def count_queries(fn: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def timed(case: Case, fn: Callable[[], Any], runs: int) -> None:
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        case.times.append((time.perf_counter() - start) * 1000)
        case.cpu.append((time.process_time() - cpu) * 1000)


def runs_for(warm_up_ms: float, args: argparse.Namespace) -> int:
    """All the runs asked for, unless one takes so long that they would take an hour."""
    return args.repeat if warm_up_ms < args.slow_after else min(args.repeat, args.slow_repeat)


def time_page(client, call, label: str, args: argparse.Namespace, top: int | None = None) -> Case:
    from django.urls import reverse

    from thidua.initiatives.models import Submission
    from thidua.initiatives.selectors import ON_THE_TABLE

    url = reverse("initiatives:deliberation", args=[call.pk])
    rows = Submission.objects.filter(call=call, status__in=ON_THE_TABLE).count()
    with RenderClock() as clock, CutTable(top) if top else _nothing():
        start = time.perf_counter()
        first = client.get(url)  # warm-up
        warm_up = (time.perf_counter() - start) * 1000
        assert first.status_code == 200, first.status_code
        case = Case(label, min(rows, top) if top else rows)
        case.size = len(first.content)
        case.queries = count_queries(lambda: client.get(url))

        def get() -> None:
            response = client.get(url)
            assert response.status_code == 200
            case.render.append(clock.last)

        timed(case, get, runs_for(warm_up, args))
    return case


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        return None


def time_selector(call, meeting, label: str, args: argparse.Namespace) -> Case:
    from thidua.initiatives import selectors

    start = time.perf_counter()
    rows = selectors.ranked_table(call, meeting=meeting)  # warm-up
    warm_up = (time.perf_counter() - start) * 1000
    case = Case(label, len(rows))
    case.queries = count_queries(lambda: selectors.ranked_table(call, meeting=meeting))
    timed(case, lambda: selectors.ranked_table(call, meeting=meeting), runs_for(warm_up, args))
    return case


def sql_top(call, meeting, top: int) -> list[tuple[Any, dict[str, int]]]:
    """What a paginated ranked table could ask (benchmark only, not in the selector): the best
    `top` by mean weighted score, computed and ordered by PostgreSQL, then their votes."""
    from django.db.models import Avg, Count, F, Max, Min, Q

    from thidua.initiatives.models import Review, Submission, Vote
    from thidua.initiatives.selectors import ON_THE_TABLE

    submitted = Q(assignments__review__status=Review.Status.SUBMITTED)
    page = list(
        Submission.objects.filter(call=call, status__in=ON_THE_TABLE)
        .annotate(
            mean=Avg("assignments__review__weighted_score", filter=submitted),
            reviews=Count("assignments__review", filter=submitted),
            high=Max("assignments__review__weighted_score", filter=submitted),
            low=Min("assignments__review__weighted_score", filter=submitted),
        )
        .order_by(F("mean").desc(nulls_last=True), "number")
        .select_related("unit", "field", "award_level")
        .only(
            "id",
            "number",
            "title",
            "status",
            "unit__name",
            "field__name_vi",
            "award_level__name",
            "call_id",
        )[:top]
    )
    votes: dict[int, dict[str, int]] = {s.pk: {} for s in page}
    for submission_id, choice, n in (
        Vote.objects.filter(meeting=meeting, submission__in=list(votes))
        .values_list("submission_id", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        votes[submission_id][choice] = n
    return [(s, votes[s.pk]) for s in page]


def time_sql_top(call, meeting, label: str, args: argparse.Namespace) -> Case:
    from thidua.initiatives import selectors

    rows = sql_top(call, meeting, args.top)  # warm-up, and the same ranking as the selector's
    expected = selectors.ranked_table(call, meeting=meeting, limit=args.top)
    assert len(rows) == len(expected)
    for (submission, votes), row in zip(rows, expected, strict=True):
        assert abs(submission.mean - row.mean) <= Decimal("0.01"), (submission.mean, row.mean)
        if submission.pk == row.submission.pk:
            assert votes == row.votes
    case = Case(label, len(rows))
    case.queries = count_queries(lambda: sql_top(call, meeting, args.top))
    timed(case, lambda: sql_top(call, meeting, args.top), args.repeat)
    return case


def run(args: argparse.Namespace, info: dict[str, str]) -> None:
    from django.test import Client

    from thidua.initiatives.models import Call, Meeting, Review, Submission
    from thidua.shared.models import CouncilMember

    big = Call.objects.select_related("council", "owner_unit").get(pk=int(info["big call"]))
    small = Call.objects.select_related("council", "owner_unit").get(pk=int(info["small call"]))
    print("\nSizes:")
    for call in (big, small):
        reviews = Review.objects.filter(assignment__submission__call=call)
        print(
            f"  {call.title}: {Submission.objects.filter(call=call).count():,} submissions,"
            f" {reviews.count():,} submitted reviews,"
            f" {Meeting.objects.get(call=call).votes.count():,} votes"
        )
    print("Load times (s):")
    for key, value in info.items():
        if key.startswith("time "):
            print(f"  {key[5:]}: {value}")

    chair = big.council.members.get(role=CouncilMember.Role.CHAIR).user
    client = Client()
    client.force_login(chair)
    cases: list[Case] = []
    load_before = os.getloadavg()
    print(
        f"\nTiming, {args.repeat} runs each after one warm-up ({args.slow_repeat} when one run"
        f" takes over {args.slow_after / 1000:.0f} s)…",
        flush=True,
    )
    for call, size in ((small, "small"), (big, "big")):
        meeting = Meeting.objects.get(call=call)
        n = Submission.objects.filter(call=call).count()
        print(f"  {size} call: selector…", end="", flush=True)
        cases.append(time_selector(call, meeting, f"ranked_table, all {n:,} rows", args))
        print(" page…", end="", flush=True)
        cases.append(time_page(client, call, f"deliberation page, {n:,} submissions", args))
        print(" done", flush=True)
    n = Submission.objects.filter(call=big).count()
    meeting = Meeting.objects.get(call=big)
    print(f"  proposals for {n:,}: page cut to {args.top} rows…", end="", flush=True)
    cases.append(
        time_page(client, big, f"page cut to best {args.top} ({n:,} subm.)", args, top=args.top)
    )
    print(" best rows ranked in SQL…", end="", flush=True)
    cases.append(time_sql_top(big, meeting, f"SQL top {args.top} + votes ({n:,} subm.)", args))
    print(" done", flush=True)
    load_after = os.getloadavg()

    width = max(len(c.label) for c in cases) + 2
    print(
        f"\n{'case':<{width}} {'rows':>6} {'runs':>4} {'median':>8} {'p95':>8} {'cpu':>8}"
        f" {'render':>8} {'queries':>7} {'KB':>7}  p95<{TARGET_MS}"
    )
    print(f"{'':<{width}} {'':>6} {'':>4} {'ms':>8} {'ms':>8} {'ms':>8} {'ms':>8}")
    for case in cases:
        render = f"{statistics.median(case.render):8.0f}" if case.render else f"{'':>8}"
        size = f"{case.size / 1024:7.0f}" if case.size else f"{'':>7}"
        verdict = "ok" if p95(case.times) < TARGET_MS else "OVER"
        if case.label.startswith("ranked_table"):
            verdict = "(no page shows it)" if verdict == "OVER" else verdict
        print(
            f"{case.label:<{width}} {case.rows:>6,} {len(case.times):>4}"
            f" {statistics.median(case.times):8.1f} {p95(case.times):8.1f}"
            f" {statistics.median(case.cpu):8.1f} {render} {case.queries:>7} {size}  {verdict}"
        )
    print(
        "median/p95: wall clock; cpu: this process (Django and the template, not PostgreSQL);"
        " render: the view's `render` call (template)."
    )
    print(
        f"Load average (1/5/15 min) before timing {load_before[0]:.1f}/{load_before[1]:.1f}/"
        f"{load_before[2]:.1f}, after {load_after[0]:.1f}/{load_after[1]:.1f}/"
        f"{load_after[2]:.1f} on {os.cpu_count()} CPUs."
    )
    selector_small, page_small, selector_big, page_big = cases[:4]
    same = (selector_small.queries, page_small.queries) == (
        selector_big.queries,
        page_big.queries,
    )
    print(
        f"\nQueries, small vs big call: ranked_table {selector_small.queries} vs"
        f" {selector_big.queries}; page {page_small.queries} vs {page_big.queries}: "
        + ("equal." if same else "NOT EQUAL.")
    )
    render = statistics.median(page_big.render)
    total = statistics.median(page_big.times)
    print(
        f"Big page: the template renders {page_big.rows:,} rows in {render:.0f} ms of"
        f" {total:.0f} ms ({render / total:.0%}), {render / page_big.rows:.2f} ms a row;"
        f" {page_big.size / 1024 / 1024:.1f} MB of HTML ({page_big.size / page_big.rows:,.0f}"
        " bytes a row)."
    )


def main() -> None:
    args = parse_args()
    config = database_settings(BENCH_DB)
    info = loaded_info(config, BENCH_DB) if args.reuse else None
    if info is not None and info.get("sizes") == sizes_key(args):
        import django

        print(f"Reusing {BENCH_DB}: {info['sizes']} (submissions/reviews/small/voted).")
        django.setup()
        migrate()
    else:
        info = load(args, config)
    run(args, info)


if __name__ == "__main__":
    main()
