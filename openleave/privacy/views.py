"""Privacy pages: who looked at my data, steward consents, export, de-identified aggregates.

Every check is asked of ``openleave.policy``; a refusal is a 404 that looks like a missing page.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openleave import inputs, policy
from openleave.audit.access import UI, record_access
from openleave.audit.models import AccessLog
from openleave.people.models import Employee
from openleave.people.selectors import employee_by_number

from . import aggregates
from .consent import consent_grant, consent_revoke, stewards
from .exports import build_zip
from .models import StewardConsent


def _me_or_404(request) -> Employee:
    me = request.user.employee_or_none
    if me is None:
        raise Http404("Not found, or you may not see it.")
    return me


def _access_page(request, employee: Employee, *, own: bool):
    qs = employee.access_log.all()
    show_mine = request.GET.get("mine") == "1"
    if own and not show_mine:
        qs = qs.exclude(actor=request.user)
    page = Paginator(qs.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
    record_access(actor=request.user, subject=employee, object_type="access_log", object_id=employee.pk,
                  category=policy.AUDIT, channel=UI)
    return render(request, "privacy/access_log.html",
                  {"employee": employee, "page": page, "own": own, "show_mine": show_mine})


@login_required
@require_GET
def my_access(request):
    """Who looked at my data."""
    return _access_page(request, _me_or_404(request), own=True)


@login_required
@require_GET
def employee_access(request, employee_number: str):
    """An auditor's view of one person's access log (or the person's own)."""
    employee = employee_by_number(employee_number)
    if employee is None or not policy.can_view_access_log(request.user, employee):
        raise Http404("Not found, or you may not see it.")
    own = request.user.employee_or_none is not None and request.user.employee_or_none.pk == employee.pk
    return _access_page(request, employee, own=own)


def _parse_until(raw: str) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None
    if day > inputs.LATEST_DATE:  # a past day is refused by consent_grant ("must be in the future")
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


@login_required
@require_http_methods(["GET", "POST"])
def my_consents(request):
    me = _me_or_404(request)
    errors, form = {}, {"basis": StewardConsent.Basis.GRIEVANCE, "purpose": "", "steward": "",
                        "valid_until": (timezone.localdate() + dt.timedelta(days=90)).isoformat()}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in ("steward", "basis", "purpose", "valid_until")}
        steward = stewards().filter(pk=form["steward"]).first() if form["steward"].isdigit() else None
        until = _parse_until(form["valid_until"])
        try:
            if steward is None:
                raise ValidationError({"steward": "Choose a union steward from the list."})
            if until is None:
                raise ValidationError({"valid_until": "Enter the last day as YYYY-MM-DD."})
            consent_grant(actor=request.user, employee=me, steward=steward, basis=form["basis"],
                          purpose=form["purpose"], valid_until=until, channel=UI)
        except ValidationError as exc:
            errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
        else:
            messages.success(request, f"{steward.display_name()} may now see your leave records until "
                                      f"{until:%Y-%m-%d}. You can revoke this at any time.")
            return redirect("privacy:consents")
    consents = me.steward_consents.select_related("steward").order_by("-granted_at")
    record_access(actor=request.user, subject=me, object_type="steward_consent", object_id="list",
                  category=policy.LEAVE, channel=UI)
    now = timezone.now()
    return render(request, "privacy/consents.html", {
        "employee": me, "consents": [(c, c.is_valid(now)) for c in consents],
        "stewards": stewards().exclude(employee=me), "bases": StewardConsent.Basis.choices,
        "form": form, "errors": errors,
    }, status=422 if errors else 200)


@login_required
@require_POST
def revoke_consent(request, consent_id: int):
    _me_or_404(request)
    try:
        consent = consent_revoke(actor=request.user, consent_id=consent_id, channel=UI)
    except policy.NotVisible:
        raise Http404("Not found, or you may not see it.") from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Revoked: {consent.steward.display_name()} can no longer see your leave records.")
    return redirect("privacy:consents")


@login_required
@require_http_methods(["GET", "POST"])
def my_export(request):
    me = _me_or_404(request)
    if request.method == "GET":
        return render(request, "privacy/export.html", {"employee": me})
    name, data = build_zip(me, actor=request.user, channel=UI)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def aggregate_view(request):
    if not policy.can_view_aggregates(request.user):
        raise Http404("Not found, or you may not see it.")
    today = timezone.localdate()
    start = today.replace(day=1) - dt.timedelta(days=365)
    cells = aggregates.usage_cells(start.replace(day=1), today)
    return render(request, "privacy/aggregates.html", {
        "cells": cells, "min_cell": aggregates.MIN_CELL, "sources": sorted(aggregates.sources()),
        "start": start.replace(day=1), "end": today,
    })


__all__ = ["my_access", "employee_access", "my_consents", "revoke_consent", "my_export", "aggregate_view",
           "AccessLog"]
