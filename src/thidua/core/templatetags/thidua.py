from django import template

from thidua.core.roles import Role

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    """The translated name of a role code."""
    try:
        return str(Role(code).label)
    except ValueError:
        return code


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None
