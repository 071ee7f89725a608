"""Continuous service is a history of recorded events, not an overwritten date (Sec. 9.2.B, 9.7, 9.12)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from openleave.people.models import ServiceEvent
from openleave.people.services import service_event_record

pytestmark = pytest.mark.django_db


def test_short_break_moves_the_service_date_by_the_break(people, users):
    erin = people["erin"]  # service start 2014-10-06
    # Left 2016-01-01, back 2017-01-01: 366 days, under three years → prior service kept (Sec. 9.7),
    # the break itself is not service → service counts from 2014-10-06 + 366 days = 2015-10-07.
    service_event_record(employee=erin, kind=ServiceEvent.Kind.BREAK, left=dt.date(2016, 1, 1),
                         returned=dt.date(2017, 1, 1), reason="resigned and reinstated", by=users["hr"])
    erin.refresh_from_db()
    assert erin.service_start == dt.date(2014, 10, 6)  # never overwritten
    assert erin.vacation_service_date == dt.date(2015, 10, 7)


def test_break_of_three_years_or_more_restarts_service_unless_approved(people, users):
    erin = people["erin"]
    # Left 2015-01-01, back 2018-06-01: more than 3 years and not approved (Sec. 9.12) → counts from 2018-06-01.
    service_event_record(employee=erin, kind=ServiceEvent.Kind.BREAK, left=dt.date(2015, 1, 1),
                         returned=dt.date(2018, 6, 1), reason="left the Commonwealth", by=users["hr"])
    erin.refresh_from_db()
    assert erin.vacation_service_date == dt.date(2018, 6, 1)


def test_a_reason_is_required_and_nothing_is_half_written(people, users):
    with pytest.raises(ValidationError):
        service_event_record(employee=people["erin"], kind=ServiceEvent.Kind.ADJUSTMENT, days=30, reason="  ",
                             by=users["hr"])
    assert not ServiceEvent.objects.filter(employee=people["erin"]).exists()


def test_a_break_needs_a_later_return(people, users):
    with pytest.raises(ValidationError):
        service_event_record(employee=people["erin"], kind=ServiceEvent.Kind.BREAK, left=dt.date(2018, 1, 1),
                             returned=dt.date(2017, 1, 1), reason="typo", by=users["hr"])
    people["erin"].refresh_from_db()
    assert people["erin"].vacation_service_date == dt.date(2014, 10, 6)
