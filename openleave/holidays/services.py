"""Writes: the Employer designates an alternative day for a holiday (Sec. 10.2)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from openleave import policy
from openleave.rules.holidays import holiday_names

from .models import HolidayDesignation


class DesignationInvalid(ValueError):
    """The designation cannot be recorded (the message says why)."""


# Who may designate is decided in ``openleave.policy``; kept here as a name for callers.
can_designate = policy.can_designate


def validate_designation(*, holiday_name: str, year: int, designated_date: dt.date, reason: str) -> None:
    """A Sec. 10.1 holiday, a reason, and a day within a year of it (Christmas on a Saturday may be
    designated on the Friday before; New Year's Day on a Saturday on the Friday of the year before)."""
    try:
        names = holiday_names(on=dt.date(year, 12, 31))
    except ValueError:
        raise DesignationInvalid(f"no contract holidays are defined for {year}") from None
    if holiday_name not in names:
        raise DesignationInvalid(f"{holiday_name!r} is not a holiday of Sec. 10.1 ({', '.join(names)})")
    if not reason or not reason.strip():
        raise DesignationInvalid("a designation needs a reason")
    if abs(designated_date.year - year) > 1:
        raise DesignationInvalid(f"{designated_date} is too far from {holiday_name} {year}")


def holiday_designate(*, agency, holiday_name: str, year: int, designated_date: dt.date, reason: str,
                      by) -> HolidayDesignation:
    """Record the Employer's alternative day; the new row supersedes the current one of the same scope."""
    if not can_designate(by, agency):
        raise DesignationInvalid("only HR of the agency (or a system administrator) designates holidays")
    validate_designation(holiday_name=holiday_name, year=year, designated_date=designated_date, reason=reason)
    with transaction.atomic():
        current = (HolidayDesignation.objects.select_for_update(of=("self",))
                   .filter(agency=agency, holiday_name=holiday_name, year=year, superseded_by__isnull=True)
                   .order_by("-designated_at", "-id").first())
        return HolidayDesignation.objects.create(
            agency=agency, holiday_name=holiday_name, year=year, designated_date=designated_date,
            reason=reason.strip(), designated_by=by, supersedes=current,
        )
