"""The one permission question: `can(user, action, target)`.

A role granted on a unit covers that unit and its whole subtree, for the grant's validity period.
Rules are a table from action to the roles that may take it; services and selectors ask `can` (or
`require`) before they read or write. `core` imports no app: grants are looked up through the
model named by AUTH_USER_MODEL's app (`accounts.RoleGrant`) via the app registry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import versioned
from thidua.core.roles import Role

STAFF_ROLES = frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.LEADER, Role.EDITOR})

RULES: dict[str, frozenset[str]] = {
    # the staff workspace (staff home, staff navigation): every role but the citizen's
    "core.use_workspace": STAFF_ROLES | {Role.COUNCIL_MEMBER},
    # units and the tree
    "org.view_unit": STAFF_ROLES | {Role.COUNCIL_MEMBER},
    "org.restructure": frozenset({Role.ADMINISTRATOR}),
    "org.import_units": frozenset({Role.ADMINISTRATOR}),
    # people and roles
    "accounts.view_grants": STAFF_ROLES | {Role.COUNCIL_MEMBER},
    "accounts.grant_role": frozenset({Role.ADMINISTRATOR}),
    "accounts.manage_two_factor_policy": frozenset({Role.ADMINISTRATOR}),
    # the audit log
    "core.view_audit": frozenset({Role.ADMINISTRATOR}),
    # data entry and approval (used by later capabilities)
    "unit.enter_data": frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.LEADER}),
    "unit.approve": frozenset({Role.ADMINISTRATOR, Role.LEADER}),
    "content.edit": frozenset({Role.ADMINISTRATOR, Role.EDITOR}),
    # movements
    "movements.manage": frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.LEADER}),
    "movements.view": STAFF_ROLES | {Role.COUNCIL_MEMBER},
    # initiatives: calls and their evaluation councils
    "initiatives.manage": frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.LEADER}),
    # surveys: launch, tally and post (the launching unit's officers and leaders); key answers
    # (the residential committee and anyone above it); see results
    "surveys.manage": frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.LEADER}),
    "surveys.enter_answers": frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.LEADER}),
    "surveys.view": STAFF_ROLES | {Role.COUNCIL_MEMBER},
    # the newsroom: contributors (officers) write and submit; editors approve and publish in
    # their subtree; the editorial board builds bulletin issues; the editor-in-chief (a leader)
    # approves issues and writers' fees
    "publishing.write": STAFF_ROLES,
    "publishing.approve": frozenset({Role.ADMINISTRATOR, Role.EDITOR}),
    "publishing.issue": frozenset({Role.ADMINISTRATOR, Role.EDITOR}),
    "publishing.approve_issue": frozenset({Role.ADMINISTRATOR, Role.LEADER}),
    "publishing.approve_fees": frozenset({Role.ADMINISTRATOR, Role.LEADER}),
    # the household register (names are personal data: staff of the area's subtree only)
    "org.view_households": STAFF_ROLES,
    "org.manage_households": frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.LEADER}),
    # the yearly cultural titles (Decree 86/2023)
    "cultural_titles.view": STAFF_ROLES | {Role.COUNCIL_MEMBER},
    "cultural_titles.manage": frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.LEADER}),
    "cultural_titles.decide": frozenset({Role.ADMINISTRATOR, Role.LEADER}),
    # social resources: funds, drives, the ledger, support cases, disclosures
    "mobilization.view": STAFF_ROLES,
    "mobilization.view_donors": frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.LEADER}),
    "mobilization.record": frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.LEADER}),
    "mobilization.confirm": frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.LEADER}),
    "mobilization.disburse": frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.LEADER}),
    "mobilization.manage": frozenset({Role.ADMINISTRATOR, Role.LEADER}),
    # practices and exemplars
    "practices.view": STAFF_ROLES | {Role.COUNCIL_MEMBER},
    # commendation: rounds and their councils; the award catalogue's settings (country-wide)
    "honors.manage": frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.LEADER}),
    "honors.configure_awards": frozenset({Role.ADMINISTRATOR}),
    # proposals to bodies outside the Front ("khen cao"): officers prepare the dossier and record
    # its tracking; the leader signs and sends it, and records the outside body's answer
    "honors.propose_upward": frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.LEADER}),
    "honors.send_upward": frozenset({Role.ADMINISTRATOR, Role.LEADER}),
    # officers' training
    "training.manage": frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.LEADER}),
    "training.view": STAFF_ROLES | {Role.COUNCIL_MEMBER},
    # statutory statistics: officers prepare (compute, adjust, submit), officers and leaders
    # check, leaders sign
    "reports.view": STAFF_ROLES,
    "reports.prepare": frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.LEADER}),
    "reports.check": frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.LEADER}),
    "reports.sign": frozenset({Role.ADMINISTRATOR, Role.LEADER}),
    # emulation clusters and blocks: the organising unit's specialists set them up and score
    # (manage), its board and standing board approve and publish (approve), the emulation
    # council reviews (council); the member units assess themselves and their peers
    "clusters.view": STAFF_ROLES | {Role.COUNCIL_MEMBER},
    "clusters.manage": frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.LEADER}),
    "clusters.self_assess": frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.LEADER}),
    "clusters.approve": frozenset({Role.ADMINISTRATOR, Role.LEADER}),
    "clusters.council": frozenset({Role.ADMINISTRATOR, Role.LEADER, Role.COUNCIL_MEMBER}),
}
# Actions every domain app may ask besides its own ("<app>.<verb>"): the generic data-entry and
# approval steps on a unit, content editing, and the tree itself. A domain never asks another
# domain's action (tests/core/test_policy_names.py).
SHARED_ACTIONS = frozenset(
    {"unit.enter_data", "unit.approve", "content.edit", "org.view_unit", "core.use_workspace"}
)


def unit_of(target: Any) -> Any:
    """The unit a target belongs to: a Unit itself, or an object's `unit` / `owner_unit`."""
    Unit = apps.get_model("org", "Unit")
    if target is None or isinstance(target, Unit):
        return target
    for attribute in ("unit", "owner_unit"):
        unit = getattr(target, attribute, None)
        if isinstance(unit, Unit):
            return unit
    raise TypeError(f"cannot find the unit of {target!r}")


def active_grants(user: Any, *, on: dt.date | None = None):
    """The user's role grants in force on a day, with their units."""
    RoleGrant = apps.get_model("accounts", "RoleGrant")
    day = on or timezone.localdate()
    return (
        RoleGrant.objects.filter(user=user, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("unit", "unit__kind", "unit__parent")
    )


# What a user's grants are made of: grants (accounts; `accounts.apps` also moves this version on
# any save or delete of a grant, whatever the path) and their units (the tree, always in a key).
GRANT_KINDS = ("accounts",)


def grants_in_force(user: Any, day: dt.date) -> list[Any]:
    """The user's grants in force on `day`, read once per user object (a request), and kept in
    the cache between requests until a grant or the tree changes (`core.versioned`)."""
    cache = user.__dict__.setdefault("_thidua_grants", {})
    if day not in cache:
        if user.pk is None or not settings.CACHE_GRANTS:
            cache[day] = list(active_grants(user, on=day))
        else:
            cache[day] = versioned.cached(
                "policy.grants",
                [user.pk, day],
                kinds=GRANT_KINDS,
                compute=lambda: list(active_grants(user, on=day)),
            )
    return cache[day]


def can(user: Any, action: str, target: Any = None, *, on: dt.date | None = None) -> bool:
    """May `user` take `action` on `target` (a unit or an object that belongs to a unit)?

    With no target the question is "anywhere": does the user hold a role that allows the action?
    """
    if action not in RULES:
        raise KeyError(f"unknown action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    allowed_roles = RULES[action]
    unit = unit_of(target)
    day = on or timezone.localdate()
    for grant in grants_in_force(user, day):
        if grant.role not in allowed_roles:
            continue
        if unit is None or unit.path.startswith(grant.unit.path):
            return True
    return False


def require(user: Any, action: str, target: Any = None, *, on: dt.date | None = None) -> None:
    """Raise PermissionDenied (a 403 page or API error) unless `can` allows it."""
    if not can(user, action, target, on=on):
        refuse()


def refuse() -> NoReturn:
    """Refuse outright (a 403 page or API error): for a user who holds the action on no unit at
    all, where there is no target to ask `can` about."""
    raise PermissionDenied(_("You do not have permission to do this."))


def scope_paths(user: Any, action: str, *, on: dt.date | None = None) -> list[str] | None:
    """Unit paths whose subtrees the user may act on; None means everywhere (superuser)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    day = on or timezone.localdate()
    allowed_roles = RULES[action]
    paths = sorted({g.unit.path for g in grants_in_force(user, day) if g.role in allowed_roles})
    # Drop paths already covered by an ancestor path.
    minimal: list[str] = []
    for path in paths:
        if not any(path.startswith(kept) for kept in minimal):
            minimal.append(path)
    return minimal


def scope_filter(user: Any, action: str, field: str = "path", *, on: dt.date | None = None) -> Q:
    """A Q limiting a queryset to the subtrees the user may act on (`field` holds a unit path)."""
    paths = scope_paths(user, action, on=on)
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition
