"""Hours from payroll and corrections after the fact (issue 15, item 3): the import of hours paid and unpaid per
pay period (versions, never edits), and ``reaccrue`` for a closed period whose hours payroll corrected.

Hand-worked figures, pay period 2026-11-01 (Sun) .. 2026-11-14 (Sat), a full-time 40-hour title (80 h a period),
service from 2020-05-01: by Sec. 9.4 in the 4.5–9.5-year band of Sec. 9.2.A, 4.61544 h of vacation for a full
period; sick leave Sec. 8.1.A, 4.61544 h for a full period. Credit on hours paid (Sec. 8.1.D sick, 9.3 vacation):
4.61544 h × paid / 80 h. The suite's clock is 2026-12-01 (tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from ledger_helpers import PERIOD_DAY, credits

from openleave.audit.models import AccessLog
from openleave.ledger import payroll_hours as P
from openleave.ledger.models import (
    AccrualCorrection,
    AccrualCorrectionLine,
    AppendOnly,
    Kind,
    Leave,
    LedgerEntry,
    PayrollHours,
    PayrollHoursBatch,
)
from openleave.ledger.reaccrue import NotAccrued, reaccrue

pytestmark = pytest.mark.django_db

HEADER = "employee_number,period_start,hours_paid,hours_unpaid,note\n"


def load(text: str, **kw):
    return P.import_payroll_hours(rows=P.read_csv(HEADER + text), system="test", dry_run=kw.pop("dry_run", False),
                                  **kw)


def total(employee, leave) -> int:
    return sum(e.micro for e in LedgerEntry.objects.filter(employee=employee, leave=leave))


def test_the_accrual_credits_on_the_hours_paid_the_import_loaded(make_employee, accrue):
    e = make_employee(start=dt.date(2020, 5, 1))
    report = load(f"{e.employee_number},2026-11-01,72,8,\n")
    assert report.ok and report.written == 1 and report.batch is not None
    accrue()
    # 72 h paid of 80: 4.61544 × 72 / 80 = 4.153896 h each (Sec. 8.1.D, 9.3)
    assert credits(e) == {"sick": 4_153_896, "vacation": 4_153_896}


def test_a_correction_of_a_closed_period_posts_exactly_the_difference(make_employee, accrue):
    fixed = make_employee(start=dt.date(2020, 5, 1))
    same = make_employee(start=dt.date(2020, 5, 1))
    load(f"{fixed.employee_number},2026-11-01,72,8,\n{same.employee_number},2026-11-01,72,8,\n")
    accrue()
    # payroll corrects the period: the 8 h without pay were paid after all (80 h paid, 0 unpaid); the other
    # employee's row is repeated unchanged
    report = load(f"{fixed.employee_number},2026-11-01,80,0,corrected\n{same.employee_number},2026-11-01,72,8,\n")
    assert [(r.status, r.version, r.closed) for r in report.rows] == [("correction", 2, True), ("unchanged", 1, True)]
    assert report.written == 1
    # the first version is kept, never edited
    assert list(PayrollHours.objects.filter(employee=fixed).order_by("version")
                .values_list("version", "paid_micro", "unpaid_micro")) == [(1, 72_000_000, 8_000_000),
                                                                            (2, 80_000_000, 0)]
    [result] = reaccrue(day=dt.date(2026, 11, 9))
    assert result.entries == 2 and result.employees == 1
    # credited 4.153896 h (72 h paid); the corrected hours give 4.61544 h (80 h paid):
    # 4.61544 − 4.153896 = 0.461544 h more of each (Sec. 8.1.D sick, Sec. 9.3 vacation)
    lines = {x.leave: x for x in LedgerEntry.objects.filter(employee=fixed, kind=Kind.ADJUSTMENT)}
    assert {lv: x.micro for lv, x in lines.items()} == {Leave.SICK: 461_544, Leave.VACATION: 461_544}
    assert "Sec. 8.1.D" in lines[Leave.SICK].cite and "Sec. 9.3" in lines[Leave.VACATION].cite
    assert f"batch {report.batch.pk}" in lines[Leave.SICK].reason
    assert "hours paid 72 → 80 h" in lines[Leave.SICK].reason
    assert total(fixed, Leave.SICK) == 4_615_440 and total(fixed, Leave.VACATION) == 4_615_440
    assert not LedgerEntry.objects.filter(employee=same, kind=Kind.ADJUSTMENT).exists()
    before_after = AccrualCorrectionLine.objects.get(employee_id=fixed.pk, leave=Leave.SICK)
    assert (before_after.paid_before, before_after.paid_after, before_after.credit_before, before_after.credit_after,
            before_after.difference) == (72_000_000, 80_000_000, 4_153_896, 4_615_440, 461_544)
    assert AccessLog.objects.filter(subject=fixed, object_type="accrual_correction").count() == 1
    # a second run posts nothing and says so
    [again] = reaccrue(day=PERIOD_DAY)
    assert again.entries == 0 and "nothing posted" in again.message
    assert LedgerEntry.objects.filter(kind=Kind.ADJUSTMENT).count() == 2
    assert AccrualCorrection.objects.count() == 1


def test_a_later_correction_reduces_the_credit_from_what_was_credited(make_employee, accrue):
    e = make_employee(start=dt.date(2020, 5, 1))
    load(f"{e.employee_number},2026-11-01,80,0,\n")
    accrue()  # 80 h paid: 4.61544 h each
    load(f"{e.employee_number},2026-11-01,64,16,\n")
    reaccrue(day=PERIOD_DAY)
    # 16 h without pay: 64 h paid → 4.61544 × 64 / 80 = 3.692352 h; difference 3.692352 − 4.61544 = −0.923088 h
    assert total(e, Leave.SICK) == 3_692_352 and total(e, Leave.VACATION) == 3_692_352
    # and payroll corrects once more, back to 72 h paid: 4.153896 h; from 3.692352 h: +0.461544 h
    load(f"{e.employee_number},2026-11-01,72,8,\n")
    reaccrue(day=PERIOD_DAY)
    adj = sorted(x.micro for x in LedgerEntry.objects.filter(employee=e, leave=Leave.SICK, kind=Kind.ADJUSTMENT))
    assert adj == [-923_088, 461_544]
    assert total(e, Leave.SICK) == 4_153_896


def test_reaccrue_refuses_a_period_not_accrued(make_employee):
    e = make_employee(start=dt.date(2020, 5, 1))
    load(f"{e.employee_number},2026-11-01,72,8,\n")
    with pytest.raises(NotAccrued, match="not been accrued"):
        reaccrue(day=PERIOD_DAY)
    with pytest.raises(CommandError, match="not been accrued"):
        call_command("reaccrue", "--period-including", "2026-11-01")


def test_the_same_file_twice_changes_nothing(make_employee):
    e = make_employee(start=dt.date(2020, 5, 1))
    text = f"{e.employee_number},2026-11-01,72,8,\n{e.employee_number},2026-11-15,80,0,\n"
    assert load(text).written == 2
    again = load(text)
    assert again.written == 0 and "Nothing to do" in again.summary()
    assert PayrollHours.objects.count() == 2 and PayrollHoursBatch.objects.count() == 1


def test_every_bad_row_is_named_and_nothing_is_written(make_employee):
    e = make_employee(start=dt.date(2020, 5, 1))
    n = e.employee_number
    text = (f"999999,2026-11-01,80,0,\n"        # 2: unknown employee
            f"{n},2026-11-02,80,0,\n"           # 3: not the first day of a pay period
            f"{n},2026-12-13,80,0,\n"           # 4: a period not begun (today 2026-12-01)
            f"{n},2026-11-15,-8,0,\n"           # 5: negative
            f"{n},2026-11-29,abc,0,\n"          # 6: not a number
            f"{n},2026-10-18,300,40,\n"         # 7: 340 h > 14 days × 24 h = 336 h
            f"{n},2026-10-04,0,81,\n"           # 8: 81 h unpaid > 80 scheduled
            f"{n},2026-11-01,72,8,\n"           # 9: valid
            f"{n},2026-11-01,72,8,\n")          # 10: the same employee and period again
    report = load(text)
    got = {(p.row, p.column) for p in report.problems}
    assert got == {(2, "employee_number"), (3, "period_start"), (4, "period_start"), (5, "hours_paid"),
                   (6, "hours_paid"), (7, "hours_paid"), (8, "hours_unpaid"), (10, "period_start")}
    assert "2026-11-01..2026-11-14" in next(p.message for p in report.problems if p.row == 3)
    assert PayrollHours.objects.count() == 0 and report.written == 0
    # --partial: only the valid row, and the report names the rows left out
    part = load(text, partial=True)
    assert part.written == 1 and part.left_out == [2, 3, 4, 5, 6, 7, 8, 10]
    assert "left out 8 invalid row(s)" in part.summary()


def test_the_file_is_refused_as_a_whole_for_a_bad_header():
    with pytest.raises(P.ImportRefused, match="ssn: unknown column"):
        P.read_csv("employee_number,period_start,hours_paid,hours_unpaid,ssn\n")
    with pytest.raises(P.ImportRefused, match="hours_unpaid is missing"):
        P.read_csv("employee_number,period_start,hours_paid\n")


def test_the_command_reports_file_row_column_and_writes_nothing(make_employee, tmp_path, capsys):
    e = make_employee(start=dt.date(2020, 5, 1))
    bad = tmp_path / "hours.csv"
    bad.write_text(HEADER + f"{e.employee_number},2026-11-01,72,8,\n{e.employee_number},2026-11-15,x,0,\n")
    with pytest.raises(CommandError) as exc:
        call_command("import_payroll_hours", str(bad))
    assert exc.value.returncode == 2
    assert f"{bad}:3: error: hours_paid:" in capsys.readouterr().err
    assert PayrollHours.objects.count() == 0
    call_command("import_payroll_hours", str(bad), "--partial")
    assert PayrollHours.objects.count() == 1
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + f"{e.employee_number},2026-11-01,72,8,Caf\xe9\n").encode("latin-1"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_payroll_hours", str(latin))


def test_the_command_dry_run_writes_nothing(make_employee, tmp_path, capsys):
    e = make_employee(start=dt.date(2020, 5, 1))
    f = tmp_path / "hours.csv"
    f.write_text(HEADER + f"{e.employee_number},2026-11-01,72,8,\n")
    call_command("import_payroll_hours", str(f), "--dry-run")
    assert "Would load 1 row" in capsys.readouterr().out
    assert PayrollHours.objects.count() == 0


def test_payroll_hours_are_never_edited(make_employee):
    e = make_employee(start=dt.date(2020, 5, 1))
    load(f"{e.employee_number},2026-11-01,72,8,\n")
    h = PayrollHours.objects.get()
    with pytest.raises(AppendOnly):
        h.save()
    with pytest.raises(AppendOnly):
        PayrollHours.objects.update(unpaid_micro=0)


def test_reaccrue_command_says_so_the_second_time(make_employee, accrue, capsys):
    e = make_employee(start=dt.date(2020, 5, 1))
    load(f"{e.employee_number},2026-11-01,72,8,\n")
    accrue()
    load(f"{e.employee_number},2026-11-01,80,0,\n")
    call_command("reaccrue", "--period-including", "2026-11-05")
    assert "posted 2 correcting entries for 1 employee(s)" in capsys.readouterr().out
    call_command("reaccrue", "--period-including", "2026-11-05")
    assert "nothing posted" in capsys.readouterr().out


# --- the API and the ledger page (the demo organisation) ----------------------------------------------------

def _period_start(employee) -> str:
    from openleave.rules.calendar import period_containing

    return period_containing(dt.date(2026, 11, 5), employee.pay_calendar.anchor).start.isoformat()


def test_the_api_dry_run_by_default_then_import(people, users, client_for):
    erin = people["erin"]
    c = client_for(users["hr"])
    body = {"rows": [{"employee_number": erin.employee_number, "period_start": _period_start(erin),
                      "hours_paid": "72", "hours_unpaid": "8"}]}
    r = c.post("/api/payroll-hours/import", json.dumps(body), content_type="application/json")
    assert r.status_code == 200 and r.json()["dry_run"] and r.json()["written"] == 0
    assert PayrollHours.objects.count() == 0
    r = c.post("/api/payroll-hours/import", json.dumps({**body, "dry_run": False}), content_type="application/json")
    assert r.status_code == 200 and r.json()["written"] == 1
    bad = {"rows": [{**body["rows"][0], "hours_unpaid": "-1"}], "dry_run": False}
    r = c.post("/api/payroll-hours/import", json.dumps(bad), content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "rows[0].hours_unpaid"


@pytest.mark.parametrize("who", ["employee", "supervisor", "auditor", "steward"])
def test_the_api_is_hr_only(people, users, client_for, who):
    r = client_for(users[who]).post("/api/payroll-hours/import", json.dumps({"rows": []}),
                                    content_type="application/json")
    assert r.status_code == 404


def test_the_ledger_page_shows_the_before_and_after(people, users, client_for):
    from openleave.ledger import services

    erin = people["erin"]
    start = _period_start(erin)
    P.import_payroll_hours(rows=P.read_csv(HEADER + f"{erin.employee_number},{start},72,8,\n"), system="test",
                           dry_run=False)
    if not services.AccrualRun.objects.filter(pay_calendar=erin.pay_calendar, period_start=start).exists():
        services.accrual_run_biweekly(calendar=erin.pay_calendar, day=dt.date.fromisoformat(start),
                                      today=dt.date(2026, 12, 1))
    P.import_payroll_hours(rows=P.read_csv(HEADER + f"{erin.employee_number},{start},80,0,\n"), system="test",
                           dry_run=False)
    reaccrue(day=dt.date.fromisoformat(start), calendar=erin.pay_calendar)
    page = client_for(users["employee"]).get(f"/employees/{erin.employee_number}/ledger/").content.decode()
    assert "Corrections of hours paid" in page
    assert "Sec. 8.1.D" in page


def test_a_correction_for_a_mid_period_hire_uses_the_rules_core_as_the_run_does(make_employee, accrue):
    # hired Thursday 2026-11-05, inside the period: the run computes such an employee by the rules core (Sec. 9.2.B);
    # so does the correction. Not a contract figure: the correction equals the rules core's credit on the corrected
    # hours (80 scheduled − 8 unpaid = 72 h) minus what the run credited.
    from openleave.ledger.services import period_for, tree
    from openleave.rules import accrual as rules

    e = make_employee(start=dt.date(2026, 11, 5))
    load(f"{e.employee_number},2026-11-01,56,0,\n")
    accrue()
    credited = credits(e)
    load(f"{e.employee_number},2026-11-01,48,8,\n")
    reaccrue(day=PERIOD_DAY)
    period = period_for(e.pay_calendar, PERIOD_DAY)
    want = {"sick": rules.sick_accrual(e.facts(), period, tree(), hours_paid=72_000_000).value,
            "vacation": rules.vacation_accrual(e.facts(), period, tree(), hours_paid=72_000_000).value}
    assert want["sick"] < credited["sick"]
    assert total(e, Leave.SICK) == want["sick"] and total(e, Leave.VACATION) == want["vacation"]
