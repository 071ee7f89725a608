"""``{% grievance_panel decision %}`` — the "Challenge this decision" panel on a leave request's page: the Art. 23
dates with their citations, shown only to those who may see the member's grievance track (the member, a consented
steward); for anyone else it renders nothing (and logs nothing)."""

from __future__ import annotations

from django import template

from openleave import policy

from .. import selectors as sel

register = template.Library()


@register.inclusion_tag("grievance/_panel.html", takes_context=True)
def grievance_panel(context, decision_id):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not decision_id:
        return {"show": False}
    try:
        act = sel.act_for(user, "decision", int(decision_id))
    except policy.NotVisible:
        return {"show": False}
    return {"show": True, **sel.act_deadlines(user, act, what="grievance deadlines (decision page)")}
