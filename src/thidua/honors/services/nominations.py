"""Writes for nominations: proposing, submitting, endorsing up the levels, returning, rejecting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.selectors import deciders
from thidua.core import audit
from thidua.core.actors import person_or_none
from thidua.core.notifications import notify, notify_all
from thidua.core.policy import can, require
from thidua.core.text import clean_name
from thidua.core.uploads import Upload, accept, files_removed_on_failure
from thidua.core.work import unit_label
from thidua.honors.models import (
    AwardType,
    DocumentKind,
    Nomination,
    NominationDocument,
    NominationEvent,
    Round,
)
from thidua.honors.rules import (
    Action,
    S,
    _check_transition,
    check_eligibility,
    level_due_date,
    may_confer,
    nomination_eligibility,
    recipient_key,
    short_path_rule,
)
from thidua.honors.services.rounds import _reserved_error
from thidua.honors.upward_rules import may_propose_upward
from thidua.org.models import Unit
from thidua.org.selectors import normalise_search


def _event(nomination: Nomination, action: str, actor: Any, unit: Unit, reason: str = "") -> None:
    NominationEvent.objects.create(
        nomination=nomination, action=action, unit=unit, actor=person_or_none(actor), reason=reason
    )


def _live_duplicate(nomination: Nomination) -> Nomination | None:
    return (
        Nomination.objects.filter(
            round_id=nomination.round_id,
            award_type_id=nomination.award_type_id,
            nominee_key=nomination.nominee_key,
        )
        .exclude(status__in=Nomination.DEAD)
        .exclude(pk=nomination.pk)
        .select_related("unit", "proposing_unit")
        .first()
    )


def _duplicate_error(existing: Nomination) -> ValidationError:
    return ValidationError(
        _(
            "%(nominee)s is already nominated for %(award)s in this round: the dossier proposed "
            "by %(unit)s on %(date)s (%(status)s). Continue that dossier instead of making a "
            "second one."
        )
        % {
            "nominee": existing.nominee_name,
            "award": existing.award_type.name,
            "unit": existing.proposing_unit.name,
            "date": existing.nominated_on.strftime("%d/%m/%Y"),
            "status": existing.get_status_display(),
        }
    )


def _refuse_second_live_nomination(nomination: Nomination) -> None:
    """One live dossier (neither rejected nor not approved) per nominee, award and round."""
    existing = _live_duplicate(nomination)
    if existing is not None:
        raise _duplicate_error(existing)


def nominate(
    actor: Any,
    *,
    round: Round,
    award_type: AwardType,
    nominee_kind: str,
    nominee_name: str,
    unit: Unit,
    achievements: str,
    documents: list[tuple[str, Any]] | None = None,
    proposing_unit: Unit | None = None,
    birth_year: int | None = None,
    gender: str = "",
    women_share: Decimal | None = None,
    is_direct_worker: bool = False,
    is_ethnic_minority: bool = False,
    age_band: str = "",
    under_discipline: bool = False,
    exemplar: Any = None,
    submission: Any = None,
    practice: Any = None,
    on: dt.date | None = None,
) -> Nomination:
    """Propose a person, household or collective of `unit` for an award of the round; the
    dossier (documents by kind) is checked against the rule in force on the nomination's date.

    A nomination may come from a verified exemplar, a recognised initiative or a replicated
    practice; it keeps the link, so the source shows the nomination."""
    proposing_unit = proposing_unit or unit
    require(actor, "unit.enter_data", proposing_unit)
    on = on or timezone.localdate()
    if not unit.is_within(proposing_unit):
        raise ValidationError({"unit": _("The nominee must belong to the proposing unit.")})
    if not proposing_unit.is_within(round.owner_unit):
        raise ValidationError(
            _("This round is for units under %(unit)s.") % {"unit": round.owner_unit.name}
        )
    if round.status != Round.Status.OPEN or not (round.opens_on <= on <= round.closes_on):
        raise ValidationError(_("This round is not open for nominations."))
    if not round.award_types.filter(pk=award_type.pk).exists():
        raise ValidationError({"award_type": _("This award is not offered in this round.")})
    if not (
        may_confer(award_type, round.owner_unit)
        or may_propose_upward(award_type, round.owner_unit, on)
    ):
        raise _reserved_error(award_type, round.owner_unit)
    if submission is not None and submission.status != "recognised":
        raise ValidationError(_("Only a recognised initiative can be the basis of a nomination."))
    if exemplar is not None and exemplar.status != "verified":
        raise ValidationError(_("Only a verified exemplar can be the basis of a nomination."))
    if practice is not None and practice.stage != "replicated":
        raise ValidationError(_("Only a replicated practice can be the basis of a nomination."))
    documents = [(kind, file) for kind, file in (documents or []) if file]
    uploads: list[tuple[str, Upload]] = []
    for kind, file in documents:
        if kind not in DocumentKind.values:
            raise ValidationError({"documents": _("Unknown kind of document.")})
        uploads.append((kind, accept(file, field=f"doc_{kind}")))
    nomination = Nomination(
        round=round,
        award_type=award_type,
        nominee_kind=nominee_kind,
        nominee_name=clean_name(nominee_name),
        search_name=normalise_search(clean_name(nominee_name)),
        birth_year=birth_year,
        unit=unit,
        proposing_unit=proposing_unit,
        current_unit=proposing_unit,
        gender=gender,
        women_share=women_share,
        is_direct_worker=is_direct_worker,
        is_ethnic_minority=is_ethnic_minority,
        age_band=age_band,
        under_discipline=under_discipline,
        exemplar=exemplar,
        submission=submission,
        practice=practice,
        achievements=achievements.strip(),
        nominated_on=on,
        created_by=person_or_none(actor),
    )
    nomination.nominee_key = recipient_key(nomination.nominee_name, birth_year, unit.pk)[:300]
    nomination.full_clean(exclude=["search_name", "nominee_key"])
    _refuse_second_live_nomination(nomination)
    if women_share is not None and not (0 <= Decimal(women_share) <= 1):
        raise ValidationError({"women_share": _("The share of women is between 0 and 100%.")})
    eligibility = check_eligibility(
        award_type=award_type,
        round=round,
        nominee_kind=nominee_kind,
        nominee_name=nomination.nominee_name,
        birth_year=birth_year,
        unit=unit,
        under_discipline=under_discipline,
        on=on,
        document_kinds={kind for kind, _file in documents},
    )
    if not eligibility.eligible:
        raise ValidationError(eligibility.reasons)
    try:
        with files_removed_on_failure(), transaction.atomic():
            nomination.save()
            for kind, upload in uploads:
                NominationDocument.objects.create(
                    nomination=nomination,
                    kind=kind,
                    file=upload.file,
                    name=upload.name,
                    content_type=upload.mime,
                    size=upload.size,
                )
            _event(nomination, Action.CREATED, actor, proposing_unit)
            audit.record(
                actor,
                "honors.nominate",
                nomination,
                {
                    "award": award_type.code,
                    "round": round.pk,
                    "rule": eligibility.rule.pk,
                    **_source_of(exemplar=exemplar, submission=submission, practice=practice),
                },
                unit=unit,
            )
    except IntegrityError:
        # Another request made the same dossier between the check above and this insert.
        existing = _live_duplicate(nomination)
        if existing is None:
            raise
        raise _duplicate_error(existing) from None
    return nomination


def _source_of(**sources: Any) -> dict[str, int]:
    return {f"{kind}_id": source.pk for kind, source in sources.items() if source is not None}


def submit_nomination(actor: Any, *, nomination: Nomination) -> Nomination:
    """Send the dossier to the proposing unit's leader; eligibility is checked again."""
    require(actor, "unit.enter_data", nomination.proposing_unit)
    _check_transition(nomination, "submit")
    eligibility = nomination_eligibility(nomination)
    if not eligibility.eligible:
        raise ValidationError(eligibility.reasons)
    with transaction.atomic():
        nomination.status = S.SUBMITTED
        nomination.current_unit = nomination.proposing_unit
        nomination.level_due_on = level_due_date(nomination, nomination.current_unit)
        nomination.save(update_fields=["status", "current_unit", "level_due_on"])
        _event(nomination, Action.SUBMITTED, actor, nomination.current_unit)
        audit.record(actor, "honors.submit", nomination, {}, unit=nomination.unit)
        _notify_level(actor, nomination)
    return nomination


def _notify_level(actor: Any, nomination: Nomination) -> None:
    """Tell the people who decide at the level the dossier just reached (forwarded up to the
    nearest level where somebody decides) that it waits for them."""
    level = nomination.current_unit
    target, users = deciders(level)
    link = f"/honors/nominations/{nomination.pk}/"
    notify_all(
        users,
        template="honors/email/arrived",
        context={
            "nominee": nomination.nominee_name,
            "award": nomination.award_type.name_vi,
            "level": unit_label(level),
            "due": nomination.level_due_on.strftime("%d/%m/%Y") if nomination.level_due_on else "",
            "routed_from": unit_label(level) if target is not None and target != level else "",
            "link": link,
            "site_url": settings.SITE_URL,
        },
        link=link,
        actor=actor,
    )


def _require_level_leader(actor: Any, nomination: Nomination) -> None:
    if not can(actor, "unit.approve", nomination.current_unit):
        raise PermissionDenied(_("Only a leader of the level where the dossier sits can do this."))


def endorse_nomination(actor: Any, *, nomination: Nomination, straight: bool = False) -> Nomination:
    """The leader of the current level endorses and forwards the dossier one level up; at the
    conferring unit it goes before the council. With `straight`, an ad hoc award whose rule
    allows the short path goes to the conferring level at once, without the endorsements of the
    levels in between."""
    _require_level_leader(actor, nomination)
    _check_transition(nomination, "endorse")
    if straight and short_path_rule(nomination) is None:
        raise ValidationError(
            _(
                "Only an ad hoc award whose rule allows the short path can go straight to the "
                "conferring level."
            )
        )
    level = nomination.current_unit
    conferring = nomination.round.owner_unit
    reason = _("Short path: straight to the conferring level.") if straight else ""
    with transaction.atomic():
        if straight or level.pk == conferring.pk or level.parent_id == conferring.pk:
            nomination.status = S.AT_COUNCIL
            nomination.current_unit = conferring
        else:
            if level.parent_id is None:
                raise ValidationError(_("There is no level above this one."))
            nomination.current_unit = Unit.objects.select_related("kind").get(pk=level.parent_id)
        nomination.level_due_on = level_due_date(nomination, nomination.current_unit)
        nomination.save(update_fields=["status", "current_unit", "level_due_on"])
        _event(nomination, Action.ENDORSED, actor, level, reason)
        audit.record(
            actor,
            "honors.endorse",
            nomination,
            {"level": level.pk, "to": nomination.current_unit_id, "short_path": straight},
            unit=nomination.unit,
        )
        _notify_level(actor, nomination)
    return nomination


def return_nomination(actor: Any, *, nomination: Nomination, reason: str) -> Nomination:
    """Send the dossier back to the proposing unit with a reason; it may be corrected and
    submitted again. Its history is kept."""
    _require_level_leader(actor, nomination)
    _check_transition(nomination, "return")
    if hasattr(nomination, "vote") and nomination.vote.yes + nomination.vote.no:
        raise ValidationError(_("The council has started voting on this nomination."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for returning it.")})
    level = nomination.current_unit
    with transaction.atomic():
        nomination.status = S.RETURNED
        nomination.current_unit = nomination.proposing_unit
        nomination.level_due_on = None
        nomination.save(update_fields=["status", "current_unit", "level_due_on"])
        _event(nomination, Action.RETURNED, actor, level, reason)
        audit.record(actor, "honors.return", nomination, {"reason": reason}, unit=nomination.unit)
        if nomination.created_by_id and nomination.created_by_id != getattr(actor, "pk", None):
            notify(
                nomination.created_by,
                template="honors/email/returned",
                context={"nominee": nomination.nominee_name, "reason": reason},
                link=f"/honors/nominations/{nomination.pk}/",
            )
    return nomination


def reject_nomination(actor: Any, *, nomination: Nomination, reason: str) -> Nomination:
    _require_level_leader(actor, nomination)
    _check_transition(nomination, "reject")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting it.")})
    level = nomination.current_unit
    with transaction.atomic():
        nomination.status = S.REJECTED
        nomination.level_due_on = None
        nomination.save(update_fields=["status", "level_due_on"])
        _event(nomination, Action.REJECTED, actor, level, reason)
        audit.record(actor, "honors.reject", nomination, {"reason": reason}, unit=nomination.unit)
    return nomination
