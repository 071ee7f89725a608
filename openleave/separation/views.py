"""Separation pages: HR records a separation and a return; the employee, HR and whoever may see the
employee's leave data (``policy.LEAVE``) read the statement — page, PDF (the same template) and payroll CSV.
Anyone else gets the 404 of a person who does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openleave import documents, inputs, policy
from openleave.people.selectors import employee_or_404

from . import selectors, services
from .errors import SeparationError
from .forms import ReturnForm, SeparationForm


def _page(request, employee, *, sep_form=None, ret_form=None, status=200):
    can_record = policy.can_record_separation(request.user, employee)
    seps = selectors.separations_of(request.user, employee)
    open_sep = services.open_separation(employee)
    ctx = {"employee": employee, "separations": seps, "can_record": can_record, "open_separation": open_sep,
           "sep_form": sep_form or (SeparationForm() if can_record and open_sep is None else None),
           "ret_form": ret_form or (ReturnForm() if can_record and open_sep is not None
                                    and open_sep.reason != "death" else None)}
    return render(request, "separation/employee_separation.html", ctx, status=status)


@login_required
def employee_separation(request, employee_number: str):
    employee = employee_or_404(request.user, employee_number, policy.LEAVE)
    return _page(request, employee)


def _recorder(request, employee_number: str):
    employee = employee_or_404(request.user, employee_number, policy.LEAVE)
    if not policy.can_record_separation(request.user, employee):
        raise PermissionDenied("Only HR / the Appointing Authority of the employee's agency records this.")
    return employee


def _error(form, exc):
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@login_required
@require_POST
def record(request, employee_number: str):
    employee = _recorder(request, employee_number)
    form = SeparationForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            sep = services.separation_record(employee=employee, separation_date=d["separation_date"],
                                             reason=d["reason"], death_payee=d["death_payee"],
                                             hourly_rate=d["hourly_rate"], note=d["note"], by=request.user)
        except (SeparationError, inputs.BadInput) as exc:
            _error(form, exc)
        else:
            messages.success(request, f"Separation recorded ({sep.get_reason_display().lower()}, "
                                      f"{sep.separation_date}); the payouts are posted.")
            return redirect("separation:statement", employee_number=employee.employee_number, separation_id=sep.pk)
    return _page(request, employee, sep_form=form, status=400)


@login_required
@require_POST
def record_return(request, employee_number: str, separation_id: int):
    employee = _recorder(request, employee_number)
    sep = selectors.separation_of(employee, separation_id)
    if sep is None:
        raise Http404
    form = ReturnForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.return_record(separation=sep, return_date=d["return_date"], kind=d["kind"], by=request.user,
                                   chro_approved_by=d["chro_approved_by"], chro_approved_on=d["chro_approved_on"],
                                   chro_cause=d["chro_cause"], chro_reasons=d["chro_reasons"])
        except (SeparationError, inputs.BadInput) as exc:
            _error(form, exc)
        else:
            messages.success(request, "Return recorded; the sick leave credits and the service are restored.")
            return redirect("separation:employee", employee_number=employee.employee_number)
    return _page(request, employee, ret_form=form, status=400)


def _statement(request, employee_number: str, separation_id: int, what: str):
    employee = employee_or_404(request.user, employee_number, policy.LEAVE)
    sep = selectors.separation_of(employee, separation_id)
    if sep is None:
        raise Http404
    return selectors.statement_for(request.user, sep, what=what)


def _context(st) -> dict:
    return {"st": st, "employee": st.employee, "sep": st.separation}


@login_required
def statement_page(request, employee_number: str, separation_id: int):
    st = _statement(request, employee_number, separation_id, "separation statement")
    return render(request, "separation/statement.html", documents.page_context(_context(st)))


@login_required
def statement_pdf(request, employee_number: str, separation_id: int):
    st = _statement(request, employee_number, separation_id, "separation statement (PDF)")
    return documents.pdf_response("separation/statement.html", _context(st), request=request,
                                  title=f"Separation statement — {st.employee.name}",
                                  filename=f"separation-{st.employee.employee_number}-{st.separation.separation_date}.pdf")


@login_required
def statement_csv(request, employee_number: str, separation_id: int):
    st = _statement(request, employee_number, separation_id, "separation payroll CSV")
    response = HttpResponse(selectors.payroll_csv(st), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="separation-{st.employee.employee_number}-'
                                       f'{st.separation.separation_date}.csv"')
    response["Cache-Control"] = "no-store"
    return response
