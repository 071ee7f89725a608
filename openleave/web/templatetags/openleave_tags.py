from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}``"""
    return mapping.get(key, key) if hasattr(mapping, "get") else key
