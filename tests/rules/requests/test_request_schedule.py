"""Scheduled hours from the work schedule (Sec. 7.1, 8.9, 9.16)."""

import datetime as dt
from decimal import Decimal

import pytest

from openleave.rules.facts import EmployeeFacts
from openleave.rules.schedule import (
    day_micro,
    micro_by_day,
    scheduled_days,
    scheduled_micro_between,
    scheduled_micro_on,
)
from openleave.rules.units import MICRO

FT40 = EmployeeFacts(service_start=dt.date(2010, 1, 4))
FT375 = EmployeeFacts(service_start=dt.date(2010, 1, 4), title_full_time_hours_per_week=Decimal("37.5"))
FOUR_TENS = EmployeeFacts(
    service_start=dt.date(2010, 1, 4),
    work_schedule={"mon": Decimal(10), "tue": Decimal(10), "wed": Decimal(10), "thu": Decimal(10)},
)
PT24 = EmployeeFacts(
    service_start=dt.date(2010, 1, 4), status="part_time", schedule_hours_per_week=Decimal(24),
    work_schedule={"mon": Decimal(8), "wed": Decimal(8), "fri": Decimal(8)},
)


def test_default_schedule_is_monday_to_friday_weekly_over_five():
    # 40 h title, no recorded schedule: Mon–Fri 8 h (Sec. 7.1.A, 7.1.C)
    assert scheduled_micro_on(FT40, dt.date(2024, 3, 4)) == 8 * MICRO  # Monday
    assert scheduled_micro_on(FT40, dt.date(2024, 3, 9)) == 0  # Saturday
    # 37.5 h title: 7.5 h a day
    assert scheduled_micro_on(FT375, dt.date(2024, 3, 4)) == 7_500_000


def test_holiday_costs_nothing():
    # Mon 2024-05-27 is a holiday; Mon–Fri week at 8 h → 4 days × 8 h = 32 h
    assert scheduled_micro_between(FT40, dt.date(2024, 5, 27), dt.date(2024, 5, 31), {dt.date(2024, 5, 27)}) == 32 * MICRO


def test_four_tens_week_and_day_of_sec_8_9():
    # Mon–Thu 10 h: a full week is 40 h; the contract's "day" stays 8 h (Sec. 8.9)
    assert scheduled_micro_between(FOUR_TENS, dt.date(2024, 3, 4), dt.date(2024, 3, 10)) == 40 * MICRO
    assert day_micro(FOUR_TENS) == 8 * MICRO


def test_part_time_day_is_prorated():
    # 24 h a week in a 40 h title: day = 8 × 24/40 = 4.8 h (Sec. 8.9 ¶2)
    assert day_micro(PT24) == 4_800_000
    assert day_micro(PT24, prorate=False) == 8 * MICRO
    assert scheduled_days(PT24, dt.date(2024, 3, 4), dt.date(2024, 3, 10)) == [
        dt.date(2024, 3, 4), dt.date(2024, 3, 6), dt.date(2024, 3, 8)]


def test_partial_day_with_shift_start():
    # shift 08:00 + 8 h; asked 14:00–18:00 → overlap 14:00–16:00 = 2 h
    got = scheduled_micro_between(FT40, dt.datetime(2024, 3, 4, 14), dt.datetime(2024, 3, 4, 18),
                                  shift_starts={"mon": dt.time(8)})
    assert got == 2 * MICRO


def test_partial_day_without_shift_start_counts_clock_time_capped_at_day():
    # 13:00–14:30 = 1.5 h; 06:00–20:00 = 14 h, capped at the 8 h scheduled
    assert scheduled_micro_between(FT40, dt.datetime(2024, 3, 4, 13), dt.datetime(2024, 3, 4, 14, 30)) == 1_500_000
    assert scheduled_micro_between(FT40, dt.datetime(2024, 3, 4, 6), dt.datetime(2024, 3, 4, 20)) == 8 * MICRO


def test_datetime_range_over_two_days():
    # Mon 12:00 → Tue 12:00 with shifts from 08:00: Mon 12–16 = 4 h, Tue 08–12 = 4 h
    got = micro_by_day(FT40, dt.datetime(2024, 3, 4, 12), dt.datetime(2024, 3, 5, 12),
                       shift_starts={"mon": dt.time(8), "tue": dt.time(8)})
    assert got == {dt.date(2024, 3, 4): 4 * MICRO, dt.date(2024, 3, 5): 4 * MICRO}


def test_end_before_start_is_an_error():
    with pytest.raises(ValueError, match="before it starts"):
        scheduled_micro_between(FT40, dt.date(2024, 3, 5), dt.date(2024, 3, 4))
