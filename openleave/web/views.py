"""Server-rendered pages. Views stay thin: they ask ``openleave.policy`` and call selectors/services."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render

from openleave import policy
from openleave.accounts import roles as R
from openleave.audit.access import record_access, record_reads
from openleave.people.models import Agency
from openleave.people.selectors import employee_or_404

logger = logging.getLogger(__name__)


@login_required
def home(request):
    user = request.user
    me = user.employee_or_none
    ctx = {"me": me, "panels": []}
    if me is not None:
        record_access(actor=user, subject=me, object_type="employee", object_id=me.pk, category=policy.DIRECTORY, channel="ui")
        ctx["team"] = (list(me.reports.select_related("title").order_by("family_name"))
                       if user.has_role(R.SUPERVISOR) else None)
        if ctx["team"]:  # each report listed is a read of their directory data
            record_reads(actor=user, channel="ui", subjects=ctx["team"], object_type="employee",
                         category=policy.DIRECTORY, fields="team list")
    if user.has_role(R.HR) or user.has_role(R.AUDITOR) or user.has_role(R.MEDICAL):
        agencies = Agency.objects.all() if not user.agency_id else Agency.objects.filter(pk=user.agency_id)
        ctx["agencies"] = [
            (a, policy.visible_employees(user, policy.DIRECTORY).filter(agency=a).count()) for a in agencies
        ]
    if policy.can_work_fmla_queue(user):  # the medical coordinator's home is their FMLA work queue
        from openleave import clock
        from openleave.medical.queue import coordinator_queue

        ctx["fmla_queue"] = coordinator_queue(user, clock.today())
    if user.has_role(R.STEWARD):
        from openleave.privacy.models import StewardConsent

        ctx["consents"] = StewardConsent.objects.valid().filter(steward=user).select_related("employee")
    return render(request, "web/home.html", ctx)


@login_required
def employee_list(request):
    user = request.user
    qs = policy.visible_employees(user, policy.DIRECTORY).select_related("agency", "title", "supervisor")
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(family_name__icontains=q) | Q(given_name__icontains=q) | Q(employee_number__icontains=q))
    agency = request.GET.get("agency")
    if agency:
        qs = qs.filter(agency__code=agency)
    page = Paginator(qs.order_by("family_name", "given_name"), 25).get_page(request.GET.get("page"))
    # Each person shown is a read of their directory data: it appears in their "who looked at my data".
    record_reads(actor=user, channel="ui", subjects=page.object_list, object_type="employee",
                 category=policy.DIRECTORY, fields="list")
    template = "web/_employee_rows.html" if request.headers.get("HX-Request") else "web/employee_list.html"
    return render(request, template, {"page": page, "q": q, "agency": agency})


@login_required
def employee_detail(request, employee_number: str):
    user = request.user
    employee = employee_or_404(user, employee_number, policy.DIRECTORY)
    record_access(actor=user, subject=employee, object_type="employee", object_id=employee.pk,
                  category=policy.DIRECTORY, channel="ui")
    can_leave = policy.can_view(user, employee, policy.LEAVE)
    return render(request, "web/employee_detail.html", {"employee": employee, "can_leave": can_leave,
                                                        "can_plan": policy.can_plan(user, employee)})


@login_required
def me(request):
    own = request.user.employee_or_none
    if own is None:
        return redirect("home")
    return redirect("employee", employee_number=own.employee_number)


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's): send them to ours."""
    from django.templatetags.static import static

    return redirect(static("openleave/favicon.svg"))


def error_403(request, exception=None):
    return render(request, "web/error.html", {"status": 403, "message": "You may not do that."}, status=403)


def error_404(request, exception=None):
    return render(request, "web/error.html", {"status": 404, "message": "Not found, or you may not see it."}, status=404)


PLAIN_500 = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>500 · openleave</title></head>"
             "<body><main><h1>500</h1><p>Something went wrong on our side. Nothing was changed.</p>"
             "<p><a href=\"/\">Go to your home page</a></p></main></body></html>")


def error_500(request):
    """The 500 page. If even it cannot render (no collected static files, no database), plain HTML."""
    try:
        return render(request, "web/error.html", {"status": 500, "message": "Something went wrong on our side. Nothing was changed."}, status=500)
    except Exception as exc:  # whatever broke the page may break its template too
        logger.error("the 500 page fell back to plain HTML: %s", type(exc).__name__)
        return HttpResponseServerError(PLAIN_500)


__all__ = ["home", "employee_list", "employee_detail", "me", "get_object_or_404"]
