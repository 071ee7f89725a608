"""``{% forfeiture_warnings %}``: the signed-in employee's year-end forfeiture warnings (home page)."""

from django import template

from openleave import clock, policy
from openleave.audit.access import record_access

from .. import selectors as S

register = template.Library()


@register.inclusion_tag("statements/_warnings.html", takes_context=True)
def forfeiture_warnings(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    me = getattr(user, "employee_or_none", None) if user is not None and user.is_authenticated else None
    if me is None:
        return {"warnings": [], "me": None}
    warnings = S.warnings_for([me.pk], clock.today())[me.pk]
    if warnings:
        record_access(actor=user, subject=me, object_type="forfeiture_warning", object_id=me.pk,
                      category=policy.LEAVE, channel="ui", fields="home page forfeiture warnings")
    return {"warnings": warnings, "me": me}
