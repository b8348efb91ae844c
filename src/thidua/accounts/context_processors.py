from thidua.accounts.selectors import my_units

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


def staff_context(request):
    from thidua.core.policy import can

    current, units = current_unit(request)
    user = getattr(request, "user", None)
    nav = {}
    if user is not None and user.is_authenticated:
        nav = {
            "restructure": can(user, "org.restructure"),
            "audit": can(user, "core.view_audit"),
        }
    return {"current_unit": current, "my_units": units, "nav": nav}
