"""The Django layer: a call's submissions and council loaded into an `Instance` (expertise, past
reviews, text similarity, declared preferences), and the assigners behind
`services.auto_assign`."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thidua.initiatives.assignment.similarity import text_similarity
from thidua.initiatives.assignment.solver import (
    Infeasible,
    Instance,
    Plan,
    solve_fair,
    solve_optimal,
)
from thidua.initiatives.models import Assignment, Conflict, Review, Submission
from thidua.org.models import PATH_SEPARATOR, Unit
from thidua.shared.models import CouncilMember

# Affinity points of each component (affinities are integers: solvers work on integer costs).
FIELD_POINTS = 100  # the member has the submission's field among their expertise


EXPERIENCE_POINTS = 10  # per past review in the submission's field, up to EXPERIENCE_CAP


EXPERIENCE_CAP = 5


SIMILARITY_POINTS = 100  # times the TF-IDF cosine with the member's past reviewed texts


PREFERENCE_POINTS = 50  # times a declared preference in [-1, 1]


@dataclass
class Context:
    """A call's instance and what explains it: components of every affinity."""

    call: Any
    submissions: list[Any]
    members: list[Any]
    instance: Instance
    field_match: np.ndarray
    past_in_field: np.ndarray
    similarity: np.ndarray
    preference: np.ndarray
    outside_district: bool
    max_load: int
    min_load: int
    existing: dict[int, set[int]] = field(default_factory=dict)

    def explain(self, s: int, r: int) -> str:
        """Why reviewer r was chosen for submission s, in the active language, ≤ 300 chars."""
        submission = self.submissions[s]
        parts = []
        if self.field_match[s, r]:
            parts.append(_("expertise in %(field)s") % {"field": submission.field.name})
        past = int(self.past_in_field[s, r])
        if past:
            parts.append(
                ngettext(
                    "%(n)s past review in %(field)s",
                    "%(n)s past reviews in %(field)s",
                    past,
                )
                % {"n": past, "field": submission.field.name}
            )
        if self.similarity[s, r] >= 0.05:
            parts.append(
                _("close to initiatives they reviewed before (similarity %(similarity)s)")
                % {"similarity": f"{self.similarity[s, r]:.2f}"}
            )
        if self.preference[s, r] > 0:
            parts.append(_("declared interest"))
        outside = self.instance.outside
        if self.outside_district and outside is not None and outside[s, r]:
            parts.append(_("from outside the applicant's district or commune"))
        if not parts:
            parts.append(_("free capacity (no particular match)"))
        text = _("chosen for: %(reasons)s (affinity %(score)s)") % {
            "reasons": "; ".join(parts),
            "score": int(self.instance.affinity[s, r]),
        }
        return text if len(text) <= 300 else text[:299] + "…"

    def message(self, error: Infeasible) -> str:
        """The translated sentence naming the binding constraint."""
        data = error.data

        def number(s: int) -> str:
            return f"#{self.submissions[s].number}"

        if error.code == "no_members":
            return _("The council has no active member to assign.")
        if error.code == "too_few_eligible":
            return ngettext(
                "Initiative %(number)s has only %(eligible)s eligible reviewer, needs %(need)s "
                "(conflicts of interest and units of origin exclude the others).",
                "Initiative %(number)s has only %(eligible)s eligible reviewers, needs %(need)s "
                "(conflicts of interest and units of origin exclude the others).",
                data["eligible"],
            ) % {"number": number(data["submission"]), **data}
        if error.code == "no_outside":
            return _(
                "Initiative %(number)s has no eligible reviewer from outside its district or "
                "commune."
            ) % {"number": number(data["submission"])}
        if error.code == "min_above_max":
            return _("The minimum load is above the maximum load.")
        if error.code == "capacity":
            return _(
                "Total capacity %(capacity)s < %(needed)s reviews needed: raise the maximum load "
                "per reviewer (now %(max_load)s) or add members."
            ) % {**data, "max_load": self.max_load}
        if error.code == "min_loads_total":
            return (
                _(
                    "The minimum loads add up to %(total)s reviews but only %(needed)s are needed: "
                    "lower the minimum load."
                )
                % data
            )
        if error.code == "min_load_reviewer":
            return _(
                "%(member)s can review only %(possible)s of the initiatives still to assign, "
                "below the minimum load of %(min_load)s."
            ) % {**data, "member": self.members[data["reviewer"]].user}
        if error.code == "bottleneck":
            numbers = ", ".join(number(s) for s in data["submissions"][:12])
            if len(data["submissions"]) > 12:
                numbers += ", …"
            return _(
                "Initiatives %(numbers)s need %(needed)s reviews, but the reviewers eligible for "
                "them can take only %(possible)s more within the maximum load of %(max_load)s."
            ) % {**data, "numbers": numbers, "max_load": self.max_load}
        if error.code == "outside":
            return _(
                "Not every initiative can get a reviewer from outside its district or commune "
                "within the maximum load of %(max_load)s: raise it or drop this requirement."
            ) % {"max_load": self.max_load}
        return _(
            "The minimum load of %(min_load)s per reviewer cannot be met together with the "
            "conflicts of interest: lower it."
        ) % {"min_load": self.min_load}


def _locality_paths(submissions: list[Any]) -> dict[int, str]:
    """Each submission's district (or commune where there is no district): the ancestor-or-self
    of its unit of that kind, by the materialized path. One query."""
    prefixes: dict[int, list[str]] = {}
    for submission in submissions:
        parts = submission.unit.path.split(PATH_SEPARATOR)[:-1]
        prefixes[submission.pk] = [
            PATH_SEPARATOR.join(parts[: i + 1]) + PATH_SEPARATOR for i in range(len(parts))
        ]
    kinds = dict(
        Unit.objects.filter(path__in={p for paths in prefixes.values() for p in paths}).values_list(
            "path", "kind__code"
        )
    )
    localities = {}
    for submission in submissions:
        paths = prefixes[submission.pk]
        by_kind = {kinds.get(p): p for p in paths}
        localities[submission.pk] = by_kind.get("district") or by_kind.get("ward") or paths[-1]
    return localities


def build_context(
    call: Any,
    *,
    min_load: int | None = None,
    max_load: int | None = None,
    outside_district: bool = False,
    preferences: dict[tuple[int, int], float] | None = None,
    relatives: list[tuple[int, int]] | None = None,
) -> Context:
    """Load the call (eight queries whatever its size) and build its instance.

    Eligible: an active council member with no declared conflict, not from the applicant's unit
    or a unit above it (`services.conflict_reason`), not a named relative of the applicant
    (`relatives`: (member id, submission id) pairs) and not already assigned. Loads count this
    call's assignments; the default maximum is ⌈n·k / m⌉ + 1 over the members eligible for
    something. `preferences`: {(member id, submission id): value in [-1, 1]}."""
    # services.assignment imports this module (its ASSIGNERS), so this import waits for the call
    from thidua.initiatives.services.assignment import conflict_reason  # noqa: PLC0415

    status = Submission.Status
    members = list(
        CouncilMember.objects.filter(council_id=call.council_id, is_active=True)
        .select_related("user", "unit")
        .prefetch_related("expertise")
        .order_by("pk")
    )
    submissions = list(
        Submission.objects.filter(call=call, status__in=[status.SCREENED_IN, status.UNDER_REVIEW])
        .select_related("unit", "field")
        .order_by("number")
    )
    declared = set(
        Conflict.objects.filter(submission__call=call).values_list("member_id", "submission_id")
    )
    declared |= {(int(a), int(b)) for a, b in relatives or []}
    existing: dict[int, set[int]] = defaultdict(set)
    existing_paths: dict[int, list[str | None]] = defaultdict(list)
    load: dict[int, int] = defaultdict(int)
    for submission_id, member_id, path in Assignment.objects.filter(
        submission__call=call
    ).values_list("submission_id", "reviewer_id", "reviewer__unit__path"):
        existing[submission_id].add(member_id)
        existing_paths[submission_id].append(path)
        load[member_id] += 1
    past: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for user_id, field_id, title, summary in (
        Assignment.objects.filter(
            reviewer__user_id__in=[m.user_id for m in members],
            review__status=Review.Status.SUBMITTED,
        )
        .exclude(submission__call=call)
        .values_list(
            "reviewer__user_id", "submission__field_id", "submission__title", "submission__summary"
        )
    ):
        past[user_id].append((field_id, f"{title}\n{summary}"))

    n, m, k = len(submissions), len(members), call.reviews_per_submission
    eligible = np.zeros((n, m), bool)
    field_match = np.zeros((n, m), bool)
    past_in_field = np.zeros((n, m), np.int64)
    preference = np.zeros((n, m))
    expertise = [{f.pk for f in member.expertise.all()} for member in members]
    field_counts = [defaultdict(int) for _member in members]
    for r, member in enumerate(members):
        for field_id, _text in past[member.user_id]:
            field_counts[r][field_id] += 1
    for s, submission in enumerate(submissions):
        for r, member in enumerate(members):
            eligible[s, r] = (
                member.pk not in existing[submission.pk]
                and conflict_reason(member, submission, declared) is None
            )
            field_match[s, r] = submission.field_id in expertise[r]
            past_in_field[s, r] = field_counts[r].get(submission.field_id, 0)
            if preferences:
                preference[s, r] = max(
                    -1.0, min(1.0, preferences.get((member.pk, submission.pk), 0.0))
                )
    similarity = (
        text_similarity(
            [f"{s.title}\n{s.summary}" for s in submissions],
            ["\n".join(text for _f, text in past[member.user_id]) for member in members],
        )
        if n and m
        else np.zeros((n, m))
    )
    affinity = np.rint(
        FIELD_POINTS * field_match
        + EXPERIENCE_POINTS * np.minimum(past_in_field, EXPERIENCE_CAP)
        + SIMILARITY_POINTS * similarity
        + PREFERENCE_POINTS * preference
    ).astype(np.int64)

    need = np.array([max(0, k - len(existing[s.pk])) for s in submissions], np.int64)
    useful = [r for r in range(m) if eligible[:, r].any() or load[members[r].pk]]
    if max_load is None:
        max_load = math.ceil(n * k / max(1, len(useful))) + 1
    min_load = min_load or 0
    current = np.array([load[member.pk] for member in members], np.int64)
    outside = need_outside = None
    if outside_district:
        localities = _locality_paths(submissions)
        outside = np.array(
            [
                [
                    member.unit is None or not member.unit.path.startswith(localities[sub.pk])
                    for member in members
                ]
                for sub in submissions
            ],
            bool,
        ).reshape(n, m)
        need_outside = np.array(
            [
                not any(
                    p is None or not p.startswith(localities[sub.pk])
                    for p in existing_paths[sub.pk]
                )
                for sub in submissions
            ],
            bool,
        )
    base = np.zeros(n, np.int64)
    instance = Instance(
        affinity=affinity,
        eligible=eligible,
        need=need,
        max_load=np.maximum(0, max_load - current),
        min_load=np.maximum(0, min_load - current),
        outside=outside,
        need_outside=need_outside,
        base=base,
    )
    return Context(
        call=call,
        submissions=submissions,
        members=members,
        instance=instance,
        field_match=field_match,
        past_in_field=past_in_field,
        similarity=similarity,
        preference=preference,
        outside_district=outside_district,
        max_load=max_load,
        min_load=min_load,
        existing=existing,
    )


def plan_for_call(call: Any, *, fairness: bool = False, **options: Any) -> tuple[Context, Plan]:
    """The plan and its context (for a preview); a translated ValidationError when infeasible."""
    context = build_context(call, **options)
    try:
        plan = solve_fair(context.instance) if fairness else solve_optimal(context.instance)
    except Infeasible as error:
        raise ValidationError(context.message(error)) from error
    return context, plan


def optimal_assignment(
    call: Any, *, fairness: bool = False, outside_district: bool = False, **options: Any
) -> list[tuple[Any, Any, str]]:
    """The assigner behind `OPTIMAL_ASSIGNERS["optimal"]` (and "fair", "optimal_outside",
    "fair_outside"): every hard constraint met, total affinity maximal (or the worst-off
    submission's affinity first, with `fairness`); each pair explains itself."""
    context, plan = plan_for_call(
        call, fairness=fairness, outside_district=outside_district, **options
    )
    return [
        (context.submissions[s], context.members[r], context.explain(s, r))
        for s, r in zip(plan.submissions.tolist(), plan.reviewers.tolist(), strict=True)
    ]


ASSIGNER_METHODS = {
    "optimal": {},
    "fair": {"fairness": True},
    "optimal_outside": {"outside_district": True},
    "fair_outside": {"fairness": True, "outside_district": True},
}


# The assigners this module offers to `services.auto_assign` (which lists them in its own
# `ASSIGNERS`, beside the simple balanced one): {method: assign(call) -> [(submission, member,
# why)]}
OPTIMAL_ASSIGNERS = {
    name: partial(optimal_assignment, **options) for name, options in ASSIGNER_METHODS.items()
}
