"""Reads for commendation, each scoped to the user's part of the tree and bounded in queries.

Staff see rounds organised by their units, by units above them (to nominate) and below them;
nominations of their subtree or of rounds their units organise; council members see the
rounds and nominations of their council. Anything else answers 404, like a missing object.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from thidua.accounts.selectors import my_units
from thidua.core.policy import can, scope_paths
from thidua.core.uploads import Served
from thidua.honors.models import (
    CHECK_CODE_LENGTH,
    AwardRule,
    AwardType,
    Certificate,
    Decision,
    Gender,
    Honour,
    Nomination,
    NominationDocument,
    Round,
)
from thidua.honors.rules import certificate_hash
from thidua.honors.selectors_statistics import (  # noqa: F401 (the statistics' reads)
    honours_by_ids,
    honours_for_statistics,
    revoked_among,
)
from thidua.initiatives import selectors as initiatives
from thidua.org.models import PATH_SEPARATOR
from thidua.org.selectors import normalise_search
from thidua.practices import selectors as practices
from thidua.shared.models import CouncilMember
from thidua.training import selectors as training

SCOPE_ACTION = "unit.enter_data"


def _prefixes(path: str) -> list[str]:
    """Paths of a unit's ancestors and itself ("1/2/3/" -> "1/", "1/2/", "1/2/3/")."""
    parts = [p for p in path.split(PATH_SEPARATOR) if p]
    return [PATH_SEPARATOR.join(parts[: i + 1]) + PATH_SEPARATOR for i in range(len(parts))]


def _council_member(user: Any, field: str) -> Q:
    if not getattr(user, "pk", None):
        return Q(pk__in=[])
    return Q(
        Exists(CouncilMember.objects.filter(council_id=OuterRef(field), user=user, is_active=True))
    )


def visible_rounds(user: Any) -> QuerySet[Round]:
    rounds = Round.objects.select_related("owner_unit", "council").order_by("-opens_on", "-id")
    paths = scope_paths(user, SCOPE_ACTION)
    if paths is None:
        return rounds
    condition = _council_member(user, "council_id")
    for path in paths:
        condition |= Q(owner_unit__path__startswith=path)
        condition |= Q(owner_unit__path__in=_prefixes(path))
    return rounds.filter(condition)


def get_round_for_user(user: Any, pk: int) -> Round:
    round_ = visible_rounds(user).filter(pk=pk).first()
    if round_ is None:
        raise Http404
    return round_


def visible_nominations(user: Any) -> QuerySet[Nomination]:
    nominations = Nomination.objects.select_related(
        "award_type",
        "unit__parent",
        "current_unit__parent",
        "proposing_unit",
        "round",
        "round__owner_unit",
    )
    paths = scope_paths(user, SCOPE_ACTION)
    if paths is None:
        return nominations
    condition = _council_member(user, "round__council_id")
    for path in paths:
        condition |= Q(unit__path__startswith=path) | Q(round__owner_unit__path__startswith=path)
    return nominations.filter(condition)


def get_nomination_for_user(user: Any, pk: int) -> Nomination:
    nomination = visible_nominations(user).filter(pk=pk).first()
    if nomination is None:
        raise Http404
    return nomination


def visible_decisions(user: Any) -> QuerySet[Decision]:
    decisions = Decision.objects.select_related("unit", "round")
    paths = scope_paths(user, SCOPE_ACTION)
    if paths is None:
        return decisions
    condition = _council_member(user, "round__council_id")
    for path in paths:
        condition |= Q(unit__path__startswith=path)
    return decisions.filter(condition)


def get_decision_for_user(user: Any, pk: int) -> Decision:
    decision = visible_decisions(user).filter(pk=pk).first()
    if decision is None:
        raise Http404
    return decision


def annex(decision: Decision) -> QuerySet[Honour]:
    """The decision's annex: one row per recipient with the certificate. One query."""
    return (
        Honour.objects.filter(decision=decision)
        .select_related("award_type", "unit__parent", "certificate")
        .order_by("award_type__order", "recipient_name", "id")
    )


def printable_certificates(decision_id: int, *, unit_id: int) -> list[Certificate]:
    """The certificates of a decision given to the recipients of one unit (a residential area),
    not revoked, in the annex's order, ready to render (one query)."""
    return list(
        Certificate.objects.filter(
            honour__decision_id=decision_id, honour__unit_id=unit_id, revoked_at__isnull=True
        )
        .select_related(
            "honour__award_type",
            "honour__unit__parent",
            "honour__decision__unit__parent",
        )
        .order_by("honour__recipient_name", "id")
    )


def get_certificate_for_user(user: Any, pk: int) -> Certificate:
    certificate = (
        Certificate.objects.select_related(
            "honour", "honour__award_type", "honour__unit", "honour__decision__unit"
        )
        .filter(pk=pk)
        .first()
    )
    if certificate is None:
        raise Http404
    decision = certificate.honour.decision
    visible = decision is not None and visible_decisions(user).filter(pk=decision.pk).exists()
    if not visible and not registry(user).filter(pk=certificate.honour_id).exists():
        raise Http404
    return certificate


# --- the catalogue --------------------------------------------------------------------------


def catalogue(*, on: dt.date | None = None) -> list[AwardType]:
    """Active award types, each with `rule` (the one in force on `on`) and its conferring kinds.
    Three queries."""
    day = on or timezone.localdate()
    rules = (
        AwardRule.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .prefetch_related("prerequisites")
    )
    types = list(
        AwardType.objects.filter(is_active=True).prefetch_related(
            "conferring_kinds", Prefetch("rules", queryset=rules, to_attr="rules_in_force")
        )
    )
    for award_type in types:
        award_type.rule = award_type.rules_in_force[0] if award_type.rules_in_force else None
    return types


# --- the registry ---------------------------------------------------------------------------


def registry(
    user: Any,
    *,
    query: str = "",
    award_type: int | None = None,
    year: int | None = None,
    unit: Any = None,
) -> QuerySet[Honour]:
    """Honours in the user's part of the tree; search ignores case and diacritics."""
    honours = Honour.objects.select_related(
        "award_type", "unit__parent", "decision", "certificate", "outside_decision__body"
    )
    paths = scope_paths(user, SCOPE_ACTION)
    if paths is not None:
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(unit_path__startswith=path)
        honours = honours.filter(condition)
    needle = normalise_search(query)
    if needle:
        honours = honours.filter(search_name__contains=needle)
    if award_type:
        honours = honours.filter(award_type_id=award_type)
    if year:
        honours = honours.filter(conferred_on__year=year)
    if unit is not None:
        honours = honours.filter(unit_path__startswith=unit.path)
    return honours.order_by("-conferred_on", "-id")


@dataclass(frozen=True)
class RegistryStatistics:
    total: int
    women: int
    direct_workers: int
    ethnic_minorities: int
    by_award: list[tuple[str, int]]

    def share(self, count: int) -> float:
        return round(100 * count / self.total, 1) if self.total else 0.0

    @property
    def women_share(self) -> float:
        return self.share(self.women)

    @property
    def direct_worker_share(self) -> float:
        return self.share(self.direct_workers)

    @property
    def ethnic_minority_share(self) -> float:
        return self.share(self.ethnic_minorities)

    # The same shares as fractions, for the `percent` filter (91,3 %)
    def ratio(self, count: int) -> float:
        return count / self.total if self.total else 0.0

    @property
    def women_ratio(self) -> float:
        return self.ratio(self.women)

    @property
    def direct_worker_ratio(self) -> float:
        return self.ratio(self.direct_workers)

    @property
    def ethnic_minority_ratio(self) -> float:
        return self.ratio(self.ethnic_minorities)


def registry_statistics(honours: QuerySet[Honour]) -> RegistryStatistics:
    """Shares of women, direct workers and ethnic minorities (of persons and households for
    women), and counts per award. Two queries."""
    base = honours.filter(revoked_at__isnull=True).order_by()
    figures = base.aggregate(
        total=Count("id"),
        women=Count("id", filter=Q(gender=Gender.FEMALE)),
        direct=Count("id", filter=Q(is_direct_worker=True)),
        ethnic=Count("id", filter=Q(is_ethnic_minority=True)),
    )
    by_award = list(
        base.values("award_type__name_vi")
        .annotate(count=Count("id"))
        .order_by("-count")
        .values_list("award_type__name_vi", "count")
    )
    return RegistryStatistics(
        total=figures["total"],
        women=figures["women"],
        direct_workers=figures["direct"],
        ethnic_minorities=figures["ethnic"],
        by_award=by_award,
    )


# --- public verification --------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """The answer to a certificate check, in one of these states:

    - "valid": the number exists, the check matches and the record is intact;
    - "revoked": as valid, but the certificate was revoked (the reason is shown);
    - "code_needed": a number was given without a check code (the form asks for it);
    - "wrong_code": a certificate has this number but the check code is not its own;
    - "not_found": no certificate has this number;
    - "invalid": the record no longer matches what was issued (changed behind the service).
    The certificate is shown only when valid or revoked.
    """

    status: str
    certificate: Certificate | None = None

    @property
    def is_valid(self) -> bool:
        return self.status == "valid"

    @property
    def is_known(self) -> bool:
        return self.status in ("valid", "revoked")


def _compact(text: str) -> str:
    """Letters and digits only, upper case: how a serial or code is compared, whatever spaces,
    dashes or case a person typed."""
    return re.sub(r"[^0-9A-Za-z]", "", text or "").upper()


def serial_candidates(typed: str) -> list[str]:
    """The serials a typed number can stand for. Serials are UNITCODE-YYYY-NNNNNNN with a unit
    code of letters and digits, so a number typed without its dashes is rebuilt exactly (the
    honour number has 7 digits, or more past ten million)."""
    stripped = (typed or "").strip().upper()
    compact = _compact(typed)
    candidates = [stripped]
    for digits in (7, 8):
        tail = digits + 4  # the year and the honour number
        if len(compact) > tail and compact[-tail:].isdigit():
            head, year, number = compact[:-tail], compact[-tail:-digits], compact[-digits:]
            candidates.append(f"{head}-{year}-{number}")
    return list(dict.fromkeys(c for c in candidates if c))


def check_matches(certificate: Certificate, check: str) -> bool:
    """The full 64-character hash (from the QR link) or the short check code printed beside it."""
    compact = _compact(check).lower()
    if len(compact) == len(certificate.content_hash):
        return compact == certificate.content_hash
    return len(compact) == CHECK_CODE_LENGTH and certificate.content_hash.startswith(compact)


def verify_certificate(serial: str, check: str = "") -> Verification:
    """A certificate is valid when its serial exists, the check (its hash, or the short check
    code printed on it) is its own, and its stored content still hashes to it. A bare number
    asks for the check code; nothing about a certificate is shown unless the check matches."""
    candidates = serial_candidates(serial)
    if not candidates:
        return Verification("not_found")
    certificate = (
        Certificate.objects.select_related(
            "honour", "honour__award_type", "honour__unit", "honour__decision__unit"
        )
        .filter(serial__in=candidates)
        .first()
    )
    if certificate is None:
        return Verification("not_found")
    if not _compact(check):
        return Verification("code_needed")
    if not check_matches(certificate, check):
        return Verification("wrong_code")
    if certificate_hash(certificate) != certificate.content_hash:
        return Verification("invalid")
    if certificate.revoked_at is not None:
        return Verification("revoked", certificate)
    return Verification("valid", certificate)


# --- time limits ----------------------------------------------------------------------------

WAITING = [Nomination.Status.SUBMITTED, Nomination.Status.AT_COUNCIL]


def due_from(user: Any, *, limit: int = 50) -> list[Nomination]:
    """Dossiers waiting for the user's own units to act (a leader endorses at a level, the
    conferring unit's leader for the council), earliest time limit first; `overdue` marks those
    past it. One query."""
    paths = scope_paths(user, "unit.approve")
    nominations = visible_nominations(user).filter(status__in=WAITING)
    if paths is not None:
        if not paths:
            return []
        nominations = nominations.filter(current_unit__path__in=paths)
    return list(nominations.order_by("level_due_on", "id")[:limit])


def overdue_count(nominations: QuerySet[Nomination], *, today: dt.date | None = None) -> int:
    """How many of these dossiers are past the time limit of the level where they sit."""
    today = today or timezone.localdate()
    return nominations.filter(status__in=WAITING, level_due_on__lt=today).count()


# --- hand-offs: a nomination started from an exemplar, a recognised initiative or a practice ---

SOURCE_KINDS = ("exemplar", "practice", "submission", "learner")
# the sources a nomination keeps a link to (a learner of a training course pre-fills the form only)
LINKED_KINDS = ("exemplar", "practice", "submission")


@dataclass(frozen=True)
class NominationSource:
    """What a nomination is started from, and what it pre-fills."""

    kind: str  # one of SOURCE_KINDS
    pk: int
    title: str
    nominee_kind: str
    nominee_name: str
    unit: Any  # the nominee's unit
    achievements: str
    record: Any  # the exemplar, practice or submission itself, passed on to `services.nominate`;
    # None for a source the nomination does not link to (a learner of a training course)

    @property
    def token(self) -> str:
        return f"{self.kind}:{self.pk}"


def nomination_source(user: Any, kind: str, pk: int) -> NominationSource:
    """The source of a hand-off, if the user may see it and it may be nominated; 404 otherwise
    (a verified exemplar, a replicated practice, a recognised initiative)."""

    if kind == "exemplar":
        exemplar = practices.get_exemplar_for_user(user, pk)
        if exemplar.status != "verified":
            raise Http404
        return NominationSource(
            kind=kind,
            pk=exemplar.pk,
            title=exemplar.name,
            nominee_kind=exemplar.kind,  # "person" or "collective", as in RecipientKind
            nominee_name=exemplar.name,
            unit=exemplar.owner_unit,
            achievements=exemplar.deeds,
            record=exemplar,
        )
    if kind == "practice":
        practice = practices.get_practice_for_user(user, pk)
        if practice.stage != "replicated":
            raise Http404
        summary = getattr(practice, "summary", None)
        achievements = "\n\n".join(
            part
            for part in (practice.title, practice.description, summary and summary.results)
            if part
        )
        return NominationSource(
            kind=kind,
            pk=practice.pk,
            title=practice.title,
            nominee_kind="collective",
            nominee_name=practice.owner_unit.name,
            unit=practice.owner_unit,
            achievements=achievements,
            record=practice,
        )
    if kind == "submission":
        submission = initiatives.recognised_submission(pk)
        if submission is None or not _may_nominate_for(user, submission.unit):
            raise Http404
        return NominationSource(
            kind=kind,
            pk=submission.pk,
            title=submission.title,
            nominee_kind="collective" if submission.applicant_kind == "collective" else "person",
            # The applicant's name only where the call publishes it or the user runs the call.
            nominee_name=submission.applicant_name
            if submission.publish_names or initiatives.is_secretariat(user, submission.call)
            else "",
            unit=submission.unit,
            achievements="\n\n".join(p for p in (submission.title, submission.summary) if p),
            record=submission,
        )
    if kind == "learner":
        # a learner who completed a course the user may see, proposed among its best
        enrolment = training.learner_for_nomination(user, pk)
        officer = enrolment.officer
        return NominationSource(
            kind=kind,
            pk=enrolment.pk,
            title=officer.full_name,
            nominee_kind="person",
            nominee_name=officer.full_name,
            unit=officer.unit,
            achievements=training.achievements_text(enrolment),
            record=None,
        )
    raise Http404


def _may_nominate_for(user: Any, unit: Any) -> bool:
    return unit is not None and can(user, "unit.enter_data", unit)


def proposing_unit_for(user: Any, unit: Any) -> Any:
    """The unit on whose behalf the user proposes someone of `unit`: the deepest unit where the
    user holds a role that contains it (a ward leader proposes for the ward a resident of one of
    its residential groups); the unit itself for a superuser."""

    mine = [u for u in my_units(user) if unit.is_within(u) and can(user, SCOPE_ACTION, u)]
    return max(mine, key=lambda u: len(u.path)) if mine else unit


def open_rounds_for(
    user: Any, unit: Any, *, nominee_kind: str = "", on: dt.date | None = None
) -> list[Round]:
    """Rounds open today in which someone of `unit` may be nominated: organised by the unit or
    a unit above it, open for nominations on the day, offering an award for this kind of
    nominee (a person, a household, a collective). One query."""
    day = on or timezone.localdate()
    rounds = Round.objects.filter(
        status=Round.Status.OPEN,
        opens_on__lte=day,
        closes_on__gte=day,
        owner_unit__path__in=_prefixes(unit.path),
    )
    if nominee_kind in ("person", "household", "collective"):
        offered = AwardType.objects.filter(**{f"for_{nominee_kind}": True}, rounds=OuterRef("pk"))
        rounds = rounds.filter(Exists(offered))
    return list(rounds.select_related("owner_unit").order_by("closes_on", "id"))


def nominations_from(user: Any, *, kind: str, pk: int) -> QuerySet[Nomination]:
    """The nominations the user may see that were started from this exemplar, practice or
    recognised initiative (the link back from the source)."""
    if kind not in LINKED_KINDS:
        return Nomination.objects.none()
    return visible_nominations(user).filter(**{f"{kind}_id": pk}).order_by("-created_at", "-id")


# --- private files (served by core:file) ----------------------------------------------------


def nomination_document_file_for_user(user: Any, pk: int) -> Served:
    """A dossier document, for whoever may open the dossier."""
    document = NominationDocument.objects.filter(pk=pk).first()
    if document is None:
        raise Http404
    get_nomination_for_user(user, document.nomination_id)
    return Served(document.file, document.name)
