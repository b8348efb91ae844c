"""Rules of proposals upward that write nothing: which outside body confers which award on a
date, who in the Front may propose it, and the dossier's checklist."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from thidua.core.formatting import format_date
from thidua.honors.models import (
    AwardType,
    DocumentKind,
    NominationDocument,
    OutsideAwardRule,
    OutsideBody,
    UpwardProposal,
)
from thidua.org.models import Unit


def _in_force(rules: QuerySet[OutsideAwardRule], on: dt.date) -> QuerySet[OutsideAwardRule]:
    return (
        rules.filter(valid_from__lte=on, body__valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .filter(Q(body__valid_to__isnull=True) | Q(body__valid_to__gte=on))
    )


def outside_rule_in_force(
    body: OutsideBody, award_type: AwardType, on: dt.date
) -> OutsideAwardRule | None:
    """The rule under which `body` confers `award_type` on `on`; None when it does not."""
    rules = OutsideAwardRule.objects.filter(body=body, award_type=award_type)
    return _in_force(rules, on).order_by("-valid_from").first()


def is_outside_award(award_type: AwardType) -> bool:
    return OutsideAwardRule.objects.filter(award_type=award_type).exists()


def may_propose_upward(
    award_type: AwardType, unit: Unit, on: dt.date, until: dt.date | None = None
) -> bool:
    """Whether `unit` may propose `award_type` to a body outside the Front on `on` (or on any day
    up to `until`): a body confers it then, and the unit's kind is one that may propose it."""
    rules = OutsideAwardRule.objects.filter(award_type=award_type, proposing_kinds=unit.kind_id)
    if until is None:
        return _in_force(rules, on).exists()
    overlapping = rules.filter(valid_from__lte=until).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    return overlapping.exists()


def not_conferred_error(body: OutsideBody, award_type: AwardType, on: dt.date) -> str:
    return _("%(body)s does not confer %(award)s on %(date)s.") % {
        "body": body.name,
        "award": award_type.name,
        "date": format_date(on),
    }


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done: bool
    entry_id: int | None = None
    kind: str = ""


def checklist(proposal: UpwardProposal) -> list[ChecklistItem]:
    """What the body's rule asks for: the dossier's own documents, then each nominee's (from the
    nomination's dossier or added to the proposal). Three queries."""
    rule = proposal.rule
    entries = list(proposal.entries.select_related("nomination"))
    uploaded = list(proposal.documents.values_list("entry_id", "kind"))
    from_nominations = set(
        NominationDocument.objects.filter(
            nomination_id__in=[e.nomination_id for e in entries]
        ).values_list("nomination_id", "kind")
    )
    items: list[ChecklistItem] = []
    for kind in rule.dossier_documents:
        items.append(
            ChecklistItem(
                label=str(DocumentKind(kind).label), done=(None, kind) in uploaded, kind=kind
            )
        )
    for entry in entries:
        for kind in rule.nominee_documents:
            done = (entry.pk, kind) in uploaded or (entry.nomination_id, kind) in from_nominations
            items.append(
                ChecklistItem(
                    label=_("%(document)s of %(nominee)s")
                    % {
                        "document": DocumentKind(kind).label,
                        "nominee": entry.nomination.nominee_name,
                    },
                    done=done,
                    entry_id=entry.pk,
                    kind=kind,
                )
            )
    return items


def missing_documents(proposal: UpwardProposal) -> list[str]:
    return [item.label for item in checklist(proposal) if not item.done]
