"""Demo leave requests so every role's screens have something to show: ``manage.py load_demo_requests``.

Runs through the same services as the web pages (so every request is checked against the contract, and
every decision has a named decider and reasons). Safe to re-run: it does nothing once demo requests exist.
Never in production.

Dates follow today (in the organisation's time zone) but are chosen through the rules core's own calendar:
every request falls on days the employee is scheduled to work and no Art. 10 holiday is observed, so the
demo loads on any day of the year (24 Dec, 1 Jan, a leap day, the evening the UTC date has moved on).
One request of each state: approved, pending, partly approved, denied, taken, cancelled.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from openleave import clock
from openleave.accounts.models import User
from openleave.holidays.selectors import holiday_dates
from openleave.leave import services as svc
from openleave.leave.models import LeaveRequest
from openleave.people.models import Employee
from openleave.rules.schedule import working_days, working_run
from openleave.rules.units import hours_str


def _days(employee: Employee, start: dt.date, **kw) -> list[dt.date]:
    """Scheduled working days of ``employee`` from ``start`` with no holiday (``working_days`` arguments)."""
    holidays = holiday_dates(employee.agency, start - dt.timedelta(days=400), start + dt.timedelta(days=400))
    return working_days(employee.facts(), start, holidays, **kw)


def _run(employee: Employee, start: dt.date, days: int) -> list[dt.date]:
    holidays = holiday_dates(employee.agency, start, start + dt.timedelta(days=400))
    return working_run(employee.facts(), start, holidays, days=days)


def _span(days: list[dt.date]) -> dict:
    return {"start_date": days[0].isoformat(), "end_date": days[-1].isoformat()}


def _with_user(employee: Employee) -> Employee:
    """A colleague without a sign-in gets an inactive demo user, so the services can name who asked."""
    if employee.user is None:
        employee.user = User.objects.create(username=f"demo-{employee.employee_number}", first_name=employee.given_name,
                                            last_name=employee.family_name, is_active=False)
        Employee.objects.filter(pk=employee.pk).update(user=employee.user)
    return employee


class Command(BaseCommand):
    help = "Create demo leave requests in every state (approved, pending, partly approved, denied, taken, " \
           "cancelled) through the real services."

    def handle(self, *args, **opts):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("Demo requests are never created in production.")
        erin = Employee.objects.select_related("agency", "supervisor").get(employee_number="100002")
        if LeaveRequest.objects.filter(employee=erin).exists():
            self.stdout.write("Demo requests already present.")
            return
        sean = User.objects.get(username="supervisor")
        colleagues = list(erin.supervisor.reports.exclude(pk=erin.pk).filter(user__isnull=True)
                          .select_related("agency").order_by("employee_number")[:2])
        today = clock.today()
        submit = svc.leave_request_submit
        # The demo's notifications stay in-app: no demo e-mail is printed or sent.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            # Erin: three working days of vacation from two weeks ahead, approved (Sec. 9.8: the AA schedules it).
            week = _run(erin, today + dt.timedelta(days=14), 3)
            vac = submit(employee=erin, user=erin.user, data=svc.parse_input({"kind": "vacation", **_span(week)}))
            svc.leave_request_decide(request_id=vac.pk, user=sean, outcome="approved", text="Approved; coverage arranged.")
            # Erin: half a day of personal leave a week later, waiting for a decision (Sec. 8.2.A).
            later = _days(erin, week[-1] + dt.timedelta(days=7), count=2)
            submit(employee=erin, user=erin.user, data=svc.parse_input(
                {"kind": "personal", **_span(later[:1]), "start_time": "08:00", "end_time": "11:45"}))
            # Erin: a day of personal leave the next working day, withdrawn before a decision.
            withdrawn = submit(employee=erin, user=erin.user,
                               data=svc.parse_input({"kind": "personal", **_span(later[1:])}))
            svc.leave_request_cancel(request_id=withdrawn.pk, user=erin.user, reason="plans changed")
            # Erin: a sick day on the last working day before today, approved and since taken (Sec. 8.1.C.1).
            sick = _days(erin, today - dt.timedelta(days=1), step=-1)
            taken = submit(employee=erin, user=erin.user, data=svc.parse_input(
                {"kind": "sick", **_span(sick), "facts": {"purpose": "own_illness"}}))
            svc.leave_request_decide(request_id=taken.pk, user=sean, outcome="approved", text="Get well soon.")
            svc.leave_request_mark_taken(today=today, command="manage.py load_demo_requests")
            # A colleague: vacation the same days as Erin's, denied with the contract's ground and reasons.
            first = _with_user(colleagues[0])
            denied = submit(employee=first, user=first.user, data=svc.parse_input({"kind": "vacation", **_span(week)}))
            svc.leave_request_decide(request_id=denied.pk, user=sean, outcome="denied",
                                     grounds=["vacation_impracticable"],
                                     text="Two of the three operators on this crew are already off that week.")
            # Another colleague: two of those days asked, one granted with the ground and reasons.
            second = _with_user(colleagues[1])
            partly = submit(employee=second, user=second.user,
                            data=svc.parse_input({"kind": "vacation", **_span(week[1:])}))
            one_day = next(iter(partly.days.values()))
            svc.leave_request_decide(request_id=partly.pk, user=sean, outcome="partly_approved",
                                     approved_hours=hours_str(one_day), grounds=["vacation_impracticable"],
                                     text="The second day would leave the crew short; the first is yours.")
        self.stdout.write("Demo requests created for Erin Doyle (approved vacation, pending and withdrawn personal "
                          "leave, a sick day taken) and her team (a denied and a partly approved vacation).")
