"""The review's documents: the score summary (XLSX, members × groups, self / peer / final), the
review meeting's minutes, the flag proposal letter, a member's achievement report and the pledge
with its annex (PDF through core.pdf)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from thidua.clusters.models import Pledge, Review
from thidua.clusters.selectors import (
    group_totals,
    leaves,
    pledge_of,
    review_sheets,
    sheet_scores,
    term_of,
)
from thidua.core.excel import add_table, new_workbook
from thidua.core.pdf import render_pdf
from thidua.core.votes import required_yes

FLAG_SHARE = Decimal("0.8")


def summary_rows(review: Review) -> tuple[list[str], list[list[Any]]]:
    """Header and rows: one member a row; per group self, peer and final; then the totals."""
    sheets = review_sheets(review)
    scores = sheet_scores(sheets)
    groups = list(review.table.groups.order_by("order", "pk"))
    header = [_("No."), pgettext("emulation cluster", "Member")]
    for group in groups:
        header += [
            _("%(group)s self") % {"group": group.code},
            _("%(group)s peer") % {"group": group.code},
            _("%(group)s final") % {"group": group.code},
        ]
    header += [_("Self total"), _("Peer total"), _("Final total")]
    rows = []
    for n, sheet in enumerate(sheets, start=1):
        s = scores[sheet.pk]
        table_leaves = leaves(sheet.table)
        own, peer, final = (
            group_totals(table_leaves, s.self_scores),
            group_totals(table_leaves, s.peer),
            group_totals(table_leaves, s.final),
        )
        row: list[Any] = [n, sheet.unit.display_name]
        for group in groups:
            row += [
                own.get(group.code),
                peer.get(group.code) if s.peer else None,
                final.get(group.code),
            ]
        row += [s.self_total, s.peer_total, s.final_total]
        rows.append(row)
    return header, rows


def summary_xlsx(review: Review) -> Workbook:
    workbook = new_workbook()
    header, rows = summary_rows(review)
    add_table(workbook, _("Score summary"), header, rows)
    return workbook


def _context(review: Review) -> dict[str, Any]:
    ranking = list(review.ranking.select_related("unit").order_by("position", "pk"))
    members = review.sheets.count()
    return {
        "review": review,
        "cluster": review.cluster,
        "owner": review.cluster.owner_unit,
        "term": term_of(review.cluster, review.year),
        "ranking": ranking,
        "flags": [r for r in ranking if r.flag_proposed],
        "members": members,
        "needed": required_yes(FLAG_SHARE, False, members),
        "today": timezone.localdate(),
    }


def minutes_pdf(review: Review) -> bytes:
    return render_pdf(render_to_string("clusters/pdf/minutes.html", _context(review)))


def flag_letter_pdf(review: Review) -> bytes:
    return render_pdf(render_to_string("clusters/pdf/flag_letter.html", _context(review)))


def achievement_pdf(review: Review, row: Any) -> bytes:
    return render_pdf(
        render_to_string("clusters/pdf/achievement.html", {**_context(review), "row": row})
    )


def pledge_pdf(pledge: Pledge) -> bytes:
    pledge = pledge_of(pledge.cluster, pledge.year) or pledge
    return render_pdf(
        render_to_string(
            "clusters/pdf/pledge.html",
            {
                "pledge": pledge,
                "cluster": pledge.cluster,
                "owner": pledge.cluster.owner_unit,
                "targets": list(pledge.targets.select_related("unit").order_by("unit__name", "pk")),
            },
        )
    )
