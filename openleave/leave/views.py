"""Leave pages. Thin: they ask the selectors (which ask ``openleave.policy``) and call the services.

Every read of someone's leave data is written to the access log."""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from openleave import inputs, policy
from openleave.audit.access import Access, record_access, record_many, record_reads
from openleave.ledger.selectors import balance_parts
from openleave.people.models import Agency
from openleave.rules.provenance import MissingInputs
from openleave.rules.units import hours_str

from . import calendar_feed, replay, union_limits
from . import reconsider as rc
from . import selectors as sel
from . import services as svc
from .errors import LeaveError
from .forms import KIND_HELP, data_from_post, fields_for
from .models import Absence, GrievanceOutcome, Notification, StateOfEmergency
from .selectors import log_notifications, log_people, notifications_of

not_visible_is_404 = policy.not_visible_is_404


def _own_or_404(user):
    own = user.employee_or_none
    if own is None:
        raise Http404("You have no employee record.")
    return own


def _log(user, employee, obj: str, pk="", channel: str = "ui"):
    record_access(actor=user, subject=employee, object_type=obj, object_id=pk, category=policy.LEAVE, channel=channel)


@login_required
@not_visible_is_404
def my_leave(request):
    own = _own_or_404(request.user)
    _log(request.user, own, "leave_requests")
    reqs = list(sel.my_requests(own))
    notes = notifications_of(request.user, 20)
    log_notifications(request.user, notes)
    return render(request, "leave/my_leave.html", {
        "me": own,
        "requests": [sel.request_view(request.user, r) for r in reqs],
        "absences": Absence.objects.filter(employee=own)[:50],
        "notifications": notes,
        "unread": Notification.objects.filter(user=request.user, read_at__isnull=True).count(),
    })


def _form_ctx(kind: str, post=None, error: LeaveError | None = None, *, for_employee=None, amends=None) -> dict:
    return {
        "kinds": sel.kind_choices(), "kind": kind, "fields": fields_for(kind), "kind_help": KIND_HELP.get(kind, ""),
        "post": post or {}, "chosen": {f: post.getlist(f) for f in post} if post else {},
        "error": error, "for_employee": for_employee, "amends": amends,
        "action": reverse("leave:amend", args=[amends.pk]) if amends else reverse("leave:new"),
    }


def _on_behalf_of(request):
    """The employee HR / the Appointing Authority enters a request for (``for=<employee number>``), or None."""
    number = (request.POST.get("for") or request.GET.get("for") or "").strip()
    if not number:
        return None
    emp = (policy.visible_employees(request.user, policy.LEAVE).select_related("agency", "user")
           .filter(employee_number=number).first())
    if emp is None or not policy.can_submit_for(request.user, emp):
        raise Http404("Not found, or you may not see it.")
    return emp


def _amendable(req, today) -> bool:
    S = req.Status
    return req.status == S.SUBMITTED or (req.status in (S.APPROVED, S.PARTLY_APPROVED) and req.start_date > today)


def _may_enter(user, req) -> bool:
    own = user.employee_or_none
    return (own is not None and own.pk == req.employee_id) or policy.can_submit_for(user, req.employee)


def _post_of(req) -> QueryDict:
    """An existing request as the form's posted values (to amend it)."""
    q = QueryDict(mutable=True)
    q.update({"kind": req.kind, "start_date": req.start_date.isoformat(), "end_date": req.end_date.isoformat(),
              "start_time": req.start_time.strftime("%H:%M") if req.start_time else "",
              "end_time": req.end_time.strftime("%H:%M") if req.end_time else "",
              "hours": str(req.hours) if req.hours is not None else ""})
    for key, value in (req.facts or {}).items():
        if key == "charge_excess_to":
            q.setlist(key, list(value))
        elif isinstance(value, bool):
            q[key] = "yes" if value else "no"
        else:
            q[key] = str(value)
    return q


@login_required
@not_visible_is_404
def request_new(request):
    for_employee = _on_behalf_of(request)
    employee = for_employee or _own_or_404(request.user)
    if request.method == "POST":
        try:
            data = svc.parse_input(data_from_post(request.POST))
            req = svc.leave_request_submit(employee=employee, user=request.user, data=data)
        except LeaveError as exc:  # an overlap with another request is a 409, every other problem a 400
            ctx = _form_ctx(request.POST.get("kind", ""), request.POST, exc, for_employee=for_employee)
            return render(request, "leave/request_form.html", ctx, status=409 if exc.status == 409 else 400)
        who = f" for {employee.name}; they have been notified" if for_employee else ""
        messages.success(request, f"Request {req.pk} submitted{who}: {req.get_status_display().lower()}.")
        return redirect("leave:request", pk=req.pk)
    kind = request.GET.get("kind", "vacation")
    return render(request, "leave/request_form.html",
                  _form_ctx(kind if kind in dict(sel.kind_choices()) else "vacation", for_employee=for_employee))


@login_required
@not_visible_is_404
def request_for_whom(request):
    """HR / the Appointing Authority: choose the employee to enter a request for."""
    members = [m for m in sel.team_members(request.user).select_related("agency")
               if policy.can_submit_for(request.user, m)]
    if not members:
        raise Http404("Not found, or you may not see it.")
    record_reads(actor=request.user, channel="ui", subjects=members, object_type="employee_list",
                 category=policy.DIRECTORY)
    return render(request, "leave/request_for_whom.html", {"members": members})


@login_required
@not_visible_is_404
def request_amend(request, pk: int):
    """Replace a pending request, or approved leave not yet begun, by an amended one (checked afresh; the old
    one is closed as amended and its charges reversed)."""
    old = sel.request_for(request.user, pk)
    if not _may_enter(request.user, old):
        raise Http404("Not found, or you may not see it.")
    for_employee = None if request.user.employee_or_none == old.employee else old.employee
    if not _amendable(old, timezone.localdate()):
        messages.error(request, f"This request is {old.get_status_display().lower()}: it cannot be amended "
                                "(leave that has begun is corrected by HR / the Appointing Authority).")
        return redirect("leave:request", pk=pk)
    if request.method == "POST":
        try:
            data = svc.parse_input(data_from_post(request.POST))
            req = svc.leave_request_submit(employee=old.employee, user=request.user, data=data, amends=old)
        except LeaveError as exc:
            ctx = _form_ctx(request.POST.get("kind", ""), request.POST, exc, for_employee=for_employee, amends=old)
            return render(request, "leave/request_form.html", ctx, status=409 if exc.status == 409 else 400)
        messages.success(request, f"Request {old.pk} was replaced by request {req.pk}: "
                                  f"{req.get_status_display().lower()}. Any hours charged for it were reversed.")
        return redirect("leave:request", pk=req.pk)
    _log(request.user, old.employee, "leave_request", old.pk)
    return render(request, "leave/request_form.html",
                  _form_ctx(old.kind, _post_of(old), for_employee=for_employee, amends=old))


@login_required
@not_visible_is_404
def request_fields(request):
    """htmx: the kind-specific fields when the kind changes."""
    kind = request.GET.get("kind", "")
    return render(request, "leave/_fields.html", _form_ctx(kind))


@login_required
@not_visible_is_404
@require_POST
def request_preview(request):
    """htmx: the contract's finding and the balance after the request, before submitting."""
    employee = _on_behalf_of(request) or _own_or_404(request.user)
    exclude = None
    if (request.POST.get("amends") or "").isdigit():
        old = sel.request_for(request.user, int(request.POST["amends"]))
        if old.employee_id != employee.pk:
            raise Http404("Not found, or you may not see it.")
        exclude = old.pk
    try:
        data = svc.parse_input(data_from_post(request.POST))
        preview = svc.leave_request_check(employee=employee, data=data, exclude=exclude, user=request.user)
    except LeaveError as exc:
        return render(request, "leave/_preview.html", {"error": exc})
    return render(request, "leave/_preview.html", {"p": preview.as_json()})


@login_required
@not_visible_is_404
def request_detail(request, pk: int):
    req = sel.request_for(request.user, pk)
    _log(request.user, req.employee, "leave_request", req.pk)
    own = request.user.employee_or_none
    return render(request, "leave/request_detail.html", {
        "r": sel.request_view(request.user, req), "req": req,
        "is_own": own is not None and own.pk == req.employee_id,
        "can_decide": policy.can_decide(request.user, req) and req.is_pending,
        "can_correct": policy.can_manage_ledger(request.user, req.employee),
        "can_amend": _amendable(req, timezone.localdate()) and _may_enter(request.user, req),
        "entered_by": (req.created_by.display_name()
                       if req.created_by_id and req.created_by_id != req.employee.user_id else ""),
        "today": timezone.localdate(),
        **_reconsider_ctx(request.user, req),
        "scenario": _scenario_offer(request.user, req),
    })


def _reconsider_ctx(user, req, post=None, error=None) -> dict:
    """What the request page needs for the chain of decisions, the reconsider form and the outcome form."""
    current = req.decision
    may_reconsider = current is not None and req.status in rc.RECONSIDERABLE and policy.can_decide(user, req)
    may_record = current is not None and policy.can_record_grievance_outcome(user, req.employee)
    outcomes = list(GrievanceOutcome.objects.filter(decision__request=req).select_related("recorded_by")
                    .order_by("id")) if current is not None else []
    return {
        "can_reconsider": may_reconsider, "can_record_outcome": may_record, "current_decision": current,
        "outcomes": [{"o": o, "step_cite": rc.STEP_CITES[o.step], "hours": hours_str(o.correction_micro)}
                     for o in outcomes],
        "steps": GrievanceOutcome.Step.choices, "results": GrievanceOutcome.Result.choices,
        "rgrounds": sel.request_view(user, req)["finding"].get("grounds", []) if may_reconsider else [],
        "rpost": post or {}, "rerror": error, "rchosen": post.getlist("grounds") if post else [],
    }


def _scenario_offer(user, req) -> str:
    """"ok" when the "Check this yourself" file can be offered, "missing" when the finding was stored without its
    facts, "" when this viewer may not have it."""
    if not policy.can_download_scenario(user, req):
        return ""
    try:
        replay.stored(req, replay.moment_of(req))
    except MissingInputs:
        return "missing"
    return "ok"


def scenario_response(user, req, channel: str = "ui") -> HttpResponse:
    """The request's scenario file as a download (the web page and the API share it)."""
    name, text = replay.scenario_for(user, req, channel=channel)
    resp = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


@login_required
@not_visible_is_404
@require_POST
def request_reconsider(request, pk: int):
    """A decider reconsiders the current decision (Art. 23): a new decision; the old one stays as it was."""
    req = sel.request_for(request.user, pk)
    try:
        rc.decision_reconsider(request_id=pk, user=request.user, outcome=request.POST.get("outcome", ""),
                               text=request.POST.get("text", ""),
                               approved_hours=request.POST.get("approved_hours") or None,
                               grounds=request.POST.getlist("grounds"),
                               decision_id=request.POST.get("decision_id") or None)
    except LeaveError as exc:
        messages.error(request, exc.message)
        return redirect("leave:request", pk=req.pk)
    messages.success(request, "Decision reconsidered; the employee has been notified.")
    return redirect("leave:request", pk=req.pk)


@login_required
@not_visible_is_404
@require_POST
def request_outcome(request, pk: int):
    """HR / the Appointing Authority records a grievance outcome over the request's current decision."""
    req = sel.request_for(request.user, pk)
    current = req.decision
    try:
        rc.grievance_outcome_record(
            employee=req.employee, user=request.user, result=request.POST.get("result", ""),
            step=request.POST.get("step", ""), decided_on=request.POST.get("decided_on"),
            reference=request.POST.get("reference", ""), text=request.POST.get("text", ""),
            decision_id=current.pk if current else None,
            correction="approve" if request.POST.get("correction") == "approve" else "none",
            correction_hours=request.POST.get("correction_hours") or None)
    except LeaveError as exc:
        messages.error(request, exc.message)
        return redirect("leave:request", pk=req.pk)
    messages.success(request, "Grievance outcome recorded; the employee has been notified.")
    return redirect("leave:request", pk=req.pk)


@login_required
@not_visible_is_404
@require_GET
def request_scenario(request, pk: int):
    """"Check this yourself": the scenario file that reproduces the request's finding (docs/scenarios.md)."""
    req = sel.request_for(request.user, pk)
    try:
        return scenario_response(request.user, req)
    except LeaveError as exc:
        messages.error(request, exc.message)
        return redirect("leave:request", pk=pk)


@login_required
@not_visible_is_404
@require_POST
def request_cancel(request, pk: int):
    try:
        svc.leave_request_cancel(request_id=pk, user=request.user, reason=request.POST.get("reason", ""),
                                 cite=request.POST.get("cite", ""))
        messages.success(request, "The request was withdrawn; any hours charged were reversed in the ledger.")
    except LeaveError as exc:
        messages.error(request, exc.message)
    return redirect("leave:request", pk=pk)


def _decision_ctx(user, req, post=None, error=None) -> dict:
    seen = sel.decision_conflicts(user, req)
    full = policy.sees_everything(user, req)
    bal = balance_parts(req.employee, req.start_date, exclude_request=req.pk)
    _log_colleagues(user, req, seen)
    return {
        "r": sel.request_view(user, req), "req": req,
        "balances": [{"slug": p.slug, "label": p.label, "hours": p.hours()} for p in bal.values()],
        "conflicts": [{"name": o.employee.name, "title": o.employee.title.name, "start": o.start_date, "end": o.end_date,
                       "kind": sel.kind_shown(user, o), "pending": o.status in sel.HOLDING} for o in seen.shown],
        "unnamed": seen.unnamed, "unnamed_total": sum(seen.unnamed.values()),
        "ranks": seen.ranks, "grounds": sel.request_view(user, req)["finding"].get("grounds", []), "full": full,
        "post": post or {}, "error": error, "chosen": post.getlist("grounds") if post else [],
    }


def _log_colleagues(user, req, seen) -> None:
    """One access-log row per colleague whose leave the decision page shows (named) or counts (Sec. 9.8)."""
    by_emp: dict[int, tuple] = {}
    for o in seen.shown:
        by_emp.setdefault(o.employee_id, (o.employee, [], "named"))[1].append(o.pk)
    for o in seen.counted:
        by_emp.setdefault(o.employee_id, (o.employee, [], "counted, not named (Sec. 9.8)"))[1].append(o.pk)
    record_many(actor=user, channel="ui", accesses=[
        Access(subject=emp, object_type="leave_request", object_id=",".join(map(str, pks))[:60],
               category=policy.LEAVE, fields=f"colleague's leave on the decision page of request {req.pk}: {how}")
        for emp, pks, how in by_emp.values()])


@login_required
@not_visible_is_404
def request_decide(request, pk: int):
    req = sel.request_for(request.user, pk)
    if not policy.can_decide(request.user, req):
        raise Http404("You may not decide this request.")
    if request.method == "POST":
        try:
            svc.leave_request_decide(request_id=pk, user=request.user, outcome=request.POST.get("outcome", ""),
                                     approved_hours=request.POST.get("approved_hours") or None,
                                     grounds=request.POST.getlist("grounds"), text=request.POST.get("text", ""))
        except LeaveError as exc:
            return render(request, "leave/decide.html", _decision_ctx(request.user, req, request.POST, exc), status=400)
        messages.success(request, "Decision recorded; the employee has been notified.")
        return redirect("leave:queue")
    _log(request.user, req.employee, "leave_request", req.pk)
    return render(request, "leave/decide.html", _decision_ctx(request.user, req))


QUEUE_PAGE = 50  # requests per page of the queue


@login_required
@not_visible_is_404
def queue(request):
    from django.core.paginator import Paginator

    page = Paginator(sel.decision_queue(request.user).select_related("employee__supervisor").prefetch_related("decisions")
                     .prefetch_related("charges"), QUEUE_PAGE).get_page(request.GET.get("page"))
    qs = list(page.object_list)
    by_subject: dict[int, list] = {}
    for r in qs:
        by_subject.setdefault(r.employee_id, []).append(r)
    # one access-log row per person read, naming the requests — all appended at once
    record_many(actor=request.user, channel="ui", accesses=[
        Access(subject=reqs[0].employee, object_type="leave_request",
               object_id=",".join(str(r.pk) for r in reqs)[:60], category=policy.LEAVE)
        for reqs in by_subject.values()])
    return render(request, "leave/queue.html", {"rows": [sel.request_view(request.user, r) for r in qs],
                                                "page": page})


def _month(request) -> tuple[int, int]:
    """``?month=YYYY-MM`` (default this month), within the contract's dates; a bad one is a 400 saying so."""
    d = inputs.month(request.GET.get("month"), "month") or timezone.localdate()
    return d.year, d.month


@login_required
@not_visible_is_404
def team(request):
    year, month = _month(request)
    members = list(sel.team_members(request.user))
    if not members and not request.user.has_role("supervisor"):
        raise Http404
    log_people(request.user, members, "team_calendar", f"{year}-{month:02d}")
    cal = sel.team_calendar(request.user, year, month)
    first = cal["first"]
    prev = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    nxt = (cal["last"] + dt.timedelta(days=1)).strftime("%Y-%m")
    return render(request, "leave/team.html", {"cal": cal, "month": first, "prev": prev, "next": nxt,
                                               "month_str": first.strftime("%Y-%m"), "today": timezone.localdate()})


@login_required
@not_visible_is_404
def team_csv(request):
    year, month = _month(request)
    rows = sel.monthly_summary(request.user, year, month)
    if not rows and not request.user.has_role("supervisor"):
        raise Http404
    resp = HttpResponse(content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="absence-summary-{year}-{month:02d}.csv"'
    w = csv.writer(resp)
    w.writerow(["month", "employee_number", "employee", "leave", "hours"])
    for r in rows:
        w.writerow([f"{year}-{month:02d}", r["employee"].employee_number, r["employee"].name, r["kind"],
                    hours_str(r["micro"])])
    log_people(request.user, [r["employee"] for r in rows], "absence_summary", f"{year}-{month:02d}",
               action="export", fields="monthly absence summary (CSV)")
    return resp


@login_required
@not_visible_is_404
def absence_new(request):
    members = list(sel.team_members(request.user))
    if not members:
        raise Http404
    ctx = {"members": members, "post": request.POST or {}, "today": timezone.localdate()}
    if request.method == "POST":
        emp = next((m for m in members if m.employee_number == request.POST.get("employee")), None)
        try:
            if emp is None:
                raise LeaveError("Choose a member of your team.", field="employee")
            date = svc._date(request.POST.get("date"), "date")
            if date is None:
                raise LeaveError("Give the date of the absence.", field="date")
            svc.absence_record(employee=emp, user=request.user, date=date, hours=request.POST.get("hours") or "0",
                               note=request.POST.get("note", ""))
        except LeaveError as exc:
            return render(request, "leave/absence_form.html", {**ctx, "error": exc}, status=400)
        messages.success(request, f"Absence recorded for {emp.name}; they have been notified.")
        return redirect("leave:team")
    return render(request, "leave/absence_form.html", ctx)


@login_required
@not_visible_is_404
@require_POST
def notifications_read(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("leave:mine")


@login_required
@not_visible_is_404
def calendar_ics(request):
    own = _own_or_404(request.user)
    _log(request.user, own, "leave_calendar")
    feed = calendar_feed.ics(calendar_feed.my_calendar_events(own), f"{own.name} — approved leave", timezone.now())
    resp = HttpResponse(feed, content_type="text/calendar; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="my-leave.ics"'
    return resp


def _emergency_agencies(user) -> list:
    return [a for a in Agency.objects.select_related("appointing_authority").order_by("code")
            if policy.can_declare_emergency(user, a)]


@login_required
@not_visible_is_404
def emergency(request):
    """HR / the Appointing Authority records a declared state of emergency for an agency and dates (MOU)."""
    agencies = _emergency_agencies(request.user)
    if not agencies:
        raise Http404("Not found, or you may not see it.")
    ctx = {"agencies": agencies, "post": request.POST or {},
           "declarations": StateOfEmergency.objects.filter(agency__in=agencies)
           .select_related("agency", "declared_by")[:50]}
    if request.method == "POST":
        code = request.POST.get("agency") or (agencies[0].code if len(agencies) == 1 else "")
        agency = next((a for a in agencies if a.code == code), None)
        try:
            if agency is None:
                raise LeaveError("Choose the agency.", field="agency")
            soe = svc.emergency_declare(agency=agency, start_date=svc._date(request.POST.get("start_date"), "start_date"),
                                        end_date=svc._date(request.POST.get("end_date"), "end_date"),
                                        reason=request.POST.get("reason", ""), user=request.user)
        except LeaveError as exc:
            return render(request, "leave/emergency.html", {**ctx, "error": exc}, status=400)
        messages.success(request, f"State of emergency recorded for {soe.agency.code}, {soe.start_date} to "
                                  f"{soe.end_date}.")
        return redirect("leave:emergency")
    return render(request, "leave/emergency.html", ctx)


@login_required
@not_visible_is_404
@require_GET
def union_limits_view(request):
    """The union-wide limits of Art. 5 on a date (``?on=YYYY-MM-DD``, default today): used, remaining, holders."""
    raw = request.GET.get("on", "")
    try:
        on = inputs.day(raw, "on") or timezone.localdate()
    except inputs.BadInput as exc:
        return render(request, "leave/union_limits.html", {"error": exc.message, "on_raw": raw}, status=400)
    view = union_limits.officer_view(request.user, on)
    return render(request, "leave/union_limits.html", view)

