"""Offline units: an Excel template of the reports a subtree owes, filled offline and uploaded back.

Rules enforced here:
- the template lists, for each period of the movement, every unit of the chosen subtree that
  takes part and is in force on the period's last day (`selectors.participants`), minus those
  that have already submitted; a draft or returned report comes pre-filled;
- every cell we write goes through `core.excel.write_cell`, so no text of ours is run as a formula;
- an upload is all-or-nothing: every row is checked first (unit in scope, below the chosen unit
  and in force on the period's end, period of this movement, numbers ≥ 0, a positive base for
  ratios, no duplicate unit and period, no report already submitted or accepted, no cell that
  could run as a formula, a real and not oversized .xlsx), every bad row and column is named,
  and one error means nothing is written;
- otherwise every filled row becomes a submitted report (a draft or returned one is replaced),
  in one transaction, with one audit event for the whole import.

A grant on `unit` covers its whole subtree (`core.policy`), so the one permission check on `unit`
covers every row: rows outside the subtree are refused anyway.

The package: `template` (the workbook handed out), `reading` (the upload, streamed),
`checking` (every row, before anything is written), `limits` (module attributes, so tests can
lower them); the writes are in `thidua.movements.services.offline`.
"""

from thidua.movements.offline.checking import ImportResult
from thidua.movements.offline.reading import ImportFailed, check_workbook_file
from thidua.movements.offline.template import (
    Column,
    TemplateRow,
    build_template,
    template_columns,
    template_rows,
    write_template,
)

__all__ = [
    "Column",
    "ImportFailed",
    "ImportResult",
    "TemplateRow",
    "build_template",
    "check_workbook_file",
    "template_columns",
    "template_rows",
    "write_template",
]
