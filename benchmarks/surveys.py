"""Surveys at city scale on PostgreSQL: 1,000,000 answers over Hà Nội's residential areas.

Builds (or reuses) the database `thidua_surveys_bench` on the server named by DATABASE_URL: Hà
Nội's real tree (`import_vietnam --province 01`), residential areas for today's 126 wards and
communes (`org.services.generate_residential_areas`, with household counts), a survey launched by
the city over the whole city with the standard nine-question questionnaire (frame frozen by the
service), and --answers answers spread over the areas (written with COPY; the per-area tallies,
the survey's roll-up table, are counted from the same generated answers). Then:

1. times the survey dashboard page (`surveys:detail`) through Django's test client, logged in as
   a superuser: the city roll-up under the tree of then and of now, and one ward's results
   (median and p95 of --repeat requests after a warm-up; target p95 < 300 ms);
2. times `services.key_batch` keying a batch of --batch forms (10,000) into one area, with every
   form checked, stored, the area recounted and the batch audited.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/surveys.py [--answers 1000000] [--batch 10000] \\
        [--repeat 30] [--reuse] [--database thidua_surveys_bench]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import statistics
import sys
import time
import uuid
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "src"))
os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
os.environ["DEBUG"] = "false"

from _pg import (  # noqa: E402  benchmarks/_pg.py
    HANOI,
    Timer,
    analyse,
    bench_admin,
    database_settings,
    import_hanoi,
    loaded_info,
    migrate,
    record_info,
    recreate_database,
)

BENCH_DB = "thidua_surveys_bench"
TITLE = "Bench: satisfaction survey over Hà Nội"
OPENS = dt.date(2026, 7, 1)
LIKERT = ["1", "2", "3", "4", "5"]
WEIGHTS = [2, 3, 10, 45, 40]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000, help="forms in the keyed batch")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--database", default=BENCH_DB)
    return parser.parse_args()


def residential_areas() -> int:
    from thidua.org.models import Unit
    from thidua.org.services import generate_residential_areas

    wards = list(Unit.objects.filter(kind__code="ward", parent__code=HANOI, valid_to__isnull=True))
    return generate_residential_areas(bench_admin(), wards=wards, valid_from=dt.date(2025, 7, 1))


def launch():
    from thidua.org.models import Unit
    from thidua.surveys import services
    from thidua.surveys.models import Survey

    city = Unit.objects.get(code=HANOI, valid_to__isnull=True)
    admin = bench_admin()
    return services.launch_survey(
        admin,
        questionnaire=services.standard_questionnaire(admin, owner_unit=city),
        unit=city,
        title=TITLE,
        opens_on=OPENS,
        closes_on=OPENS + dt.timedelta(days=14),
        mode=Survey.Mode.ANONYMOUS,
        method=Survey.Method.MIXED,
    )


def load_answers(survey, count: int) -> int:
    """Answers spread over the areas in proportion to their households, with the tallies the
    service would count from them."""
    from django.db import connection, transaction

    from thidua.surveys.models import AreaTally, Response
    from thidua.surveys.services.tallies import write_option_tallies

    rng = random.Random(20260701)
    frame = list(survey.frame.values_list("area_id", "households"))
    total = sum(h for _a, h in frame)
    shares = [(area, math.floor(count * h / total)) for area, h in frame]
    shares[0] = (shares[0][0], shares[0][1] + count - sum(n for _a, n in shares))
    counts: dict[int, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    table = Response._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.cursor.copy(
            f'COPY "{table}" (survey_id, area_id, client_id, channel, answers, status, '
            "received_on) FROM STDIN"
        ) as copy:
            for area, n in shares:
                for _ in range(n):
                    picks = rng.choices(LIKERT, WEIGHTS, k=9)
                    answers = {f"Q{i}": value for i, value in enumerate(picks, start=1)}
                    for code, value in answers.items():
                        counts[area][code][value] += 1
                        counts[area][code]["_n"] += 1
                    copy.write_row(
                        (
                            survey.pk,
                            area,
                            uuid.UUID(int=rng.getrandbits(128)),
                            "paper",
                            json.dumps(answers),
                            "valid",
                            OPENS + dt.timedelta(days=3),
                        )
                    )
        tallies = list(AreaTally.objects.filter(survey=survey))
        for tally in tallies:
            area_counts = counts.get(tally.area_id, {})
            tally.counts = {code: dict(c) for code, c in area_counts.items()}
            q9 = area_counts.get("Q9", Counter())
            tally.valid = q9["_n"]
            tally.pass_valid = q9["_n"]
            tally.pass_yes = q9["4"] + q9["5"]
            if tally.pass_valid:
                tally.weighted_yes = (
                    Decimal(tally.households) * tally.pass_yes / tally.pass_valid
                ).quantize(Decimal("0.000001"))
                tally.weighted_base = tally.households
        AreaTally.objects.bulk_update(
            tallies,
            ["counts", "valid", "pass_valid", "pass_yes", "weighted_yes", "weighted_base"],
            batch_size=1000,
        )
        write_option_tallies(survey, tallies)
    return count


def load(args: argparse.Namespace, config: dict[str, Any]) -> dict[str, Any]:
    import django

    timer = Timer()
    print(f"Building {BENCH_DB} (dropped and recreated):")
    timer.run("create database", lambda: recreate_database(config, BENCH_DB))
    django.setup()
    timer.run("migrate", migrate)
    timer.run("import_vietnam --province 01", import_hanoi)
    timer.run("residential areas of today's wards", residential_areas)
    survey = timer.run("launch the survey (frame frozen)", launch)
    timer.run(f"{args.answers:,} answers and tallies", lambda: load_answers(survey, args.answers))
    timer.run("VACUUM ANALYZE", analyse)
    info = {"answers": args.answers, "survey": survey.pk}
    record_info(info)
    return {k: str(v) for k, v in info.items()}


def timed(client, url: str, repeat: int) -> tuple[float, float, int]:
    from django.db import connection

    client.get(url)  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # the request's start resets connection.queries: count with a wrapper instead
    with connection.execute_wrapper(count):
        client.get(url)
    times.sort()
    p95 = times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)]
    return statistics.median(times), p95, len(queries)


def run(args: argparse.Namespace, info: dict[str, str]) -> None:
    from django.test import Client

    from thidua.org.models import Unit
    from thidua.surveys import services
    from thidua.surveys.models import Response, Survey

    survey = Survey.objects.get(pk=int(info["survey"]))
    client = Client()
    client.force_login(bench_admin())
    ward = Unit.objects.get(name="Phường Bồ Đề", valid_to__isnull=True)
    total = Response.objects.filter(survey=survey).count()
    print(f"\nDashboard over {total:,} answers in {survey.frame.count():,} residential areas")
    print(f"{'view':<42}{'median ms':>10}{'p95 ms':>9}{'queries':>9}")
    for label, url in (
        ("city roll-up, tree of then", f"/surveys/{survey.pk}/"),
        ("city roll-up, tree of now", f"/surveys/{survey.pk}/?tree=now"),
        ("ward results (Phường Bồ Đề)", f"/surveys/{survey.pk}/?unit={ward.pk}"),
    ):
        median, p95, queries = timed(client, url, args.repeat)
        print(f"{label:<42}{median:>10.0f}{p95:>9.0f}{queries:>9}")

    area = survey.frame.filter(area__parent=ward).select_related("area").first().area
    forms = [
        {
            "client_id": str(uuid.uuid4()),
            "answers": {f"Q{i}": random.choice(LIKERT) for i in range(1, 10)},
        }
        for _ in range(args.batch)
    ]
    start = time.perf_counter()
    services.key_batch(bench_admin(), survey=survey, area=area, client_id=uuid.uuid4(), forms=forms)
    elapsed = time.perf_counter() - start
    print(
        f"\nKeyed one batch of {args.batch:,} forms into {area.name}: {elapsed:.1f} s "
        f"({args.batch / elapsed:,.0f} forms/s)"
    )
    Response.objects.filter(survey=survey, batch__isnull=False).delete()
    services.recount_areas(survey, [area.pk])


def main() -> None:
    global BENCH_DB
    args = parse_args()
    if (
        not args.database.startswith("thidua_surveys")
        or not args.database.replace("_", "").isalnum()
    ):
        sys.exit(f"Refusing to use {args.database!r}: surveys benchmarks use thidua_surveys*.")
    BENCH_DB = args.database
    config = database_settings(BENCH_DB)
    info = loaded_info(config, BENCH_DB) if args.reuse else None
    if info is not None and info.get("answers") == str(args.answers):
        import django

        print(f"Reusing {BENCH_DB}: {args.answers:,} answers.")
        django.setup()
        migrate()
    else:
        info = load(args, config)
    run(args, info)


if __name__ == "__main__":
    main()
