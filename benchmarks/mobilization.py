"""The public ledger of a fund at the Yagi relief scale on PostgreSQL, and the two bulk writes.

Builds the database `thidua_mobilization_bench` on the server named by DATABASE_URL (dropped and
recreated each run): a city with 126 wards, the city relief fund with two accounts (statements
published or not), a 90-day relief drive and --receipts confirmed receipts (default 200,000: the
Yagi scale), 39 % of their donors anonymous, one in ten on the account whose statements are not
published. It times, as a signed-in citizen (so the public-page cache does not answer; median and
p95 of --repeat requests after a warm-up; target p95 < 300 ms), with the SQL queries of one
request:

- the public ledger's first page, a deep page by page number (OFFSET) and by cursor (keyset), a
  name search, a date + amount filter, a unit filter, and the public ledger API (first page and
  a deep page by cursor);

and, once each, a 10,000-row bulk entry of a residential committee (`record_bulk`, the grid's
service) and a 10,000-line bank statement import (`import_statement`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/mobilization.py [--receipts 200000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "src"))
os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
os.environ["DEBUG"] = "false"  # no query log in memory while timing

from _pg import Timer, analyse, database_settings, migrate, recreate_database, stable  # noqa: E402

BENCH_DB = "thidua_mobilization_bench"
WARDS = 126
OPENS = dt.date(2024, 9, 10)
CLOSES = dt.date(2024, 12, 8)
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hương", "Lan", "Long", "Mai", "Nam", "Tâm"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--receipts", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--bulk", type=int, default=10_000, help="rows of the two bulk writes")
    parser.add_argument("--database", default=BENCH_DB, help="name of the bench database")
    return parser.parse_args()


def setup_data():
    from thidua.accounts.models import RoleGrant, User
    from thidua.mobilization import services
    from thidua.org.models import Unit, UnitKind
    from thidua.org.services import place_units

    kinds = {k.code: k for k in UnitKind.objects.all()}
    start = dt.date(2020, 1, 1)
    city = place_units(
        [Unit(code="01", name="Thành phố Hà Nội", kind=kinds["province"], valid_from=start)]
    )[0]
    wards = place_units(
        [
            Unit(
                code=f"W{i:03}",
                name=f"Phường {i}",
                kind=kinds["ward"],
                parent=city,
                valid_from=start,
            )
            for i in range(WARDS)
        ]
    )
    group = place_units(
        [
            Unit(
                code="G0001",
                name="Tổ dân phố 1",
                kind=kinds["residential_area"],
                parent=wards[0],
                valid_from=start,
            )
        ]
    )[0]
    leader = User.objects.create(username="bench-leader")
    accountant = User.objects.create(username="bench-accountant")
    officer = User.objects.create(username="bench-officer")
    citizen = User.objects.create(username="bench-citizen")
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(user=leader, role="leader", unit=city, valid_from=start),
            RoleGrant(user=accountant, role="officer", unit=city, valid_from=start),
            RoleGrant(user=officer, role="officer", unit=group, valid_from=start),
        ]
    )
    fund = services.create_fund(leader, unit=city, kind="relief", name="Quỹ Cứu trợ TP Hà Nội")
    public = services.add_account(
        leader,
        fund=fund,
        bank="Vietcombank",
        number="0011001932418",
        holder="UB MTTQ VN TP Hà Nội",
        statements_public=True,
        bank_bin="970436",
    )
    private = services.add_account(
        leader,
        fund=fund,
        bank="BIDV",
        number="12010009999",
        holder="UB MTTQ VN TP Hà Nội",
        statements_public=False,
    )
    drive = services.create_drive(
        leader,
        fund=fund,
        title="Ủng hộ đồng bào bị ảnh hưởng bão Yagi",
        opens_on=OPENS,
        closes_on=CLOSES,
        decree93=True,
        target_cash=500_000_000_000,
    )
    return city, wards, group, fund, drive, public, private, leader, accountant, officer, citizen


def load_receipts(n, fund, drive, wards, public, private, recorder, confirmer):
    from django.db import transaction
    from django.utils import timezone

    from thidua.mobilization.models import Donor, Receipt
    from thidua.mobilization.services.ledger import append_receipts, build_receipt

    batch = 20_000
    for first in range(0, n, batch):
        donors, receipts = [], []
        for index in range(first, min(n, first + batch)):
            ward = wards[stable("w", index) % WARDS]
            name = f"{SURNAMES[index % 10]} Văn {GIVEN[stable('g', index) % 12]} {index}"
            anonymous = stable("a", index) % 100 < 39
            donors.append(
                Donor(
                    unit=ward,
                    kind="individual",
                    name=name,
                    public_name="" if anonymous else name,
                    wants_public=not anonymous,
                )
            )
            transfer = index % 3 != 0
            receipts.append(
                build_receipt(
                    fund=fund,
                    drive=drive,
                    unit=ward,
                    kind="transfer" if transfer else "cash",
                    amount=(stable("m", index) % 200 + 1) * 50_000,
                    received_on=OPENS + dt.timedelta(days=stable("d", index) % 90),
                    account=(private if index % 10 == 0 else public) if transfer else None,
                    bank_ref=f"FT{index:09d}" if transfer else "",
                )
            )
        with transaction.atomic():
            for donor, receipt in zip(Donor.objects.bulk_create(donors), receipts, strict=True):
                receipt.donor = donor
            append_receipts(fund, receipts, recorded_by=recorder)
        Receipt.objects.filter(fund=fund, status="recorded").update(
            status="confirmed", confirmed_by=confirmer, confirmed_at=timezone.now()
        )


def p95(times):
    ordered = sorted(times)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(citizen, fund, wards, repeat):
    from django.db import connection
    from django.test import Client

    from thidua.mobilization import selectors

    base = f"/p/funds/{fund.pk}/ledger/"
    api = f"/api/v1/mobilization/public/funds/{fund.pk}/ledger"
    # a cursor deep in the ledger (found once with OFFSET, outside the timing)
    ledger = selectors.public_ledger(fund)
    index = min(99_950, max(ledger.count() - 51, 0))
    deep = ledger[index : index + 1][0]
    cursor = selectors.LedgerCursor.of(deep)
    pages = [
        ("ledger page 1", base, {}),
        ("ledger page 2,000 (OFFSET)", base, {"page": 2000}),
        ("ledger deep page (keyset)", base, {"after": cursor}),
        ("name search", base, {"q": "Nguyễn Văn An 12"}),
        (
            "dates + amounts",
            base,
            {
                "date_from": "2024-10-01",
                "date_to": "2024-10-07",
                "amount_min": 1_000_000,
                "amount_max": 3_000_000,
            },
        ),
        ("one ward", base, {"unit": wards[7].pk}),
        ("API page 1", api, {}),
        ("API deep page (keyset)", api, {"after": cursor}),
    ]
    client = Client()
    client.force_login(citizen)
    rows = []
    for label, url, query in pages:
        first = client.get(url, query)
        assert first.status_code == 200, (label, first.status_code)
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            client.get(url, query)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(url, query)
            times.append((time.perf_counter() - start) * 1000)
        rows.append((label, times, counter.count))
    return rows


def bulk_entry(drive, group, officer, rows=10_000):
    from thidua.mobilization import services

    data = [
        (
            i + 2,
            {
                "received_on": "15/10/2024",
                "donor_name": f"Hộ {SURNAMES[i % 10]} {i}",
                "donor_kind": "household",
                "public": "no" if i % 3 == 0 else "yes",
                "kind": "cash",
                "amount": str(20_000 + (i % 10) * 10_000),
            },
        )
        for i in range(rows)
    ]
    result = services.record_bulk(officer, drive=drive, unit=group, rows=data)
    assert result.created == rows, result.errors[:3]


def statement_import(account, drive, accountant, lines=10_000):
    from thidua.mobilization import services

    text = ["date,amount,description,reference"]
    for i in range(lines):
        ref = drive.reference if i % 10 else "ung ho dong bao"
        text.append(f"{10 + i % 20}/10/2024,{(i % 50 + 1) * 100000},Chuyen tien {ref},ST{i:08d}")
    result = services.import_statement(
        accountant, account=account, data="\n".join(text).encode(), file_name="sao-ke.csv"
    )
    assert result.created == lines, result.errors[:3]
    return result


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
    (city, wards, group, fund, drive, public, private, leader, accountant, officer, citizen) = (
        timer.run("tree, people, fund, drive", setup_data)
    )
    timer.run(
        f"{args.receipts:,} confirmed receipts",
        lambda: load_receipts(
            args.receipts, fund, drive, wards, public, private, leader, accountant
        ),
    )
    timer.run("VACUUM ANALYZE", analyse)
    rows = measure(citizen, fund, wards, args.repeat)
    timer.run(
        f"bulk entry of {args.bulk:,} rows (record_bulk)",
        lambda: bulk_entry(drive, group, officer, rows=args.bulk),
    )
    result = timer.run(
        f"bank statement of {args.bulk:,} lines (import_statement)",
        lambda: statement_import(public, drive, accountant, lines=args.bulk),
    )
    print(f"  statement: {result.created:,} new lines, {result.matched:,} matched")
    print(f"\nLoad average while measuring: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"\n{args.receipts:,} receipts ({args.repeat} requests each, as a signed-in citizen)")
    print(f"{'page':<28} median ms   p95 ms  queries   target")
    for label, times, queries in rows:
        verdict = "ok" if p95(times) < 300 else "OVER"
        print(
            f"{label:<28} {statistics.median(times):9.1f} {p95(times):8.1f} {queries:8}"
            f"   p95<300 {verdict}"
        )
    for label, seconds in timer.steps.items():
        if label.startswith(("bulk entry", "bank statement")):
            print(f"{label}: {seconds:.1f} s")


if __name__ == "__main__":
    main()
