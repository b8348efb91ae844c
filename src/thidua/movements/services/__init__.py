"""Writes for movements: launch, register, pledge works, report, and the parent's decisions.

Rules enforced here:
- a movement is launched for the launching unit's subtree (optionally only some unit kinds);
  a local drive under a higher movement is launched by a unit inside that movement's scope;
- a unit registers and reports only while the movement is launched, for itself, through an
  officer whose role covers it, and only if it is in scope (and in force on the period's last day);
- one registration per unit and one report per unit and period; a submitted or accepted report
  cannot be overwritten, a returned one can be corrected and submitted again (history is kept);
- registrations and reports are accepted or returned (with a reason) by a leader of the parent
  unit or above, never by the unit's own leader;
- an accepted report is final; its values are added to the roll-up table (`totals`) in the
  transaction that accepts it.

The writes live in topic modules (`movements`, `registrations`, `reports`, `offline`,
`reminders`, `totals`); the names below are re-exported so callers keep importing
`thidua.movements.services`.
"""

from thidua.movements.services.movements import (
    Status,
    close_movement,
    create_movement,
    generate_periods,
    in_scope,
    launch_movement,
    require_approver,
)
from thidua.movements.services.registrations import (
    accept_registration,
    add_evidence,
    add_work,
    register,
    return_registration,
    set_work_status,
)
from thidua.movements.services.reports import (
    accept_report,
    clean_values,
    return_report,
    save_report,
)

__all__ = [
    "Status",
    "accept_registration",
    "accept_report",
    "add_evidence",
    "add_work",
    "clean_values",
    "close_movement",
    "create_movement",
    "generate_periods",
    "in_scope",
    "launch_movement",
    "register",
    "require_approver",
    "return_registration",
    "return_report",
    "save_report",
    "set_work_status",
]
