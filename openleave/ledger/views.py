"""Ledger pages: an employee's balances and lines; HR's cited adjustment. Thin: policy + selectors + services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openleave import clock, policy
from openleave.audit.access import record_access
from openleave.people.selectors import employee_or_404

from . import selectors, services
from .forms import AdjustmentForm
from .models import LEAVE_SLUGS, Leave


def ledger_context(user, employee, channel: str = "ui") -> dict:
    """Balances and lines per leave type; records the read."""
    record_access(actor=user, subject=employee, object_type="ledger", object_id=employee.pk,
                  category=policy.LEAVE, channel=channel, fields="balances, ledger lines")
    parts = selectors.balance_parts(employee, clock.today())
    leaves = [{"leave": p.leave, "slug": p.slug, "label": p.label, "balance": selectors.hours_str(p.balance),
               "parts": p, "hours": p.hours(), "lines": selectors.ledger_lines(employee, p.leave)}
              for p in parts.values()]
    from .comp_days import comp_days

    days = [d for d in comp_days(employee, clock.today()) if d.remaining > 0 or d.last_day >= clock.today()]
    return {"employee": employee, "leaves": leaves, "as_of": clock.today(), "comp_days": days}


@login_required
def employee_ledger(request, employee_number: str):
    employee = employee_or_404(request.user, employee_number, policy.LEAVE)
    ctx = ledger_context(request.user, employee)
    can_adjust = policy.can_manage_ledger(request.user, employee) and not policy.is_read_only(request.user)
    ctx.update(can_adjust=can_adjust, form=AdjustmentForm() if can_adjust else None)
    return render(request, "ledger/employee_ledger.html", ctx)


@login_required
@require_POST
def employee_ledger_adjust(request, employee_number: str):
    employee = employee_or_404(request.user, employee_number, policy.LEAVE)
    if not policy.can_manage_ledger(request.user, employee) or policy.is_read_only(request.user):
        raise PermissionDenied("Only HR of the employee's agency may post an adjustment.")
    form = AdjustmentForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            entry = services.ledger_adjust(employee=employee, leave=d["leave"], micro=d["hours"], cite=d["cite"],
                                           reason=d["reason"], by=request.user, effective_date=d["effective_date"],
                                           below_zero=d["below_zero"])
        except services.AdjustmentInvalid as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Posted {entry.hours_display()} h {Leave(entry.leave).label} ({entry.cite}).")
            return redirect("ledger", employee_number=employee.employee_number)
    ctx = ledger_context(request.user, employee)
    ctx.update(can_adjust=True, form=form)
    return render(request, "ledger/employee_ledger.html", ctx, status=400)


# --- opening balances by vintage: HR's import (issue 12, item 1) -------------------------------------

UPLOAD_MAX = 2_000_000  # bytes of CSV accepted from the page (larger files: manage.py import_opening_balances)


def _may_import(user) -> bool:
    from openleave.accounts import roles as R

    return user.has_role(R.HR) and not policy.is_read_only(user)


@login_required
def opening_balances_import(request):
    """Upload a CSV of opening balances by vintage; the dry run is shown first (every row's status, every problem
    with its row and column), then HR confirms and the same text is imported — checked again, in one transaction."""
    from . import openings

    if not _may_import(request.user):
        raise Http404("Not found, or you may not see it.")
    labels = {slug: Leave(k).label for k, slug in LEAVE_SLUGS.items() if slug in openings.OPENABLE}
    ctx = {"columns": openings.COLUMNS, "leaves": openings.OPENABLE, "leave_labels": labels, "upload_max": UPLOAD_MAX}
    if request.method != "POST":
        return render(request, "ledger/opening_balances.html", ctx)
    confirm = request.POST.get("action") == "confirm"
    if confirm:
        text, name = request.POST.get("csv_text", ""), request.POST.get("file_name", "")[:100]
    else:
        upload = request.FILES.get("file")
        if upload is None:
            return render(request, "ledger/opening_balances.html", {**ctx, "error": "Choose a CSV file to check."},
                          status=400)
        if upload.size > UPLOAD_MAX:
            return render(request, "ledger/opening_balances.html",
                          {**ctx, "error": f"The file is larger than {UPLOAD_MAX:,} bytes: split it, or ask for "
                                           "manage.py import_opening_balances."}, status=400)
        try:
            text, name = upload.read().decode("utf-8"), upload.name[:100]
        except UnicodeDecodeError:
            return render(request, "ledger/opening_balances.html",
                          {**ctx, "error": "The file is not UTF-8 text: save it as CSV UTF-8."}, status=400)
    try:
        rows = openings.read_csv(text)
        report = openings.import_opening_balances(rows=rows, by=request.user, channel="ui", dry_run=not confirm,
                                                  source=name)
    except (openings.ImportRefused, services.OpeningsConflict) as exc:
        return render(request, "ledger/opening_balances.html", {**ctx, "error": str(exc)}, status=400)
    ctx.update(report=report, csv_text=text, file_name=name, confirmed=confirm and report.ok)
    return render(request, "ledger/opening_balances.html", ctx, status=200 if report.ok else 400)
