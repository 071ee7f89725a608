"""The scenario command answers as the app does (issue 12, item 7). Every demo request (``manage.py
load_demo_requests`` over the demo organisation of ``openleave.people.demo``) goes through both: the leave
services' check (``leave_request_check``: the finding the app stores, its hours, charges and outcome) and
``python -m openleave scenario`` given the same employee, the app's balances on the first day as opening
balances, and the same request facts. Both apply the contract's Art. 10 calendar (with the agency's Sec. 10.2
designations) and must agree on the requested and allowed hours, the charges and the outcome. Beside the demo's
requests (which avoid holidays), weeks that include one: the case the scenario used to charge in full."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone

from openleave.holidays.selectors import current_designations
from openleave.leave import services as svc
from openleave.leave.models import AutoApproval, LeaveRequest
from openleave.people.models import Employee
from openleave.rules.units import hours_str

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
CREDITS = ("sick", "vacation", "personal", "emergency_day")


def _plain(x):
    """Decimals as YAML numbers (their exact text: the scenario reads numbers from their text, never as floats)."""
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_plain(v) for v in x]
    if isinstance(x, Decimal):
        return int(x) if x == x.to_integral_value() else float(str(x))
    return x


def _num(micro: int) -> Decimal:
    return Decimal(hours_str(micro))


def _employee(e: Employee) -> dict:
    f = e.facts()
    out = {"service_start": f.service_start.isoformat(), "hire_date": f.original_hire.isoformat(),
           "title_full_time_hours_per_week": f.title_full_time_hours_per_week,
           "emergency_personnel": f.emergency_personnel, "status": f.status}
    if f.schedule_hours_per_week is not None:
        out["schedule_hours_per_week"] = f.schedule_hours_per_week
    if f.work_schedule:
        out["work_schedule"] = dict(f.work_schedule)
    if f.unit_entry_date:
        out["unit_entry_date"] = f.unit_entry_date.isoformat()
    return out


def _request(req_input: svc.RequestInput, e: Employee, now: dt.datetime) -> dict:
    start, end = req_input.start_date.isoformat(), req_input.end_date.isoformat()
    if req_input.start_time is not None:
        start += "T" + req_input.start_time.strftime("%H:%M")
    if req_input.end_time is not None:
        end += "T" + req_input.end_time.strftime("%H:%M")
    ask = {"leave": req_input.kind, "from": start, "to": end, **(req_input.facts or {}),
           "submitted_at": now.replace(tzinfo=None).isoformat(timespec="seconds"),
           "single_shift_agency": e.agency.single_shift}
    if req_input.hours is not None:
        ask["hours"] = req_input.hours
    years = range(req_input.start_date.year - 1, req_input.end_date.year + 2)
    designations = [{"name": d.name, "year": d.year, "date": d.date.isoformat()}
                    for d in current_designations(e.agency, years)]
    if designations:
        ask["designations"] = designations
    auto = sorted(AutoApproval.objects.filter(agency_id=e.agency_id, enabled=True).values_list("kind", flat=True))
    if auto:
        ask["auto_approve"] = auto
    return ask


def _scenario(e: Employee, req_input: svc.RequestInput, balances: dict[str, int], now: dt.datetime) -> dict:
    day = req_input.start_date.isoformat()
    events = [{"date": day, "opening_balance": {"leave": t, "hours": _num(balances[t])}}
              for t in CREDITS if balances.get(t, 0) > 0]
    ask = _request(req_input, e, now)
    if balances.get("comp_time"):
        ask["comp_time_balance"] = _num(balances["comp_time"])
    doc = {"employee": _employee(e), "events": events, "questions": [{"id": "r", "request": ask}]}
    text = yaml.safe_dump(_plain(doc), sort_keys=False)
    out = subprocess.run([sys.executable, "-m", "openleave", "scenario", "-"], input=text, capture_output=True,
                         text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr + "\n" + text
    return json.loads(out.stdout)["answers"]["r"]


def _app(e: Employee, data: svc.RequestInput, exclude: int | None = None) -> tuple[dict, dict[str, int]]:
    preview = svc.leave_request_check(employee=e, data=data, exclude=exclude)
    f = preview.finding
    return {"outcome": f.outcome, "allowed_hours": hours_str(f.allowed_micro),
            "requested_hours": hours_str(f.requested_micro),
            "charges": [{"leave": t, "hours": hours_str(m)} for t, m in f.charges]}, preview.balances_before


def _same(app: dict, answer: dict) -> None:
    assert {k: answer[k] for k in app} == app


@pytest.fixture
def demo_requests(demo, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("load_demo_leave")
    call_command("load_demo_requests")
    return list(LeaveRequest.objects.select_related("employee__agency", "employee__title").order_by("pk"))


def test_every_demo_request_gets_the_same_answer_from_the_app_and_the_scenario(demo_requests):
    assert len(demo_requests) >= 6  # one in each state: approved, pending, partly approved, denied, taken, cancelled
    now = timezone.localtime()
    for req in demo_requests:
        data = svc._input_of(req)
        app, balances = _app(req.employee, data, exclude=req.pk)
        _same(app, _scenario(req.employee, data, balances, now))


@pytest.mark.parametrize(("number", "kind", "first", "last", "hours"), [
    # Erin: a 37.5-hour week (7.5 h a day, Sec. 8.9). Independence Day 2027 is a Sunday, observed on Monday
    # 2027-07-05 (Sec. 10.2): Tue–Fri = 4 × 7.5 = 30 h of vacation.
    ("100002", "vacation", dt.date(2027, 7, 5), dt.date(2027, 7, 9), "30"),
    # Thanksgiving 2026-11-26 (the fourth Thursday of November, Sec. 10.1): Mon–Wed and Fri = 4 × 7.5 = 30 h
    ("100002", "vacation", dt.date(2026, 11, 23), dt.date(2026, 11, 27), "30"),
    # Martin Luther King Day 2027-01-18 (the third Monday of January, Sec. 10.1): personal leave Mon–Fri = 4 × 7.5
    # = 30 h asked (the demo's December requests are not in the way)
    ("100002", "personal", dt.date(2027, 1, 18), dt.date(2027, 1, 22), "30"),
    # Sean: a 40-hour week, 8 h a day. Christmas 2026-12-25 is a Friday: sick leave Mon–Fri = 4 × 8 = 32 h
    ("100001", "sick", dt.date(2026, 12, 21), dt.date(2026, 12, 25), "32"),
])
def test_a_week_with_a_holiday_costs_the_same_in_both(demo_requests, number, kind, first, last, hours):
    erin = Employee.objects.select_related("agency", "title").get(employee_number=number)
    data = svc.parse_input({"kind": kind, "start_date": first.isoformat(), "end_date": last.isoformat()})
    app, balances = _app(erin, data)
    assert app["requested_hours"] == hours and app["outcome"] != "not_allowed"
    _same(app, _scenario(erin, data, balances, timezone.localtime()))
