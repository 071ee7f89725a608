"""Pages: an employee's Sec. 9.8 statements (page and PDF from the same template), and the "members at risk of
losing leave" view of a supervisor or department head. Thin: policy + selectors; every read is logged."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from openleave import clock, documents, policy
from openleave.audit.access import record_access
from openleave.people.selectors import employee_or_404

from . import selectors as S
from .models import VacationStatement
from .selectors import at_risk_rows, statement_of

TEMPLATE = "statements/statement.html"


def _context(employee, st) -> dict:
    return {"employee": employee, "st": st, "f": st.figures, "intact": st.intact}


@login_required
def mine(request):
    own = request.user.employee_or_none
    if own is None:
        raise Http404("You have no employee record.")
    return redirect("statements:list", employee_number=own.employee_number)


@login_required
def statement_list(request, employee_number: str):
    employee = employee_or_404(request.user, employee_number, policy.LEAVE)
    statements = list(VacationStatement.objects.filter(employee=employee).order_by("-year"))
    warnings = S.warnings_for([employee.pk], clock.today())[employee.pk]
    record_access(actor=request.user, subject=employee, object_type="vacation_statement", object_id=employee.pk,
                  category=policy.LEAVE, channel="ui", fields="statements list, forfeiture warnings")
    return render(request, "statements/list.html", {"employee": employee, "statements": statements,
                                                    "warnings": warnings})


@login_required
def statement_page(request, employee_number: str, year: int):
    employee, st = statement_of(request.user, employee_number, year)
    return render(request, TEMPLATE, documents.page_context(_context(employee, st)))


@login_required
def statement_pdf(request, employee_number: str, year: int):
    employee, st = statement_of(request.user, employee_number, year, fields="PDF")
    return documents.pdf_response(TEMPLATE, _context(employee, st), request=request,
                                  title=f"Preliminary vacation statement {year} — {employee.name}",
                                  filename=f"vacation-statement-{year}-{employee.employee_number}.pdf")


@login_required
def at_risk(request):
    year, rows = at_risk_rows(request.user)
    from openleave.rules.vintages import year_end

    return render(request, "statements/at_risk.html", {
        "year": year, "rows": rows, "on": year_end("vacation", year), "seniority_rule": S.SENIORITY_RULE,
        "seniority_cite": S.SENIORITY_CITE})
