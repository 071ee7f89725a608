"""Fixtures for the ledger: a small organisation with both title weeks and a factory of employees."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from ledger_helpers import PERIOD_DAY, TODAY

_numbers = itertools.count(900000)


@pytest.fixture
def org(db):
    from openleave.people.models import Agency, JobTitle, PayCalendar

    cal, _ = PayCalendar.objects.get_or_create(name="Commonwealth biweekly", defaults={"anchor": dt.date(2017, 7, 9)})
    return {
        "agency": Agency.objects.get_or_create(code="LT1", defaults={"name": "Ledger Test Agency"})[0],
        "other": Agency.objects.get_or_create(code="LT2", defaults={"name": "Other Agency"})[0],
        "t40": JobTitle.objects.get_or_create(code="T40", defaults={"name": "Clerk 40", "full_time_weekly_hours": Decimal("40")})[0],
        "t375": JobTitle.objects.get_or_create(code="T375", defaults={"name": "Clerk 37.5", "full_time_weekly_hours": Decimal("37.5")})[0],
        "calendar": cal,
    }


@pytest.fixture
def make_employee(org):
    from openleave.people.models import Employee

    def make(*, start: dt.date, title: str = "t40", weekly: str | None = None, status: str = "full_time",
             hire: dt.date | None = None, prior: str | None = None, approved: bool = False,
             separation: dt.date | None = None, agency: str = "agency", schedule: dict | None = None,
             emergency: bool = False) -> Employee:
        t = org[title]
        return Employee.objects.create(
            employee_number=str(next(_numbers)), given_name="Test", family_name="Person", agency=org[agency], title=t,
            status=status, scheduled_weekly_hours=Decimal(weekly) if weekly else t.full_time_weekly_hours,
            work_schedule=schedule or {}, original_hire_date=hire or start, service_start=start,
            vacation_service_date=start, pay_calendar=org["calendar"],
            prior_relevant_experience_years=Decimal(prior) if prior else None, prior_experience_approved=approved,
            separation_date=separation, emergency_personnel=emergency,
        )

    return make


@pytest.fixture
def accrue(org):
    from openleave.ledger import services

    def run(day: dt.date = PERIOD_DAY, **kw):
        return services.accrual_run_biweekly(calendar=org["calendar"], day=day, today=TODAY, **kw)

    return run
