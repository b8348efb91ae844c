"""Demo commendation data for Hà Nội: the annual 2024 round, an ad hoc award for a good deed, and
a thematic round tied to a movement with nominations in progress today.

1. **The annual 2024 round** of Thành phố Hà Nội (Bằng khen, Lao động tiên tiến, Chiến sĩ thi đua
   cơ sở: the awards the catalogue lets a province confer; Giấy khen is a district/ward award).
   25 nominations come from the 2024 wards of Quận Long Biên and Quận Tây Hồ (the legacy tree,
   true to 2024), travel ward -> district -> city, one is returned with a reason and sent again,
   one is rejected, the council of the city votes (a written opinion of an absent member, a secret
   ballot for Chiến sĩ thi đua cơ sở), one is not approved, decision 1568/QĐ-MTTQ-BTT of
   27/12/2024 confers the rest with certificates, and one certificate is revoked with a reason.
   Nominees for Chiến sĩ thi đua cơ sở hold a 2023 Lao động tiên tiến, entered with
   `record_honour` (the prerequisite the rule asks for).
2. **An ad hoc award** ("người tốt, việc tốt"): the exemplar of `seed_practices` put forward for
   commendation (a named person when there is none), proposed by Phường Bồ Đề, endorsed, voted
   and conferred by the city a few days ago.
3. **A thematic round** on the movement "Toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân
   cư", open now, with nominations in progress: drafts and submissions waiting for the leader of
   Phường Bồ Đề (`lanhdao.bode`), one returned, and two before the council with votes under way.

Everything goes through `thidua.honors.services` (eligibility, permissions, thresholds, hashes).
The services stamp history with the current time (`auto_now_add`, `timezone.now()`, a level's due
date counted from today), so a 2024 round written today would read as if it had all happened
today: the history of the 2024 round is therefore moved back to its 2024 dates afterwards by
direct updates of the timestamp columns only (nomination events, ballots, votes, documents,
decision, certificates, the revocation), in the order the services wrote them, and one audit
event `honors.demo_backdated` records that this was done. The audit chain itself is never
rewritten. The round is then closed (no service closes a round).

Idempotent: a round that exists (same organising unit, same title) is skipped with everything
that hangs from it; the council and its users are created once.

The seeder is split by topic: `data`, `common` (helpers, actors, places, council, votes),
`round_2024`, `recent_rounds` (ad hoc and thematic) and `ward_notice`; `seed` below is the
`seed_demo` step.
"""

from __future__ import annotations

import time
from typing import Any, TextIO

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from thidua.demo.honors.common import _actors, _council, _places
from thidua.demo.honors.data import (
    ABSENT,
    ADHOC_TITLE,
    BK,
    BO_DE,
    CLOSES_2024,
    COUNCIL_NAME,
    CSTD,
    DATA,
    DECISION_2024,
    HANOI_CODE,
    LDTT,
    LEGACY_DISTRICTS,
    LIVE,
    NOMINEES_2024,
    OPENS_2024,
    OWN_USERS,
    PASSWORD,
    REVOCATION_REASON,
    REVOKED_2024,
    ROUND_2024,
    SEATS,
    SIGNED_2024,
    SIGNER,
    THEMATIC_MOVEMENT,
    THEMATIC_TITLE,
    VOTED_2024,
    WARD_ROUND,
    DemoDataMissing,
    Live,
    Nominee,
)
from thidua.demo.honors.recent_rounds import _seed_ad_hoc, _seed_thematic
from thidua.demo.honors.round_2024 import _seed_2024
from thidua.demo.honors.ward_notice import _seed_ward_notice
from thidua.honors.catalogue import ensure_catalogue
from thidua.honors.models import (
    AwardType,
    Certificate,
    Honour,
    Round,
)
from thidua.movements.models import Movement

# --- entry point ----------------------------------------------------------------------------


def _progress(stdout: TextIO | None, title: str, started: float) -> None:
    """One line per round as it is created: the whole seed takes minutes."""
    if stdout is not None:
        stdout.write(f"  {title}: created ({time.perf_counter() - started:.1f} s)\n")
        stdout.flush()


def seed_honors(*, stdout: TextIO | None = None) -> dict[str, Any]:
    """Create the three demo rounds (skipping those that exist); return what was done."""
    started = time.perf_counter()
    today = timezone.localdate()
    ensure_catalogue()
    awards = {a.code: a for a in AwardType.objects.all()}
    hanoi, bo_de, wards = _places()
    movement = Movement.objects.filter(owner_unit=hanoi, title=THEMATIC_MOVEMENT).first()
    if movement is None:
        raise DemoDataMissing(
            f"The movement “{THEMATIC_MOVEMENT}” is missing: run `manage.py seed_movements`."
        )
    actors = _actors(hanoi, bo_de)
    summary: dict[str, Any] = {"created": [], "skipped": []}
    with transaction.atomic():
        council, seats = _council(hanoi, actors)
    existing = set(Round.objects.filter(owner_unit=hanoi).values_list("title", flat=True))
    thematic_title = THEMATIC_TITLE.format(movement=movement.title)

    if ROUND_2024 in existing:
        summary["skipped"].append(ROUND_2024)
    else:
        with transaction.atomic():
            summary["round_2024"] = _seed_2024(hanoi, wards, awards, council, seats, actors)
        summary["created"].append(ROUND_2024)
        _progress(stdout, ROUND_2024, started)
    if ADHOC_TITLE in existing:
        summary["skipped"].append(ADHOC_TITLE)
    else:
        with transaction.atomic():
            summary["ad_hoc"] = _seed_ad_hoc(hanoi, bo_de, awards, council, seats, actors, today)
        summary["created"].append(ADHOC_TITLE)
        _progress(stdout, ADHOC_TITLE, started)
    if thematic_title in existing:
        summary["skipped"].append(thematic_title)
    else:
        with transaction.atomic():
            summary["thematic"] = _seed_thematic(
                hanoi, bo_de, movement, awards, council, seats, actors, today
            )
        summary["created"].append(thematic_title)
        _progress(stdout, thematic_title, started)

    if WARD_ROUND in set(Round.objects.filter(owner_unit=bo_de).values_list("title", flat=True)):
        summary["skipped"].append(WARD_ROUND)
    else:
        with transaction.atomic():
            summary["ward_notice"] = _seed_ward_notice(bo_de, awards, actors, today)
        summary["created"].append(WARD_ROUND)
        _progress(stdout, WARD_ROUND, started)

    summary["honours"] = Honour.objects.count()
    summary["certificates"] = Certificate.objects.count()
    summary["seconds"] = round(time.perf_counter() - started, 2)
    if stdout is not None:
        stdout.write(
            f"Commendation rounds created: {len(summary['created'])}, already there: "
            f"{len(summary['skipped'])}\n"
            f"Council: {council.name} ({len(seats)} members)\n"
            f"Honours in the registry: {summary['honours']}, certificates: "
            f"{summary['certificates']} ({summary['seconds']} s)\n"
        )
    return summary


def seed(*, stdout: TextIO | None = None) -> dict:
    """The `seed_demo` step (and `manage.py seed_honors`); a CommandError without the tree."""
    try:
        return seed_honors(stdout=stdout)
    except DemoDataMissing as error:
        raise CommandError(str(error)) from error


__all__ = [
    "ABSENT",
    "ADHOC_TITLE",
    "BK",
    "BO_DE",
    "CLOSES_2024",
    "COUNCIL_NAME",
    "CSTD",
    "DATA",
    "DECISION_2024",
    "DemoDataMissing",
    "HANOI_CODE",
    "LDTT",
    "LEGACY_DISTRICTS",
    "LIVE",
    "Live",
    "NOMINEES_2024",
    "Nominee",
    "OPENS_2024",
    "OWN_USERS",
    "PASSWORD",
    "REVOCATION_REASON",
    "REVOKED_2024",
    "ROUND_2024",
    "SEATS",
    "SIGNED_2024",
    "SIGNER",
    "THEMATIC_MOVEMENT",
    "THEMATIC_TITLE",
    "VOTED_2024",
    "WARD_ROUND",
    "seed",
    "seed_honors",
]
