"""Fixtures for compensatory days and comp time: the demo organisation's Erin (37.5-hour title: a 7.5 h day,
Sec. 10.9; Monday–Friday), her supervisor Sean and HR (DMH)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

NY = ZoneInfo("America/New_York")


def at(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, 12, tzinfo=NY)


@pytest.fixture
def erin(people):
    return people["erin"]


@pytest.fixture
def record(users):
    from openleave.comp import services

    def go(employee, day, situation="worked_rostered", outcome="comp_day", chosen_by="employer", reasons="", by=None):
        return services.holiday_occasion_record(employee=employee, by=by or users["hr"], data=services.OccasionInput(
            holiday_date=day, situation=situation, outcome=outcome, chosen_by=chosen_by, reasons=reasons))

    return go
