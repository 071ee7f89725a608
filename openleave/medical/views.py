"""FMLA case pages (anyone who may see the employee's leave data sees the status, dates and certification; the
employee and the coordinator also the reason) and the sealed medical file (the employee and the medical
coordinator of their agency only — everyone else gets the 404 of a person who does not exist)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openleave import inputs, policy
from openleave.documents import page_context, pdf_response
from openleave.people.selectors import employee_or_404

from . import selectors, services, uploads
from .errors import MedicalError, NotAllowed
from .forms import CaseForm, CertificationRequestForm, DesignateForm, UploadForm


def _error(form, exc):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _cases_page(request, employee, *, form=None, status=200):
    may_open = policy.can_open_fmla_case(request.user, employee)
    ctx = {"employee": employee, "cases": selectors.cases_of(request.user, employee),
           "form": form or (CaseForm() if may_open else None),
           "medical": policy.can_read_medical(request.user, employee)}
    return render(request, "medical/cases.html", ctx, status=status)


@login_required
def cases(request, employee_number: str):
    return _cases_page(request, employee_or_404(request.user, employee_number, policy.LEAVE))


@login_required
@require_POST
def case_open(request, employee_number: str):
    employee = employee_or_404(request.user, employee_number, policy.LEAVE)
    if not policy.can_open_fmla_case(request.user, employee):
        raise PermissionDenied("Only the employee, HR or the medical coordinator opens an FMLA case.")
    form = CaseForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            case = services.fmla_case_open(employee=employee, reason=d["reason"], schedule=d["schedule"],
                                           expected_start=d["expected_start"], expected_end=d["expected_end"] or None,
                                           by=request.user)
        except (MedicalError, inputs.BadInput) as exc:
            _error(form, exc)
        else:
            messages.success(request, f"FMLA case no. {case.pk} opened.")
            return redirect("medical:case", employee_number=employee.employee_number, case_id=case.pk)
    return _cases_page(request, employee, form=form, status=400)


def _case_page(request, employee, case_id, *, designate_form=None, cert_form=None, status=200):
    case_obj, view = selectors.case_of(request.user, employee, case_id)
    medical = policy.can_read_medical(request.user, employee)
    may_designate = view.is_open and policy.can_designate_fmla(request.user, employee)
    return render(request, "medical/case.html", {
        "employee": employee, "case": view, "may_close": view.is_open and policy.can_close_fmla_case(request.user,
                                                                                                      employee),
        "medical": medical, "counters": selectors.counters_of(employee, timezone.localdate(),
                                                              leave_type=case_obj.leave_type),
        "designation": selectors.designation_view(selectors.current_designation(case_obj), medical),
        "may_designate": may_designate,
        "designate_form": designate_form or (DesignateForm() if may_designate else None),
        "cert_form": cert_form or (CertificationRequestForm() if may_designate else None)}, status=status)


@login_required
def case(request, employee_number: str, case_id: int):
    employee = employee_or_404(request.user, employee_number, policy.LEAVE)
    return _case_page(request, employee, case_id)


@login_required
@require_POST
def case_designate(request, employee_number: str, case_id: int):
    employee = employee_or_404(request.user, employee_number, policy.LEAVE)
    target = selectors.case_for_write(employee, case_id)
    if not policy.can_designate_fmla(request.user, employee):
        raise PermissionDenied("Only the medical (FMLA) coordinator of the employee's agency designates a case.")
    form = DesignateForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.fmla_case_designate(case=target, by=request.user, outcome=d["outcome"], reasons=d["reasons"],
                                         citations=d["citations"], waiver_granted=d["waiver_granted"],
                                         waiver_reasons=d["waiver_reasons"])
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None
        except (MedicalError, inputs.BadInput) as exc:
            _error(form, exc)
        else:
            messages.success(request, f"FMLA case no. {target.pk}: designation recorded; the employee was told.")
            return redirect("medical:case", employee_number=employee.employee_number, case_id=target.pk)
    return _case_page(request, employee, case_id, designate_form=form, status=400)


@login_required
@require_POST
def certification_request(request, employee_number: str, case_id: int):
    employee = employee_or_404(request.user, employee_number, policy.LEAVE)
    target = selectors.case_for_write(employee, case_id)
    if not policy.can_designate_fmla(request.user, employee):
        raise PermissionDenied("Only the medical (FMLA) coordinator of the employee's agency requests certification.")
    form = CertificationRequestForm(request.POST)
    if form.is_valid():
        try:
            c = services.fmla_certification_request(case=target, by=request.user, on=form.cleaned_data["on"])
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None
        except (MedicalError, inputs.BadInput) as exc:
            _error(form, exc)
        else:
            messages.success(request, f"Certification requested: due on {c.certification_due:%Y-%m-%d}.")
            return redirect("medical:case", employee_number=employee.employee_number, case_id=target.pk)
    return _case_page(request, employee, case_id, cert_form=form, status=400)


NOTICE = "medical/notice.html"


def _notice_context(notice) -> dict:
    return {"n": notice, "employee": notice.employee}


@login_required
def notice(request, employee_number: str, case_id: int):
    employee = employee_or_404(request.user, employee_number, policy.MEDICAL)
    n = selectors.designation_notice(request.user, employee, case_id)
    return render(request, NOTICE, page_context(_notice_context(n)))


@login_required
def notice_pdf(request, employee_number: str, case_id: int):
    employee = employee_or_404(request.user, employee_number, policy.MEDICAL)
    n = selectors.designation_notice(request.user, employee, case_id)
    return pdf_response(NOTICE, _notice_context(n), request=request,
                        title=f"FMLA designation notice, case no. {case_id} — {employee.name}",
                        filename=f"fmla-designation-{case_id}-{employee.employee_number}.pdf")


@login_required
@require_POST
def case_close(request, employee_number: str, case_id: int):
    employee = employee_or_404(request.user, employee_number, policy.LEAVE)
    target = selectors.case_for_write(employee, case_id)
    try:
        services.fmla_case_close(case=target, by=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    except MedicalError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"FMLA case no. {target.pk} closed.")
    return redirect("medical:case", employee_number=employee.employee_number, case_id=target.pk)


def _medical_page(request, employee, *, form=None, status=200):
    docs = selectors.documents_of(request.user, employee)  # 404 unless the employee or the coordinator
    open_cases = [c for c in selectors.cases_of(request.user, employee) if c.is_open]
    return render(request, "medical/documents.html", {
        "employee": employee, "documents": docs, "limit": uploads.limit_text(),
        "form": form or UploadForm(cases=open_cases)}, status=status)


@login_required
def documents(request, employee_number: str):
    employee = employee_or_404(request.user, employee_number, policy.MEDICAL)
    return _medical_page(request, employee)


@login_required
def my_documents(request):
    own = request.user.employee_or_none
    if own is None:
        raise Http404("You have no employee record.")
    return redirect("medical:documents", employee_number=own.employee_number)


@login_required
@require_POST
def upload(request, employee_number: str):
    employee = employee_or_404(request.user, employee_number, policy.MEDICAL)
    open_cases = [c for c in selectors.cases_of(request.user, employee) if c.is_open]
    form = UploadForm(request.POST, request.FILES, cases=open_cases)
    if form.is_valid():
        d = form.cleaned_data
        target = selectors.case_for_write(employee, d["case"]) if d["case"] else None
        try:
            doc = services.medical_document_upload(employee=employee, kind=d["kind"], file=d["file"], case=target,
                                                   note=d["note"], by=request.user)
        except NotAllowed:
            raise Http404("No such employee, or you may not see them.") from None
        except (MedicalError, inputs.BadInput) as exc:
            _error(form, exc)
            status = getattr(exc, "status", 400)
            return _medical_page(request, employee, form=form, status=status if status in (413, 415) else 400)
        messages.success(request, f"Uploaded and sealed ({selectors.kind_label(doc.kind).split(':')[0]}).")
        return redirect("medical:documents", employee_number=employee.employee_number)
    return _medical_page(request, employee, form=form, status=400)


@login_required
def download(request, ref: str):
    doc, opened = selectors.document_open(request.user, ref)
    response = HttpResponse(opened.content, content_type=doc.content_type)
    response["Content-Disposition"] = f'attachment; filename="{selectors.download_name(opened.name, doc.content_type)}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def work_queue(request):
    """The medical coordinator's FMLA work queue (``queue.coordinator_queue``); anyone else: 403."""
    from openleave import clock

    from . import queue

    if not policy.can_work_fmla_queue(request.user):
        raise PermissionDenied("Only the medical (FMLA) coordinator has the FMLA work queue.")
    today = clock.today()
    items = queue.coordinator_queue(request.user, today)
    return render(request, "medical/queue.html", {"queue": items, "today": today, "agency": request.user.agency})
