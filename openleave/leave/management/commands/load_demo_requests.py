"""A few demo leave requests so every role's screens have something to show: ``manage.py load_demo_requests``.

Runs through the same services as the web pages (so every request is checked against the contract, and
every decision has a named decider and reasons). Safe to re-run: it does nothing once demo requests exist.
Dates are set from today (future working days), so the demo stays current. Never in production.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from openleave.accounts.models import User
from openleave.leave import services as svc
from openleave.leave.models import LeaveRequest
from openleave.people.models import Employee


def _next_weekday(day: dt.date, weekday: int, weeks_ahead: int = 0) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7 + 7 * weeks_ahead)


class Command(BaseCommand):
    help = "Create a few demo leave requests (approved, pending, denied, protected) through the real services."

    def handle(self, *args, **opts):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("Demo requests are never created in production.")
        erin = Employee.objects.get(employee_number="100002")
        if LeaveRequest.objects.filter(employee=erin).exists():
            self.stdout.write("Demo requests already present.")
            return
        sean_user = User.objects.get(username="supervisor")
        colleague = erin.supervisor.reports.exclude(pk=erin.pk).filter(user__isnull=True).order_by("employee_number")[0]
        today = timezone.localdate()
        mon = _next_weekday(today, 0, weeks_ahead=2)
        # The demo's notifications stay in-app: no demo e-mail is printed or sent.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            # Erin: three days of vacation, approved by her supervisor (Sec. 9.8: the AA schedules vacation).
            vac = svc.leave_request_submit(employee=erin, user=erin.user, data=svc.parse_input(
                {"kind": "vacation", "start_date": mon.isoformat(), "end_date": (mon + dt.timedelta(days=2)).isoformat()}))
            svc.leave_request_decide(request_id=vac.pk, user=sean_user, outcome="approved",
                                     text="Approved; coverage arranged.")
            # Erin: half a day of personal leave, waiting for a decision (Sec. 8.2.A).
            fri = mon + dt.timedelta(days=11)
            svc.leave_request_submit(employee=erin, user=erin.user, data=svc.parse_input(
                {"kind": "personal", "start_date": fri.isoformat(), "end_date": fri.isoformat(),
                 "start_time": "08:00", "end_time": "11:45"}))
            # A colleague: vacation the same week, denied with the contract's ground and the decider's reasons.
            if colleague.user is None:
                colleague_user = User.objects.create(username=f"demo-{colleague.employee_number}",
                                                     first_name=colleague.given_name, last_name=colleague.family_name,
                                                     is_active=False)
                Employee.objects.filter(pk=colleague.pk).update(user=colleague_user)
                colleague.user = colleague_user
            denied = svc.leave_request_submit(employee=colleague, user=colleague.user, data=svc.parse_input(
                {"kind": "vacation", "start_date": mon.isoformat(), "end_date": (mon + dt.timedelta(days=4)).isoformat()}))
            svc.leave_request_decide(request_id=denied.pk, user=sean_user, outcome="denied",
                                     grounds=["vacation_impracticable"],
                                     text="Two of the three operators on this crew are already off that week.")
        self.stdout.write("Demo requests created: approved vacation and pending personal leave for Erin Doyle; "
                          "a denied vacation request in her team.")
