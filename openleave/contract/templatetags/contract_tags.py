from django import template

from openleave.rules.units import hours_str

register = template.Library()


@register.filter
def hours(micro) -> str:
    """Micro-hours as hours (1234567 → '1.234567'); empty for None."""
    return "" if micro is None else hours_str(int(micro))


@register.filter
def mul(micro, n) -> int:
    return int(micro) * int(n)
