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
    from .reaccrue import corrections_of

    days = [d for d in comp_days(employee, clock.today()) if d.remaining > 0 or d.last_day >= clock.today()]
    corrections = [{"period": f"{c.correction.run.period_start}..{c.correction.run.period_end}",
                    "leave": Leave(c.leave).label, "paid_before": selectors.hours_str(c.paid_before),
                    "paid_after": selectors.hours_str(c.paid_after), "credit_before": selectors.hours_str(c.credit_before),
                    "credit_after": selectors.hours_str(c.credit_after),
                    "difference": ("+" if c.difference > 0 else "") + selectors.hours_str(c.difference),
                    "cite": c.cite, "batch": c.correction.upto_batch_id, "posted": c.correction.at}
                   for c in corrections_of(employee)]
    return {"employee": employee, "leaves": leaves, "as_of": clock.today(), "comp_days": days,
            "corrections": corrections}


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


# --- the year end for HR (issue 12, item 2): runs, a dry-run preview, the Sec. 8.2.B carry-over record ----------

def _may_year_end(user) -> bool:
    from openleave.accounts import roles as R

    return user.has_role(R.HR) and not policy.is_read_only(user)


def _year_end_runs() -> list[dict]:
    """The year-end runs with their summaries (counts only: no person's data), each figure with its citation."""
    from . import year_end_sql as S
    from .models import AccrualRun

    cites = {Leave(k).label: v for k, v in S.CITES.items()}
    out = []
    for r in AccrualRun.objects.filter(leave_set=AccrualRun.LeaveSet.YEAR_END).select_related("pay_calendar") \
            .order_by("-period_end")[:50]:
        s = r.summary or {}
        out.append({"run": r, "year": (r.rate_plan or {}).get("year", r.period_end.year), "summary": s,
                    "forfeited": [(k, v, cites.get(k, "")) for k, v in (s.get("forfeited_hours") or {}).items()],
                    "conversions": s.get("conversions") or {}})
    return out


def _carry_overs(user) -> list:
    """The recorded Sec. 8.2.B carry-overs of the employees this HR user manages; the read of each is logged."""
    from openleave.audit.access import UI, Access, record_many

    from .models import PersonalCarryOver

    qs = PersonalCarryOver.objects.select_related("employee", "recorded_by").order_by("-year", "-recorded_at")
    if user.agency_id is not None:
        qs = qs.filter(employee__agency_id=user.agency_id)
    rows = list(qs[:200])
    record_many(actor=user, channel=UI, accesses=[
        Access(subject=r.employee, object_type="personal_carry_over", object_id=r.pk, category=policy.LEAVE,
               fields=f"personal leave carry-over {r.year} (Sec. 8.2.B): reasons") for r in rows])
    return rows


def _preview(user, value: str) -> tuple[int | None, list[dict], str]:
    """The dry run of year ``value`` on every pay calendar: (year, [{calendar, summary}], error). Writes nothing
    but the access-log row of the read (as ``manage.py year_end --dry-run``)."""
    from openleave import inputs
    from openleave.people.models import PayCalendar

    from . import year_end

    try:
        y = inputs.year(value, "year")
    except inputs.BadInput as exc:
        return None, [], str(exc)
    out = []
    for cal in PayCalendar.objects.order_by("name"):
        try:
            r = year_end.year_end_run(calendar=cal, year=y, by=user, today=clock.today(), dry_run=True)
        except (year_end.YearNotEnded, year_end.YearEndOutOfOrder) as exc:
            return y, [], f"year: {exc}"
        except services.AlreadyRun as exc:
            return y, [], (f"year: the year end of {y} was already run on the pay calendar {cal.name} "
                           f"(run {exc.run.pk}): its summary is in the list below; nothing to preview.")
        s = r.summary()
        from . import year_end_sql as S

        cites = {Leave(k).label: v for k, v in S.CITES.items()}
        out.append({"calendar": cal, "summary": s,
                    "forfeited": [(k, v, cites.get(k, "")) for k, v in s["forfeited_hours"].items()]})
    return y, out, ""


def _may_run_year_end(user) -> bool:
    """Posting the year end touches every agency's employees: HR for every agency only (no agency of their own)."""
    return _may_year_end(user) and user.agency_id is None


def _run_year_end(request) -> str:
    """The real run from the page, after the preview and a confirmation: the same service as ``manage.py
    year_end``, on every pay calendar; then the new entries are sealed into the hash chain. '' or the error."""
    from openleave import inputs
    from openleave.people.models import PayCalendar

    from . import year_end
    from .chain import LedgerBusy, seal_ledger

    try:
        y = inputs.year(request.POST.get("year", ""), "year")
    except inputs.BadInput as exc:
        return str(exc)
    if request.POST.get("confirm") != "yes":
        return f"confirm: tick the box to confirm that the year end of {y} is to be posted (once; it is not undone)."
    done = []
    for cal in PayCalendar.objects.order_by("name"):
        try:
            r = year_end.year_end_run(calendar=cal, year=y, by=request.user, today=clock.today())
        except (year_end.YearNotEnded, year_end.YearEndOutOfOrder) as exc:
            return f"year: {exc}"
        except services.AlreadyRun as exc:
            return f"year: the year end of {y} was already run on the pay calendar {cal.name} (run {exc.run.pk}); " \
                   "nothing written."
        done.append(f"{cal.name}: {r.rows} ledger rows for {r.employees} employees (run {r.run.pk})")
    try:
        seal_ledger()
    except LedgerBusy:
        pass  # sealed by the next pass (manage.py seal_ledger)
    messages.success(request, f"Posted the year end {y}: " + "; ".join(done) + ".")
    return ""


@login_required
def year_end_page(request):
    """HR: the year-end runs and their summaries, a dry-run preview of a year (writes nothing), and the Sec. 8.2.B
    carry-over record (one day of personal leave, where the operational needs of the agency prevented its use in
    November and December) with the carry-overs recorded. Other roles: 404."""
    from .forms import CarryOverForm
    from .year_end import CarryOverInvalid

    if not _may_year_end(request.user):
        raise Http404("Not found, or you may not see it.")
    status = 200
    form = CarryOverForm(initial={"year": clock.today().year})
    may_run = _may_run_year_end(request.user)
    run_error = ""
    if request.method == "POST" and request.POST.get("action") == "run":
        if not may_run:
            raise Http404("Not found, or you may not see it.")
        run_error = _run_year_end(request)
        if not run_error:
            return redirect("year_end")
        status = 400
    elif request.method == "POST":
        form = CarryOverForm(request.POST)
        if form.is_valid():
            from openleave.people.selectors import visible_employee

            from . import year_end

            emp = visible_employee(request.user, form.cleaned_data["employee_number"])
            if emp is None or not policy.can_manage_ledger(request.user, emp):
                form.add_error("employee_number", "No employee with this number whose leave you manage.")
            else:
                try:
                    year_end.personal_carry_over_record(employee=emp, year=form.cleaned_data["year"],
                                                        reasons=form.cleaned_data["reasons"], by=request.user,
                                                        today=clock.today())
                except CarryOverInvalid as exc:
                    field, _, message = str(exc).partition(": ")
                    form.add_error(field if field in form.fields else None, message or str(exc))
                except PermissionError as exc:
                    form.add_error("employee_number", str(exc))
                else:
                    messages.success(request, f"Carry-over of one day of personal leave recorded for {emp.name} "
                                              f"({emp.employee_number}), {form.cleaned_data['year']} (Sec. 8.2.B).")
                    return redirect("year_end")
        status = 400
    ctx = {"form": form, "runs": _year_end_runs(), "today": clock.today(), "may_run": may_run, "run_error": run_error,
           "run_year": request.POST.get("year", "")[:4] if run_error else ""}
    if "year" in request.GET:
        y, previews, error = _preview(request.user, request.GET.get("year", ""))
        ctx.update(preview_year=y, previews=previews, preview_error=error, preview_value=request.GET.get("year", ""))
        if error:
            status = 400
    ctx["carry_overs"] = _carry_overs(request.user)
    return render(request, "ledger/year_end.html", ctx, status=status)
