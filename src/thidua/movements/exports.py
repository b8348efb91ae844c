"""Excel exports of the movement dashboard: every table on the page, one sheet each."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from thidua.core.excel import add_table, new_workbook, workbook_response, write_cell

__all__ = ["dashboard_workbook", "workbook_response"]


def dashboard_workbook(context: dict) -> Workbook:
    movement, coverage, results = context["movement"], context["coverage"], context["results"]
    workbook = new_workbook()
    period = context["period"].label if context["period"] else _("Whole movement")
    add_table(
        workbook,
        _("Coverage"),
        [
            _("Unit"),
            _("Expected"),
            _("Registered"),
            _("Reported"),
            _("Late"),
            _("Without a congress work"),
        ],
        [
            [
                row.unit.name,
                row.expected,
                row.registered,
                row.reported,
                row.late,
                row.without_congress_work,
            ]
            for row in coverage.rows
        ]
        + [
            [
                _("Total"),
                coverage.total.expected,
                coverage.total.registered,
                coverage.total.reported,
                coverage.total.late,
                coverage.total.without_congress_work,
            ]
        ],
    )
    add_table(
        workbook,
        _("Results"),
        [
            _("Indicator"),
            _("Unit of measure"),
            _("Result"),
            _("Pledged target"),
            _("Share of target (per cent)"),
        ],
        [
            [r.indicator.name, r.indicator.unit_of_measure, r.value, r.target, r.percent_of_target]
            for r in results
        ],
    )
    for number, result in enumerate(results, start=1):
        add_table(
            workbook,
            f"{number}. {result.indicator.name}"[:31],
            [_("Unit"), str(result.indicator)],
            [[unit.name, value] for unit, value in result.by_child],
        )
    add_table(
        workbook,
        _("Not reported"),
        [_("Code"), _("Unit")],
        [[unit.code, unit.name] for unit in coverage.missing],
    )
    info = workbook.create_sheet(_("About"), 0)
    for row, (label, value) in enumerate(
        [
            (_("Movement"), movement.title),
            (_("Unit"), context["root"].name),
            (_("Period"), period),
            (
                _("Counted under"),
                _("the tree of then") if context["tree_choice"] == "then" else _("today's tree"),
            ),
        ],
        start=1,
    ):
        write_cell(info.cell(row=row, column=1), label)
        write_cell(info.cell(row=row, column=2), value)
    return workbook
