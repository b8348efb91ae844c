"""Reads of the mobilization app: scoped fetches for staff (404 outside the user's part of the
tree), fund totals, drive progress and roll-ups under the tree of then or now, and the public
ledger, which never reads a donor's real name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core.policy import scope_paths
from thidua.core.uploads import Served
from thidua.mobilization.models import (
    BankAccount,
    CasePhoto,
    Disbursement,
    Disclosure,
    Donor,
    Drive,
    Fund,
    Pledge,
    Receipt,
    StatementLine,
    StockItem,
    SupportCase,
    Transfer,
)
from thidua.org import selectors as org_selectors
from thidua.org.models import MEMBER_ORGANISATION, PATH_SEPARATOR, Unit

COUNTED = (Receipt.Status.CONFIRMED, Receipt.Status.REVERSED)  # originals and their reversals
MONEY_KINDS = (Receipt.Kind.CASH, Receipt.Kind.TRANSFER)
PUBLIC_LEDGER_FIELDS = (
    "id",
    "number",
    "received_on",
    "kind",
    "channel",
    "amount",
    "item",
    "quantity",
    "measure",
    "labour_days",
    "status",
    "reverses__number",
    "donor__public_name",
    "donor__wants_public",
    "unit__name",
    "drive__title",
)


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split(PATH_SEPARATOR) if p]
    return [PATH_SEPARATOR.join(parts[: i + 1]) + PATH_SEPARATOR for i in range(len(parts))]


def _scope(user: Any, action: str, field: str, *, upward: bool = False) -> Q:
    """Rows whose unit (`field` holds its path) lies in the user's subtrees; with `upward`,
    also the units above them (a committee sees the ward fund it collects for)."""
    paths = scope_paths(user, action)
    if paths is None:
        return Q()
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
        if upward:
            condition |= Q(**{f"{field}__in": _prefixes(path)})
    return condition


def visible_funds(user: Any) -> QuerySet[Fund]:
    return Fund.objects.filter(_scope(user, "mobilization.view", "unit__path", upward=True))


def get_fund_for_user(user: Any, pk: int) -> Fund:
    fund = visible_funds(user).select_related("unit").filter(pk=pk).first()
    if fund is None:
        raise Http404
    return fund


def visible_drives(user: Any) -> QuerySet[Drive]:
    return Drive.objects.filter(
        _scope(user, "mobilization.view", "owner_unit__path", upward=True)
    ).select_related("fund", "owner_unit")


def get_drive_for_user(user: Any, pk: int) -> Drive:
    drive = visible_drives(user).filter(pk=pk).first()
    if drive is None:
        raise Http404
    return drive


def visible_receipts(user: Any) -> QuerySet[Receipt]:
    return Receipt.objects.filter(_scope(user, "mobilization.view", "unit__path")).select_related(
        "fund",
        "drive",
        "unit",
        "unit__kind",
        "unit__parent",
        "donor",
        "recorded_by",
        "confirmed_by",
        "reverses",
    )


def get_receipt_for_user(user: Any, pk: int) -> Receipt:
    receipt = visible_receipts(user).filter(pk=pk).first()
    if receipt is None:
        raise Http404
    return receipt


def receipts_to_confirm(user: Any) -> QuerySet[Receipt]:
    return (
        Receipt.objects.filter(
            _scope(user, "mobilization.confirm", "unit__path"), status=Receipt.Status.RECORDED
        )
        .exclude(recorded_by=user)
        .select_related("fund", "drive", "unit", "unit__kind", "unit__parent", "donor")
        .order_by("received_on", "pk")
    )


def visible_cases(user: Any) -> QuerySet[SupportCase]:
    return SupportCase.objects.filter(
        _scope(user, "mobilization.view", "unit__path")
    ).select_related("fund", "unit", "unit__kind", "unit__parent")


def get_case_for_user(user: Any, pk: int) -> SupportCase:
    case = visible_cases(user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def cases_to_approve(user: Any) -> QuerySet[SupportCase]:
    return visible_cases(user).filter(
        _scope(user, "mobilization.manage", "unit__path"), status=SupportCase.Status.SURVEYED
    )


def get_account_for_user(user: Any, pk: int) -> BankAccount:
    account = (
        (BankAccount.objects.filter(fund__in=visible_funds(user)).select_related("fund__unit"))
        .filter(pk=pk)
        .first()
    )
    if account is None:
        raise Http404
    return account


def visible_accounts(user: Any) -> QuerySet[BankAccount]:
    return BankAccount.objects.filter(fund__in=visible_funds(user)).select_related(
        "fund", "fund__unit"
    )


def visible_donors(user: Any) -> QuerySet[Donor]:
    """Donors with their real names: for staff who may see them, in their subtrees."""
    return Donor.objects.filter(
        _scope(user, "mobilization.view_donors", "unit__path")
    ).select_related("unit", "unit__kind", "unit__parent")


def get_donor_for_user(user: Any, pk: int) -> Donor:
    donor = visible_donors(user).filter(pk=pk).first()
    if donor is None:
        raise Http404
    return donor


def visible_pledges(user: Any) -> QuerySet[Pledge]:
    return Pledge.objects.filter(
        _scope(user, "mobilization.view_donors", "unit__path")
    ).select_related("drive", "drive__fund", "donor", "unit", "unit__kind", "unit__parent")


def get_pledge_for_user(user: Any, pk: int) -> Pledge:
    pledge = visible_pledges(user).filter(pk=pk).first()
    if pledge is None:
        raise Http404
    return pledge


def pledge_received(pledge: Pledge) -> int:
    return pledge.receipts.filter(status__in=COUNTED).aggregate(total=Sum("amount"))["total"] or 0


def visible_transfers(user: Any) -> QuerySet[Transfer]:
    """Transfers out of or into a fund the user sees."""
    funds = visible_funds(user)
    return Transfer.objects.filter(Q(from_fund__in=funds) | Q(to_fund__in=funds)).select_related(
        "from_fund", "from_fund__unit", "to_fund", "to_fund__unit", "recorded_by"
    )


def get_transfer_for_user(user: Any, pk: int) -> Transfer:
    transfer = visible_transfers(user).filter(pk=pk).first()
    if transfer is None:
        raise Http404
    return transfer


def donor_totals(donor: Donor) -> list[dict[str, Any]]:
    """What a donor gave per fund (money and goods, confirmed, net of reversals), with the
    fund's commendation threshold. One query."""
    return list(
        Receipt.objects.filter(donor=donor, status__in=COUNTED)
        .exclude(kind=Receipt.Kind.LABOUR)
        .values("fund_id", "fund__name", "fund__commendation_threshold")
        .annotate(total=Sum("amount"), labour=Sum("labour_days"))
        .order_by("fund__name")
    )


def may_be_commended(donor: Donor, totals: list[dict[str, Any]]) -> bool:
    """A named donor whose gifts to a fund reached its threshold (an anonymous donor asked for
    no publicity, so is never proposed)."""
    if donor.is_anonymous:
        return False
    return any((row["total"] or 0) >= row["fund__commendation_threshold"] for row in totals)


def large_donors(drive: Drive, *, limit: int = 50) -> list[dict[str, Any]]:
    """Named donors whose gifts to the drive reached the fund's commendation threshold."""
    return list(
        Receipt.objects.filter(drive=drive, status__in=COUNTED, donor__wants_public=True)
        .exclude(kind=Receipt.Kind.LABOUR)
        .exclude(donor__kind=Donor.Kind.ANONYMOUS)
        .values("donor_id", "donor__public_name", "donor__kind")
        .annotate(total=Sum("amount"))
        .filter(total__gte=drive.fund.commendation_threshold)
        .order_by("-total", "donor_id")[:limit]
    )


def get_line_for_user(user: Any, pk: int) -> StatementLine:
    line = (
        StatementLine.objects.filter(account__in=visible_accounts(user))
        .select_related("account", "account__fund", "account__fund__unit", "receipt")
        .filter(pk=pk)
        .first()
    )
    if line is None:
        raise Http404
    return line


def lines_to_match(user: Any) -> QuerySet[StatementLine]:
    """Bank lines no reference matched, for whoever confirms receipts of the fund's unit."""
    return (
        StatementLine.objects.filter(
            _scope(user, "mobilization.confirm", "account__fund__unit__path"),
            status=StatementLine.Status.UNMATCHED,
        )
        .select_related("account", "account__fund", "account__fund__unit")
        .order_by("booked_on", "pk")
    )


def candidate_receipts(line: StatementLine, *, limit: int = 20) -> QuerySet[Receipt]:
    """Transfer receipts a bank line may be matched to: the same fund and amount, on its account
    or none, not reversed, not matched yet; the nearest dates first."""
    return (
        Receipt.objects.filter(
            fund_id=line.account.fund_id,
            kind=Receipt.Kind.TRANSFER,
            amount=line.amount,
            reverses__isnull=True,
            statement_line__isnull=True,
        )
        .exclude(status=Receipt.Status.REVERSED)
        .filter(Q(account__isnull=True) | Q(account_id=line.account_id))
        .select_related("donor", "drive", "unit")
        .order_by("-received_on", "-id")[:limit]
    )


def unmatched_lines(fund: Fund) -> QuerySet[StatementLine]:
    return StatementLine.objects.filter(
        account__fund=fund, status=StatementLine.Status.UNMATCHED
    ).select_related("account")


def case_photos(case: SupportCase) -> QuerySet[CasePhoto]:
    return case.photos.all()


def get_photo_for_user(user: Any, pk: int) -> CasePhoto:
    photo = CasePhoto.objects.filter(pk=pk).first()
    if photo is None:
        raise Http404
    photo.case = get_case_for_user(user, photo.case_id)
    return photo


def support_photo_file_for_user(user: Any, pk: int) -> Served:
    """A photo of a support case, for staff who may open the case (core:file)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    photo = CasePhoto.objects.filter(pk=pk).first()
    if photo is None:
        raise Http404
    get_case_for_user(user, photo.case_id)
    return Served(photo.file, photo.name)


def warehouse(unit: Unit) -> QuerySet[StockItem]:
    return StockItem.objects.filter(unit=unit)


# --- totals -----------------------------------------------------------------------------------


@dataclass
class Totals:
    money: int = 0
    in_kind: int = 0
    labour_days: Decimal = Decimal(0)
    labour_value: int = 0
    transfers_in: int = 0
    transfers_out: int = 0
    disbursed: int = 0
    receipts: int = 0

    @property
    def balance(self) -> int:
        """Money the fund holds: received − disbursed − transferred out + transferred in."""
        return self.money + self.transfers_in - self.transfers_out - self.disbursed


def _kind_totals(receipts: QuerySet[Receipt], totals: Totals) -> Totals:
    for row in (
        receipts.filter(status__in=COUNTED)
        .values("kind")
        .annotate(amount=Sum("amount"), days=Sum("labour_days"), n=Count("pk"))
        .order_by()
    ):
        if row["kind"] in MONEY_KINDS:
            totals.money += row["amount"] or 0
        elif row["kind"] == Receipt.Kind.IN_KIND:
            totals.in_kind += row["amount"] or 0
        else:
            totals.labour_days += row["days"] or 0
            totals.labour_value += row["amount"] or 0
        totals.receipts += row["n"]
    return totals


def fund_totals(fund: Fund) -> Totals:
    """Four queries whatever the size of the ledger."""
    totals = _kind_totals(Receipt.objects.filter(fund=fund), Totals())
    totals.transfers_in = Transfer.objects.filter(to_fund=fund).aggregate(s=Sum("amount"))["s"] or 0
    totals.transfers_out = (
        Transfer.objects.filter(from_fund=fund).aggregate(s=Sum("amount"))["s"] or 0
    )
    totals.disbursed = (
        Disbursement.objects.filter(case__fund=fund).aggregate(s=Sum("amount"))["s"] or 0
    )
    return totals


def drive_totals(drive: Drive) -> Totals:
    return _kind_totals(Receipt.objects.filter(drive=drive), Totals())


def percent_of(value: int | Decimal, target: int | Decimal) -> Decimal | None:
    """The share of a target reached (0.5 for half), for the `percent` filter."""
    if not target:
        return None
    return Decimal(value) / Decimal(target)


@dataclass
class DriveRollup:
    drive: Drive
    root: Unit
    tree: str
    total: Decimal
    rows: list[tuple[Unit, Decimal]] = field(default_factory=list)


def mobilised(
    *,
    root: Unit,
    tree: Literal["then"] | dt.date = "then",
    drive: Drive | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> org_selectors.Rollup:
    """Money and in-kind value mobilised under `root` (receipts of every fund of the subtree,
    under the unit that mobilised them). Transfers between funds are not receipts, so money
    sent from a commune to the city counts once. Under the tree of then (where it was recorded)
    or of a date (carried through the lineage to the successor units)."""
    receipts = Receipt.objects.filter(status__in=COUNTED).exclude(kind=Receipt.Kind.LABOUR)
    if drive is not None:
        receipts = receipts.filter(drive=drive)
    if date_from:
        receipts = receipts.filter(received_on__gte=date_from)
    if date_to:
        receipts = receipts.filter(received_on__lte=date_to)
    if tree == "then":
        return org_selectors.rollup(receipts, value="amount", root=root, tree="then")
    return _rollup_to_default_successors(receipts, root=root, day=tree)


def _rollup_to_default_successors(
    receipts: QuerySet[Receipt], *, root: Unit, day: dt.date
) -> org_selectors.Rollup:
    """A gift is not split: each receipt of a unit closed since goes whole to the unit's default
    successor in force on `day` (org's roll-up would split it by the lineage shares). Four
    queries: sums per unit, the lineage, the successors' paths, the root's children."""
    sums = dict(
        receipts.values("unit_id")
        .annotate(total=Sum("amount"))
        .values_list("unit_id", "total")
        .order_by()
    )
    carried = org_selectors.successor_map(to_date=day, unit_ids=list(sums))
    target: dict[int, int] = {}
    for unit_id, successors in carried.items():
        if successors:
            chosen = max(successors, key=lambda s: (s.is_default, s.share))
            target[unit_id] = chosen.unit_id
    paths = dict(Unit.objects.filter(pk__in=set(target.values())).values_list("pk", "path"))
    children = list(Unit.objects.filter(parent=root).valid_on(day).select_related("kind"))
    result = org_selectors.Rollup(root=root, children=sorted(children, key=lambda u: u.name))
    for unit_id, total in sums.items():
        path = paths.get(target.get(unit_id), "")
        if not path.startswith(root.path):
            continue
        amount = Decimal(total or 0)
        result.total += amount
        for child in children:
            if path.startswith(child.path):
                result.by_child[child.pk] = result.by_child.get(child.pk, Decimal(0)) + amount
                break
    return result


def drive_rollup(drive: Drive, *, root: Unit | None = None, tree: str = "then") -> DriveRollup:
    root = root or drive.owner_unit
    day: Literal["then"] | dt.date = "then" if tree == "then" else timezone.localdate()
    result = mobilised(root=root, tree=day, drive=drive)
    rows = sorted(
        (
            (unit, result.by_child.get(unit.pk, Decimal(0)))
            for unit in result.children
            # a member organisation of the Front is listed when it mobilised something, not as
            # one more zero among the wards
            if unit.kind.code != MEMBER_ORGANISATION or result.by_child.get(unit.pk)
        ),
        key=lambda pair: (-pair[1], pair[0].name),
    )
    return DriveRollup(drive=drive, root=root, tree=tree, total=result.total, rows=rows)


# --- the public side --------------------------------------------------------------------------


def public_funds() -> QuerySet[Fund]:
    return Fund.objects.select_related("unit").order_by("unit__depth", "name")


def get_public_fund(pk: int) -> Fund:
    fund = public_funds().filter(pk=pk).first()
    if fund is None:
        raise Http404
    return fund


@dataclass(frozen=True)
class LedgerFilter:
    drive: int | None = None
    unit: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    amount_min: int | None = None
    amount_max: int | None = None
    name: str = ""


def _filtered(receipts: QuerySet[Receipt], filters: LedgerFilter) -> QuerySet[Receipt]:
    if filters.drive:
        receipts = receipts.filter(drive_id=filters.drive)
    if filters.unit:
        unit = Unit.objects.filter(pk=filters.unit).only("path").first()
        receipts = receipts.filter(unit__path__startswith=unit.path) if unit else receipts.none()
    if filters.date_from:
        receipts = receipts.filter(received_on__gte=filters.date_from)
    if filters.date_to:
        receipts = receipts.filter(received_on__lte=filters.date_to)
    if filters.amount_min is not None:
        receipts = receipts.filter(amount__gte=filters.amount_min)
    if filters.amount_max is not None:
        receipts = receipts.filter(amount__lte=filters.amount_max)
    return receipts


class LedgerRows:
    """The public ledger for a paginator: counted on the receipts alone (the joins that give the
    page its donor, unit and drive names would make a count of 200,000 rows several times
    slower), sliced as plain rows."""

    def __init__(
        self, receipts: QuerySet[Receipt], *, unfiltered: LedgerRows | None = None
    ) -> None:
        self.receipts = receipts
        self.rows = receipts.order_by("-received_on", "-id").values(*PUBLIC_LEDGER_FIELDS)
        # after a cursor, the count is still the whole search's (the page says "N entries")
        self.unfiltered = unfiltered

    def count(self) -> int:
        if self.unfiltered is not None:
            return self.unfiltered.count()
        return self.receipts.order_by().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return list(self.rows[index])

    def __iter__(self):
        return iter(self.rows)

    def iterator(self, chunk_size: int = 2000):
        return self.rows.iterator(chunk_size=chunk_size)

    def after(self, cursor: LedgerCursor) -> LedgerRows:
        """The rows older than the cursor (keyset: page N reads like page 1, no OFFSET)."""
        key = Tuple("received_on", "id")
        return LedgerRows(
            self.receipts.filter(TupleLessThan(key, (cursor.day, cursor.pk))), unfiltered=self
        )

    def before(self, cursor: LedgerCursor, size: int) -> list[dict[str, Any]]:
        """The `size` rows just newer than the cursor, newest first."""
        key = Tuple("received_on", "id")
        newer = (
            self.receipts.filter(TupleGreaterThan(key, (cursor.day, cursor.pk)))
            .order_by("received_on", "id")
            .values(*PUBLIC_LEDGER_FIELDS)[:size]
        )
        return list(reversed(list(newer)))


@dataclass(frozen=True)
class LedgerCursor:
    """A place in the public ledger: the date and id of a row (`2024-10-20_1234`)."""

    day: dt.date
    pk: int

    @classmethod
    def parse(cls, text: str | None) -> LedgerCursor | None:
        day, _sep, pk = (text or "").partition("_")
        try:
            return cls(dt.date.fromisoformat(day), int(pk)) if pk.isdigit() else None
        except ValueError:
            return None

    @classmethod
    def of(cls, row: dict[str, Any]) -> str:
        return f"{row['received_on'].isoformat()}_{row['id']}"


@dataclass
class LedgerPage:
    rows: list[dict[str, Any]]
    count: int
    older: str | None  # the cursor of the next (older) page, None on the last
    newer: str | None  # the cursor of the previous (newer) page, None on the first


def ledger_page(
    rows: LedgerRows,
    *,
    after: LedgerCursor | None = None,
    before: LedgerCursor | None = None,
    size: int = 50,
) -> LedgerPage:
    """One page of the public ledger by keyset: read `size + 1` rows from the index in order
    after (or before) a cursor, so a deep page costs what the first one does."""
    if before is not None:
        chunk = rows.before(before, size + 1)
        has_newer = len(chunk) > size
        chunk = chunk[-size:] if has_newer else chunk
        page_rows = chunk
        older = LedgerCursor.of(page_rows[-1]) if page_rows else None
        newer = LedgerCursor.of(page_rows[0]) if has_newer and page_rows else None
    else:
        source = rows.after(after) if after is not None else rows
        chunk = source[0 : size + 1]
        page_rows = chunk[:size]
        older = LedgerCursor.of(page_rows[-1]) if len(chunk) > size else None
        newer = LedgerCursor.of(page_rows[0]) if after is not None and page_rows else None
    return LedgerPage(rows=page_rows, count=rows.count(), older=older, newer=newer)


def public_ledger(fund: Fund, filters: LedgerFilter = LedgerFilter()) -> LedgerRows:
    """Confirmed entries (originals, reversed ones and their reversals) of accounts whose
    statements are public and of cash, as plain rows without the donor's real name. A name
    search reads only the public names of donors who agreed to be named."""
    # The fund's few accounts are read first, so the ledger query joins no account row.
    published = list(fund.accounts.filter(statements_public=True).values_list("pk", flat=True))
    receipts = Receipt.objects.filter(fund=fund, status__in=COUNTED).filter(
        Q(account__isnull=True) | Q(account_id__in=published)
    )
    receipts = _filtered(receipts, filters)
    if filters.name:
        receipts = receipts.filter(
            donor__wants_public=True, donor__public_name__icontains=filters.name
        )
    return LedgerRows(receipts)


def private_daily_totals(fund: Fund, filters: LedgerFilter = LedgerFilter()) -> QuerySet:
    """Entries of accounts whose statements are not published: one total per day."""
    unpublished = list(fund.accounts.filter(statements_public=False).values_list("pk", flat=True))
    receipts = Receipt.objects.filter(fund=fund, status__in=COUNTED, account_id__in=unpublished)
    receipts = _filtered(receipts, LedgerFilter(**{**filters.__dict__, "name": ""}))
    return (
        receipts.values("received_on")
        .annotate(total=Sum("amount"), entries=Count("pk"))
        .order_by("-received_on")
    )


def public_donor(row: dict[str, Any]) -> str:
    name = row.get("donor__public_name")
    return name if name and row.get("donor__wants_public") else _("Anonymous")


def public_row(row: dict[str, Any]) -> dict[str, Any]:
    """One ledger row as published (HTML, CSV, JSON and the snapshot)."""
    return {
        "number": row["number"],
        "date": row["received_on"],
        "donor": str(public_donor(row)),
        "kind": str(Receipt.Kind(row["kind"]).label),
        "kind_code": row["kind"],
        "channel": str(Receipt.Channel(row["channel"]).label),
        "amount": row["amount"],
        "goods": (
            f"{row['item']} ({row['quantity'].normalize() if row['quantity'] is not None else ''} "
            f"{row['measure']})".strip()
            if row["item"]
            else ""
        ),
        "labour_days": row["labour_days"],
        "unit": row["unit__name"],
        "reversed": row["status"] == Receipt.Status.REVERSED,
        "reverses": row["reverses__number"] or "",
    }


def public_cases(fund: Fund) -> QuerySet[SupportCase]:
    return (
        SupportCase.objects.filter(fund=fund)
        .exclude(status=SupportCase.Status.REJECTED)
        .select_related("unit", "unit__kind", "unit__parent")
        .annotate(paid=Sum("disbursements__amount"))
        .order_by("-year", "unit__name", "pk")
    )


def public_photos(case_ids: list[int]) -> dict[int, list[CasePhoto]]:
    """The photos marked public of the cases on a page (one query)."""
    photos: dict[int, list[CasePhoto]] = {}
    for photo in CasePhoto.objects.filter(case_id__in=case_ids, public=True).exclude(
        case__status=SupportCase.Status.REJECTED
    ):
        photos.setdefault(photo.case_id, []).append(photo)
    return photos


def get_public_photo(pk: int) -> CasePhoto:
    photo = (
        CasePhoto.objects.filter(pk=pk, public=True)
        .exclude(case__status=SupportCase.Status.REJECTED)
        .first()
    )
    if photo is None:
        raise Http404
    return photo


def public_name_of(case: SupportCase, *, today: dt.date | None = None) -> str:
    """Initials, or the full name inside an official posting window at the residential area."""
    day = today or timezone.localdate()
    if case.posting_until and day <= case.posting_until:
        return case.head_name
    return case.initials


def public_disclosures(fund: Fund | None = None) -> QuerySet[Disclosure]:
    disclosures = Disclosure.objects.select_related("fund", "drive", "unit").defer(
        "csv_content", "pdf_content"
    )
    return disclosures.filter(fund=fund) if fund else disclosures


def get_public_disclosure(pk: int) -> Disclosure:
    disclosure = Disclosure.objects.select_related("fund", "drive", "unit").filter(pk=pk).first()
    if disclosure is None:
        raise Http404
    return disclosure


def public_receipt(fund: Fund, number: str) -> Receipt | None:
    return (
        Receipt.objects.filter(fund=fund, number=number)
        .select_related("fund", "drive", "donor", "reversal")
        .first()
    )


def find_disclosure(claimed: str) -> Disclosure | None:
    """By the full SHA-256 of its CSV (the QR link) or the 8-character check code."""
    claimed = claimed.strip().lower()
    if len(claimed) == 64:
        return Disclosure.objects.filter(csv_sha256=claimed).select_related("fund", "unit").first()
    if len(claimed) == 8:
        return (
            Disclosure.objects.filter(csv_sha256__startswith=claimed)
            .select_related("fund", "unit")
            .first()
        )
    return None
