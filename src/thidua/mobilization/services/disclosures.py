"""Disclosure snapshots (công khai, Decree 93 art. 14): a drive's or fund's public ledger for a
period, frozen as CSV and PDF with their SHA-256 at the moment of publication. Later receipts
never change a snapshot; the verification page recomputes the hashes from the stored files."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from typing import Any

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.pdf import render_pdf
from thidua.core.policy import require
from thidua.mobilization import selectors
from thidua.mobilization.models import Disclosure, Drive, Fund
from thidua.org.models import Unit


def ledger_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
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
    for row in rows:
        writer.writerow(
            [
                row["number"],
                row["date"].strftime("%d/%m/%Y"),
                row["donor"],
                row["kind"],
                row["channel"],
                row["amount"],
                row["goods"],
                row["labour_days"],
                row["unit"],
                row["reverses"],
            ]
        )
    return buffer.getvalue()


def verification_url(disclosure: Disclosure) -> str:
    """The QR's link: found by its hash alone, so it can be printed before the row is saved."""
    path = reverse("public_mobilization:disclosure_check")
    return f"{settings.SITE_URL.rstrip('/')}{path}?h={disclosure.csv_sha256}"


def publish_disclosure(
    actor: Any,
    *,
    fund: Fund,
    period_from: dt.date,
    period_to: dt.date,
    channel: str,
    signer_name: str,
    signer_title: str,
    drive: Drive | None = None,
    unit: Unit | None = None,
    posted_from: dt.date | None = None,
    posted_to: dt.date | None = None,
) -> Disclosure:
    require(actor, "mobilization.manage", fund.unit)
    errors: dict[str, list[str]] = {}
    if period_to < period_from:
        errors["period_to"] = [_("The period cannot end before it starts.")]
    if not signer_name.strip():
        errors["signer_name"] = [_("Give the name of the signer.")]
    if channel not in Disclosure.Channel.values:
        errors["channel"] = [_("Choose a channel.")]
    if drive is not None and drive.fund_id != fund.pk:
        errors["drive"] = [_("This drive belongs to another fund.")]
    if errors:
        raise ValidationError(errors)
    filters = selectors.LedgerFilter(
        drive=drive.pk if drive else None, date_from=period_from, date_to=period_to
    )
    rows = [selectors.public_row(row) for row in selectors.public_ledger(fund, filters)]
    rows.reverse()  # oldest first in a document
    daily = list(selectors.private_daily_totals(fund, filters))
    csv_text = ledger_csv(rows)
    money = sum(r["amount"] for r in rows if r["kind_code"] in selectors.MONEY_KINDS)
    money += sum(d["total"] or 0 for d in daily)
    in_kind = sum(r["amount"] for r in rows if r["kind_code"] == "in_kind")
    days = sum((r["labour_days"] for r in rows if r["kind_code"] == "labour"), 0)
    now = timezone.now()
    disclosure = Disclosure(
        fund=fund,
        drive=drive,
        unit=unit or fund.unit,
        period_from=period_from,
        period_to=period_to,
        channel=channel,
        posted_from=posted_from or timezone.localdate(),
        posted_to=posted_to,
        signer_name=signer_name.strip(),
        signer_title=signer_title.strip(),
        total_money=money,
        total_in_kind=in_kind,
        total_labour_days=days,
        entries=len(rows),
        csv_content=csv_text,
        csv_sha256=hashlib.sha256(csv_text.encode("utf-8")).hexdigest(),
        published_by=actor,
        published_at=now,
    )

    qr = segno.make(verification_url(disclosure), error="m").png_data_uri(scale=3, border=1)
    html = render_to_string(
        "mobilization/pdf/disclosure.html",
        {"disclosure": disclosure, "rows": rows, "daily": daily, "qr": qr},
    )
    pdf = render_pdf(html)
    disclosure.pdf_content = pdf
    disclosure.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        disclosure.save()
        audit.record(
            actor,
            "mobilization.publish_disclosure",
            disclosure,
            data={"csv_sha256": disclosure.csv_sha256, "pdf_sha256": disclosure.pdf_sha256},
        )
    return disclosure


def verify_disclosure(disclosure: Disclosure, claimed: str = "") -> bool:
    """The stored files still hash to what was published, and to the hash in the QR (if any)."""
    csv_ok = hashlib.sha256(disclosure.csv_content.encode("utf-8")).hexdigest() == (
        disclosure.csv_sha256
    )
    pdf_ok = hashlib.sha256(bytes(disclosure.pdf_content)).hexdigest() == disclosure.pdf_sha256
    claim = claimed.strip().lower()
    claim_ok = not claim or disclosure.csv_sha256 == claim or disclosure.check_code.lower() == claim
    return csv_ok and pdf_ok and claim_ok
