"""Writes for calls for initiatives and their evaluation council.

Rules enforced here:
- a call is drafted and opened by the organising unit's staff; submissions are accepted only
  while it is open, from an applicant kind it admits, from a unit inside its scope;
- a public submission counts only once its email is confirmed; an officer may enter one on behalf
  of an offline citizen; a double-clicked form is saved once (client token);
- screening out needs a reason; the applicant is told by email, in their language, at each step;
- reviewers are council members with no declared conflict and not from the applicant's unit; a
  reviewer writes only their own review; a submitted review is locked and can be amended only with
  a reason, which the audit chain records;
- the council votes in a meeting with a quorum; a submission is recognised when the "yes" votes
  reach the call's share of ALL council members, absent members' written opinions included;
- the chair finalises one numbered decision; every step is audited.

The writes live in topic modules (pretalx's shape); import from them. The names below are
re-exported for code not yet moved over.
"""

from thidua.initiatives.services._common import (
    S,
)
from thidua.initiatives.services.assignment import (
    ASSIGNERS,
    _balanced_flow,
    _notify_reviewer,
    assign,
    auto_assign,
    balanced_assignment,
    conflict_reason,
    declare_conflict,
)
from thidua.initiatives.services.calibration import (
    choose_ranking,
)
from thidua.initiatives.services.calls import (
    DEFAULT_CRITERIA,
    create_call,
    set_call_status,
)
from thidua.initiatives.services.councils import (
    _seat,
    create_council,
    require_secretariat,
)
from thidua.initiatives.services.deliberation import (
    cast_vote,
    finalise_decision,
    quorum,
    record_meeting,
    required_yes,
    tally,
)
from thidua.initiatives.services.reminders import (
    send_review_reminders,
)
from thidua.initiatives.services.reviews import (
    _number,
    refresh_review_figures,
    save_review,
    weighted_score,
)
from thidua.initiatives.services.screening import (
    screen,
)
from thidua.initiatives.services.submission import (
    MAX_ATTACHMENTS,
    _check_call_accepts,
    _event,
    _notify_applicant,
    confirm_email,
    submit_initiative,
    withdraw,
)

__all__ = [
    "choose_ranking",
    "S",
    "create_council",
    "_seat",
    "require_secretariat",
    "DEFAULT_CRITERIA",
    "create_call",
    "set_call_status",
    "MAX_ATTACHMENTS",
    "_notify_applicant",
    "_event",
    "_check_call_accepts",
    "submit_initiative",
    "confirm_email",
    "withdraw",
    "screen",
    "declare_conflict",
    "conflict_reason",
    "assign",
    "_notify_reviewer",
    "balanced_assignment",
    "_balanced_flow",
    "ASSIGNERS",
    "auto_assign",
    "refresh_review_figures",
    "_number",
    "weighted_score",
    "save_review",
    "record_meeting",
    "quorum",
    "required_yes",
    "cast_vote",
    "tally",
    "finalise_decision",
    "send_review_reminders",
]
