"""Reads for movements: what a user may see, coverage and results over the tree, what is due.

Every function here costs a bounded number of queries whatever the number of units.

The reads live in topic modules (`movements`, `coverage`, `results`, `due`); the names below are
re-exported so callers keep importing `thidua.movements.selectors`.
"""

from thidua.movements.selectors.coverage import (
    Coverage,
    CoverageRow,
    coverage,
    reference_day,
)
from thidua.movements.selectors.due import (
    DueItem,
    due_from,
    pending_decisions,
)
from thidua.movements.selectors.movements import (
    DASHBOARD_KINDS,
    dashboard_root,
    evidence_file_for_user,
    get_movement_for_user,
    get_registration_for_user,
    get_report_for_user,
    get_work_for_user,
    own_dashboard_root,
    participants,
    public_movements,
    registration_counts,
    report_attachment_file_for_user,
    running_movements,
    visible_movements,
)
from thidua.movements.selectors.results import (
    IndicatorResult,
    pledged_targets,
    results,
)
from thidua.movements.selectors.statistics import (
    movements_by_ids,
    movements_for_statistics,
)

__all__ = [
    "movements_by_ids",
    "movements_for_statistics",
    "Coverage",
    "CoverageRow",
    "DASHBOARD_KINDS",
    "DueItem",
    "IndicatorResult",
    "coverage",
    "dashboard_root",
    "due_from",
    "evidence_file_for_user",
    "get_movement_for_user",
    "get_registration_for_user",
    "get_report_for_user",
    "get_work_for_user",
    "own_dashboard_root",
    "participants",
    "pending_decisions",
    "pledged_targets",
    "public_movements",
    "reference_day",
    "registration_counts",
    "report_attachment_file_for_user",
    "results",
    "running_movements",
    "visible_movements",
]
