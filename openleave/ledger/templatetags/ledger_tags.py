from django import template

from openleave import policy

register = template.Library()


@register.inclusion_tag("ledger/_balances.html", takes_context=True)
def leave_balances(context, employee):
    """Balances and ledger lines of ``employee`` if the signed-in user may see them (recorded)."""
    from openleave.ledger.views import ledger_context

    user = context["request"].user
    if employee is None or not policy.can_view(user, employee, policy.LEAVE):
        return {"visible": False}
    return {"visible": True, **ledger_context(user, employee)}
