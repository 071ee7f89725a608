from django import template

from openleave.rules.units import hours_str

register = template.Library()


@register.filter
def value_of(mapping, key):
    """``{{ post|value_of:name }}``: the posted value, or "" when absent."""
    if hasattr(mapping, "get"):
        v = mapping.get(key)
        return "" if v is None else v
    return ""


@register.filter
def hours(micro) -> str:
    return hours_str(int(micro or 0))
