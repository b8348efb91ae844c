from django import template

from thidua.core import formatting
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


# Numbers, money and dates the office way (thidua.core.formatting); in the active language.


@register.filter
def count(value) -> str:
    """126.095 — a whole count."""
    return formatting.format_count(value)


@register.filter
def number(value, places: int = 2) -> str:
    """2.500 or 2,75 — a measure; whole numbers lose their decimals."""
    return formatting.format_number(value, int(places))


@register.filter
def percent(ratio, places: int = 1) -> str:
    """0.913 → 91,3 %."""
    return formatting.format_percent(ratio, int(places))


@register.filter
def money(amount) -> str:
    """37.440.000 đ."""
    return formatting.format_money(amount)


@register.filter
def money_words(amount) -> str:
    """Ba mươi bảy triệu bốn trăm bốn mươi nghìn đồng."""
    return formatting.money_in_words(amount)


@register.filter
def day(value) -> str:
    """dd/mm/yyyy (with the local time for a moment)."""
    return formatting.format_date(value)


@register.filter
def formal_date(value) -> str:
    """ngày 27 tháng 12 năm 2024."""
    return formatting.formal_date(value)
