"""Properties of every check: allowed ≤ requested; within the balance; sick charged in 15-minute units ≥ time off."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openleave.rules.facts import EmployeeFacts
from openleave.rules.requests import LeaveAsk, RequestContext, RequestError, check_request
from openleave.rules.units import MICRO

EMP = EmployeeFacts(service_start=dt.date(2010, 1, 4), title_full_time_hours_per_week=Decimal("37.5"))
BALANCE_KINDS = ("sick", "vacation", "personal", "comp_time")
UNITS = {"sick": MICRO // 4, "vacation": MICRO // 4, "personal": MICRO // 2, "comp_time": MICRO // 2}


@st.composite
def asks(draw):
    day = dt.date(2024, 3, 4) + dt.timedelta(days=draw(st.integers(0, 4)))
    start_min = draw(st.integers(0, 24 * 60 - 1))
    length = draw(st.integers(1, 3 * 24 * 60))
    start = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=start_min)
    return start, start + dt.timedelta(minutes=length)


@settings(max_examples=200, deadline=None)
@given(kind=st.sampled_from(BALANCE_KINDS), span=asks(), balance=st.integers(0, 60 * MICRO),
       purpose=st.sampled_from([None, "family_care", "medical_appointment"]))
def test_allowed_within_requested_and_balance(kind, span, balance, purpose):
    ask = LeaveAsk(kind, span[0], span[1], purpose=purpose if kind == "sick" else None, relation="parent")
    ctx = RequestContext(balances={kind: balance}, shift_starts={"mon": dt.time(8), "wed": dt.time(9)})
    try:
        f = check_request(EMP, ask, ctx)
    except RequestError:
        return  # no scheduled hours in the range
    assert 0 <= f.allowed_micro <= f.requested_micro
    charged = sum(m for t, m in f.charges if t == kind)
    assert f.allowed_micro <= charged <= balance
    assert charged % UNITS[kind] == 0
    assert charged - f.allowed_micro < UNITS[kind]  # rounded up by less than one unit
    assert f.outcome in ("allowed", "partly_allowed", "not_allowed", "needs_decision")


@settings(max_examples=100, deadline=None)
@given(span=asks(), used=st.integers(0, 500 * MICRO))
def test_capped_kinds_never_exceed_requested(span, used):
    for ask in (
        LeaveAsk("domestic_violence", *span),
        LeaveAsk("bereavement", *span, relation="parent", date_of_death=dt.date(2024, 3, 1)),
        LeaveAsk("sick", *span, purpose="family_care", relation="child"),
    ):
        ctx = RequestContext(balances={"sick": 1000 * MICRO}, used_hours={"domestic_violence": used,
                             "sick.family_care": used}, used_for_event=used % (30 * MICRO))
        try:
            f = check_request(EMP, ask, ctx)
        except RequestError:
            return
        assert 0 <= f.allowed_micro <= f.requested_micro
        if f.allowed_micro == 0:
            assert f.outcome == "not_allowed"


def test_errors_are_specific():
    with pytest.raises(RequestError, match="before it starts"):
        check_request(EMP, LeaveAsk("vacation", dt.date(2024, 3, 5), dt.date(2024, 3, 4)))
    with pytest.raises(RequestError, match="unknown leave kind"):
        check_request(EMP, LeaveAsk("holiday", dt.date(2024, 3, 4), dt.date(2024, 3, 4)))
    with pytest.raises(RequestError, match="no scheduled hours"):
        check_request(EMP, LeaveAsk("vacation", dt.date(2024, 3, 9), dt.date(2024, 3, 10)))  # Sat–Sun
    with pytest.raises(RequestError, match="only 7.5 h are scheduled"):
        check_request(EMP, LeaveAsk("vacation", dt.date(2024, 3, 4), dt.date(2024, 3, 4), hours=Decimal(9)))
    with pytest.raises(RequestError, match="before the employee's service"):
        check_request(EMP, LeaveAsk("vacation", dt.date(2009, 3, 4), dt.date(2009, 3, 4)))
