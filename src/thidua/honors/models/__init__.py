"""Commendation: award catalogue and rules, rounds, nominations, decisions, certificates and
the honours registry.

Rules change by decree, so every rule set (`AwardRule`) and the base salary carry effective dates
and a nomination is judged by the versions in force on its date.

One module per topic; every model is importable from `thidua.honors.models` as before.
"""

from thidua.honors.models.catalogue import (
    AgeBand,
    AwardKind,
    AwardRule,
    AwardType,
    BaseSalary,
    DocumentKind,
    Gender,
    RecipientKind,
)
from thidua.honors.models.decisions import (
    CHECK_CODE_LENGTH,
    Certificate,
    CertificateBatch,
    Decision,
    Honour,
    check_code,
)
from thidua.honors.models.nominations import (
    Ballot,
    Nomination,
    NominationDocument,
    NominationEvent,
    NoticeComment,
    PublicNotice,
    Vote,
)
from thidua.honors.models.rounds import (
    Round,
)
from thidua.honors.models.upward import (
    OutsideAwardRule,
    OutsideBody,
    OutsideDecision,
    UpwardChannel,
    UpwardDocument,
    UpwardEntry,
    UpwardEvent,
    UpwardProposal,
)

__all__ = [
    "AwardKind",
    "RecipientKind",
    "DocumentKind",
    "Gender",
    "AgeBand",
    "AwardType",
    "AwardRule",
    "BaseSalary",
    "Round",
    "Nomination",
    "NominationDocument",
    "NominationEvent",
    "Vote",
    "Ballot",
    "PublicNotice",
    "NoticeComment",
    "Decision",
    "Honour",
    "Certificate",
    "CHECK_CODE_LENGTH",
    "check_code",
    "CertificateBatch",
    "OutsideBody",
    "OutsideAwardRule",
    "UpwardChannel",
    "UpwardProposal",
    "UpwardEntry",
    "UpwardDocument",
    "UpwardEvent",
    "OutsideDecision",
]
