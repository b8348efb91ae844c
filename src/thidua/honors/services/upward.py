"""Writes for proposals upward ("khen cao"): the Front proposes to a body outside it an award it
cannot confer itself, sends the dossier, follows it and records the body's decision.

Rules enforced here:
- a proposal is made by a unit whose kind may propose the award, to a body that confers the award
  on the proposal's date (the body's dated rule); it lists nominations of rounds the unit
  organises that the council approved (all-member rule) for that award, none of them already
  in another live proposal; its number is used once per unit;
- the dossier's checklist (the body's rule: the dossier's own documents and each nominee's) is
  complete before the proposal is sent; sending is the leader's;
- sent → acknowledged → returned for completion (with a reason: the dossier reopens at the
  Front, its history kept) → sent again; → decided or not approved;
- an outside decision is dated on or after the proposal (and its sending), by a body that confers
  the award on that date, and honours only nominees of the proposal; each honoured nominee
  becomes one row of the honours registry with the outside decision as its authority and no
  certificate of ours;
- every refusal writes nothing and says why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.actors import person_or_none
from thidua.core.formatting import format_date
from thidua.core.notifications import notify
from thidua.core.policy import require
from thidua.core.text import clean_name
from thidua.core.uploads import accept, delete_on_commit, files_removed_on_failure
from thidua.honors import upward_package
from thidua.honors.models import (
    AwardType,
    DocumentKind,
    Honour,
    Nomination,
    OutsideBody,
    OutsideDecision,
    UpwardChannel,
    UpwardDocument,
    UpwardEntry,
    UpwardEvent,
    UpwardProposal,
)
from thidua.honors.rules import Action, recipient_key
from thidua.honors.services.decisions import _honour_kind
from thidua.honors.services.nominations import _event
from thidua.honors.upward_rules import missing_documents, outside_rule_in_force
from thidua.org.models import Unit

P = UpwardProposal.Status
E = UpwardEvent.Action

# Which status a proposal may leave by which action.
TRANSITIONS: dict[str, set[str]] = {
    "complete": {P.DRAFT, P.RETURNED},
    "send": {P.DRAFT, P.RETURNED},
    "acknowledge": {P.SENT},
    "return": {P.SENT, P.ACKNOWLEDGED},
    "decide": {P.SENT, P.ACKNOWLEDGED},
    "refuse": {P.SENT, P.ACKNOWLEDGED},
}


def _check(proposal: UpwardProposal, action: str) -> None:
    if proposal.status not in TRANSITIONS[action]:
        raise ValidationError(
            _("This cannot be done to a proposal that is %(status)s.")
            % {"status": proposal.get_status_display().lower()}
        )


def _record(proposal: UpwardProposal, action: str, actor: Any, **fields: Any) -> UpwardEvent:
    return UpwardEvent.objects.create(
        proposal=proposal, action=action, actor=person_or_none(actor), **fields
    )


def _live_elsewhere(nominations: list[Nomination]) -> UpwardEntry | None:
    return (
        UpwardEntry.objects.filter(nomination__in=nominations)
        .exclude(proposal__status=P.NOT_APPROVED)
        .select_related("proposal", "nomination")
        .first()
    )


def create_upward_proposal(
    actor: Any,
    *,
    unit: Unit,
    body: OutsideBody,
    award_type: AwardType,
    number: str,
    dated: dt.date,
    signer: str,
    nominations: list[Nomination],
    summary: str = "",
) -> UpwardProposal:
    """Turn nominations the council approved into a proposal to `body` for `award_type`."""
    require(actor, "honors.propose_upward", unit)
    number = clean_name(number)
    proposal = UpwardProposal(
        unit=unit,
        body=body,
        award_type=award_type,
        number=number,
        dated=dated,
        signer=clean_name(signer),
        summary=(summary or "").strip(),
        created_by=person_or_none(actor),
    )
    rule = outside_rule_in_force(body, award_type, dated)
    if rule is None:
        raise ValidationError(
            {
                "body": _("%(body)s does not confer %(award)s on %(date)s.")
                % {"body": body.name, "award": award_type.name, "date": format_date(dated)}
            }
        )
    proposal.rule = rule
    proposal.full_clean(validate_constraints=False)
    if not rule.proposing_kinds.filter(pk=unit.kind_id).exists():
        raise ValidationError(
            _("%(unit)s may not propose %(award)s to %(body)s.")
            % {"unit": unit.name, "award": award_type.name, "body": body.name}
        )
    if UpwardProposal.objects.filter(unit=unit, number=number).exists():
        raise ValidationError(
            {"number": _("Proposal number %(number)s is already used.") % {"number": number}}
        )
    if not nominations:
        raise ValidationError(_("Choose at least one nomination approved by the council."))
    for nomination in nominations:
        if (
            nomination.status != Nomination.Status.APPROVED
            or nomination.award_type_id != award_type.pk
            or nomination.round.owner_unit_id != unit.pk
        ):
            raise ValidationError(
                _("%(nominee)s has not been approved by the council of %(unit)s for %(award)s.")
                % {"nominee": nomination.nominee_name, "unit": unit.name, "award": award_type.name}
            )
    taken = _live_elsewhere(nominations)
    if taken is not None:
        raise ValidationError(
            _("%(nominee)s is already in the proposal %(number)s.")
            % {"nominee": taken.nomination.nominee_name, "number": taken.proposal.number}
        )
    try:
        with transaction.atomic():
            proposal.save()
            for order, nomination in enumerate(nominations, start=1):
                UpwardEntry.objects.create(proposal=proposal, nomination=nomination, order=order)
            _record(proposal, E.CREATED, actor, on=dated)
            audit.record(
                actor,
                "honors.create_upward_proposal",
                proposal,
                {
                    "number": number,
                    "body": body.code,
                    "award": award_type.code,
                    "nominations": [n.pk for n in nominations],
                },
                unit=unit,
            )
    except IntegrityError as error:  # a concurrent proposal took the number
        raise ValidationError(
            {"number": _("Proposal number %(number)s is already used.") % {"number": number}}
        ) from error
    return proposal


def add_upward_document(
    actor: Any,
    *,
    proposal: UpwardProposal,
    kind: str,
    file: Any,
    entry: UpwardEntry | None = None,
) -> UpwardDocument:
    """Add a document to the dossier (of one nominee with `entry`), while it is at the Front."""
    require(actor, "honors.propose_upward", proposal.unit)
    _check(proposal, "complete")
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Unknown kind of document.")})
    if entry is not None and entry.proposal_id != proposal.pk:
        raise ValidationError(_("This nominee is not in the proposal."))
    if file is None:
        raise ValidationError({"file": _("Choose a file.")})
    upload = accept(file, field="file")
    content = upload.file.read()
    upload.file.seek(0)
    with files_removed_on_failure(), transaction.atomic():
        document = UpwardDocument.objects.create(
            proposal=proposal,
            entry=entry,
            kind=kind,
            file=upload.file,
            name=upload.name,
            content_type=upload.mime,
            size=upload.size,
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=person_or_none(actor),
        )
        audit.record(
            actor,
            "honors.add_upward_document",
            proposal,
            {"kind": kind, "entry": entry.pk if entry else None, "sha256": document.sha256},
            unit=proposal.unit,
        )
    return document


def prepare_upward_package(actor: Any, *, proposal: UpwardProposal) -> UpwardProposal:
    """Store the package (ZIP) of the proposal, unless the stored one still matches its content
    (the fingerprint): a second download of an unchanged dossier builds nothing."""
    require(actor, "honors.propose_upward", proposal.unit)
    stamp = upward_package.fingerprint(proposal)
    if proposal.package and proposal.package_fingerprint == stamp:
        return proposal
    data = upward_package.build(proposal, stamp)
    old = proposal.package if proposal.package else None
    with files_removed_on_failure(), transaction.atomic():
        proposal.package.save(upward_package.download_name(proposal), ContentFile(data), save=False)
        proposal.package_fingerprint = stamp
        proposal.save(update_fields=["package", "package_fingerprint"])
        audit.record(
            actor,
            "honors.prepare_upward_package",
            proposal,
            {"fingerprint": stamp, "size": len(data)},
            unit=proposal.unit,
        )
        if old is not None:
            delete_on_commit(old)
    return proposal


def _clean_channel(channel: str) -> str:
    if channel not in UpwardChannel.values:
        raise ValidationError({"channel": _("Choose how the dossier was sent.")})
    return channel


def send_upward_proposal(
    actor: Any,
    *,
    proposal: UpwardProposal,
    sent_on: dt.date,
    channel: str,
    reference: str = "",
) -> UpwardProposal:
    """Mark the dossier sent (again, after a return for completion): only complete."""
    require(actor, "honors.send_upward", proposal.unit)
    _check(proposal, "send")
    channel = _clean_channel(channel)
    if sent_on < proposal.dated:
        raise ValidationError(
            {"sent_on": _("The dossier cannot be sent before the date of the proposal.")}
        )
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("This date is in the future.")})
    missing = missing_documents(proposal)
    if missing:
        raise ValidationError(
            _("The dossier is not complete. Missing: %(documents)s.")
            % {"documents": "; ".join(missing)}
        )
    again = proposal.status == P.RETURNED
    with transaction.atomic():
        proposal.status = P.SENT
        proposal.sent_on = sent_on
        proposal.channel = channel
        proposal.reference = clean_name(reference)[:120]
        proposal.sent_by = person_or_none(actor)
        proposal.acknowledged_on = None
        proposal.follow_up_due = sent_on + dt.timedelta(days=proposal.rule.follow_up_days)
        proposal.save()
        _record(
            proposal,
            E.RESENT if again else E.SENT,
            actor,
            on=sent_on,
            channel=channel,
            reference=proposal.reference,
        )
        audit.record(
            actor,
            "honors.send_upward_proposal",
            proposal,
            {
                "sent_on": sent_on,
                "channel": channel,
                "reference": proposal.reference,
                "again": again,
            },
            unit=proposal.unit,
        )
    return proposal


def _not_before_sending(proposal: UpwardProposal, on: dt.date, field: str) -> None:
    if proposal.sent_on and on < proposal.sent_on:
        raise ValidationError({field: _("This date is before the dossier was sent.")})
    if on > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def acknowledge_upward_proposal(
    actor: Any, *, proposal: UpwardProposal, on: dt.date, reference: str = ""
) -> UpwardProposal:
    """The body confirmed it received the dossier."""
    require(actor, "honors.propose_upward", proposal.unit)
    _check(proposal, "acknowledge")
    _not_before_sending(proposal, on, "on")
    with transaction.atomic():
        proposal.status = P.ACKNOWLEDGED
        proposal.acknowledged_on = on
        proposal.follow_up_due = on + dt.timedelta(days=proposal.rule.follow_up_days)
        proposal.save(update_fields=["status", "acknowledged_on", "follow_up_due"])
        _record(proposal, E.ACKNOWLEDGED, actor, on=on, reference=clean_name(reference)[:120])
        audit.record(
            actor, "honors.acknowledge_upward_proposal", proposal, {"on": on}, unit=proposal.unit
        )
    return proposal


def return_upward_proposal(
    actor: Any, *, proposal: UpwardProposal, on: dt.date, reason: str
) -> UpwardProposal:
    """The body returned the dossier for completion: it reopens at the Front (documents may be
    added), the reason and the earlier sending stay in its history."""
    require(actor, "honors.propose_upward", proposal.unit)
    _check(proposal, "return")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason the body returned the dossier.")})
    _not_before_sending(proposal, on, "on")
    sender = proposal.sent_by
    with transaction.atomic():
        proposal.status = P.RETURNED
        proposal.follow_up_due = None
        proposal.save(update_fields=["status", "follow_up_due"])
        _record(proposal, E.RETURNED, actor, on=on, reason=reason)
        audit.record(
            actor,
            "honors.return_upward_proposal",
            proposal,
            {"on": on, "reason": reason},
            unit=proposal.unit,
        )
        if sender is not None and sender.pk != getattr(actor, "pk", None):
            notify(
                sender,
                template="honors/email/upward_returned",
                context={
                    "number": proposal.number,
                    "body": proposal.body.name_vi,
                    "reason": reason,
                },
                link=reverse("honors:upward_detail", args=[proposal.pk]),
            )
    return proposal


def record_outside_decision(
    actor: Any,
    *,
    proposal: UpwardProposal,
    number: str,
    signed_on: dt.date,
    signer: str,
    honoured: list[Nomination],
    file: Any,
) -> OutsideDecision:
    """Record the body's decision and enter each honoured nominee in the registry."""
    require(actor, "honors.send_upward", proposal.unit)
    _check(proposal, "decide")
    number = clean_name(number)
    decision = OutsideDecision(
        proposal=proposal,
        body=proposal.body,
        number=number,
        signed_on=signed_on,
        signer=clean_name(signer),
        created_by=person_or_none(actor),
    )
    decision.full_clean(exclude=["file", "file_name", "proposal"], validate_constraints=False)
    errors: dict[str, list[str]] = {}
    if signed_on < proposal.dated:
        errors.setdefault("signed_on", []).append(
            _("The decision cannot be dated before the proposal (%(date)s).")
            % {"date": format_date(proposal.dated)}
        )
    elif signed_on > timezone.localdate():
        errors.setdefault("signed_on", []).append(_("This date is in the future."))
    elif outside_rule_in_force(proposal.body, proposal.award_type, signed_on) is None:
        errors.setdefault("signed_on", []).append(
            _("%(body)s does not confer %(award)s on %(date)s.")
            % {
                "body": proposal.body.name,
                "award": proposal.award_type.name,
                "date": format_date(signed_on),
            }
        )
    if OutsideDecision.objects.filter(body=proposal.body, number=number).exists():
        errors.setdefault("number", []).append(
            _("Decision number %(number)s of this body is already recorded.") % {"number": number}
        )
    entries = {e.nomination_id: e for e in proposal.entries.select_related("nomination")}
    strangers = [n.nominee_name for n in honoured if n.pk not in entries]
    if strangers:
        errors.setdefault("honoured", []).append(
            _("%(names)s was not in this proposal.") % {"names": ", ".join(strangers)}
        )
    elif not honoured:
        errors.setdefault("honoured", []).append(
            _("Choose who the decision honours (if nobody, record that it was not approved).")
        )
    if file is None:
        errors.setdefault("file", []).append(_("Upload the decision's file."))
    if errors:
        raise ValidationError(errors)
    upload = accept(file, field="file")
    chosen = {n.pk for n in honoured}
    try:
        with files_removed_on_failure(), transaction.atomic():
            decision.file = upload.file
            decision.file_name = upload.name
            decision.save()
            for nomination_id, entry in entries.items():
                entry.honoured = nomination_id in chosen
                entry.save(update_fields=["honoured"])
                if not entry.honoured:
                    continue
                nomination = entry.nomination
                Honour.objects.create(
                    recipient_kind=nomination.nominee_kind,
                    recipient_name=nomination.nominee_name,
                    search_name=nomination.search_name,
                    recipient_key=recipient_key(
                        nomination.nominee_name, nomination.birth_year, nomination.unit_id
                    ),
                    birth_year=nomination.birth_year,
                    unit=nomination.unit,
                    unit_path=nomination.unit.path,
                    award_type=proposal.award_type,
                    kind=_honour_kind(proposal.award_type, nomination.round),
                    nomination=nomination,
                    outside_decision=decision,
                    conferred_on=signed_on,
                    gender=nomination.gender,
                    is_direct_worker=nomination.is_direct_worker,
                    is_ethnic_minority=nomination.is_ethnic_minority,
                    age_band=nomination.age_band,
                )
                nomination.status = Nomination.Status.CONFERRED
                nomination.save(update_fields=["status"])
                _event(nomination, Action.CONFERRED, actor, proposal.unit, number)
            proposal.status = P.DECIDED
            proposal.follow_up_due = None
            proposal.save(update_fields=["status", "follow_up_due"])
            _record(proposal, E.DECIDED, actor, on=signed_on, reference=number)
            audit.record(
                actor,
                "honors.record_outside_decision",
                proposal,
                {
                    "number": number,
                    "signed_on": signed_on,
                    "body": proposal.body.code,
                    "honoured": sorted(chosen),
                },
                unit=proposal.unit,
            )
    except IntegrityError as error:  # a concurrent record took the number
        raise ValidationError(
            {
                "number": _("Decision number %(number)s of this body is already recorded.")
                % {"number": number}
            }
        ) from error
    return decision


def record_upward_refusal(
    actor: Any, *, proposal: UpwardProposal, on: dt.date, reason: str = ""
) -> UpwardProposal:
    """The body did not approve the proposal: nobody is honoured; the nominations stay approved
    by the Front's council (they may be proposed again)."""
    require(actor, "honors.send_upward", proposal.unit)
    _check(proposal, "refuse")
    _not_before_sending(proposal, on, "on")
    with transaction.atomic():
        proposal.status = P.NOT_APPROVED
        proposal.follow_up_due = None
        proposal.save(update_fields=["status", "follow_up_due"])
        proposal.entries.update(honoured=False)
        _record(proposal, E.NOT_APPROVED, actor, on=on, reason=(reason or "").strip())
        audit.record(
            actor,
            "honors.record_upward_refusal",
            proposal,
            {"on": on, "reason": reason},
            unit=proposal.unit,
        )
    return proposal


def send_follow_up_reminders(actor: Any, *, on: dt.date | None = None) -> int:
    """Tell the sender of each dossier past its follow-up date, once per date (idempotent)."""
    day = on or timezone.localdate()
    sent = 0
    overdue = (
        UpwardProposal.objects.filter(
            status__in=UpwardProposal.WAITING, follow_up_due__lt=day, sent_by__isnull=False
        )
        .exclude(reminded_for=F("follow_up_due"))
        .select_related("body", "sent_by")
    )
    for proposal in overdue:
        with transaction.atomic():
            notify(
                proposal.sent_by,
                template="honors/email/upward_follow_up",
                context={
                    "number": proposal.number,
                    "body": proposal.body.name_vi,
                    "due": format_date(proposal.follow_up_due),
                },
                link=reverse("honors:upward_detail", args=[proposal.pk]),
            )
            UpwardProposal.objects.filter(pk=proposal.pk).update(
                reminded_for=proposal.follow_up_due
            )
        sent += 1
    return sent
