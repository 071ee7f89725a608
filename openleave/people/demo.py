"""A deterministic demo organisation: two agencies, ~60 employees, one user per role."""

from __future__ import annotations

import datetime as dt
import functools
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from openleave.accounts import roles as R
from openleave.accounts.models import User
from openleave.rules.calendar import full_time_weeks, pay_period_param
from openleave.rules.params import default_tree

from .models import Agency, Employee, JobTitle, PayCalendar

DEMO_PASSWORD = "leave-demo-2026"  # noqa: S105 — demo only; printed by the command

GIVEN = ["Ana", "Brian", "Carmen", "Dev", "Elena", "Frank", "Grace", "Hector", "Ines", "Jamal", "Kim", "Luis",
         "Maria", "Nora", "Omar", "Paula", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Victor", "Wen", "Yusuf", "Zoe"]
FAMILY = ["Almeida", "Brennan", "Costa", "Dubois", "Evans", "Fitzgerald", "Gomes", "Hughes", "Ianelli", "Jensen",
          "Kowalski", "Lopes", "Murphy", "Nguyen", "O'Brien", "Pereira", "Quintal", "Reilly", "Silva", "Tran",
          "Underwood", "Vieira", "Walsh", "Xavier", "Young", "Zhou"]

# The shorter and the longer full-time week of a title (calendar.day_hours, Sec. 8.9, 9.16).
SHORT_WEEK, LONG_WEEK = full_time_weeks()[0], full_time_weeks()[-1]
TITLES = [
    ("MEO1", "Maintenance Equipment Operator I", LONG_WEEK),
    ("CARP1", "Carpenter I", LONG_WEEK),
    ("PRK1", "Park Ranger I", LONG_WEEK),
    ("FSW1", "Food Service Worker I", SHORT_WEEK),
    ("LDW1", "Laundry Worker I", SHORT_WEEK),
    ("BMS1", "Building Maintenance Supervisor", LONG_WEEK),
]

# (username, given, family, roles, agency code or None, is an employee)
DEMO_USERS = [
    ("employee", "Erin", "Doyle", [R.EMPLOYEE], "DMH", True),
    ("supervisor", "Sean", "McCarthy", [R.EMPLOYEE, R.SUPERVISOR], "DMH", True),
    ("hr", "Helen", "Rivera", [R.HR], "DMH", False),
    ("medical", "Maya", "Chen", [R.MEDICAL], "DMH", False),
    ("steward", "Stan", "Kowalczyk", [R.EMPLOYEE, R.STEWARD], "DMH", True),
    ("auditor", "Audrey", "Pratt", [R.AUDITOR], None, False),
    ("admin", "Ada", "Lindqvist", [R.SYSADMIN], None, False),
]


@functools.cache
def _demo_password_hash() -> str:
    """The demo password hashed once per process (Argon2 is deliberately slow; one hash serves all demo users)."""
    return make_password(DEMO_PASSWORD)


def _schedule(weekly: Decimal) -> dict[str, str]:
    """Five equal days for full-time; part-timers work Monday to Wednesday (or fewer hours a day)."""
    days = ("mon", "tue", "wed", "thu", "fri")
    if weekly in full_time_weeks():
        return {d: str(weekly / 5) for d in days}
    per_day = weekly / 3
    return {d: str(per_day.quantize(Decimal("0.25"))) for d in days[:3]}


@transaction.atomic
def load_demo() -> dict:
    """Create or refresh the demo organisation. Safe to run again: everything is keyed and updated."""
    rnd = random.Random(3)  # noqa: S311 — deterministic demo data
    for role in R.ALL:
        Group.objects.get_or_create(name=role)
    anchor, length = pay_period_param()
    calendar, _ = PayCalendar.objects.update_or_create(
        name="Commonwealth biweekly", defaults={"anchor": anchor, "length_days": length}
    )
    agencies = {}
    for code, name in (("DMH", "Department of Mental Health"), ("DCR", "Department of Conservation and Recreation")):
        agencies[code], _ = Agency.objects.update_or_create(code=code, defaults={"name": name})
    titles = {}
    for code, name, hours in TITLES:
        titles[code], _ = JobTitle.objects.update_or_create(code=code, defaults={"name": name, "full_time_weekly_hours": hours})

    users = {}
    for username, given, family, roles, agency, _is_emp in DEMO_USERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={"first_name": given, "last_name": family, "email": f"{username}@example.org",
                      "agency": agencies.get(agency) if agency and R.EMPLOYEE not in roles else None,
                      "is_staff": R.SYSADMIN in roles, "is_superuser": R.SYSADMIN in roles},
        )
        user.password = _demo_password_hash()
        user.save()
        user.groups.set(Group.objects.filter(name__in=roles))
        users[username] = user
    agencies["DMH"].appointing_authority = users["hr"]
    agencies["DMH"].save()

    def upsert(number: str, **fields) -> Employee:
        fields.setdefault("pay_calendar", calendar)
        fields["vacation_service_date"] = fields["service_start"]
        emp, _ = Employee.objects.update_or_create(employee_number=number, defaults=fields)
        return emp

    # The named demo people first.
    sup = upsert("100001", given_name="Sean", family_name="McCarthy", agency=agencies["DMH"], title=titles["BMS1"],
                 scheduled_weekly_hours=LONG_WEEK, work_schedule=_schedule(LONG_WEEK),
                 original_hire_date=dt.date(2004, 3, 15), service_start=dt.date(2004, 3, 15), user=users["supervisor"],
                 emergency_personnel=True)
    upsert("100002", given_name="Erin", family_name="Doyle", agency=agencies["DMH"], title=titles["FSW1"],
           scheduled_weekly_hours=SHORT_WEEK, work_schedule=_schedule(SHORT_WEEK),
           original_hire_date=dt.date(2014, 10, 6), service_start=dt.date(2014, 10, 6), supervisor=sup,
           user=users["employee"])
    upsert("100003", given_name="Stan", family_name="Kowalczyk", agency=agencies["DMH"], title=titles["CARP1"],
           scheduled_weekly_hours=LONG_WEEK, work_schedule=_schedule(LONG_WEEK),
           original_hire_date=dt.date(1999, 5, 3), service_start=dt.date(1999, 5, 3), user=users["steward"])
    # A second supervisor in DCR, to show that supervisors see only their own team.
    sup2 = upsert("200001", given_name="Dana", family_name="Whitfield", agency=agencies["DCR"], title=titles["BMS1"],
                  scheduled_weekly_hours=LONG_WEEK, work_schedule=_schedule(LONG_WEEK),
                  original_hire_date=dt.date(2009, 8, 10), service_start=dt.date(2009, 8, 10))

    enhanced_from = default_tree().history("vacation.enhanced_rate_new_hires")[-1].value["hired_on_or_after"]
    count = 4
    for i in range(56):
        agency_code = "DMH" if i % 2 == 0 else "DCR"
        tcode = ["MEO1", "CARP1", "PRK1", "FSW1", "LDW1", "MEO1"][i % 6]
        title = titles[tcode]
        part_time = i % 7 == 3
        weekly = title.full_time_weekly_hours / 2 if part_time else title.full_time_weekly_hours
        years_ago = [0.4, 1, 3, 4.4, 4.6, 7, 9.4, 9.6, 12, 19.4, 19.6, 25, 31][i % 13]
        hire = dt.date(2026, 11, 1) - dt.timedelta(days=int(years_ago * 365.25) + rnd.randint(0, 40))
        probation = hire + dt.timedelta(days=183) if years_ago < 0.5 else None
        number = f"{1 if agency_code == 'DMH' else 2}{i + 10:05d}"
        upsert(number,
               given_name=GIVEN[(i * 7) % len(GIVEN)], family_name=FAMILY[(i * 11) % len(FAMILY)],
               agency=agencies[agency_code], title=title,
               status=Employee.Status.PART_TIME if part_time else Employee.Status.FULL_TIME,
               scheduled_weekly_hours=weekly, work_schedule=_schedule(weekly),
               original_hire_date=hire, service_start=hire, probation_end=probation,
               supervisor=sup if agency_code == "DMH" and i % 4 == 0 else (sup2 if agency_code == "DCR" else None),
               emergency_personnel=i % 9 == 0,
               prior_relevant_experience_years=Decimal("6") if hire >= enhanced_from and i % 5 == 0 else None,
               prior_experience_approved=hire >= enhanced_from and i % 5 == 0)
        count += 1
    return {"employees": Employee.objects.count(), "users": [u[0] for u in DEMO_USERS], "password": DEMO_PASSWORD}
