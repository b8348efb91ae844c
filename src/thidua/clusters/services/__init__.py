"""Every write of the clusters app (see each module's rules)."""

from thidua.clusters.services.ranking import nominate_flags, publish_review
from thidua.clusters.services.setup import (
    add_members,
    add_pledge_target,
    configure_chain,
    create_cluster,
    end_membership,
    open_term,
    proposed_head,
    record_election,
    record_pledge,
)
from thidua.clusters.services.sheets import (
    add_evidence,
    assign_peers,
    can_act,
    deadline_passed,
    forward_sheet,
    missing_for_submission,
    open_review,
    record_score,
    return_sheet,
    submit_sheet,
)
from thidua.clusters.services.tables import add_criterion, add_group, create_table, edit_criterion

__all__ = [
    "add_criterion",
    "add_evidence",
    "add_group",
    "add_members",
    "add_pledge_target",
    "assign_peers",
    "can_act",
    "configure_chain",
    "create_cluster",
    "create_table",
    "deadline_passed",
    "edit_criterion",
    "end_membership",
    "forward_sheet",
    "missing_for_submission",
    "nominate_flags",
    "open_review",
    "open_term",
    "proposed_head",
    "publish_review",
    "record_election",
    "record_pledge",
    "record_score",
    "return_sheet",
    "submit_sheet",
]
