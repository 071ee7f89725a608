"""The compensatory-time page: what the employee has and until when; the supervisor's and HR's records.
Thin: policy + selectors + services; a refused record answers 400/403/409 with the field named."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openleave import policy
from openleave.people.selectors import employee_or_404
from openleave.rules.units import hours_str

from . import services
from .forms import CompDayTakenForm, CompTimeForm, HolidayOccasionForm
from .selectors import comp_record


def _page(request, employee, *, forms=None, status=200):
    can_record = policy.can_record_comp(request.user, employee)
    ctx = {"employee": employee, "can_record": can_record, **comp_record(request.user, employee)}
    forms = forms or {}
    if can_record:
        ctx.update(holiday_form=forms.get("holiday") or HolidayOccasionForm(),
                   time_form=forms.get("time") or CompTimeForm(), taken_form=forms.get("taken") or CompDayTakenForm())
    return render(request, "comp/employee_comp.html", ctx, status=status)


@login_required
def employee_comp(request, employee_number: str):
    return _page(request, employee_or_404(request.user, employee_number, policy.LEAVE))


def _post(request, employee_number: str, key: str, form_class, act):
    employee = employee_or_404(request.user, employee_number, policy.LEAVE)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            text = act(employee, form.cleaned_data)
        except services.CompError as exc:
            if exc.field and exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            else:
                form.add_error(None, exc.message)
            return _page(request, employee, forms={key: form}, status=exc.status)
        messages.success(request, text)
        return redirect("comp", employee_number=employee.employee_number)
    return _page(request, employee, forms={key: form}, status=400)


@login_required
@require_POST
def record_holiday(request, employee_number: str):
    def act(employee, d):
        occ = services.holiday_occasion_record(employee=employee, by=request.user, data=services.OccasionInput(
            holiday_date=d["holiday_date"], situation=d["situation"], outcome=d["outcome"],
            chosen_by=d["chosen_by"], reasons=d["reasons"]))
        tail = f", to be taken by {occ.last_day}" if occ.last_day else ""
        return f"Recorded {occ.holiday_name} {occ.holiday_date}: {occ.get_outcome_display()}{tail} ({occ.cite})."
    return _post(request, employee_number, "holiday", HolidayOccasionForm, act)


@login_required
@require_POST
def record_comp_time(request, employee_number: str):
    def act(employee, d):
        rec = services.comp_time_earn(employee=employee, by=request.user, data=services.CompTimeInput(
            worked_on=d["worked_on"], overtime_hours=d["overtime_hours"],
            requested_by_employee=d["requested_by_employee"], overtime_form=d["overtime_form"], note=d["note"]))
        text = f"Comp time for {hours_str(rec.overtime_micro)} h overtime: {hours_str(rec.credited_micro)} h credited"
        if rec.not_credited_micro:
            text += f", {hours_str(rec.overtime_paid_micro)} h of overtime paid instead (the cap, Sec. 7.2.G)"
        return text + "."
    return _post(request, employee_number, "time", CompTimeForm, act)


@login_required
@require_POST
def record_taken(request, employee_number: str):
    def act(employee, d):
        entry = services.comp_day_take(employee=employee, by=request.user, on=d["date"], note=d["note"])
        return f"Recorded a compensatory day off on {entry.effective_date}: {hours_str(-entry.micro)} h."
    return _post(request, employee_number, "taken", CompDayTakenForm, act)
