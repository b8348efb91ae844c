"""The mobilization API: funds, drives, receipts (staff: record, confirm, reverse), cases and
disclosures; the public ledger and disclosures need no account (`auth=None`) and never carry a
donor's real name. Every write calls one service; every object comes through a selector that
answers 404 outside the caller's part of the tree."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from thidua.api.pagination import Pagination
from thidua.core.policy import require
from thidua.mobilization import selectors, services
from thidua.mobilization.models import Disclosure, Drive, Fund, Receipt, SupportCase
from thidua.org.selectors import get_unit_for_user

router = Router(tags=["mobilization"])
MAX_MONEY = 10**14  # đồng; the services refuse more


class FundOut(Schema):
    id: int
    name: str
    kind: str
    unit_id: int
    unit_name: str

    @staticmethod
    def resolve_unit_name(obj: Fund) -> str:
        return obj.unit.name


class FundTotalsOut(Schema):
    balance: int
    money: int
    in_kind: int
    labour_days: Decimal
    transfers_in: int
    transfers_out: int
    disbursed: int


class DriveOut(Schema):
    id: int
    fund_id: int
    owner_unit_id: int
    title: str
    opens_on: dt.date
    closes_on: dt.date
    distribute_by: dt.date | None
    decree93: bool
    target_cash: int
    reference: str


class LedgerReceiptOut(Schema):
    id: int
    number: str
    fund_id: int
    drive_id: int | None
    unit_id: int
    kind: str
    amount: int
    item: str
    labour_days: Decimal
    received_on: dt.date
    status: str
    self_confirmed: bool
    reverses_id: int | None


class LedgerReceiptIn(Schema):
    fund_id: int
    drive_id: int | None = None
    unit_id: int
    kind: str
    amount: Any = 0
    received_on: dt.date
    item: str = ""
    quantity: str = ""
    measure: str = ""
    valued_by: str = ""
    labour_days: str = ""
    received_by: str = ""


class ReverseIn(Schema):
    reason: str


class PublicEntryOut(Schema):
    cursor: str  # pass the last entry's cursor as `after` for the next page (keyset)
    number: str
    date: dt.date
    donor: str
    kind: str
    amount: int
    goods: str
    labour_days: Decimal
    unit: str
    reversed: bool
    reverses: str


class DonorOut(Schema):
    id: int
    unit_id: int
    kind: str
    name: str
    public_name: str
    wants_public: bool


class PledgeOut(Schema):
    id: int
    drive_id: int
    donor_id: int
    unit_id: int
    amount: int
    instalments: int
    due_on: dt.date | None
    reference: str


class TransferOut(Schema):
    id: int
    from_fund_id: int
    to_fund_id: int
    amount: int
    made_on: dt.date
    decision: str


class AccountOut(Schema):
    id: int
    fund_id: int
    bank: str
    number: str
    holder: str
    statements_public: bool


class SupportCaseOut(Schema):
    id: int
    fund_id: int
    unit_id: int
    kind: str
    household_class: str
    status: str
    requested_amount: int
    approved_amount: int | None
    decision_number: str


class DisclosureOut(Schema):
    id: int
    fund_id: int
    drive_id: int | None
    period_from: dt.date
    period_to: dt.date
    channel: str
    total_money: int
    total_in_kind: int
    entries: int
    csv_sha256: str
    pdf_sha256: str
    published_at: dt.datetime


# --- staff ----------------------------------------------------------------------------------


@router.get("/funds", response=list[FundOut])
@paginate(Pagination, page_size=50)
def list_funds(request: HttpRequest) -> QuerySet[Fund]:
    require(request.auth, "mobilization.view")
    return selectors.visible_funds(request.auth).select_related("unit")


@router.get("/funds/{int:fund_id}/totals", response=FundTotalsOut)
def fund_totals(request: HttpRequest, fund_id: int) -> dict[str, Any]:
    totals = selectors.fund_totals(selectors.get_fund_for_user(request.auth, fund_id))
    return {**totals.__dict__, "balance": totals.balance}


@router.get("/drives", response=list[DriveOut])
@paginate(Pagination, page_size=50)
def list_drives(request: HttpRequest) -> QuerySet[Drive]:
    require(request.auth, "mobilization.view")
    return selectors.visible_drives(request.auth)


@router.get("/receipts", response=list[LedgerReceiptOut])
@paginate(Pagination, page_size=50)
def list_receipts(request: HttpRequest, fund_id: int | None = None) -> QuerySet[Receipt]:
    require(request.auth, "mobilization.view")
    receipts = selectors.visible_receipts(request.auth).order_by("-id")
    return receipts.filter(fund_id=fund_id) if fund_id else receipts


@router.post("/receipts", response={201: LedgerReceiptOut})
def record_receipt(request: HttpRequest, payload: LedgerReceiptIn) -> Status:
    fund = selectors.get_fund_for_user(request.auth, payload.fund_id)
    drive = (
        selectors.get_drive_for_user(request.auth, payload.drive_id) if payload.drive_id else None
    )
    unit = get_unit_for_user(request.auth, payload.unit_id)
    data = payload.dict(exclude={"fund_id", "drive_id", "unit_id"})
    receipt = services.record_receipt(request.auth, fund=fund, drive=drive, unit=unit, **data)
    return Status(201, receipt)


@router.post("/receipts/{int:receipt_id}/confirm", response=LedgerReceiptOut)
def confirm_receipt(request: HttpRequest, receipt_id: int) -> Receipt:
    receipt = selectors.get_receipt_for_user(request.auth, receipt_id)
    return services.confirm_receipt(request.auth, receipt=receipt)


@router.post("/receipts/{int:receipt_id}/reverse", response=LedgerReceiptOut)
def reverse_receipt(request: HttpRequest, receipt_id: int, payload: ReverseIn) -> Receipt:
    """Returns the reversing entry."""
    receipt = selectors.get_receipt_for_user(request.auth, receipt_id)
    return services.reverse_receipt(request.auth, receipt=receipt, reason=payload.reason)


@router.get("/cases", response=list[SupportCaseOut])
@paginate(Pagination, page_size=50)
def list_cases(request: HttpRequest, status: str = "") -> QuerySet[SupportCase]:
    require(request.auth, "mobilization.view")
    cases = selectors.visible_cases(request.auth)
    return cases.filter(status=status) if status else cases


@router.get("/donors", response=list[DonorOut])
@paginate(Pagination, page_size=50)
def list_donors(request: HttpRequest, q: str = Query("", max_length=100)) -> QuerySet:  # noqa: B008
    """Donors with their real names: for staff who may see them."""
    require(request.auth, "mobilization.view_donors")
    donors = selectors.visible_donors(request.auth).order_by("name", "pk")
    if q.strip():
        donors = donors.filter(Q(name__icontains=q.strip()) | Q(public_name__icontains=q.strip()))
    return donors


@router.get("/donors/{int:donor_id}", response=DonorOut)
def get_donor(request: HttpRequest, donor_id: int) -> Any:
    return selectors.get_donor_for_user(request.auth, donor_id)


@router.get("/pledges", response=list[PledgeOut])
@paginate(Pagination, page_size=50)
def list_pledges(request: HttpRequest, drive_id: int | None = None) -> QuerySet:
    require(request.auth, "mobilization.view_donors")
    pledges = selectors.visible_pledges(request.auth).order_by("-created_at", "-pk")
    return pledges.filter(drive_id=drive_id) if drive_id else pledges


@router.get("/transfers", response=list[TransferOut])
@paginate(Pagination, page_size=50)
def list_transfers(request: HttpRequest) -> QuerySet:
    require(request.auth, "mobilization.view")
    return selectors.visible_transfers(request.auth).order_by("-made_on", "-pk")


@router.get("/accounts", response=list[AccountOut])
@paginate(Pagination, page_size=50)
def list_accounts(request: HttpRequest) -> QuerySet:
    require(request.auth, "mobilization.view")
    return selectors.visible_accounts(request.auth).order_by("fund__name", "bank", "pk")


# --- public ---------------------------------------------------------------------------------


@router.get("/public/funds/{int:fund_id}/ledger", response=list[PublicEntryOut], auth=None)
@paginate(Pagination, page_size=50)
def public_ledger(
    request: HttpRequest,
    fund_id: int,
    drive: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    amount_min: int | None = Query(None, ge=0, le=MAX_MONEY),  # noqa: B008 (ninja's way)
    amount_max: int | None = Query(None, ge=0, le=MAX_MONEY),  # noqa: B008
    q: str = Query("", max_length=100),  # noqa: B008
    after: str = Query("", max_length=40, pattern=r"^(\d{4}-\d{2}-\d{2}_\d+)?$"),  # noqa: B008
) -> list[dict[str, Any]]:
    """Confirmed entries of published accounts and cash; donors by public name or
    "Anonymous". For deep pages pass the last entry's `cursor` as `after` (keyset: page N
    costs what page 1 does); `count` stays the whole search's."""
    fund = selectors.get_public_fund(fund_id)
    filters = selectors.LedgerFilter(
        drive=drive,
        date_from=date_from,
        date_to=date_to,
        amount_min=amount_min,
        amount_max=amount_max,
        name=q.strip(),
    )
    rows = selectors.public_ledger(fund, filters)
    cursor = selectors.LedgerCursor.parse(after)
    return _PublicRows(rows.after(cursor) if cursor else rows)


class _PublicRows:
    """A lazily sliced ledger: the paginator counts and slices in the database."""

    def __init__(self, rows: selectors.LedgerRows) -> None:
        self.rows = rows

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [
            {
                **selectors.public_row(row),
                "kind": row["kind"],
                "cursor": selectors.LedgerCursor.of(row),
            }
            for row in self.rows[index]
        ]


@router.get("/public/disclosures", response=list[DisclosureOut], auth=None)
@paginate(Pagination, page_size=50)
def public_disclosures(request: HttpRequest) -> QuerySet[Disclosure]:
    return selectors.public_disclosures()
