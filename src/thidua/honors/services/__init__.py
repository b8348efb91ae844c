"""Writes for commendation: rounds, nominations up the tree, council votes, decisions,
certificates and their revocation.

Rules enforced here:
- an award is conferred only by a unit of a kind its type allows (a ward cannot confer an award
  reserved to the province); a round offers only such awards;
- a nomination is judged by the award rule in force on its date: not the same award within the
  rule's window, prerequisites held (ad hoc and thematic honours are never a basis for a merit
  award), nobody under discipline or investigation, the quota of the round, the dossier's
  required documents; every refusal states its reasons and writes nothing;
- a dossier starts at the proposing unit; the leader of the level where it sits endorses it and
  forwards it to the unit above, returns it with a reason (to the proposing unit, history kept)
  or rejects it; when it reaches the conferring unit it goes before the council;
- the council's threshold is a share of ALL its active members; a secret ballot keeps the tally
  and who voted, never who voted how; the secretariat records absent members' written opinions;
- a decision number is used once per conferring unit; the total cash is the sum of coefficient ×
  the base salary in force on the decision's date; each recipient gets a certificate with a
  unique serial and a SHA-256 hash over its canonical content.

The writes live in topic modules (pretalx's shape) and the reads and predicates in
`thidua.honors.rules`; import from them. The names below are re-exported for code not yet
moved over.
"""

from thidua.honors.rules import (
    MERIT_BASIS_KINDS,
    TRANSITIONS,
    Action,
    Eligibility,
    S,
    _check_transition,
    _years_before,
    base_salary_on,
    certificate_hash,
    certificate_payload,
    check_eligibility,
    council_seat,
    is_secretariat,
    level_due_date,
    level_working_days,
    may_confer,
    nomination_eligibility,
    offers_short_path,
    recipient_key,
    rule_in_force,
    short_path_rule,
)
from thidua.honors.services.bulk import BulkRecipient, issue_bulk_decision
from thidua.honors.services.certificates import (
    _issue_certificate,
    _serial,
    certificate_sheet_pdf,
    revoke_certificate,
    revoke_honour,
    start_certificate_batch,
)
from thidua.honors.services.decisions import (
    _honour_kind,
    issue_decision,
    record_honour,
    set_statistics_fields,
)
from thidua.honors.services.nominations import (
    _duplicate_error,
    _event,
    _live_duplicate,
    _notify_level,
    _refuse_second_live_nomination,
    _require_level_leader,
    _source_of,
    endorse_nomination,
    nominate,
    reject_nomination,
    return_nomination,
    submit_nomination,
)
from thidua.honors.services.rounds import (
    _clean_level_deadlines,
    _reserved_error,
    create_round,
)
from thidua.honors.services.votes import (
    _open_vote,
    cast_vote,
    close_vote,
)

__all__ = [
    "S",
    "Action",
    "TRANSITIONS",
    "MERIT_BASIS_KINDS",
    "_check_transition",
    "rule_in_force",
    "base_salary_on",
    "may_confer",
    "recipient_key",
    "Eligibility",
    "check_eligibility",
    "_years_before",
    "nomination_eligibility",
    "level_working_days",
    "short_path_rule",
    "offers_short_path",
    "level_due_date",
    "council_seat",
    "is_secretariat",
    "certificate_payload",
    "certificate_hash",
    "_clean_level_deadlines",
    "_reserved_error",
    "create_round",
    "_event",
    "_live_duplicate",
    "_duplicate_error",
    "_refuse_second_live_nomination",
    "nominate",
    "_source_of",
    "submit_nomination",
    "_notify_level",
    "_require_level_leader",
    "endorse_nomination",
    "return_nomination",
    "reject_nomination",
    "_open_vote",
    "cast_vote",
    "close_vote",
    "issue_decision",
    "_honour_kind",
    "record_honour",
    "set_statistics_fields",
    "_serial",
    "_issue_certificate",
    "revoke_certificate",
    "revoke_honour",
    "start_certificate_batch",
    "certificate_sheet_pdf",
    "BulkRecipient",
    "issue_bulk_decision",
]
