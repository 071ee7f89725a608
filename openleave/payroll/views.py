"""Payroll pages (the payroll office only, ``policy.can_export_payroll``): the batches with their reconciliation
status, the export form, a batch's page with its reconciliation, and the CSV download (streamed). Anyone else: 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openleave import inputs
from openleave.people.models import PayCalendar

from . import selectors, services
from .errors import PayrollError

LIST_LIMIT = 26  # a year of biweekly batches on the list page (each is reconciled there); the API lists them all


def _guard(fn):
    def wrapped(request, *args, **kwargs):
        try:
            return fn(request, *args, **kwargs)
        except services.NotAllowed as exc:
            raise PermissionDenied(exc.message) from None

    wrapped.__name__ = fn.__name__
    wrapped.__doc__ = fn.__doc__
    return wrapped


def _list(request, *, error: str = "", day: str = "", status: int = 200):
    rows = [(b, selectors.reconcile(b)) for b in selectors.batches_for(request.user, limit=LIST_LIMIT)]
    return render(request, "payroll/batches.html",
                  {"rows": rows, "calendars": PayCalendar.objects.order_by("name"), "error": error, "day": day},
                  status=status)


@login_required
@_guard
def batches(request):
    return _list(request)


@login_required
@require_POST
@_guard
def export(request):
    day = (request.POST.get("period_including") or "").strip()
    cal = PayCalendar.objects.filter(pk=request.POST.get("calendar") or 0).first() if request.POST.get("calendar") \
        else None
    if cal is None:
        cals = list(PayCalendar.objects.all()[:2])
        cal = cals[0] if len(cals) == 1 else None
    if cal is None:
        return _list(request, error="calendar: choose the pay calendar.", day=day, status=400)
    try:
        batch = services.payroll_batch_export(calendar=cal, period_including=day, by=request.user)
    except (PayrollError, inputs.BadInput) as exc:
        if isinstance(exc, services.NotAllowed):
            raise
        return _list(request, error=str(exc), day=day, status=getattr(exc, "status", 400) if
                     getattr(exc, "status", 400) < 500 else 400)
    messages.success(request, f"Batch {batch.pk} exported: {batch.rows} lines for {batch.employees} employees.")
    return redirect("payroll:batch", batch_id=batch.pk)


@login_required
@_guard
def batch_page(request, batch_id: int):
    try:
        batch = selectors.batch_for(request.user, batch_id)
    except PayrollError as exc:
        if isinstance(exc, services.NotAllowed):
            raise
        return render(request, "payroll/batch.html", {"error": exc.message}, status=exc.status)
    return render(request, "payroll/batch.html", {"batch": batch, "rec": selectors.reconcile(batch)})


@login_required
@_guard
def batch_csv(request, batch_id: int):
    try:
        batch = selectors.batch_for(request.user, batch_id)
    except PayrollError as exc:
        if isinstance(exc, services.NotAllowed):
            raise
        return render(request, "payroll/batch.html", {"error": exc.message}, status=exc.status)
    response = StreamingHttpResponse(selectors.download(request.user, batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="payroll-batch-{batch.pk}-{batch.period_start}.csv"'
    response["Cache-Control"] = "no-store"
    response["X-Checksum-SHA256"] = batch.sha256
    return response
