from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from thidua.accounts.selectors import my_units
from thidua.core.policy import can, grants_in_force

SESSION_UNIT_KEY = "current_unit_id"


def current_unit(request):
    """The unit the staff member is working in: chosen in the switcher, else their first unit."""
    user = getattr(request, "user", None)  # absent on requests that never reached the middleware
    if user is None or not user.is_authenticated:
        return None, []
    if not hasattr(request, "_thidua_units"):
        units = my_units(request.user)
        chosen = request.session.get(SESSION_UNIT_KEY)
        current = next((u for u in units if u.pk == chosen), units[0] if units else None)
        request._thidua_units = (current, units)
    return request._thidua_units


def workspace_menu(user) -> list[dict]:
    """The staff navigation: one group per domain, each with only the pages the user's roles
    can use (an empty group is left out). The staff home ("Công việc") comes first, from
    `templates/includes/nav_work.html`, and is not part of these groups."""

    def item(label, name, allowed=True):
        return {"label": label, "url": reverse(name)} if allowed else None

    manages_movements = can(user, "movements.manage")
    manages_initiatives = can(user, "initiatives.manage")
    groups = [
        (
            "movements",
            _("Movements"),
            [
                item(_("All movements"), "movements:list", can(user, "movements.view")),
                item(_("Launch a movement"), "movements:create", manages_movements),
            ],
        ),
        (
            "initiatives",
            _("Initiatives"),
            [
                item(_("Calls for initiatives"), "initiatives:call_list"),
                item(_("New call"), "initiatives:call_create", manages_initiatives),
                item(_("New council"), "initiatives:council_create", manages_initiatives),
            ],
        ),
        (
            "practices",
            _("Practices & exemplars"),
            [
                item(_("List of practices"), "practices:list", can(user, "practices.view")),
                item(_("Coverage by field"), "practices:coverage", can(user, "practices.view")),
                item(_("Good people, good deeds"), "practices:exemplar_list"),
            ],
        ),
        (
            "honors",
            _("Commendation"),
            [
                item(_("Nominations"), "honors:home"),
                item(_("Commendation rounds"), "honors:round_list"),
                item(_("Honours registry"), "honors:registry", can(user, "unit.enter_data")),
                item(
                    _("Proposals to higher levels"),
                    "honors:upward_list",
                    can(user, "honors.propose_upward"),
                ),
                item(_("Award catalogue"), "honors:catalogue"),
                item(
                    _("Emulation clusters and blocks"),
                    "clusters:list",
                    can(user, "clusters.view") or can(user, "clusters.self_assess"),
                ),
            ],
        ),
        (
            "surveys",
            _("Surveys"),
            [
                item(_("All surveys"), "surveys:list", can(user, "surveys.view")),
                item(_("Launch a survey"), "surveys:launch", can(user, "surveys.manage")),
                item(_("Questionnaires"), "surveys:questionnaires", can(user, "surveys.view")),
                item(_("Results reported to us"), "surveys:reports", can(user, "surveys.manage")),
            ],
        ),
        (
            "publishing",
            _("Portal and bulletin"),
            [
                item(_("Stories"), "publishing:story_list", can(user, "publishing.write")),
                item(_("Write a story"), "publishing:story_create", can(user, "publishing.write")),
                item(
                    _("Bulletin issues"),
                    "publishing:issue_list",
                    can(user, "publishing.issue") or can(user, "publishing.approve_issue"),
                ),
                item(
                    _("Portal columns"), "publishing:column_list", can(user, "publishing.approve")
                ),
                item(
                    _("Writers' fees"),
                    "publishing:fee_list",
                    can(user, "publishing.issue") or can(user, "publishing.approve_fees"),
                ),
            ],
        ),
        (
            "cultural_titles",
            _("Cultural titles"),
            [
                item(
                    _("Cultural families and areas"),
                    "cultural_titles:list",
                    can(user, "cultural_titles.view"),
                )
            ],
        ),
        (
            "mobilization",
            _("Social resources"),
            [
                item(_("Funds and drives"), "mobilization:home", can(user, "mobilization.view")),
                item(_("Donors"), "mobilization:donor_list", can(user, "mobilization.view_donors")),
                item(
                    _("Pledges"), "mobilization:pledge_list", can(user, "mobilization.view_donors")
                ),
                item(
                    _("Transfers between funds"),
                    "mobilization:transfer_list",
                    can(user, "mobilization.view"),
                ),
                item(
                    _("Bank accounts"), "mobilization:account_list", can(user, "mobilization.view")
                ),
                item(_("Warehouse"), "mobilization:warehouse", can(user, "mobilization.view")),
                item(_("Public ledgers"), "public_mobilization:fund_list"),
            ],
        ),
        (
            "reports",
            _("Statistical reports"),
            [item(_("Statistical reports"), "reports:list", can(user, "reports.view"))],
        ),
        (
            "units",
            _("Units"),
            [item(_("Unit tree"), "org:tree", can(user, "org.view_unit"))],
        ),
        (
            "admin",
            _("Administration"),
            [
                item(_("Restructurings"), "org:restructuring_list", can(user, "org.restructure")),
                item(_("Audit log"), "core:audit_log", can(user, "core.view_audit")),
                item(_("Django administration"), "admin:index", user.is_staff),
            ],
        ),
    ]
    return [
        {"key": key, "label": label, "items": [i for i in items if i]}
        for key, label, items in groups
        if any(items)
    ]


# The menu asks `can(user, action)` with no target: its answer depends only on the roles the
# user holds today, the superuser and staff flags and the language — kept per process by those.
_MENUS: dict[tuple, list[dict]] = {}
MENUS_KEPT = 512


def _menu_key(user) -> tuple:
    roles = frozenset(grant.role for grant in grants_in_force(user, timezone.localdate()))
    return (roles, user.is_superuser, user.is_staff, user.is_active, get_language())


def cached_workspace_menu(user, *, key: tuple | None = None) -> list[dict]:
    """`workspace_menu`, made once per process for each set of roles, flags and language."""
    key = key or _menu_key(user)
    menu = _MENUS.get(key)
    if menu is None:
        menu = [
            {
                "key": group["key"],
                "label": str(group["label"]),
                "items": [{**item, "label": str(item["label"])} for item in group["items"]],
            }
            for group in workspace_menu(user)
        ]
        if len(_MENUS) >= MENUS_KEPT:
            _MENUS.clear()
        _MENUS[key] = menu
    return menu


def staff_context(request):
    """The unit switcher and the navigation: the staff menu for those who hold a staff role,
    the public menu for everyone else (anonymous visitors and citizens)."""
    current, units = current_unit(request)
    user = getattr(request, "user", None)
    workspace = user is not None and can(user, "core.use_workspace")
    nav = {"workspace": workspace, "groups": [], "key": None}
    if workspace:
        nav["key"] = _menu_key(user)
        nav["groups"] = cached_workspace_menu(user, key=nav["key"])
    return {"current_unit": current, "my_units": units, "nav": nav}
