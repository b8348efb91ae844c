"""The yearly cultural families of one ward on PostgreSQL: 30 residential groups × 300 households.

Builds the database `thidua_cultural_bench` on the server named by DATABASE_URL (dropped and
recreated each run): a city, one ward, 30 groups; the register imported from rows (9,000
households), every group assessed (86 % eligible), posted and filed. Then it reports:

- the seconds of the register import, of the chairman's decision (7,700-odd honours and
  certificates written in bulk through honors) and of building the decision's annex;
- the seconds of the certificate batch run in the background task's code (`honors.batches`),
  for --certificates PDFs (default all) and the rate per certificate;
- the commune dashboard (`/cultural/<round>/`) through Django's test client as the ward's
  leader, median and p95 of --repeat requests, and its SQL query count, at 30 × 30 households
  and again at 30 × 300 (target: p95 < 200 ms, the same query count at both sizes).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/cultural_titles.py [--households 300] [--certificates 9000] \\
        [--repeat 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
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

BENCH_DB = "thidua_cultural_bench"
GROUPS = 30
YEAR = 2026


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=300, help="households per group")
    parser.add_argument("--certificates", type=int, default=0, help="PDFs to render (0: all)")
    parser.add_argument("--repeat", type=int, default=30, help="timed dashboard requests")
    parser.add_argument(
        "--prints", type=int, default=GROUPS, help="areas printed as one PDF each (A5 two-up)"
    )
    parser.add_argument("--database", default=BENCH_DB, help="the database (dropped, recreated)")
    parser.add_argument(
        "--profile", action="store_true", help="print the dashboard's queries with their times"
    )
    return parser.parse_args()


def build():
    from thidua.accounts.models import RoleGrant, User
    from thidua.honors.catalogue import ensure_catalogue
    from thidua.org.models import Unit, UnitKind
    from thidua.org.services import place_units

    ensure_catalogue()
    kinds = {k.code: k for k in UnitKind.objects.all()}
    city = place_units(
        [
            Unit(
                code="01",
                name="Thành phố Hà Nội",
                kind=kinds["province"],
                valid_from=dt.date(2025, 7, 1),
            )
        ]
    )[0]
    ward = place_units(
        [
            Unit(
                code="00127",
                name="Phường Bồ Đề",
                kind=kinds["ward"],
                parent=city,
                valid_from=dt.date(2025, 7, 1),
            )
        ]
    )[0]
    groups = place_units(
        [
            Unit(
                code=f"00127-{n:02d}",
                name=f"Tổ dân phố {n}",
                kind=kinds["residential_area"],
                parent=ward,
                valid_from=dt.date(2025, 7, 1),
            )
            for n in range(1, GROUPS + 1)
        ]
    )
    admin = User.objects.create(username="bench-admin", is_superuser=True, is_staff=True)
    leader = User.objects.create(username="bench-leader", full_name="Phạm Minh Đức")
    RoleGrant.objects.create(user=leader, role="leader", unit=ward, valid_from=dt.date(2020, 1, 1))
    return admin, leader, ward, groups


def register_rows(groups, start: int, stop: int) -> list[dict[str, str]]:
    return [
        {
            "code": f"H{g:02d}-{n:04d}",
            "area_code": group.code,
            "head_name": f"Nguyễn Văn Hộ {g}-{n}",
            "address": f"Số {n} ngõ {stable(g, n) % 90}",
            "members": str(1 + stable(n, g) % 7),
        }
        for g, group in enumerate(groups, start=1)
        for n in range(start + 1, stop + 1)
    ]


def assess_all(round_) -> None:
    """Every household assessed (86 % eligible), written as the upload writes it."""
    from thidua.cultural_titles.models import AreaAssessment, HouseholdAssessment
    from thidua.org.models import Household

    HouseholdAssessment.objects.filter(assessment__round=round_).delete()
    areas = {a.area_id: a for a in round_.areas.all()}
    rows = []
    for household in Household.objects.filter(unit_id__in=areas).order_by("id"):
        eligible = stable(household.code) % 100 < 86
        rows.append(
            HouseholdAssessment(
                assessment=areas[household.unit_id],
                household=household,
                code=household.code,
                head_name=household.head_name,
                address=household.address,
                answers={"I": True, "II": True, "III": eligible},
                eligible=eligible,
            )
        )
    HouseholdAssessment.objects.bulk_create(rows, batch_size=5000)
    for area in areas.values():
        area.assessed = area.households.count()
        area.eligible = area.households.filter(eligible=True).count()
        area.status = AreaAssessment.Status.POSTED
        area.meeting_on = dt.date(YEAR, 11, 3)
        area.posted_on = dt.date(YEAR, 11, 4)
        area.posting_ends_on = dt.date(YEAR, 11, 13)
    AreaAssessment.objects.bulk_update(
        areas.values(),
        ["assessed", "eligible", "status", "meeting_on", "posted_on", "posting_ends_on"],
    )
    # written here without the services (and their audit): say so to the cached dashboard
    from thidua.core.public_cache import changed

    changed("cultural_titles")


def dashboard(client, round_, repeat: int, url: str = "") -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = url or f"/cultural/{round_.pk}/"
    assert client.get(url).status_code == 200
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    return statistics.median(times), p95, len(queries)


def profile(client, round_) -> None:
    """Each query of one dashboard request with its time (the cache emptied first, then warm)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for label in ("cold cache", "warm cache"):
        if label == "cold cache":
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            client.get(f"/cultural/{round_.pk}/")
            total = (time.perf_counter() - started) * 1000
        sql_ms = sum(float(q["time"]) for q in queries) * 1000
        print(f"dashboard, {label}: {total:.0f} ms, {len(queries)} queries, SQL {sql_ms:.0f} ms")
        for q in sorted(queries, key=lambda q: -float(q["time"]))[:15]:
            print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:150]}")


def main() -> None:
    args = parse_args()
    config = database_settings(args.database)
    recreate_database(config, args.database)
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    from thidua.core.public_cache import changed
    from thidua.cultural_titles import selectors, services
    from thidua.cultural_titles.models import AreaAssessment
    from thidua.honors import batches
    from thidua.org.services.households import import_households

    timer = Timer()
    print(f"Database {args.database}: migrate and build the ward")
    timer.run("migrate", migrate)
    admin, leader, ward, groups = timer.run("tree and people", build)
    client = Client()
    client.force_login(leader)
    small = max(1, args.households // 10)
    timer.run(
        f"register import ({GROUPS} × {small})",
        lambda: import_households(admin, commune=ward, rows=register_rows(groups, 0, small)),
    )
    round_ = services.open_round(admin, commune=ward, year=YEAR)
    assess_all(round_)
    analyse()
    small_figures = dashboard(client, round_, args.repeat)
    timer.run(
        f"register import (+{GROUPS} × {args.households - small})",
        lambda: import_households(
            admin, commune=ward, rows=register_rows(groups, small, args.households)
        ),
    )
    timer.run("assessments", lambda: assess_all(round_))
    analyse()
    large_figures = dashboard(client, round_, args.repeat)
    if args.profile:
        profile(client, round_)
    # the machine's own pace: the staff home of the same user, timed the same way
    baseline = dashboard(client, round_, args.repeat, url="/staff/")
    round_.areas.update(status=AreaAssessment.Status.FILED, filed_on=dt.date(YEAR, 11, 14))
    changed("cultural_titles")
    decided = timer.run(
        "decision (honours and certificates in bulk)",
        lambda: services.decide_families(
            admin, round=round_, number="1/QĐ-UBND", signed_on=dt.date(YEAR, 11, 20), signer="Đức"
        ),
    )
    groups_out = timer.run("decision annex", lambda: selectors.annex(decided))
    batch = batches.CertificateBatch.objects.create(
        decision=decided.decision, total=decided.households
    )
    certificates = list(batches._certificates(decided.decision))
    if args.certificates:
        certificates = certificates[: args.certificates]
    batches._mark_running(batch, certificates)
    started = time.perf_counter()
    batches.render_missing(batch, certificates)
    rendered = time.perf_counter() - started
    # each area's certificates in one print-ready PDF, as the background task makes it
    from thidua.cultural_titles import printing
    from thidua.cultural_titles.models import CertificatePrint

    printed, started = 0, time.perf_counter()
    for assessment in round_.areas.order_by("area__code")[: args.prints]:
        job = CertificatePrint.objects.create(
            title_decision=decided, assessment=assessment, layout="a5", total=assessment.eligible
        )
        printing.run_print(job.pk)
        printed += CertificatePrint.objects.get(pk=job.pk).processed
    print_seconds = time.perf_counter() - started
    print()
    print(f"households: {sum(len(g['households']) for g in groups_out)} titled of "
          f"{GROUPS * args.households}")  # fmt: skip
    print(f"certificates rendered: {len(certificates)} in {rendered:.1f} s "
          f"({rendered / max(1, len(certificates)):.3f} s each; "
          f"{decided.households} would take {rendered / max(1, len(certificates)) * decided.households:.0f} s)")  # fmt: skip  # noqa: E501
    print(f"certificates printed per area (A5 two-up): {printed} in {print_seconds:.1f} s "
          f"({print_seconds / max(1, printed):.3f} s each; {decided.households} would take "
          f"{print_seconds / max(1, printed) * decided.households:.0f} s)")  # fmt: skip
    for label, (median, p95, queries) in (
        (f"{GROUPS} × {small}", small_figures),
        (f"{GROUPS} × {args.households}", large_figures),
    ):
        print(f"dashboard at {label}: median {median:.0f} ms, p95 {p95:.0f} ms, {queries} queries")
    print(f"(baseline /staff/: median {baseline[0]:.0f} ms, p95 {baseline[1]:.0f} ms)")


if __name__ == "__main__":
    main()
