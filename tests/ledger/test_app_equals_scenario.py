"""One ledger (issue 11, item 3): a multi-year history posted through the app — the accrual runs, the January
runs, an opening balance earned in an earlier year, an adjustment, leave taken, Sec. 9.1 year-end checkpoints —
and the same history as a scenario (``openleave scenario``, no database) give the same balance of every leave
type on every date asked and the same forfeitures (Sec. 9.8 vacation; Sec. 8.2.B personal leave; the MOU
emergency day), to the micro-hour.

The app does not post forfeitures yet (the year-end run is issue 12): its ``selectors.forfeits`` computes them
by the rules core's own ``with_forfeitures`` over the ledger's rows and their ``vintage``; the app's balance
after a year end is its ledger balance less those forfeitures.
"""

from __future__ import annotations

import datetime as dt

import pytest

from openleave.ledger import selectors, services
from openleave.ledger.models import Kind, Leave, LedgerEntry
from openleave.rules.calendar import (
    annual_forfeiture_date,
    first_full_period_in_january,
    periods_between,
    vacation_year,
)
from openleave.rules.units import hours_str, to_micro
from openleave.scenario.parse import parse_employee
from openleave.scenario.runner import run_text

pytestmark = pytest.mark.django_db

START = dt.date(2019, 1, 6)  # the first day of the first full pay period of 2019 (vacation year 2019, Sec. 9.1)
LAST = dt.date(2022, 12, 31)  # vacation year 2022 ends 2022-12-31 (the period 2022-12-18..12-31)
TODAY = dt.date(2023, 6, 1)
# (date, leave, hours, kind): the history both sides are given
OPENING = (START, "vacation", "20", 2018)  # 20 h of vacation earned in vacation year 2018 (forfeited end of 2020)
ADJUST = (dt.date(2020, 2, 3), "sick", "10")
TAKEN = [(dt.date(2019, 3, 4), "personal", "8"), (dt.date(2020, 6, 1), "vacation", "30"),
         (dt.date(2021, 3, 1), "vacation", "60"), (dt.date(2021, 7, 6), "sick", "16"),
         (dt.date(2022, 2, 7), "emergency", "8")]
DATES = [dt.date(2019, 6, 30), vacation_year(2019)[1], dt.date(2020, 1, 5), dt.date(2020, 6, 1),
         vacation_year(2020)[1], dt.date(2021, 1, 3), dt.date(2021, 6, 30), vacation_year(2021)[1],
         dt.date(2022, 3, 1), LAST]
YEARS = [2019, 2020, 2021, 2022]
LEAVES = ("sick", "vacation", "personal", "emergency_day")  # the ledger's slugs, the core's names

EVENTS = sorted(
    [(OPENING[0], f"opening_balance: {{leave: {OPENING[1]}, hours: {OPENING[2]}, earned_year: {OPENING[3]}}}"),
     (ADJUST[0], f"adjustment: {{leave: {ADJUST[1]}, hours: {ADJUST[2]}, reason: missed credit, cite: Sec. 8.1.A}}")]
    + [(d, f"leave_taken: {{leave: {lv}, hours: {h}}}") for d, lv, h in TAKEN])
SCENARIO = (f"employee: {{service_start: {START}, title_full_time_hours_per_week: 40, emergency_personnel: true}}\n"
            "events:\n" + "".join(f"  - {{date: {d}, {ev}}}\n" for d, ev in EVENTS) + "questions:\n"
            + "".join(f"  - {{id: b_{lv}_{d}, balance: {{leave: {lv}, on: {d}}}}}\n" for d in DATES for lv in LEAVES)
            + "".join(f"  - {{id: f_{lv}_{y}, forfeits: {{leave: {lv}, year: {y}}}}}\n" for y in YEARS
                      for lv in LEAVES[1:]))


def _post_history(e, org) -> None:
    """The same history through the app's services, in the order it would happen."""
    services.ledger_post(employee=e, leave=Leave.VACATION, kind=Kind.OPENING, micro=to_micro(OPENING[2]),
                         effective_date=OPENING[0], cite="opening balance", reason="opening balance",
                         key="t:opening", earned_year=OPENING[3])
    for year in YEARS:
        services.accrual_run_annual(calendar=org["calendar"], year=year, today=TODAY)
    for p in periods_between(START, LAST):
        services.accrual_run_biweekly(calendar=org["calendar"], day=p.start, today=TODAY)
    services.ledger_post(employee=e, leave=Leave.SICK, kind=Kind.ADJUSTMENT, micro=to_micro(ADJUST[2]),
                         effective_date=ADJUST[0], cite="Sec. 8.1.A", reason="missed credit", key="t:adjust")
    for i, (d, lv, h) in enumerate(TAKEN):
        services.ledger_post(employee=e, leave=Leave[lv.upper()], kind=Kind.USAGE, micro=-to_micro(h),
                             effective_date=d, cite="Sec. 9.10", reason=f"{lv} leave taken", key=f"t:usage:{i}")
    for year in (2019, 2020, 2021):  # the derived Sec. 9.1 year-end balances the app reads from
        services.checkpoint_year(year=year)


def test_app_and_scenario_agree_on_every_balance_and_forfeiture(make_employee, org):
    e = make_employee(start=START, title="t40", emergency=True)
    out, _, failures = run_text(SCENARIO)
    assert not failures
    assert e.facts() == parse_employee({"service_start": str(START), "title_full_time_hours_per_week": 40,
                                        "emergency_personnel": True, "schedule_hours_per_week": 40,
                                        "hire_date": str(START)})  # the payroll cohort follows from the hire date
    _post_history(e, org)
    answers = out["answers"]

    # every credit carries the vintage the core gives it: accruals their vacation year, January credits their year
    assert set(LedgerEntry.objects.filter(employee=e, kind=Kind.ACCRUAL, effective_date=dt.date(2020, 1, 4))
               .values_list("vintage", flat=True)) == {2019}  # the period 2019-12-22..2020-01-04 (Sec. 9.1)
    assert LedgerEntry.objects.get(employee=e, kind=Kind.OPENING).vintage == 2018
    assert set(LedgerEntry.objects.filter(employee=e, kind=Kind.ANNUAL_CREDIT, effective_date=first_full_period_in_january(
        2021).start).values_list("vintage", flat=True)) == {2021}

    forfeited = selectors.forfeitures(e, LAST)
    assert forfeited, "the history forfeits something (the 2018 opening, personal leave, emergency days)"
    for d in DATES:
        parts = selectors.balance_parts(e, d)
        for lv in LEAVES:
            ledger = parts[lv].balance if lv in parts else 0
            gone = sum(f.amount for f in forfeited if f.leave == lv and f.effective <= d)
            assert hours_str(ledger + gone) == answers[f"b_{lv}_{d}"]["value"], (lv, d)

    for y in YEARS:
        app = selectors.forfeits(e, y)
        for lv in LEAVES[1:]:
            assert hours_str(app[lv]) == answers[f"f_{lv}_{y}"]["value"], (lv, y)
    # hand-worked (Sec. 9.8): the 20 h earned in 2018 are used first by the 30 h taken on 2020-06-01
    # (oldest first), so nothing of 2018 is left at the end of vacation year 2020
    assert selectors.forfeits(e, 2020)["vacation"] == 0
    # Sec. 8.2.B: personal leave for 2019 less the 8 h taken on 2019-03-04 is forfeited on 2020-01-04
    credited_2019 = LedgerEntry.objects.get(employee=e, leave=Leave.PERSONAL, kind=Kind.ANNUAL_CREDIT,
                                            vintage=2019).micro
    assert selectors.forfeits(e, 2019)["personal"] == credited_2019 - 8_000_000
    assert annual_forfeiture_date(2019) == vacation_year(2019)[1] == dt.date(2020, 1, 4)
