"""Demo social-resource data for Hà Nội (totals at their published scale; rows kept few).

1. **Quỹ Vì người nghèo thành phố Hà Nội** with its two accounts (Agribank Hà Nội, statements
   published; Kho bạc Nhà nước Hà Nội, not published: daily totals only), and the 2024 peak-month
   drive (16/10–18/11/2024): ≈28 billion đ received or pledged at the launch — 22 billion đ of
   confirmed receipts (enterprises and organisations at the launch, door-to-door gifts in the
   2024 wards of Long Biên and Tây Hồ, 39 % of households anonymous, labour-days) and 6 billion
   đ of pledges. The rest of the fund's 2024 receipts, outside the peak month (monthly
   transfers of enterprises and organisations), 46 billion đ: a demo figure, not a published
   one, so that the year's 68 billion đ received cover the 64,22 billion đ paid out below.
2. **2024 houses**: 714 Đại đoàn kết house cases, 61,08 billion đ in all, settled with their
   disbursements; **storm relief** from Quỹ Cứu trợ: 29 new and 251 repaired houses, 13,355
   billion đ, paid from 15 billion đ of storm-relief receipts (9–10/2024, a demo figure);
   **livelihood**: 95 motorbikes, 54 cows, 13 sewing machines and 1 thresher,
   3,14 billion đ. These 1,157 historical cases and their payments are inserted in bulk (with one
   audit event saying so), not replayed through the services one by one.
3. **Phường Bồ Đề today**: its fund and a drive open now, with door-to-door receipts from its
   residential groups entered through the bulk-entry service (some confirmed by the ward's
   officer, some waiting in the inbox, one reversed), a few house cases taken through the services
   to every state (paid from a 150 million đ allocation of the city fund, recorded as a
   transfer), one disclosure snapshot, and one bank statement of the city's Agribank
   account with matched and unmatched lines.

Idempotent: a fund that exists (same unit, same name) is skipped with everything under it.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from thidua.core import audit
from thidua.mobilization import services
from thidua.mobilization.models import (
    Disbursement,
    Donor,
    Fund,
    Pledge,
    Receipt,
    SuggestedLevel,
    SupportCase,
    WindowRule,
)
from thidua.mobilization.services.ledger import append_receipts, build_receipt
from thidua.org.models import Unit

HANOI_CODE = "01"
LEGACY_DISTRICTS = ("004", "003")  # Quận Long Biên, Quận Tây Hồ (the 2024 tree)
BO_DE = "Phường Bồ Đề"
CITY_FUND = "Quỹ Vì người nghèo thành phố Hà Nội"
RELIEF_FUND = "Quỹ Cứu trợ thành phố Hà Nội"
WARD_FUND = "Quỹ Vì người nghèo phường Bồ Đề"
LAUNCH = dt.date(2024, 10, 16)
PEAK_END = dt.date(2024, 11, 18)
RECEIVED_AT_LAUNCH = 22_000_000_000
PLEDGED_AT_LAUNCH = 6_000_000_000
HOUSES_2024 = (714, 61_080_000_000)
RELIEF_NEW, RELIEF_REPAIRED, RELIEF_TOTAL = 29, 251, 13_355_000_000
LIVELIHOOD = [("xe máy", 95), ("bò giống", 54), ("máy khâu", 13), ("máy tuốt lúa", 1)]
LIVELIHOOD_TOTAL = 3_140_000_000
# demo figures (not published): what the funds received besides the peak month, so that no fund
# pays out more than it received
CITY_YEAR_ROUND = 46_000_000_000
RELIEF_RECEIVED = 15_000_000_000
WARD_ALLOCATION = 150_000_000
ORGANISATIONS = [
    "Công ty TNHH Xây dựng Long Biên",
    "Hội Doanh nhân trẻ quận Tây Hồ",
    "Công ty CP Thương mại Hồng Hà",
    "Hiệp hội Doanh nghiệp nhỏ và vừa Hà Nội",
    "Công ty TNHH Dịch vụ Nhật Tân",
    "Ban Quản lý chợ Long Biên",
    "Công ty CP Vận tải Thăng Long",
    "Trường THPT Nguyễn Gia Thiều",
    "Bệnh viện Đa khoa Đức Giang",
    "Liên đoàn Lao động quận Long Biên",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Hồng", "Quang", "Thanh"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hương", "Lan", "Long", "Mai", "Nam", "Tâm"]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _user(username: str) -> Any:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise RuntimeError(f"The demo login {username} is missing: run `manage.py seed_demo`.")
    return user


def seed(*, stdout: TextIO) -> None:
    rng = random.Random(2024)
    hanoi = Unit.objects.get(code=HANOI_CODE, kind__code="province", valid_to__isnull=True)
    bo_de = Unit.objects.get(parent=hanoi, name=BO_DE, kind__code="ward", valid_to__isnull=True)
    admin, leader, ward_leader, officer = (
        _user("admin"),
        _user("lanhdao"),
        _user("lanhdao.bode"),
        _user("canbo"),
    )
    WindowRule.objects.get_or_create(
        legal_basis="Nghị định 93/2021/NĐ-CP, Điều 14",
        valid_from=dt.date(2021, 12, 11),
        defaults={"receiving_days": 90, "distribution_days": 20},
    )
    for kind, label, amount in (
        ("individual", "Cán bộ, công chức: một ngày lương", 0),
        ("household", "Hộ gia đình: từ 20.000 đ", 20_000),
        ("enterprise", "Doanh nghiệp: từ 500.000 đ", 500_000),
    ):
        SuggestedLevel.objects.get_or_create(
            donor_kind=kind, label=label, defaults={"amount": amount, "valid_from": LAUNCH}
        )
    if not Fund.objects.filter(unit=hanoi, name=CITY_FUND).exists():
        _city(stdout, rng, hanoi, admin, leader)
    if not Fund.objects.filter(unit=hanoi, name=RELIEF_FUND).exists():
        _relief(stdout, rng, hanoi, leader, admin)
    if not Fund.objects.filter(unit=bo_de, name=WARD_FUND).exists():
        _ward(stdout, rng, hanoi, bo_de, ward_leader, officer, admin)


def _city(stdout, rng, hanoi, admin, leader) -> None:
    fund = services.create_fund(
        leader,
        unit=hanoi,
        kind=Fund.Kind.FOR_THE_POOR,
        name=CITY_FUND,
        legal_basis="Quyết định 1198/QĐ-MTTW-ĐCT ngày 29/12/2016 (Quy chế Quỹ Vì người nghèo)",
    )
    agribank = services.add_account(
        leader,
        fund=fund,
        bank="Agribank chi nhánh Hà Nội",
        number="1500201089999",
        holder="Ủy ban MTTQ Việt Nam TP Hà Nội – Quỹ Vì người nghèo",
        statements_public=True,
        bank_bin="970405",
    )
    treasury = services.add_account(
        leader,
        fund=fund,
        bank="Kho bạc Nhà nước Hà Nội",
        number="3761.0.1058888",
        holder="Ủy ban MTTQ Việt Nam TP Hà Nội – Quỹ Vì người nghèo",
        statements_public=False,
    )
    drive = services.create_drive(
        leader,
        fund=fund,
        title="Tháng cao điểm Vì người nghèo năm 2024",
        purpose="Hỗ trợ hộ nghèo, cận nghèo xây, sửa nhà Đại đoàn kết và sinh kế.",
        opens_on=LAUNCH,
        closes_on=PEAK_END,
        distribute_by=dt.date(2024, 12, 31),
        target_cash=RECEIVED_AT_LAUNCH + PLEDGED_AT_LAUNCH,
        calling_document="Lời kêu gọi của Ban Vận động Quỹ Vì người nghèo TP Hà Nội",
        calling_document_date=LAUNCH,
    )
    wards = list(
        Unit.objects.filter(
            parent__parent=hanoi,
            parent__code__in=LEGACY_DISTRICTS,
            kind__code="ward",
            valid_to__isnull=False,
        ).order_by("parent__code", "code")
    )
    donors: list[Donor] = []
    receipts: list[Receipt] = []

    def gift(unit, donor, kind, amount=0, day=LAUNCH, account=None, **extra):
        donors.append(donor)
        receipts.append(
            build_receipt(
                fund=fund,
                drive=drive,
                unit=unit,
                kind=kind,
                amount=amount,
                received_on=day,
                account=account,
                **extra,
            )
        )

    household_total = 0
    for ward in wards:
        for _n in range(rng.randint(30, 45)):
            anonymous = rng.random() < 0.39
            name = _name(rng)
            amount = rng.choice([20_000, 50_000, 100_000, 200_000, 500_000])
            household_total += amount
            gift(
                ward,
                Donor(
                    unit=ward,
                    kind="household",
                    name=name,
                    public_name="" if anonymous else f"Hộ {name}",
                    wants_public=not anonymous,
                ),
                "cash",
                amount,
                day=LAUNCH + dt.timedelta(days=rng.randint(0, 30)),
            )
        if rng.random() < 0.5:
            gift(
                ward,
                Donor(
                    unit=ward,
                    kind="organisation",
                    name=f"Đoàn thanh niên {ward.name}",
                    public_name=f"Đoàn thanh niên {ward.name}",
                ),
                "labour",
                0,
                labour_days=rng.randint(10, 60),
                day=LAUNCH + dt.timedelta(days=rng.randint(3, 30)),
            )
    remaining = RECEIVED_AT_LAUNCH - household_total
    shares = [rng.randint(5, 20) for _ in ORGANISATIONS]
    for index, (name, share) in enumerate(zip(ORGANISATIONS, shares, strict=True)):
        amount = remaining * share // sum(shares) if index < len(ORGANISATIONS) - 1 else remaining
        remaining -= amount if index < len(ORGANISATIONS) - 1 else 0
        gift(
            hanoi,
            Donor(unit=hanoi, kind="enterprise", name=name, public_name=name),
            "transfer",
            amount,
            account=agribank if index % 3 else treasury,
            bank_ref=f"FT24290{index:04d}",
        )
    # the rest of the year: each month but the peak one, a transfer from two organisations
    months = [m for m in range(1, 13) if m not in (LAUNCH.month, PEAK_END.month)]
    each = CITY_YEAR_ROUND // (2 * len(months))
    for index in range(2 * len(months)):
        name = ORGANISATIONS[index % len(ORGANISATIONS)]
        amount = each if index < 2 * len(months) - 1 else CITY_YEAR_ROUND - each * index
        donors.append(Donor(unit=hanoi, kind="enterprise", name=name, public_name=name))
        receipts.append(
            build_receipt(
                fund=fund,
                drive=None,
                unit=hanoi,
                kind="transfer",
                amount=amount,
                received_on=dt.date(2024, months[index // 2], 10 + 10 * (index % 2)),
                account=agribank if index % 2 else treasury,
                bank_ref=f"FT24Y{index:05d}",
            )
        )
    with transaction.atomic():
        saved = Donor.objects.bulk_create(donors, batch_size=2000)
        for donor, receipt in zip(saved, receipts, strict=True):
            receipt.donor = donor
        receipts.sort(key=lambda r: r.received_on)
        append_receipts(fund, receipts, recorded_by=admin)
        Receipt.objects.filter(fund=fund, status=Receipt.Status.RECORDED).update(
            status=Receipt.Status.CONFIRMED, confirmed_by=leader, confirmed_at=timezone.now()
        )
        pledgers = [
            Donor(
                unit=hanoi,
                kind="enterprise",
                name=f"Doanh nghiệp đăng ký ủng hộ số {i + 1}",
                public_name=f"Doanh nghiệp đăng ký ủng hộ số {i + 1}",
            )
            for i in range(6)
        ]
        for index, donor in enumerate(Donor.objects.bulk_create(pledgers)):
            Pledge.objects.create(
                drive=drive,
                donor=donor,
                unit=hanoi,
                amount=PLEDGED_AT_LAUNCH // 6,
                instalments=2,
                due_on=dt.date(2024, 12, 31),
                reference=f"{drive.reference}P{index + 1}",
            )
        audit.record(
            admin,
            "mobilization.demo_seeded",
            drive,
            data={"receipts": len(receipts), "note": "2024 receipts inserted in bulk"},
        )
    _statement(agribank, drive, admin, rng)
    stdout.write(
        f"  {CITY_FUND}: {len(receipts)} receipts, 28 billion đ received or pledged at the "
        "launch, 68 billion đ received in 2024"
    )


def _statement(account, drive, actor, rng) -> None:
    lines = ["date,amount,description,reference"]
    for index in range(24):
        day = LAUNCH + dt.timedelta(days=rng.randint(0, 30))
        amount = rng.choice([200_000, 500_000, 1_000_000, 2_000_000])
        matched = index < 16
        text = f"{_name(rng)} ung ho {drive.reference if matched else 'quy vi nguoi ngheo'}"
        lines.append(f"{day:%d/%m/%Y},{amount},{text},FT24{index:06d}")
    services.import_statement(
        actor, account=account, data="\n".join(lines).encode(), file_name="sao-ke-agribank.csv"
    )


def _cases_in_bulk(fund, units, count, total, kind_of, approver, year, note) -> None:
    cases = []
    each = total // count
    for index in range(count):
        amount = each if index < count - 1 else total - each * (count - 1)
        kind, label = kind_of(index)
        cases.append(
            SupportCase(
                fund=fund,
                unit=units[index % len(units)],
                kind=kind,
                household_class=("poor", "near_poor", "hardship")[index % 3],
                head_name=(
                    f"Hộ ông/bà {SURNAMES[index % 10]} {MIDDLE[index % 8]} {GIVEN[index % 12]}"
                ),
                requested_amount=amount,
                approved_amount=amount,
                decision_number=f"{index + 1}/QĐ-BVĐ",
                decision_date=dt.date(year, 3, 1),
                approved_by=approver,
                status=SupportCase.Status.SETTLED,
                surveyed_on=dt.date(year, 2, 1),
                survey_note=label,
                year=year,
            )
        )
    with transaction.atomic():
        saved = SupportCase.objects.bulk_create(cases, batch_size=1000)
        Disbursement.objects.bulk_create(
            [
                Disbursement(
                    case=case,
                    amount=case.approved_amount,
                    paid_on=dt.date(year, 9, 30),
                    method="Tiền mặt",
                    recorded_by=approver,
                )
                for case in saved
            ],
            batch_size=1000,
        )
        audit.record(
            approver,
            "mobilization.demo_seeded",
            fund,
            data={"cases": count, "total": total, "note": note},
        )


def _relief(stdout, rng, hanoi, leader, admin) -> None:
    city = Fund.objects.get(unit=hanoi, name=CITY_FUND)
    relief = services.create_fund(leader, unit=hanoi, kind=Fund.Kind.RELIEF, name=RELIEF_FUND)
    _relief_receipts(relief, hanoi, admin, leader)
    wards = list(
        Unit.objects.filter(
            parent__parent=hanoi, kind__code="ward", valid_to__isnull=False
        ).order_by("code")[:120]
    )
    _cases_in_bulk(
        city,
        wards,
        HOUSES_2024[0],
        HOUSES_2024[1],
        lambda i: ("house_new" if i % 3 else "house_repair", "Nhà Đại đoàn kết 2024"),
        admin,
        2024,
        "714 houses of 2024",
    )
    _cases_in_bulk(
        relief,
        wards,
        RELIEF_NEW + RELIEF_REPAIRED,
        RELIEF_TOTAL,
        lambda i: ("house_new" if i < RELIEF_NEW else "house_repair", "Bão Yagi"),
        admin,
        2024,
        "storm relief houses of 2024",
    )
    items = [label for label, n in LIVELIHOOD for _ in range(n)]
    _cases_in_bulk(
        city,
        wards,
        len(items),
        LIVELIHOOD_TOTAL,
        lambda i: ("livelihood", f"Hỗ trợ sinh kế: {items[i]}"),
        admin,
        2024,
        "livelihood support of 2024",
    )
    stdout.write("  2024 cases: 714 houses, 280 storm-relief houses, 163 livelihood gifts")


def _relief_receipts(relief, hanoi, admin, leader) -> None:
    """Storm Yagi (9/2024): what organisations gave the relief fund in cash at the city Front,
    confirmed, in bulk."""
    count = len(ORGANISATIONS)
    each = RELIEF_RECEIVED // count
    donors = Donor.objects.bulk_create(
        [Donor(unit=hanoi, kind="enterprise", name=n, public_name=n) for n in ORGANISATIONS]
    )
    receipts = []
    for index, donor in enumerate(donors):
        receipt = build_receipt(
            fund=relief,
            drive=None,
            unit=hanoi,
            kind="cash",  # handed over at the city Front's reception point
            amount=each if index < count - 1 else RELIEF_RECEIVED - each * index,
            received_on=dt.date(2024, 9, 10) + dt.timedelta(days=3 * index),
            donor=donor,
            note="Ủng hộ khắc phục hậu quả bão số 3 (Yagi)",
        )
        receipts.append(receipt)
    with transaction.atomic():
        append_receipts(relief, receipts, recorded_by=admin)
        Receipt.objects.filter(fund=relief, status=Receipt.Status.RECORDED).update(
            status=Receipt.Status.CONFIRMED, confirmed_by=leader, confirmed_at=timezone.now()
        )


def _ward(stdout, rng, hanoi, bo_de, ward_leader, officer, admin) -> None:
    fund = services.create_fund(
        ward_leader, unit=bo_de, kind=Fund.Kind.FOR_THE_POOR, name=WARD_FUND
    )
    today = timezone.localdate()
    city = Fund.objects.filter(unit=hanoi, name=CITY_FUND).first()
    if city is not None:  # the houses of this year are paid from the city's allocation
        services.record_transfer(
            admin,
            from_fund=city,
            to_fund=fund,
            amount=WARD_ALLOCATION,
            made_on=today - dt.timedelta(days=35),
            decision="Quyết định phân bổ kinh phí hỗ trợ nhà Đại đoàn kết của Ban Vận động "
            "Quỹ Vì người nghèo thành phố",
        )
    drive = services.create_drive(
        ward_leader,
        fund=fund,
        title=f"Vận động Quỹ Vì người nghèo phường Bồ Đề năm {today.year}",
        opens_on=today - dt.timedelta(days=30),
        closes_on=today + dt.timedelta(days=30),
        distribute_by=today + dt.timedelta(days=50),
        target_cash=300_000_000,
    )
    groups = list(Unit.objects.filter(parent=bo_de, valid_to__isnull=True).order_by("code")[:6])
    for number, group in enumerate(groups):
        rows = []
        for line in range(8):
            anonymous = rng.random() < 0.39
            kind = "labour" if line == 7 else "cash"
            rows.append(
                (
                    line + 2,
                    {
                        "received_on": (today - dt.timedelta(days=rng.randint(1, 25))).strftime(
                            "%d/%m/%Y"
                        ),
                        "donor_name": _name(rng),
                        "donor_kind": "household",
                        "public": "no" if anonymous else "yes",
                        "kind": kind,
                        "amount": "" if kind == "labour" else rng.choice([20_000, 50_000, 100_000]),
                        "labour_days": "6" if kind == "labour" else "",
                    },
                )
            )
        services.record_bulk(officer, drive=drive, unit=group, rows=rows)
        if number < 4:  # the rest wait in the leader's inbox
            for receipt in Receipt.objects.filter(unit=group, status="recorded"):
                services.confirm_receipt(ward_leader, receipt=receipt)
    first = Receipt.objects.filter(fund=fund, status="confirmed", kind="cash").first()
    if first:
        services.reverse_receipt(ward_leader, receipt=first, reason="Ghi trùng phiếu thu giấy")
    group = groups[0] if groups else bo_de
    states = ["surveyed", "approved", "in_progress", "handed_over", "settled", "paused", "rejected"]
    for index, state in enumerate(states):
        case = services.survey_case(
            officer,
            fund=fund,
            drive=drive,
            unit=group,
            kind="house_repair",
            household_class="poor",
            head_name=_name(rng),
            id_number=f"0010850{index:05d}",
            requested_amount=40_000_000,
            address=f"Ngõ {index + 3}, {group.name}",
        )
        if state in ("rejected",):
            services.change_case_status(
                ward_leader, case=case, to="rejected", reason="Hộ đã được hỗ trợ từ nguồn khác"
            )
            continue
        if state == "surveyed":
            continue
        if state == "paused":
            services.change_case_status(officer, case=case, to="paused", reason="Chờ hợp thửa đất")
            continue
        services.approve_case(
            ward_leader, case=case, amount=40_000_000, decision_number=f"{index + 10}/QĐ-BVĐ"
        )
        if state == "approved":
            continue
        services.change_case_status(officer, case=case, to="in_progress")
        services.disburse(officer, case=case, amount=40_000_000, witness="Tổ trưởng " + _name(rng))
        if state == "in_progress":
            continue
        services.change_case_status(officer, case=case, to="handed_over")
        if state == "settled":
            services.settle_case(ward_leader, case=case)
    # the official posting of the beneficiaries' full names at the group, ten days from today
    services.post_names(ward_leader, fund=fund, unit=group, until=today + dt.timedelta(days=10))
    services.publish_disclosure(
        ward_leader,
        fund=fund,
        drive=drive,
        period_from=drive.opens_on,
        period_to=today,
        channel="posting",
        signer_name="Phạm Minh Đức",
        signer_title="Trưởng Ban vận động",
    )
    stdout.write(f"  {WARD_FUND}: a drive open now, cases at every state, one disclosure")
