"""The public portal and the bulletin on PostgreSQL with 100,000 live stories.

Builds the database `thidua_publishing_bench` on the server named by DATABASE_URL (dropped and
recreated each run): a city with 126 wards, the document's five columns on the city portal, and
--stories live stories (default 100,000) spread over the wards and columns, with their revisions
and unaccented search text. Then times, as an anonymous visitor through Django's test client
with the page cache emptied before every request (so each request renders; median and p95 of
--repeat requests after a warm-up; target p95 < 200 ms), with the SQL queries of one request:

- `/` (the front door with the latest stories by column), `/news/` (the newsroom's home),
- a column page and its 50th page, a ward's portal, a story page,
- `/news/search/?q=…` for a rare and a common word (stories, exemplars, practices, initiatives),
- `/news/rss/`, `/sitemap-stories.xml` (5,000 URLs a section);

and `/` again when only another app changed (its page re-renders, the newsroom's sections come
from their versioned fragment, as between two newsroom changes in use);
and renders a 12-story bulletin issue of 8 A4 pages to PDF with WeasyPrint (seconds, three runs).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/publishing.py [--stories 100000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import os
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "src"))
os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
os.environ["DEBUG"] = "false"

from _pg import Timer, analyse, database_settings, migrate, recreate_database, stable  # noqa: E402

BENCH_DB = "thidua_publishing_bench"
WARDS = 126
STARTS = dt.date(2023, 1, 1)
WORDS = [
    "phong",
    "trào",
    "thi",
    "đua",
    "đoàn",
    "kết",
    "sáng",
    "tạo",
    "người",
    "tốt",
    "việc",
    "tốt",
    "mô",
    "hình",
    "điển",
    "hình",
    "vì",
    "người",
    "nghèo",
    "khu",
    "dân",
    "cư",
    "tổ",
    "dân",
    "phố",
    "cây",
    "xanh",
    "ngõ",
    "sạch",
    "an",
    "sinh",
    "xã",
    "hội",
    "nhà",
    "đại",
    "đoàn",
    "kết",
    "học",
    "tập",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database", default=BENCH_DB)
    return parser.parse_args()


def build(count: int):
    from django.db import connection

    from thidua.accounts.models import User
    from thidua.org.models import Unit, UnitKind
    from thidua.org.selectors import normalise_search
    from thidua.org.services import place_units
    from thidua.publishing import services
    from thidua.publishing.models import Revision, Story

    kinds = {k.code: k for k in UnitKind.objects.all()}
    city = place_units(
        [Unit(code="01", name="Thành phố Hà Nội", kind=kinds["province"], valid_from=STARTS)]
    )[0]
    wards = place_units(
        [
            Unit(code=f"W{i:03}", name=f"Phường {i}", kind=kinds["ward"], parent=city,
                 valid_from=STARTS)
            for i in range(WARDS)
        ]
    )  # fmt: skip
    columns = services.ensure_columns(city)
    author = User.objects.create(username="bench-writer", full_name="Nguyễn Thị Mai")
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    batch = 5000
    for start in range(0, count, batch):
        stories = []
        texts = []
        for index in range(start, min(start + batch, count)):
            words = [WORDS[stable("w", index, k) % len(WORDS)] for k in range(12)]
            title = f"Bài {index}: " + " ".join(words[:8])
            lead = " ".join(words).capitalize() + "."
            body = "".join(f"<p>{lead} {' '.join(words[k:])}.</p>" for k in range(4))
            texts.append((title, lead, body))
            stories.append(
                Story(
                    owner_unit=wards[index % WARDS],
                    column=columns[stable("c", index) % len(columns)],
                    author=author,
                    status=Story.Status.PUBLISHED,
                    is_live=True,
                    slug=f"bai-{index}",
                    published_at=now - dt.timedelta(minutes=7 * index),
                    live_title=title,
                    live_lead=lead,
                    byline="Nguyễn Thị Mai",
                    search_text=normalise_search(f"{title} {lead} {body}"),
                )
            )
        Story.objects.bulk_create(stories)
        Revision.objects.bulk_create(
            Revision(story=story, number=1, title=t, lead=le, body=b, author=author)
            for story, (t, le, b) in zip(stories, texts, strict=True)
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE publishing_story s SET revision_id = r.id, live_revision_id = r.id "
            "FROM publishing_revision r WHERE r.story_id = s.id"
        )
    return city, wards, columns


def measure(city, wards, columns, repeat: int) -> list[tuple[str, list[float], int]]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from thidua.publishing.models import Story

    story = Story.objects.filter(is_live=True).order_by("-published_at").first()
    column = columns[0]
    from thidua.core.public_cache import changed

    def another_app_changed() -> None:
        # the front door's page is stale (it shows surveys) but the newsroom's fragment is not
        changed("surveys")

    pages = [
        ("front door /", "/"),
        ("/ other app changed", "/", another_app_changed),
        ("newsroom /news/", "/news/"),
        ("column page", column.get_absolute_url()),
        ("column page 50", column.get_absolute_url() + "?page=50"),
        ("ward portal", f"/news/unit/{wards[3].pk}/"),
        ("story page", story.get_absolute_url()),
        ("search, rare", "/news/search/?q=Bài 77777"),
        ("search, common", "/news/search/?q=cay xanh"),
        ("RSS", "/news/rss/"),
        ("sitemap stories", "/sitemap-stories.xml"),
    ]
    client = Client()
    rows = []
    for label, url, *how in pages:
        reset = how[0] if how else cache.clear
        cache.clear()
        client.get(url)  # warm-up
        times = []
        for _ in range(repeat):
            reset()
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        reset()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        rows.append((label, times, len(queries)))
    return rows


def bulletin(city, repeat: int = 3) -> list[float]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from thidua.accounts.models import User
    from thidua.publishing import services
    from thidua.publishing.models import Story

    editor, _ = User.objects.get_or_create(username="bench-editor", is_superuser=True)
    issue = services.create_issue(
        editor, unit=city, number="10/2024", issued_on=dt.date(2024, 10, 15),
        editor_in_chief="Trần Thị Lan",
    )  # fmt: skip
    plan = [1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8]
    for position, (story, page) in enumerate(
        zip(Story.objects.order_by("-published_at")[:12], plan, strict=True)
    ):
        if position in (0, 9):
            buffer = io.BytesIO()
            Image.new("RGB", (2400, 1600), (30 * position, 90, 60)).save(buffer, "JPEG")
            services.add_photo(
                editor, story=story,
                file=SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg"),
            )  # fmt: skip
        services.place_story(
            editor, issue=issue, story=story, page=page, layout="two_col", position=position
        )
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        services.render_issue_pdf(issue.pk)
        seconds.append(time.perf_counter() - started)
    issue.refresh_from_db()
    print(f"  the issue's PDF: {issue.pdf_pages} pages, SHA-256 {issue.pdf_sha256[:16]}…")
    return seconds


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def main() -> None:
    args = parse_args()
    config = database_settings(args.database)
    recreate_database(config, args.database)
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    timer = Timer()
    print(f"Loading {args.database}:")
    timer.run("migrate", migrate)
    city, wards, columns = timer.run(f"{args.stories:,} live stories", lambda: build(args.stories))
    timer.run("VACUUM ANALYZE", analyse)
    rows = measure(city, wards, columns, args.repeat)
    seconds = bulletin(city)
    print(f"\nLoad average while measuring: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"\n{args.stories:,} live stories, anonymous, page cache emptied before each request")
    print(f"{'page':<20} median ms   p95 ms  queries   target")
    for label, times, queries in rows:
        verdict = "ok" if p95(times) < 200 else "OVER 200 ms"
        print(
            f"{label:<20} {statistics.median(times):9.1f} {p95(times):8.1f} {queries:8d}   "
            f"{verdict}"
        )
    print(f"\nbulletin PDF, 12 stories on 8 A4 pages: {', '.join(f'{s:.2f}' for s in seconds)} s")


if __name__ == "__main__":
    main()
