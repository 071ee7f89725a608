"""Grievance pages (Art. 23, Appendix B). Thin: the selectors check ``policy.can_view_grievance`` and log each
read; the services check who records and refuse impossible dates. A refusal is the 404 of a page that does not
exist; a bad date re-shows the page with the message (400)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from openleave import documents, inputs, policy
from openleave.audit.access import record_access
from openleave.leave import reconsider as rc
from openleave.leave.errors import LeaveError
from openleave.leave.models import GrievanceOutcome
from openleave.people.selectors import employee_or_404
from openleave.rules.grievance import TRACK_KEYS, TRACK_LABELS
from openleave.rules.units import hours_str

from . import calendar_feed
from . import selectors as sel
from . import services as svc
from .errors import GrievanceRefused

REPORT = "grievance/report.html"


def _act(request, act: str, pk: int):
    if act not in sel.ACTS:
        raise Http404("Not found.")
    return sel.act_for(request.user, act, pk)


def _track_ctx(request, a, error=None, post=None) -> dict:
    ctx = sel.act_deadlines(request.user, a)
    return {**ctx, "keys": [(k, TRACK_LABELS[k]) for k in TRACK_KEYS], "error": error, "post": post or {},
            "can_record": policy.can_record_grievance(request.user, a.employee), "kind": a.kind, "pk": a.pk}


@login_required
@policy.not_visible_is_404
def mine(request):
    own = request.user.employee_or_none
    if own is None:
        raise Http404("You have no employee record.")
    tracks = sel.my_tracks(request.user, own)
    from openleave.leave.models import Decision

    decisions = (Decision.objects.filter(request__employee=own, outcome__in=sel.GRIEVABLE_OUTCOMES,
                                         reconsidered_by__isnull=True)
                 .select_related("request").order_by("-decided_at")[:50])
    return render(request, "grievance/mine.html", {"tracks": tracks, "decisions": decisions,
                                                    "entries": sel.grievable_entries(own)})


@login_required
@policy.not_visible_is_404
def track(request, act: str, pk: int):
    a = _act(request, act, pk)
    return render(request, "grievance/track.html", _track_ctx(request, a))


@login_required
@policy.not_visible_is_404
@require_POST
def record(request, act: str, pk: int):
    a = _act(request, act, pk)
    key = request.POST.get("key", "")
    try:
        day = inputs.day(request.POST.get("day", ""), "day")
        if day is None:
            raise GrievanceRefused("day", "Give the date.")
        known = inputs.day(request.POST.get("event_date", ""), "event_date")
        t = svc.grievance_track_open(user=request.user, decision=a.decision, ledger_entry=a.entry, event_date=known)
        svc.grievance_date_record(user=request.user, track=t, key=key, day=day)
    except (GrievanceRefused, inputs.BadInput) as exc:
        return render(request, "grievance/track.html", _track_ctx(request, a, error=exc, post=request.POST), status=400)
    messages.success(request, f"Recorded: {TRACK_LABELS[key]} on {day}.")
    return redirect(reverse("grievance:track", args=[act, pk]))


@login_required
@policy.not_visible_is_404
def report(request, act: str, pk: int):
    a = _act(request, act, pk)
    ctx = sel.report_context(request.user, a, request.GET.get("step"))
    return render(request, REPORT, documents.page_context(ctx))


@login_required
@policy.not_visible_is_404
def report_pdf(request, act: str, pk: int):
    a = _act(request, act, pk)
    ctx = sel.report_context(request.user, a, request.GET.get("step"), what="grievance report (PDF)")
    return documents.pdf_response(REPORT, ctx, request=request, title=f"Grievance report — {a.employee.name}",
                                  filename=f"grievance-report-{a.kind}-{a.pk}.pdf")


@login_required
@policy.not_visible_is_404
def calendar_ics(request, act: str, pk: int):
    a = _act(request, act, pk)
    ctx = sel.act_deadlines(request.user, a, what="grievance calendar (.ics)")
    feed = calendar_feed.ics(ctx["steps"], f"{a.employee.name} — grievance time limits (Art. 23)",
                             f"grievance-{a.kind}-{a.pk}", timezone.now())
    resp = HttpResponse(feed, content_type="text/calendar; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="grievance-{a.kind}-{a.pk}.ics"'
    return resp


def _outcomes_page(request, employee, *, post=None, status=200):
    """The member's recorded grievance outcomes (Art. 23) and, for HR / the Appointing Authority, the form for an
    outcome over a ledger entry (a forfeiture, an adjustment) or another act in words. Outcomes over a request's
    decision are recorded on the request's page."""
    own = request.user.employee_or_none
    may_record = policy.can_record_grievance_outcome(request.user, employee) and not policy.is_read_only(request.user)
    if not ((own is not None and own.pk == employee.pk) or may_record):
        raise Http404()
    outcomes = rc.outcomes_of(employee)
    entries = sel.grievable_entries(employee) if may_record else []
    record_access(actor=request.user, subject=employee, object_type="grievance_outcome", object_id="",
                  category=policy.LEAVE, channel="ui",
                  fields="grievance outcomes" + (", forfeitures and adjustments that may be grieved" if entries else ""))
    return render(request, "grievance/outcomes.html", {
        "employee": employee, "outcomes": [{"o": o, "step_cite": rc.STEP_CITES[o.step],
                                            "hours": hours_str(o.correction_micro)} for o in outcomes],
        "can_record": may_record, "entries": entries, "steps": GrievanceOutcome.Step.choices,
        "results": GrievanceOutcome.Result.choices, "post": post or {},
    }, status=status)


@login_required
def employee_outcomes(request, employee_number: str):
    employee = employee_or_404(request.user, employee_number, policy.LEAVE)
    if request.method != "POST":
        return _outcomes_page(request, employee)
    if not policy.can_record_grievance_outcome(request.user, employee) or policy.is_read_only(request.user):
        raise Http404()
    p = request.POST
    act = p.get("act_choice", "")
    entry_id = int(act[6:]) if act.startswith("entry:") and act[6:].isdigit() else None
    correction = {"restore": "restore", "reverse": "reverse"}.get(p.get("correction", ""), "none")
    try:
        rc.grievance_outcome_record(
            employee=employee, user=request.user, result=p.get("result", ""), step=p.get("step", ""),
            decided_on=p.get("decided_on"), reference=p.get("reference", ""), text=p.get("text", ""),
            ledger_entry_id=entry_id, act=p.get("act", "") if entry_id is None else "", correction=correction)
    except LeaveError as exc:  # the outcome's refusals (openleave.leave.reconsider)
        messages.error(request, exc.message)
        return _outcomes_page(request, employee, post=p, status=400)
    messages.success(request, "Grievance outcome recorded; the employee has been notified.")
    return redirect("grievance:outcomes", employee_number=employee.employee_number)
