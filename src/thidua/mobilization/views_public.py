"""Public pages (no login, cached): funds with balances and totals, the searchable public
ledger with its CSV and JSON downloads, support given, disclosure snapshots and their check,
and the check of a donor's receipt. None of them reads a donor's real name."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

import segno
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core.excel import workbook_response
from thidua.core.uploads import content_type_of
from thidua.mobilization import reports, selectors, services
from thidua.mobilization.forms import LedgerSearchForm
from thidua.mobilization.services.disclosures import verification_url, verify_disclosure
from thidua.org.models import Unit

PER_PAGE = 50


def fund_list(request: HttpRequest) -> HttpResponse:
    funds = list(selectors.public_funds()[:200])
    return render(request, "mobilization/public/fund_list.html", {"funds": funds})


def fund_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Balance, totals by kind, drives against their targets, each open drive with a VietQR
    code for the published account carrying the drive's reference (so transfers match)."""
    fund = selectors.get_public_fund(pk)
    accounts = list(fund.accounts.all())
    qr_account = next((a for a in accounts if a.statements_public and a.bank_bin), None)
    today = timezone.localdate()
    drives = []
    for drive in fund.drives.all():
        totals = selectors.drive_totals(drive)
        qr = ""
        if qr_account is not None and drive.is_open_on(today):
            payload = services.vietqr_payload(qr_account, reference=drive.reference)
            qr = segno.make(payload, error="m").svg_data_uri(scale=3, border=1)
        drives.append(
            (
                drive,
                totals,
                selectors.percent_of(totals.money + totals.in_kind, drive.target_cash),
                qr,
            )
        )
    return render(
        request,
        "mobilization/public/fund.html",
        {
            "fund": fund,
            "totals": selectors.fund_totals(fund),
            "accounts": accounts,
            "qr_account": qr_account,
            "drives": drives,
            "disclosures": list(selectors.public_disclosures(fund)[:10]),
        },
    )


def _ledger_filter(request: HttpRequest, fund) -> tuple[LedgerSearchForm, selectors.LedgerFilter]:
    drives = list(fund.drives.all())
    units = list(
        Unit.objects.filter(
            path__startswith=fund.unit.path, depth__lte=fund.unit.depth + 1
        ).order_by("path")[:200]
    )
    form = LedgerSearchForm(request.GET or None, drives=drives, units=units)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.LedgerFilter(
            drive=data["drive"],
            unit=data["unit"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            amount_min=data["amount_min"],
            amount_max=data["amount_max"],
            name=data["q"].strip(),
        )
    else:
        filters = selectors.LedgerFilter()
    return form, filters


def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    """Pages by keyset (`after` / `before` a row's cursor): a deep page costs what the first
    one does. The old `page` numbers still answer, for links people kept."""
    fund = selectors.get_public_fund(pk)
    form, filters = _ledger_filter(request, fund)
    ledger_rows = selectors.public_ledger(fund, filters)
    after = selectors.LedgerCursor.parse(request.GET.get("after"))
    before = selectors.LedgerCursor.parse(request.GET.get("before"))
    page = None
    if after or before or not request.GET.get("page"):
        keyset = selectors.ledger_page(ledger_rows, after=after, before=before, size=PER_PAGE)
        rows = [selectors.public_row(row) for row in keyset.rows]
        count = keyset.count
    else:
        keyset = None
        page = Paginator(ledger_rows, PER_PAGE).get_page(request.GET.get("page"))
        rows = [selectors.public_row(row) for row in page.object_list]
        count = page.paginator.count
    daily = list(selectors.private_daily_totals(fund, filters)[:31])
    query = request.GET.copy()
    for key in ("page", "after", "before"):
        query.pop(key, None)
    return render(
        request,
        "mobilization/public/ledger.html",
        {
            "fund": fund,
            "form": form,
            "page": page,
            "keyset": keyset,
            "count": count,
            "rows": rows,
            "daily": daily,
            "query": query.urlencode(),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def ledger_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    fund = selectors.get_public_fund(pk)
    _form, filters = _ledger_filter(request, fund)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(
            [
                _("Receipt number"),
                _("Date"),
                _("Donor"),
                _("Kind"),
                _("Channel"),
                _("Amount (đ)"),
                _("Goods"),
                _("Labour-days"),
                _("Unit"),
                _("Reverses"),
            ]
        )
        for row in selectors.public_ledger(fund, filters).iterator(chunk_size=2000):
            r = selectors.public_row(row)
            yield writer.writerow(
                [
                    r["number"],
                    r["date"].strftime("%d/%m/%Y"),
                    r["donor"],
                    r["kind"],
                    r["channel"],
                    r["amount"],
                    r["goods"],
                    r["labour_days"],
                    r["unit"],
                    r["reverses"],
                ]
            )
        for day in selectors.private_daily_totals(fund, filters):
            yield writer.writerow(
                [
                    "",
                    day["received_on"].strftime("%d/%m/%Y"),
                    _("Daily total of accounts whose statements are not published"),
                    "",
                    "",
                    day["total"],
                    "",
                    "",
                    "",
                    "",
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="so-cai-quy-{fund.pk}.csv"'
    return response


def ledger_json(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    fund = selectors.get_public_fund(pk)
    _form, filters = _ledger_filter(request, fund)

    def chunks() -> Iterator[str]:
        yield json.dumps({"fund": fund.name})[:-1] + ', "entries": ['
        first = True
        for row in selectors.public_ledger(fund, filters).iterator(chunk_size=2000):
            item = selectors.public_row(row)
            item["kind"] = item.pop("kind_code")
            item.pop("channel")
            item["channel"] = row["channel"]
            yield ("" if first else ",") + json.dumps(
                item, cls=DjangoJSONEncoder, ensure_ascii=False
            )
            first = False
        daily = [
            {"date": d["received_on"], "total": d["total"], "entries": d["entries"]}
            for d in selectors.private_daily_totals(fund, filters)
        ]
        yield (
            '], "daily_totals_unpublished_accounts": '
            + json.dumps(daily, cls=DjangoJSONEncoder)
            + "}"
        )

    return StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")


def support(request: HttpRequest, pk: int) -> HttpResponse:
    fund = selectors.get_public_fund(pk)
    page = Paginator(selectors.public_cases(fund), PER_PAGE).get_page(request.GET.get("page"))
    photos = selectors.public_photos([case.pk for case in page.object_list])
    rows = [
        (case, selectors.public_name_of(case), photos.get(case.pk, [])) for case in page.object_list
    ]
    return render(
        request, "mobilization/public/support.html", {"fund": fund, "page": page, "rows": rows}
    )


def disclosure_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_disclosures(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "mobilization/public/disclosure_list.html", {"page": page})


def disclosure(request: HttpRequest, pk: int) -> HttpResponse:
    """The snapshot with its hashes and QR; with `h` it says whether it verifies."""
    return _disclosure_page(request, selectors.get_public_disclosure(pk), request.GET.get("h", ""))


def disclosure_check(request: HttpRequest) -> HttpResponse:
    """The page the QR opens: the snapshot found by its hash (or the check code typed by
    hand), verified against its stored files."""
    claimed = request.GET.get("h", "").strip().lower()
    item = selectors.find_disclosure(claimed)
    if item is None:
        return render(
            request,
            "mobilization/public/disclosure_missing.html",
            {"claimed": claimed},
            status=404,
        )
    return _disclosure_page(request, item, claimed)


def _disclosure_page(request: HttpRequest, item, claimed: str) -> HttpResponse:
    return render(
        request,
        "mobilization/public/disclosure.html",
        {
            "disclosure": item,
            "claimed": claimed,
            "verified": verify_disclosure(item, claimed),
            "qr": segno.make(verification_url(item), error="m").svg_data_uri(scale=4, border=1),
        },
    )


def disclosure_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    item = selectors.get_public_disclosure(pk)
    if kind == "csv":
        response = HttpResponse(item.csv_content.encode("utf-8"), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="cong-khai-{item.pk}.csv"'
    elif kind == "xlsx":
        return workbook_response(reports.disclosure_xlsx(item), f"cong-khai-{item.pk}.xlsx")
    elif kind == "pdf":
        response = HttpResponse(bytes(item.pdf_content), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="cong-khai-{item.pk}.pdf"'
    else:
        raise Http404
    return response


def receipt_check(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    """The QR on a donor's receipt: it exists, is confirmed (or reversed, and by which entry)."""
    fund = selectors.get_public_fund(pk)
    receipt = selectors.public_receipt(fund, number)
    return render(
        request,
        "mobilization/public/receipt_check.html",
        {"fund": fund, "receipt": receipt, "number": number},
        status=200 if receipt else 404,
    )


def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A support case's photo marked public (an image, never a download of anything else)."""
    item = selectors.get_public_photo(pk)
    with item.file.open("rb") as handle:
        content = handle.read()
    response = HttpResponse(content, content_type=content_type_of(item.file.name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=300"
    return response
