"""The holidays page: the year's contract holidays, with citations, for everyone signed in; HR of an
agency may record the Employer's alternative day (Sec. 10.2). Holidays are not personal data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from openleave import policy
from openleave.people.models import Agency

from . import selectors, services
from .forms import DesignationForm
from .models import HolidayDesignation


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2018), 2100)


def _agency(request):
    code = request.GET.get("agency")
    if code:
        return Agency.objects.filter(code=code).first()
    employee = getattr(request.user, "employee_or_none", None)
    if employee is not None:
        return employee.agency
    return request.user.agency if request.user.agency_id else None


@login_required
def holiday_list(request):
    year, agency = _year(request), _agency(request)
    can_designate = policy.can_designate(request.user, agency) and not request.user.has_role("auditor")
    form = None
    if request.method == "POST":
        if not can_designate:
            raise PermissionDenied("Only HR of the agency designates an alternative day.")
        form = DesignationForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                row = services.holiday_designate(agency=d["agency"], holiday_name=d["holiday_name"], year=d["year"],
                                                 designated_date=d["designated_date"], reason=d["reason"],
                                                 by=request.user)
            except services.DesignationInvalid as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Recorded: {row} (Sec. 10.2).")
                url = reverse("holidays") + f"?year={row.year}" + (f"&agency={row.agency.code}" if row.agency_id else "")
                return redirect(url)
    elif can_designate:
        form = DesignationForm(initial={"year": year, "agency": agency})
    holidays = selectors.year_holidays(agency, year)
    history = HolidayDesignation.objects.filter(year=year).select_related("agency", "designated_by", "supersedes")
    history = history.filter(agency__isnull=True) | history.filter(agency=agency) if agency else \
        history.filter(agency__isnull=True)
    return render(request, "holidays/holiday_list.html", {
        "year": year, "agency": agency, "agencies": Agency.objects.all(), "holidays": holidays,
        "history": history.order_by("designated_at", "id"), "form": form if can_designate else None,
        "prev_year": year - 1, "next_year": year + 1,
    }, status=400 if request.method == "POST" else 200)
