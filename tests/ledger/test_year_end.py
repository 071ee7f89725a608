"""The year-end run (``manage.py year_end``), worked by hand from the contract.

Pay calendar anchored 2017-07-09 (a Sunday; 14-day periods). The dates, counted by hand from the anchor:

* Year 2022: the periods run ... 2022-12-18..2022-12-31, 2023-01-01..01-14. Vacation year 2022 ends on
  Saturday 2022-12-31 (the last pay period inclusive of December 31, Sec. 9.1), and the first full pay period
  of January 2023 **starts on the 1st**: the last Saturday prior to it is 2022-12-31 too (Sec. 8.2.B, MOU).
  December 25, 2022 is a Sunday and January 1, 2023 a Sunday (holidays observed on Monday, Art. 10) — neither
  moves a day here: the days are pay-period boundaries, not working days.
* Year 2023: the period 2023-12-31..2024-01-13 includes December 31, so vacation year 2023 ends on 2024-01-13,
  and the first full pay period of January 2024 **starts late**, on 2024-01-14: leave used up to January 13,
  2024 still counts against 2023's credits.
* Sec. 9.8 (``vacation.carry_over_years`` = 2): at the end of year Y what is left of the credit earned in
  vacation year Y−2 (and older) is forfeited, oldest credit used first. Sec. 8.2.B / MOU: personal leave and the
  emergency day of Y not taken by that Saturday are forfeited, except one day of personal leave where the
  operational needs of the agency prevented its use (a day = 8 h for a 40-hour title, Sec. 8.9, 9.16).
* Sec. 9.15: an employee on industrial accident leave has that vacation converted to sick leave "in the new
  calendar year beginning with the first full pay period in January" (2023-01-01 for year 2022).
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.management import CommandError, call_command

from openleave.ledger import selectors, services, year_end
from openleave.ledger.models import AccrualRun, Kind, Leave, LedgerEntry
from openleave.people.models import IndustrialAccidentLeave

pytestmark = pytest.mark.django_db(transaction=False)
H = 1_000_000  # µh per hour
_keys = itertools.count()


def post(emp, leave, kind, hours, on, earned=None):
    return services.ledger_post(employee=emp, leave=leave, kind=kind, micro=int(hours * H), effective_date=on,
                                cite="test", reason="test", key=f"ye-test-{next(_keys)}", system="test",
                                earned_year=earned)


def opening(emp, leave, hours, on, earned):
    return post(emp, leave, Kind.OPENING, hours, on, earned)


def use(emp, leave, hours, on):
    return post(emp, leave, Kind.USAGE, -hours, on)


def posted(emp, leave, kind=Kind.FORFEITURE) -> int:
    return sum(e.micro for e in LedgerEntry.objects.filter(employee=emp, leave=leave, kind=kind))


@pytest.fixture
def hr(org):
    from django.contrib.auth.models import Group

    from openleave.accounts.models import User

    u = User.objects.create_user("ye-hr", password="x", agency=org["agency"])
    u.groups.add(Group.objects.get_or_create(name="hr")[0])
    return u


def run(org, year, today, **kw):
    return year_end.year_end_run(calendar=org["calendar"], year=year, today=today, **kw)


@pytest.mark.parametrize("year, last, conversion", [
    (2021, dt.date(2022, 1, 1), dt.date(2022, 1, 2)),  # Dec 25, 2021 and Jan 1, 2022 are Saturdays
    (2022, dt.date(2022, 12, 31), dt.date(2023, 1, 1)),  # Dec 25, 2022 a Sunday; Jan 2023's period starts on the 1st
    (2023, dt.date(2024, 1, 13), dt.date(2024, 1, 14)),  # Jan 2024's first full period starts on the 14th
    (2027, dt.date(2028, 1, 8), dt.date(2028, 1, 9)),  # Dec 25, 2027 a Saturday
])
def test_the_year_end_days_by_hand(org, year, last, conversion):
    p = year_end.plan(year, org["calendar"].anchor)
    assert (p.last_day, p.conversion_day, p.vacation_cut) == (last, conversion, year - 2)
    assert last.weekday() == 5  # a Saturday: "the last Saturday prior to the first full pay period" (Sec. 8.2.B)


@pytest.fixture
def year_2022(org, make_employee, hr):
    """Four employees with opening balances on 2022-01-02, the first day of vacation year 2022 (after the end of
    2021, so no earlier year end is missing)."""
    day = dt.date(2022, 1, 2)
    a = make_employee(start=dt.date(2012, 3, 1), emergency=True)
    opening(a, Leave.VACATION, 30, day, 2020)
    opening(a, Leave.VACATION, 50, day, 2021)
    opening(a, Leave.VACATION, 20, day, 2022)
    use(a, Leave.VACATION, 12, dt.date(2022, 6, 6))  # oldest first: 12 h of the 30 h of 2020 → 18 h of it left
    opening(a, Leave.PERSONAL, 24, day, 2022)  # Sec. 8.2.B: 24 h for a 40-hour week (hired after 2011-09-01)
    use(a, Leave.PERSONAL, 8, dt.date(2022, 3, 7))  # 24 − 8 = 16 h left
    opening(a, Leave.EMERGENCY, 8, day, 2022)  # MOU: one day = 8 h, never taken
    b = make_employee(start=dt.date(2015, 3, 1))  # on industrial accident leave from 2022-10-03
    opening(b, Leave.VACATION, 10, day, 2020)
    opening(b, Leave.VACATION, 5, day, 2022)
    opening(b, Leave.PERSONAL, 24, day, 2022)
    IndustrialAccidentLeave.objects.create(employee=b, started=dt.date(2022, 10, 3))
    c = make_employee(start=dt.date(2016, 3, 1))  # operational needs recorded: one day carries over
    opening(c, Leave.PERSONAL, 24, day, 2022)
    year_end.personal_carry_over_record(employee=c, year=2022, reasons="December intake backlog (unit short-staffed)",
                                        by=hr, today=dt.date(2022, 11, 15))
    d = make_employee(start=dt.date(2018, 3, 1))
    opening(d, Leave.VACATION, 40, day, 2021)  # nothing of 2020: nothing forfeits
    return {"a": a, "b": b, "c": c, "d": d}


def test_year_2022_forfeits_by_hand(org, year_2022):
    a, b, c, d = (year_2022[k] for k in "abcd")
    projected = {k: selectors.forfeits(e, 2022) for k, e in year_2022.items()}
    result = run(org, 2022, dt.date(2023, 1, 2))
    # A: Sec. 9.8 — 30 h of 2020, 12 h used oldest first → 18 h forfeited; 2021's 50 h and 2022's 20 h carry over.
    assert posted(a, Leave.VACATION) == -18 * H
    # A: Sec. 8.2.B — 24 − 8 = 16 h of personal leave; MOU — the 8 h emergency day.
    assert posted(a, Leave.PERSONAL) == -16 * H and posted(a, Leave.EMERGENCY) == -8 * H
    # B: Sec. 9.15 — on industrial accident leave: the 10 h of 2020 are converted, not forfeited, on 2023-01-01.
    assert posted(b, Leave.VACATION) == 0
    conv = {e.leave: e for e in LedgerEntry.objects.filter(employee=b, kind=Kind.CONVERSION)}
    assert conv[Leave.VACATION].micro == -10 * H and conv[Leave.SICK].micro == 10 * H
    assert {e.effective_date for e in conv.values()} == {dt.date(2023, 1, 1)}
    assert "Sec. 9.15" in conv[Leave.VACATION].citations() and "Sec. 9.15" in conv[Leave.SICK].citations()
    # B: Sec. 9.15 is about vacation only: the 24 h of personal leave are forfeited.
    assert posted(b, Leave.PERSONAL) == -24 * H
    # C: Sec. 8.2.B carry-over: 24 h − one day (8 h, 40-hour title) = 16 h forfeited, 8 h carried into 2023.
    assert posted(c, Leave.PERSONAL) == -16 * H
    assert "carried over" in LedgerEntry.objects.get(employee=c, kind=Kind.FORFEITURE).reason
    # D: nothing of 2020.
    assert not LedgerEntry.objects.filter(employee=d, kind__in=(Kind.FORFEITURE, Kind.CONVERSION)).exists()
    # The summary: 18 h vacation; 16 + 24 + 16 = 56 h personal; 8 h emergency; one conversion of 10 h.
    s = result.run.summary
    assert s["forfeited_hours"] == {"Vacation": "18", "Personal leave": "56", "State of Emergency day": "8"}
    assert s["conversions"] == {"employees": 1, "hours": "10", "cite": "Sec. 9.15"}
    assert s["employees"] == 3 and s["computed_by_rules_core"] == 1  # C (the carry-over) by the rules core itself
    # Every row cited, dated 2022-12-31 (forfeitures), vintage 2022 (the year it closes).
    for e in LedgerEntry.objects.filter(kind=Kind.FORFEITURE):
        assert e.effective_date == dt.date(2022, 12, 31) and e.vintage == 2022 and e.citations()
    cites = {e.leave: e.citations() for e in LedgerEntry.objects.filter(employee=a, kind=Kind.FORFEITURE)}
    assert "Sec. 9.8" in cites[Leave.VACATION] and cites[Leave.PERSONAL] == "Sec. 8.2.B"
    assert cites[Leave.EMERGENCY] == "MOU Regarding State of Emergency"
    # The projection before the run is what was posted; after it, forfeits() counts each once.
    assert projected["a"] == {"vacation": 18 * H, "personal": 16 * H, "emergency_day": 8 * H, "vacation_to_sick": 0}
    assert projected["c"]["personal"] == 16 * H
    # B: on industrial accident leave on 2022-12-31: the 10 h of 2020 are projected as the Sec. 9.15 conversion, not
    # as a forfeiture — before the run and after it (then the posted conversion).
    assert projected["b"] == {"vacation": 0, "personal": 24 * H, "emergency_day": 0, "vacation_to_sick": 10 * H}
    for k, e in year_2022.items():
        assert selectors.forfeits(e, 2022) == projected[k], k
    # balance_parts shows it posted: A's vacation 30 + 50 + 20 − 12 − 18 = 70 h; B's sick +10 h on 2023-01-01.
    assert selectors.balance_parts(a, dt.date(2022, 12, 31))["vacation"].balance == 70 * H
    assert selectors.balance_parts(a, dt.date(2022, 12, 31))["personal"].balance == 0
    assert selectors.balance_parts(b, dt.date(2023, 1, 1))["vacation"].balance == 5 * H
    assert selectors.balance_parts(b, dt.date(2023, 1, 1))["sick"].balance == 10 * H
    assert selectors.balance_parts(c, dt.date(2022, 12, 31))["personal"].balance == 8 * H


def test_the_next_years_projection_does_not_take_the_conversion_twice(org, year_2022):
    b = year_2022["b"]
    run(org, 2022, dt.date(2023, 1, 2))
    # B keeps 5 h of 2022: at the end of 2024 they forfeit (or convert) — the 10 h converted are not taken from them.
    # Still on industrial accident leave (no end recorded) at the end of 2024: converted (Sec. 9.15), not forfeited.
    f = selectors.forfeits(b, 2024)
    assert f["vacation_to_sick"] == 5 * H and f["vacation"] == 0


def test_a_dry_run_writes_nothing_and_says_the_same(org, year_2022):
    before = LedgerEntry.objects.count()
    dry = run(org, 2022, dt.date(2023, 1, 2), dry_run=True)
    assert LedgerEntry.objects.count() == before and not AccrualRun.objects.filter(leave_set="year_end").exists()
    real = run(org, 2022, dt.date(2023, 1, 2))
    assert {**dry.summary(), "seconds": 0, "dry_run": False} == {**real.summary(), "seconds": 0}


def test_a_second_run_refuses(org, year_2022):
    run(org, 2022, dt.date(2023, 1, 2))
    n = LedgerEntry.objects.count()
    with pytest.raises(services.AlreadyRun):
        run(org, 2022, dt.date(2023, 2, 1))
    with pytest.raises(services.AlreadyRun):
        run(org, 2022, dt.date(2023, 2, 1), dry_run=True)
    assert LedgerEntry.objects.count() == n


def test_a_run_before_the_year_ended_refuses(org, year_2022):
    with pytest.raises(year_end.YearNotEnded, match="has not ended: its last pay period ends 2022-12-31"):
        run(org, 2022, dt.date(2022, 12, 31))  # the last day itself: not ended yet
    assert not AccrualRun.objects.exists()


def test_the_command_prints_a_summary_and_refuses_with_exit_2(org, year_2022, capsys):
    call_command("year_end", "--year", "2022", "--today", "2023-01-02", "--calendar", org["calendar"].name)
    out = capsys.readouterr().out
    assert "Posted the year end 2022" in out and "Sec. 9.15" in out and "56" in out
    with pytest.raises(CommandError, match="already run") as exc:
        call_command("year_end", "--year", "2022", "--today", "2023-01-02", "--calendar", org["calendar"].name)
    assert exc.value.returncode == 2
    with pytest.raises(CommandError, match="has not ended") as exc:
        call_command("year_end", "--year", "2026", "--calendar", org["calendar"].name)  # frozen clock: 2026-12-01
    assert exc.value.returncode == 2
    with pytest.raises(CommandError, match="--year") as exc:
        call_command("year_end", "--year", "next", "--calendar", org["calendar"].name)


def test_year_2023_starts_late_and_january_use_counts(org, make_employee):
    # Openings on 2023-01-01 (after the end of 2022: no earlier year end is missing).
    a = make_employee(start=dt.date(2012, 3, 1))
    opening(a, Leave.VACATION, 50, dt.date(2023, 1, 1), 2021)
    opening(a, Leave.VACATION, 20, dt.date(2023, 1, 1), 2022)
    use(a, Leave.VACATION, 30, dt.date(2023, 5, 1))  # from 2021's 50 h → 20 h left
    use(a, Leave.VACATION, 4, dt.date(2024, 1, 8))  # still vacation year 2023 (ends 2024-01-13) → 16 h left
    opening(a, Leave.PERSONAL, 24, dt.date(2023, 1, 1), 2023)
    use(a, Leave.PERSONAL, 8, dt.date(2024, 1, 8))  # before the last Saturday prior to 2024-01-14 → 16 h left
    with pytest.raises(year_end.YearNotEnded):
        run(org, 2023, dt.date(2024, 1, 13))
    result = run(org, 2023, dt.date(2024, 1, 14))
    assert posted(a, Leave.VACATION) == -16 * H  # Sec. 9.8: 50 − 30 − 4 = 16 h of 2021
    assert posted(a, Leave.PERSONAL) == -16 * H  # Sec. 8.2.B: 24 − 8 = 16 h
    assert {e.effective_date for e in LedgerEntry.objects.filter(kind=Kind.FORFEITURE)} == {dt.date(2024, 1, 13)}
    assert result.run.summary["forfeited_hours"] == {"Vacation": "16", "Personal leave": "16"}


def test_years_run_in_order(org, year_2022):
    # The ledger has entries dated in 2022: 2023 cannot be posted before 2022's forfeitures are.
    with pytest.raises(year_end.YearEndOutOfOrder, match="Run the year end of 2022 first"):
        run(org, 2023, dt.date(2024, 1, 14))
    run(org, 2022, dt.date(2023, 1, 2))
    a = year_2022["a"]
    # 2023: A has 50 h of 2021 and 20 h of 2022 left, uses none: the 50 h of 2021 forfeit at 2024-01-13.
    run(org, 2023, dt.date(2024, 1, 14))
    assert posted(a, Leave.VACATION) == -(18 + 50) * H
    assert selectors.forfeits(a, 2023)["vacation"] == 50 * H
    # C's carried day (8 h, 2022) is "carried over to the next calendar year" and, unused, forfeited at its end.
    assert posted(year_2022["c"], Leave.PERSONAL) == -(16 + 8) * H


def test_set_based_equals_the_rules_core_for_awkward_histories(org, make_employee):
    """Histories the SQL hands to the rules core (an old credit dated after a newer one) and ones it computes
    itself, against ``selectors.forfeits`` — the rules core's with_forfeitures over the same rows."""
    day = dt.date(2022, 1, 2)
    plain = make_employee(start=dt.date(2012, 3, 1))
    opening(plain, Leave.VACATION, 10, day, 2020)
    use(plain, Leave.VACATION, 15, dt.date(2022, 2, 7))  # more than the 2020 credit: nothing of 2020 left
    opening(plain, Leave.VACATION, 10, dt.date(2022, 3, 6), 2021)
    late = make_employee(start=dt.date(2012, 3, 1))
    opening(late, Leave.VACATION, 10, day, 2022)
    use(late, Leave.VACATION, 5, dt.date(2022, 2, 7))
    opening(late, Leave.VACATION, 10, dt.date(2022, 3, 6), 2020)  # a 2020 credit recorded after a 2022 one
    expected = {e.pk: selectors.forfeits(e, 2022)["vacation"] for e in (plain, late)}
    result = run(org, 2022, dt.date(2023, 1, 2))
    # plain: 10 − 15 < 0 → nothing of 2020 forfeits; late: oldest first, 5 h came from 2022's before the 2020
    # credit existed, so all 10 h of 2020 are left and forfeit.
    assert expected == {plain.pk: 0, late.pk: 10 * H}
    assert posted(plain, Leave.VACATION) == 0 and posted(late, Leave.VACATION) == -10 * H
    assert result.by_core == 1


def test_a_run_is_logged_once_naming_the_run(org, year_2022):
    from openleave.audit.models import AccessLog

    before = AccessLog.objects.count()
    r = run(org, 2022, dt.date(2023, 1, 2))
    rows = list(AccessLog.objects.order_by("id")[before:])
    assert [(x.object_type, str(x.object_id)) for x in rows] == [("year_end_run", str(r.run.pk))]


# --- the Sec. 8.2.B carry-over record --------------------------------------------------------------------------


def test_a_carry_over_after_the_deadline_is_refused(org, make_employee, hr):
    e = make_employee(start=dt.date(2016, 3, 1))
    with pytest.raises(year_end.CarryOverInvalid, match="a carry-over recorded after the deadline"):
        year_end.personal_carry_over_record(employee=e, year=2022, reasons="backlog", by=hr, today=dt.date(2023, 1, 1))
    # The deadline itself (2022-12-31, the forfeiture day) is still in time.
    rec = year_end.personal_carry_over_record(employee=e, year=2022, reasons="backlog", by=hr,
                                              today=dt.date(2022, 12, 31))
    assert rec.recorded_by == hr
    with pytest.raises(year_end.CarryOverInvalid, match="already recorded"):
        year_end.personal_carry_over_record(employee=e, year=2022, reasons="again", by=hr, today=dt.date(2022, 12, 31))


def test_a_carry_over_needs_reasons_hr_of_the_agency_and_november(org, make_employee, hr):
    e = make_employee(start=dt.date(2016, 3, 1))
    other = make_employee(start=dt.date(2016, 3, 1), agency="other")
    with pytest.raises(year_end.CarryOverInvalid, match="reasons"):
        year_end.personal_carry_over_record(employee=e, year=2022, reasons="  ", by=hr, today=dt.date(2022, 12, 1))
    with pytest.raises(year_end.CarryOverInvalid, match="November 1"):
        year_end.personal_carry_over_record(employee=e, year=2022, reasons="x", by=hr, today=dt.date(2022, 10, 31))
    with pytest.raises(PermissionError):
        year_end.personal_carry_over_record(employee=other, year=2022, reasons="x", by=hr, today=dt.date(2022, 12, 1))


# --- the API -----------------------------------------------------------------------------------------------------


def test_api_records_a_carry_over_and_lists_the_runs(org, make_employee, hr, client, year_2022):
    e = make_employee(start=dt.date(2016, 3, 1))
    client.force_login(hr, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/api/employees/{e.employee_number}/personal-carry-overs"
    # Frozen clock 2026-12-01: the carry-over of 2026 is in time (deadline 2027-01-09, Sec. 8.2.B).
    r = client.post(url, {"year": 2026, "reasons": "audit season"}, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["cite"] == "Sec. 8.2.B" and r.json()["recorded_by"] == "ye-hr"
    # 2025's personal leave was forfeited on 2026-01-10: too late.
    r = client.post(url, {"year": 2025, "reasons": "x"}, content_type="application/json")
    assert r.status_code == 422 and "a carry-over recorded after the deadline" in r.json()["detail"]
    assert r.json()["field"] == "year"
    run(org, 2022, dt.date(2023, 1, 2))
    runs = client.get("/api/year-end-runs").json()
    assert [x["year"] for x in runs] == [2022] and runs[0]["summary"]["forfeited_hours"]["Vacation"] == "18"


def test_api_year_end_runs_and_carry_overs_refuse_other_roles(org, make_employee, client):
    from django.contrib.auth.models import Group

    from openleave.accounts.models import User

    e = make_employee(start=dt.date(2016, 3, 1))
    e.user = User.objects.create_user("ye-emp", password="x")
    e.save()
    e.user.groups.add(Group.objects.get_or_create(name="employee")[0])
    client.force_login(e.user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/api/year-end-runs").status_code == 404
    r = client.post(f"/api/employees/{e.employee_number}/personal-carry-overs", {"year": 2026, "reasons": "x"},
                    content_type="application/json")
    assert r.status_code == 403  # an employee sees their own record but may not record their own carry-over


def _rows():
    return sorted(LedgerEntry.objects.filter(kind__in=(Kind.FORFEITURE, Kind.CONVERSION)).values_list(
        "employee_id", "leave", "kind", "micro", "effective_date", "period_start", "cite", "vintage"))


def test_the_copy_path_writes_the_rows_of_the_insert_path(org, year_2022):
    """PostgreSQL writes by binary COPY (``year_end_copy``) by default; the INSERT…SELECT path is kept. Both give
    the rows worked by hand in test_year_2022_forfeits_by_hand, and the same summary (on SQLite both are the
    INSERT path)."""
    from django.db import transaction

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            ins = run(org, 2022, dt.date(2023, 1, 2), method="insert")
            by_insert = _rows()
            raise Undo
    except Undo:
        pass
    assert not LedgerEntry.objects.filter(kind=Kind.FORFEITURE).exists()
    cp = run(org, 2022, dt.date(2023, 1, 2), method="copy")
    assert _rows() == by_insert
    assert {**cp.summary(), "seconds": 0} == {**ins.summary(), "seconds": 0}
    # A: 18 h vacation (Sec. 9.8), 16 h personal (8.2.B), 8 h emergency (MOU); B: 24 h personal and the 10 h
    # conversion (two legs, Sec. 9.15); C: 16 h personal → 3 + 3 + 1 = 7 rows.
    assert len(by_insert) == 7
    assert sum(r[3] for r in by_insert if r[2] == Kind.FORFEITURE) == -(18 + 16 + 8 + 24 + 16) * H


@pytest.mark.parametrize("method", ["copy", "insert"])
def test_an_employee_on_another_pay_calendar_is_not_in_the_run(org, year_2022, make_employee, method):
    from openleave.people.models import Employee, PayCalendar

    other = PayCalendar.objects.create(name="other calendar", anchor=dt.date(2017, 7, 16))
    e = make_employee(start=dt.date(2012, 3, 1))
    opening(e, Leave.VACATION, 10, dt.date(2022, 1, 2), 2020)  # would forfeit 10 h (Sec. 9.8) on its own calendar
    Employee.objects.filter(pk=e.pk).update(pay_calendar=other)
    result = run(org, 2022, dt.date(2023, 1, 2), method=method)
    assert posted(e, Leave.VACATION) == 0
    # the four of the fixture as by hand: 18 h vacation (A), 56 h personal (A 16, B 24, C 16), 8 h emergency (A)
    assert result.summary()["forfeited_hours"] == {"Vacation": "18", "Personal leave": "56",
                                                   "State of Emergency day": "8"}


def test_the_projection_shows_the_conversion_only_while_on_industrial_accident_leave_at_the_year_end(
        org, make_employee):
    """Sec. 9.15 applies to an employee on industrial accident leave when the credits would be lost (the end of
    vacation year 2022, Saturday 2022-12-31). 12 h earned in 2020, nothing used → 12 h at stake (Sec. 9.8)."""
    e = make_employee(start=dt.date(2012, 3, 1))
    opening(e, Leave.VACATION, 12, dt.date(2022, 1, 2), 2020)
    assert selectors.forfeits(e, 2022)["vacation"] == 12 * H  # not on it: forfeited
    ia = IndustrialAccidentLeave.objects.create(employee=e, started=dt.date(2022, 5, 2), ended=dt.date(2022, 12, 30))
    # ended the day before the year end: back at work on 2022-12-31 → forfeited, not converted
    assert selectors.forfeits(e, 2022)["vacation"] == 12 * H and selectors.forfeits(e, 2022)["vacation_to_sick"] == 0
    ia.ended = dt.date(2022, 12, 31)
    ia.save()
    assert selectors.forfeits(e, 2022)["vacation"] == 0 and selectors.forfeits(e, 2022)["vacation_to_sick"] == 12 * H
    run(org, 2022, dt.date(2023, 1, 2))
    assert posted(e, Leave.VACATION, Kind.CONVERSION) == -12 * H and posted(e, Leave.SICK, Kind.CONVERSION) == 12 * H
    assert selectors.forfeits(e, 2022)["vacation"] == 0 and selectors.forfeits(e, 2022)["vacation_to_sick"] == 12 * H


def test_the_year_end_run_keeps_the_hash_and_the_code_version(org, year_2022):
    from openleave.ledger.services import tree
    from openleave.rules.provenance import code_version

    run(org, 2022, dt.date(2023, 2, 1))
    plan = AccrualRun.objects.get(leave_set="year_end").rate_plan
    assert plan["provenance"] == {"param_hash": tree().content_hash(), "code_version": code_version()}
