"""The planner's pages: plan (nothing submitted), share a plan with the supervisor chain, open a shared plan.
Thin: the services parse and write, the selectors project and log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openleave import policy
from openleave.leave import selectors as leave_sel
from openleave.leave.errors import LeaveError

from . import selectors as sel
from . import services as svc

BLANK_ROWS = 3


not_visible_is_404 = policy.not_visible_is_404


def _me(user):
    own = user.employee_or_none
    if own is None or not policy.can_plan(user, own):
        raise policy.NotVisible()
    return own


def _ctx(employee, rows: list[dict], **kw) -> dict:
    shown_rows = rows + [{} for _ in range(max(0, BLANK_ROWS - len(rows)))] if not rows else rows
    return {"me": employee, "kinds": leave_sel.kind_choices(), "rows": list(enumerate(shown_rows)),
            "today": timezone.localdate(), "share_days": svc.SHARE_DAYS, "default_days": svc.DEFAULT_SHARE_DAYS,
            "shares": sel.my_shares(employee), "now": timezone.now(), **kw}


@login_required
@not_visible_is_404
@require_http_methods(["GET", "POST"])
def planner(request):
    """GET: the form (and the balances as they stand); POST: the projection of the rows (htmx: the result only)."""
    me = _me(request.user)
    raw = svc.rows_from_form(request.POST) if request.method == "POST" else []
    error = result = None
    status = 200
    try:
        rows = svc.parse_rows(raw, today=timezone.localdate())
        result = sel.shown(sel.plan_for(request.user, me, rows), full=True)
    except LeaveError as exc:
        error, status = exc, exc.status
    if request.headers.get("HX-Request") and request.method == "POST":  # the result only; htmx swaps only a 200
        return render(request, "planner/_result.html", {"error": error, "result": result})
    return render(request, "planner/planner.html", _ctx(me, raw, error=error, result=result), status=status)


@login_required
@not_visible_is_404
@require_GET
def planner_row(request):
    """One more blank row for the form (htmx)."""
    _me(request.user)
    try:
        n = min(max(int(request.GET.get("n", "0")), 0), svc.MAX_ROWS)
    except ValueError:
        n = 0
    return render(request, "planner/_row.html", {"i": n, "row": {}, "kinds": leave_sel.kind_choices()})


@login_required
@not_visible_is_404
@require_POST
def planner_share(request):
    """Share the rows with the supervisor chain: the link is shown once, on the page this answers with."""
    me = _me(request.user)
    raw = svc.rows_from_form(request.POST)
    try:
        rows = svc.parse_rows(raw, today=timezone.localdate())
        days = str(request.POST.get("days") or svc.DEFAULT_SHARE_DAYS)
        share, token = svc.plan_share_create(employee=me, user=request.user, rows=rows, title=request.POST.get("title", ""),
                                             days=int(days) if days.isdigit() and len(days) < 4 else 0)
    except LeaveError as exc:
        return render(request, "planner/planner.html", _ctx(me, raw, error=exc), status=exc.status)
    link = request.build_absolute_uri(reverse("planner:shared", args=[token]))
    result = sel.shown(sel.plan_for(request.user, me, rows), full=True)
    return render(request, "planner/planner.html", _ctx(me, raw, result=result, new_link=link, new_share=share))


@login_required
@not_visible_is_404
@require_POST
def planner_share_revoke(request, pk: int):
    svc.plan_share_revoke(share_id=pk, user=request.user)
    messages.success(request, "The shared link is closed: nobody can open it any more.")
    return redirect("planner:plan")


@login_required
@not_visible_is_404
@require_GET
def shared_plan(request, token: str):
    """A shared plan, read only: the employee and their supervisor chain; anyone else gets the 404 of a missing page."""
    share, rows, projection = sel.shared_plan_open(request.user, token)
    own = request.user.employee_or_none
    full = own is not None and own.pk == share.employee_id
    return render(request, "planner/shared.html", {"share": share, "employee": share.employee, "plan_rows": rows,
                                                   "result": sel.shown(projection, full=full)})
