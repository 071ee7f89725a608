"""Facts about an employee that the rules need — plain values, no Django.

The Django shell builds these from its models; the scenario interface builds them from YAML.
Field names follow the contract's vocabulary and the scenario format (docs/scenarios.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .calendar import full_time_weeks

STATUSES = ("full_time", "part_time", "intermittent", "seasonal", "contractor")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class ServiceBreak:
    """A break in service (separation → reinstatement). Sec. 9.2.B, 9.7, 9.12, 8.1.H."""

    left: dt.date
    returned: dt.date
    prior_service_approved: bool = False  # CHRO approval of a long break (vacation.service_break_years, Sec. 9.12 / 8.1.H)


@dataclass(frozen=True)
class EmployeeFacts:
    """What the contract's rules need to know about one employee."""

    service_start: dt.date  # first working day in the state agency (Sec. 9.2.B)
    title_full_time_hours_per_week: Decimal = max(full_time_weeks())  # one of full_time_weeks() (Sec. 9.16)
    schedule_hours_per_week: Decimal | None = None  # defaults to the title's full-time hours
    status: str = "full_time"
    hire_date: dt.date | None = None  # original hire date (defaults to service_start)
    on_payroll_2011_09_01: bool | None = None  # Sec. 8.2.A vs 8.2.B; None → derived from hire date
    prior_relevant_experience_years: Decimal | None = None  # Sec. 9.2.C / Vacation MOU
    prior_experience_approved: bool = False  # the Appointing Authority's analysis (Sec. 9.2.C)
    service_breaks: tuple[ServiceBreak, ...] = ()
    service_adjustment_days: int = 0  # other credited (+) or excluded (−) service, recorded by HR
    probation_end: dt.date | None = None
    emergency_personnel: bool = False  # MOU State of Emergency designation
    work_schedule: dict[str, Decimal] = field(default_factory=dict)  # weekday → scheduled hours
    separation_date: dt.date | None = None
    enhanced_accrual_from: dt.date | None = None  # Sec. 9.2.C / Vacation MOU: a late request is prospective
    unit_entry_date: dt.date | None = None  # hire or promotion into the bargaining unit (Sec. 8.2.A table)

    @property
    def weekly_hours(self) -> Decimal:
        return self.schedule_hours_per_week if self.schedule_hours_per_week is not None else self.title_full_time_hours_per_week

    @property
    def is_part_time(self) -> bool:
        return self.status == "part_time" or self.weekly_hours < self.title_full_time_hours_per_week

    @property
    def original_hire(self) -> dt.date:
        return self.hire_date or self.service_start

    def day_hours(self) -> Decimal:
        """A 'day' is a fifth of the title's full-time week (Sec. 8.9, 9.16: ``calendar.day_hours``)."""
        return self.title_full_time_hours_per_week / 5
