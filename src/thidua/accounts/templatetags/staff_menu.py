"""The staff menu of every page, rendered once per process for each menu and address."""

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_RENDERED: dict[tuple, SafeString] = {}
RENDERED_KEPT = 2048


@register.simple_tag(takes_context=True)
def staff_menu(context) -> SafeString:
    """`includes/nav_staff.html` for the menu in `nav` (from `staff_context`) and the address
    (which item is the current page). The menu is a function of its key (roles, flags,
    language), so the same key and address always render the same HTML."""
    nav, request = context["nav"], context["request"]
    key = (nav.get("key"), request.path)
    html = _RENDERED.get(key) if key[0] is not None else None
    if html is None:
        html = mark_safe(
            get_template("includes/nav_staff.html").render({"nav": nav, "request": request})
        )
        if key[0] is not None:
            if len(_RENDERED) >= RENDERED_KEPT:
                _RENDERED.clear()
            _RENDERED[key] = html
    return html
