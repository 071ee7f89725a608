"""The organisation in the contract's terms: agencies and their Appointing Authority, job titles
with their full-time week, employees with their schedule, status and continuous service.

Never an SSN; no date of birth (no rule here needs it).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from openleave.rules.calendar import full_time_weeks, pay_period_param, weeks_text
from openleave.rules.facts import WEEKDAYS, EmployeeFacts, ServiceBreak
from openleave.rules.params import default_tree, figure

FULL_TIME_WEEKS = full_time_weeks()  # calendar.day_hours: the weeks a title may have (Sec. 8.9, 9.16)


class Agency(models.Model):
    """A department/agency; its Appointing Authority decides discretionary leave."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)
    appointing_authority = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointing_authority_for",
        help_text="The named person who makes the Appointing Authority's discretionary decisions.",
    )
    single_shift = models.BooleanField(
        default=False, help_text="Single-shift agency: sick-leave notice within "
        f"{figure(default_tree().history('use.sick.notice_minutes_after_start_single_shift')[-1].value)} minutes "
        "of start (Sec. 8.1.J)."
    )

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class JobTitle(models.Model):
    """A civil-service title and its full-time week: one of ``FULL_TIME_WEEKS`` (Sec. 8.1.A, 9.2.A, 9.16)."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)
    full_time_weekly_hours = models.DecimalField(max_digits=4, decimal_places=1)

    class Meta:
        ordering = ["name"]

    def clean(self) -> None:
        if self.full_time_weekly_hours not in FULL_TIME_WEEKS:
            raise ValidationError({"full_time_weekly_hours":
                                   f"A title's full-time week is {weeks_text(FULL_TIME_WEEKS)} hours (Sec. 9.16)."})

    def __str__(self) -> str:
        return f"{self.name} ({self.full_time_weekly_hours} h)"


class PayCalendar(models.Model):
    """The biweekly pay calendar: Sunday–Saturday periods counted from an anchor Sunday."""

    name = models.CharField(max_length=100, unique=True)
    anchor = models.DateField(help_text="First day (a Sunday) of any pay period (the contract's: calendar.pay_period).")
    length_days = models.PositiveSmallIntegerField(default=pay_period_param()[1])

    def clean(self) -> None:
        if self.anchor and self.anchor.weekday() != 6:
            raise ValidationError({"anchor": "Pay periods run Sunday–Saturday: the anchor must be a Sunday."})

    def period_containing(self, day: dt.date) -> tuple[dt.date, dt.date]:
        offset = (day - self.anchor).days // self.length_days
        start = self.anchor + dt.timedelta(days=offset * self.length_days)
        return start, start + dt.timedelta(days=self.length_days - 1)

    def __str__(self) -> str:
        return self.name


class NeverDeleted(Exception):
    """Employees are never deleted: their ledger, requests and access log refer to them. Record a separation
    (``separation_date``); retention anonymises a separated employee after its period (openleave.privacy)."""

    def __init__(self):
        super().__init__("Employees are never deleted: record a separation date instead "
                         "(retention anonymises separated employees after their retention period).")


class EmployeeQuerySet(models.QuerySet):
    def delete(self):
        raise NeverDeleted()


class Employee(models.Model):
    """A member of the bargaining unit (or a covered/non-covered worker) and the facts the contract needs.

    Never deleted (``NeverDeleted``); the ledger's foreign keys to it are ``PROTECT`` as well."""

    class Status(models.TextChoices):
        FULL_TIME = "full_time", "Full-time"
        PART_TIME = "part_time", "Regular part-time"
        INTERMITTENT = "intermittent", "Intermittent / seasonal"
        CONTRACTOR = "contractor", "Contractor (not covered)"

    employee_number = models.CharField(max_length=12, unique=True, help_text="Payroll employee ID — never an SSN.")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    work_email = models.EmailField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="employee"
    )
    bargaining_unit = models.CharField(max_length=40, default="NAGE Unit 3")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="employees")
    title = models.ForeignKey(JobTitle, on_delete=models.PROTECT, related_name="employees")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.FULL_TIME)
    scheduled_weekly_hours = models.DecimalField(max_digits=4, decimal_places=2)
    work_schedule = models.JSONField(
        default=dict, blank=True, help_text='Scheduled hours per weekday, e.g. {"mon": "8", ..., "fri": "8"}.'
    )
    original_hire_date = models.DateField()
    service_start = models.DateField(
        help_text="Continuous-service start as first recorded (Sec. 9.2.B). Breaks and adjustments are "
        "recorded as service events, never by overwriting this date."
    )
    vacation_service_date = models.DateField(
        db_index=True,
        help_text="Derived: service start moved by recorded breaks/adjustments. Recomputed from service events.",
    )
    probation_end = models.DateField(null=True, blank=True)
    supervisor = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    pay_calendar = models.ForeignKey(PayCalendar, on_delete=models.PROTECT, related_name="employees")
    emergency_personnel = models.BooleanField(default=False, help_text="Designated under the MOU State of Emergency.")
    prior_relevant_experience_years = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    prior_experience_approved = models.BooleanField(default=False, help_text="Sec. 9.2.C / Vacation MOU approval.")
    separation_date = models.DateField(null=True, blank=True)

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["agency", "family_name"]), models.Index(fields=["supervisor"])]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name} ({self.employee_number})"

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_on_probation(self) -> bool:
        return bool(self.probation_end and self.probation_end > timezone.localdate())

    def clean(self) -> None:
        errors = {}
        if self.scheduled_weekly_hours is not None and self.scheduled_weekly_hours <= 0:
            errors["scheduled_weekly_hours"] = "Scheduled weekly hours must be more than zero."
        if self.title_id and self.scheduled_weekly_hours and self.scheduled_weekly_hours > self.title.full_time_weekly_hours:
            errors["scheduled_weekly_hours"] = "Scheduled hours cannot exceed the title's full-time week."
        if self.service_start and self.original_hire_date and self.service_start < self.original_hire_date - dt.timedelta(days=365 * 60):
            errors["service_start"] = "Service start is implausibly early."
        bad_days = set(self.work_schedule or {}) - set(WEEKDAYS)
        if bad_days:
            errors["work_schedule"] = f"Unknown weekday(s): {sorted(bad_days)}; use {', '.join(WEEKDAYS)}."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.vacation_service_date:
            self.vacation_service_date = self.service_start
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise NeverDeleted()

    def service_breaks(self, events=None) -> tuple[ServiceBreak, ...]:
        events = self.service_events.all() if events is None else events
        return tuple(
            ServiceBreak(left=e.left, returned=e.returned, prior_service_approved=e.prior_service_approved)
            for e in sorted((e for e in events if e.kind == ServiceEvent.Kind.BREAK), key=lambda e: (e.left, e.pk))
        )

    def facts(self) -> EmployeeFacts:
        """The plain facts the rules core needs (one query for the service history, or none if prefetched)."""
        events = list(self.service_events.all())
        adjustment = sum(e.days for e in events if e.kind == ServiceEvent.Kind.ADJUSTMENT)
        return EmployeeFacts(
            service_start=self.service_start,
            title_full_time_hours_per_week=Decimal(self.title.full_time_weekly_hours),
            schedule_hours_per_week=Decimal(self.scheduled_weekly_hours),
            status=self.status,
            hire_date=self.original_hire_date,
            prior_relevant_experience_years=self.prior_relevant_experience_years,
            prior_experience_approved=self.prior_experience_approved,
            service_breaks=self.service_breaks(events),
            service_adjustment_days=adjustment,
            probation_end=self.probation_end,
            emergency_personnel=self.emergency_personnel,
            work_schedule={k: Decimal(str(v)) for k, v in (self.work_schedule or {}).items()},
            separation_date=self.separation_date,
        )


class ServiceEvent(models.Model):
    """An append-only record of continuous-service history: a break, or an adjustment of credited service.

    Sec. 9.2.B (breaks of three years or more), 9.7 and 9.12 (reinstatement), 9.17 and 8.1.R (transfer).
    """

    class Kind(models.TextChoices):
        BREAK = "break", "Break in service"
        ADJUSTMENT = "adjustment", "Adjustment of credited service (days)"

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="service_events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    left = models.DateField(null=True, blank=True)
    returned = models.DateField(null=True, blank=True)
    days = models.IntegerField(default=0)
    prior_service_approved = models.BooleanField(default=False)
    reason = models.TextField()
    cite = models.CharField(max_length=80, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.employee_id}"

    def clean(self) -> None:
        if self.kind == self.Kind.BREAK and (not self.left or not self.returned or self.returned <= self.left):
            raise ValidationError("A break needs the date the employee left and a later date of return.")


class IndustrialAccidentLeave(models.Model):
    """A dated period of industrial accident leave (workers' compensation), the least the contract needs:
    Sec. 9.13 (vacation keeps accruing) and Sec. 9.15 (vacation credits that would be forfeited under Sec. 9.8
    are converted to sick leave credits instead). Dates only: no injury, diagnosis or claim detail here —
    medical documents belong in the sealed medical file."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="industrial_accident_leaves")
    started = models.DateField(help_text="First day on industrial accident leave.")
    ended = models.DateField(null=True, blank=True, help_text="Last day on it (empty while it continues).")
    note = models.CharField(max_length=200, blank=True, help_text="Administrative note only — no medical detail.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["employee_id", "started"]
        indexes = [models.Index(fields=["employee", "started"], name="people_ia_emp_started")]

    def __str__(self) -> str:
        return f"Industrial accident leave {self.started}..{self.ended or ''} — {self.employee_id}"

    def clean(self) -> None:
        if self.ended is not None and self.started and self.ended < self.started:
            raise ValidationError({"ended": "The last day is before the first day."})

    def covers(self, day: dt.date) -> bool:
        return self.started <= day and (self.ended is None or self.ended >= day)
