"""The demo's annual 2024 round, from nominations to the signed decision and one revocation."""

from __future__ import annotations

import datetime as dt

from thidua.core import audit
from thidua.demo.honors.common import Actors, _age_band, _at, _documents, _vote
from thidua.demo.honors.data import (
    ABSENT,
    BK,
    CLOSES_2024,
    CSTD,
    DECISION_2024,
    LDTT,
    NOMINEES_2024,
    OPENS_2024,
    REVOCATION_REASON,
    REVOKED_2024,
    ROUND_2024,
    SIGNED_2024,
    SIGNER,
    VOTED_2024,
    Nominee,
)
from thidua.demo.honors.upward import OUTSIDE_AWARDS, seed_upward_2024
from thidua.honors import services
from thidua.honors.models import (
    AwardType,
    Ballot,
    Certificate,
    Decision,
    Honour,
    Nomination,
    NominationDocument,
    NominationEvent,
    Round,
    Vote,
)
from thidua.org.models import Unit
from thidua.shared.models import Council, CouncilMember

# --- the 2024 round -------------------------------------------------------------------------


def _seed_2024(
    hanoi: Unit,
    wards: list[Unit],
    awards: dict[str, AwardType],
    council: Council,
    seats: dict[str, CouncilMember],
    actors: Actors,
) -> dict[str, int]:
    admin = actors.admin
    round_ = services.create_round(
        admin,
        title=ROUND_2024,
        kind=Round.Kind.REGULAR,
        owner_unit=hanoi,
        opens_on=OPENS_2024,
        closes_on=CLOSES_2024,
        # and two awards proposed upward to bodies outside the Front (demo.honors.upward)
        award_types=[awards[BK], awards[LDTT], awards[CSTD]]
        + [awards[code] for code in OUTSIDE_AWARDS],
        council=council,
    )
    nominations: list[tuple[Nomination, Nominee]] = []
    for index, spec in enumerate(NOMINEES_2024):
        ward = wards[spec.ward]
        on = OPENS_2024 + dt.timedelta(days=6 + index % 19)
        if spec.award == CSTD:
            # The prerequisite: Lao động tiên tiến of 2023, entered as a past honour.
            services.record_honour(
                admin,
                award_type=awards[LDTT],
                recipient_name=spec.name,
                unit=ward,
                conferred_on=dt.date(2023, 12, 22),
                birth_year=spec.birth_year,
                gender=spec.gender,
                is_direct_worker=spec.direct,
                is_ethnic_minority=spec.ethnic,
                age_band=_age_band(spec.birth_year, 2023),
            )
        nomination = services.nominate(
            admin,
            round=round_,
            award_type=awards[spec.award],
            nominee_kind="person",
            nominee_name=spec.name,
            unit=ward,
            achievements=spec.achievements,
            documents=_documents(awards[spec.award], on, f"2024-{index + 1:02d}"),
            birth_year=spec.birth_year,
            gender=spec.gender,
            is_direct_worker=spec.direct,
            is_ethnic_minority=spec.ethnic,
            age_band=_age_band(spec.birth_year, 2024),
            on=on,
        )
        services.submit_nomination(admin, nomination=nomination)
        services.endorse_nomination(admin, nomination=nomination)  # ward -> district
        if spec.outcome == "rejected":
            services.reject_nomination(admin, nomination=nomination, reason=spec.reason)
        else:
            if spec.outcome == "returned":
                services.return_nomination(admin, nomination=nomination, reason=spec.reason)
                services.submit_nomination(admin, nomination=nomination)
                services.endorse_nomination(admin, nomination=nomination)
            services.endorse_nomination(admin, nomination=nomination)  # district -> city
        nominations.append((nomination, spec))

    for index, (nomination, spec) in enumerate(nominations):
        if spec.outcome == "rejected":
            continue
        # Mostly unanimous, one "no" now and then; 3 yes of 7 is short of a majority of all.
        no = 4 if spec.outcome == "not_approved" else int(index % 3 == 0)
        _vote(nomination, seats, admin, no=no, absent=ABSENT)
    approved = [n for n, _spec in nominations if n.status == Nomination.Status.APPROVED]
    decision = services.issue_decision(
        actors.leader,
        round=round_,
        number=DECISION_2024,
        signed_on=SIGNED_2024,
        signer=SIGNER,
        nominations=approved,
    )
    revoked = [n for n, spec in nominations if spec.revoked]
    for nomination in revoked:
        certificate = Certificate.objects.get(honour__nomination=nomination)
        services.revoke_certificate(admin, certificate=certificate, reason=REVOCATION_REASON)
    upward_2024 = seed_upward_2024(round_, hanoi, wards, awards, seats, actors)
    _backdate_2024(round_, decision, nominations)
    audit.record(
        admin,
        "honors.demo_backdated",
        round_,
        {
            "why": "The services stamp history with the current time; the demo's 2024 history "
            "was moved back to its 2024 dates (timestamps only).",
            "nominations": len(nominations),
            "decision": DECISION_2024,
            "signed_on": SIGNED_2024,
            "revoked_on": REVOKED_2024,
        },
        unit=hanoi,
    )
    return {
        "nominations": len(nominations),
        "conferred": len(approved),
        "proposals_upward": upward_2024["proposals"],
    }


def _backdate_2024(round_: Round, decision: Decision, nominations: list) -> None:
    """Direct updates of timestamp columns only (see the module docstring for why)."""
    Round.objects.filter(pk=round_.pk).update(
        created_at=_at(OPENS_2024 - dt.timedelta(days=6)), status=Round.Status.CLOSED
    )
    for index, (nomination, _spec) in enumerate(nominations):
        on = nomination.nominated_on
        Nomination.objects.filter(pk=nomination.pk).update(
            created_at=_at(on, 8, index), level_due_on=None
        )
        NominationDocument.objects.filter(nomination=nomination).update(uploaded_at=_at(on, 8))
        step = 0
        for event in NominationEvent.objects.filter(nomination=nomination).order_by("id"):
            if event.action == NominationEvent.Action.VOTED:
                at = _at(VOTED_2024, 16, 30)
            elif event.action == NominationEvent.Action.CONFERRED:
                at = _at(SIGNED_2024, 10)
            else:
                at = _at(on + dt.timedelta(days=4 * step), 9 + step % 6)
                step += 1
            NominationEvent.objects.filter(pk=event.pk).update(at=at)
        Ballot.objects.filter(vote__nomination=nomination).update(cast_at=_at(VOTED_2024, 15))
        Vote.objects.filter(nomination=nomination).update(closed_at=_at(VOTED_2024, 16, 30))
    Decision.objects.filter(pk=decision.pk).update(created_at=_at(SIGNED_2024, 10))
    Certificate.objects.filter(honour__decision=decision).update(issued_at=_at(SIGNED_2024, 10))
    revoked_at = _at(REVOKED_2024, 14)
    revoked = Certificate.objects.filter(honour__decision=decision, revoked_at__isnull=False)
    Honour.objects.filter(certificate__in=revoked).update(revoked_at=revoked_at)
    revoked.update(revoked_at=revoked_at)
