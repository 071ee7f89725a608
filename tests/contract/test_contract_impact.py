"""``contract_impact`` on the made-up successor (tests/fixtures/contract_successor — NOT the real next contract).

Expected figures are worked by hand from the 2017 agreement and the fixture's README:

* the second Sec. 9.2.A band (4.5 to 9.5 years of service) goes from 4.61544 h (80 h bi-weekly) to 5.11544 h:
  +0.5 h per full pay period; the other bands and sick leave (Sec. 8.1.A: 4.61544 h / 4.326975 h) unchanged;
* Sec. 10.1's eleven holidays plus Juneteenth: twelve;
* Sec. 7.2.G comp-time maximum 120 h → 150 h (a cap);
* the Sec. 9.8 carry-over years are not restated (2 under both): the next year end forfeits the same.

The day compared is the successor's start, 2027-07-01. Its pay period (Sec. 8.1.A calendar: anchor 2017-07-09,
14 days) starts 2027-06-27 (2017-07-09 + 260 × 14 days = 3,640 days); the periods that start in vacation year
2027 (Sec. 9.1) from there are 2027-06-27, 07-11, …, 12-26: 14 periods.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from openleave.audit.models import AccessLog
from openleave.rules.units import to_micro

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "contract_successor"
ON = dt.date(2027, 7, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(demo):
    """Three employees of an agency of their own (so the HR page shows only them)."""
    from openleave.people.models import Agency, Employee, JobTitle, PayCalendar

    agency = Agency.objects.create(code="TST", name="Test agency")
    t40 = JobTitle.objects.create(code="T40", name="Clerk 40", full_time_weekly_hours=Decimal("40"))
    t375 = JobTitle.objects.create(code="T375", name="Clerk 37.5", full_time_weekly_hours=Decimal("37.5"))
    cal = PayCalendar.objects.first()

    def make(num, title, weekly, start, status="full_time"):
        return Employee.objects.create(
            employee_number=num, given_name="T", family_name=num, agency=agency, title=title, status=status,
            scheduled_weekly_hours=Decimal(weekly), work_schedule={}, original_hire_date=start, service_start=start,
            vacation_service_date=start, pay_calendar=cal)

    return {
        # 7.5 years on 2027-07-01 → band 1 (4.5 ≤ 7.5 < 9.5, Sec. 9.2.A, 9.4); 80 h bi-weekly
        "a": make("900001", t40, "40", dt.date(2020, 1, 5)),
        # 27.5 years → band 3 (≥ 19.5); 75 h bi-weekly
        "b": make("900002", t375, "37.5", dt.date(2000, 1, 2)),
        # 6.5 years → band 1; part-time 20 h a week = 40 h of the 80 h period (Sec. 9.5 proration)
        "c": make("900003", t40, "20", dt.date(2021, 1, 3), status="part_time"),
    }, agency


def test_the_report_per_group_and_in_total(staff):
    from openleave.contract.selectors import impact, rows

    people, agency = staff
    imp = impact(folder=FIXTURE, on=ON, agency_id=agency.pk)
    assert imp.new_agreement["folder"] == "contract_successor"
    assert imp.old_agreement["folder"] == "nage_unit3_2017"
    assert imp.employees == 3
    assert imp.periods_left == 14  # 2027-06-27 … 2027-12-26, see the module docstring
    by = {r.employee_number: r for r in rows(imp)}
    a, b, c = by["900001"].fig, by["900002"].fig, by["900003"].fig
    # A: band 1, 4.61544 → 5.11544 h per period (Sec. 9.2.A; fixture +0.5 h); over 14 periods +7 h
    assert (a.band_old, a.band_new) == (1, 1)
    assert (a.vacation_old, a.vacation_new) == (to_micro("4.61544"), to_micro("5.11544"))
    assert by["900001"].rest_of_year(imp.periods_left) == to_micro("7")  # 14 × 0.5 h
    assert a.vacation_cite_new == "Sec. 9.2.A (made-up successor)"
    # A's sick credit unchanged: 4.61544 h (Sec. 8.1.A, 80 h bi-weekly)
    assert a.sick_old == a.sick_new == to_micro("4.61544")
    # B: band 3 at 75 h, 7.21155 h under both (Sec. 9.2.A; the fixture keeps the band)
    assert (b.band_old, b.vacation_old, b.vacation_new) == (3, to_micro("7.21155"), to_micro("7.21155"))
    # C: 40 of 80 h → 4.61544 × 40 / 80 = 2.30772 h; 5.11544 × 40 / 80 = 2.55772 h (Sec. 9.5): +0.25 h
    assert (c.vacation_old, c.vacation_new) == (to_micro("2.30772"), to_micro("2.55772"))
    # sick C: 4.61544 × 40 / 80 = 2.30772 h under both (Sec. 8.1.B)
    assert c.sick_old == c.sick_new == to_micro("2.30772")
    # in total per period: 0.5 + 0 + 0.25 = 0.75 h of vacation; sick 0
    assert imp.vacation_diff_period == to_micro("0.75")
    assert imp.sick_diff_period == 0
    # A and C are one group (40 h week, band 1) only if scheduled alike: they are not (80 h vs 40 h) → 3 groups
    assert len(imp.groups) == 3
    # Art. 10: eleven holidays (Sec. 10.1) → twelve, Juneteenth added
    assert (len(imp.holidays.old), len(imp.holidays.new)) == (11, 12)
    assert imp.holidays.added == ("Juneteenth",) and imp.holidays.removed == ()
    # caps: the Sec. 7.2.G comp-time maximum 120 → 150 h
    cap = next(c for c in imp.caps if c.name == "use.comp_time.max_balance_hours")
    assert (cap.old.value, cap.old.cite, cap.new.value) == (120, "Sec. 7.2.G", 150)
    # forfeitures: the Sec. 9.8 carry-over (2 years) is not restated → the next year end forfeits the same
    assert not imp.forfeitures_differ


def test_groups_not_employees_scale(staff):
    """Employees in the same group share one computed figure (the join is by group key)."""
    from openleave.contract.selectors import impact, rows
    from openleave.people.models import Employee

    people, agency = staff
    for k in range(5):  # five more like A
        e = Employee.objects.get(pk=people["a"].pk)
        e.pk, e.employee_number = None, f"90010{k}"
        e.save()
    imp = impact(folder=FIXTURE, on=ON, agency_id=agency.pk)
    assert len(imp.groups) == 3 and imp.employees == 8
    # six employees at +0.5 h, C at +0.25 h: 3.25 h per period
    assert imp.vacation_diff_period == to_micro("3.25")
    figs = {id(r.fig) for r in rows(imp) if r.employee_number.startswith("9001") or r.employee_number == "900001"}
    assert len(figs) == 1


def test_command_writes_csv_with_totals_and_logs_each_employee(staff, tmp_path):
    out = tmp_path / "impact.csv"
    before = AccessLog.objects.filter(object_type="contract_impact").count()
    call_command("contract_impact", "--agreement", str(FIXTURE), "--from", "2027-07-01", "--csv", str(out))
    lines = list(csv.reader(out.open(encoding="utf-8")))
    header, body = lines[0], lines[1:]
    row = next(r for r in body if r and r[0] == "900001")
    rec = dict(zip(header, row, strict=True))
    assert (rec["vacation_per_period_old"], rec["vacation_per_period_new"]) == ("4.61544", "5.11544")
    assert rec["vacation_diff_per_period"] == "0.5" and rec["vacation_diff_rest_of_year"] == "7"
    assert (rec["holidays_old"], rec["holidays_new"]) == ("11", "12")
    assert rec["forfeit_next_year_end_old"] == "unchanged"
    totals = {r[0]: r[1] for r in body if len(r) == 2}
    assert totals["holidays added"] == "Juneteenth"
    assert totals["changed use.comp_time.max_balance_hours"].startswith("120 (Sec. 7.2.G, nage_unit3_2017) -> 150")
    employees = int(totals["TOTAL employees"])
    assert AccessLog.objects.filter(object_type="contract_impact").count() - before == employees


def test_page_for_hr_and_refused_to_others(staff, users, client_for, make_hr):
    people, agency = staff
    hr = make_hr(agency)
    c = client_for(hr)
    r = c.get("/contract/impact/", {"agreement": "tests/fixtures/contract_successor", "from": "2027-07-01"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Juneteenth" in html and "Sec. 9.2.A (made-up successor)" in html and "900001" in html
    assert AccessLog.objects.filter(object_type="contract_impact", actor=hr).count() == 3
    r = c.get("/contract/impact.csv", {"agreement": "tests/fixtures/contract_successor", "from": "2027-07-01"})
    assert r.status_code == 200 and b"900003" in b"".join(r.streaming_content)
    # bad input: a 400 naming the field
    r = c.get("/contract/impact/", {"agreement": "/etc", "from": "2027-07-01"})
    assert r.status_code == 400 and "agreement" in r.content.decode()
    r = c.get("/contract/impact/", {"agreement": "tests/fixtures/contract_successor", "from": "2027-13-01"})
    assert r.status_code == 400 and "from" in r.content.decode()
    r = c.get("/contract/impact/", {"agreement": "tests/fixtures/contract_successor", "from": "2027-06-30"})
    assert r.status_code == 400 and "before the successor takes effect" in r.content.decode()
    employee_user = people["a"].user or next(u for u in users.values() if not u.has_role("hr"))
    r = client_for(employee_user).get("/contract/impact/", {"agreement": "tests/fixtures/contract_successor",
                                                          "from": "2027-07-01"})
    assert r.status_code == 403


@pytest.mark.parametrize(("args", "message"), [
    (["--agreement", "tests/fixtures/no_such_folder", "--from", "2027-07-01"], "no such agreement folder"),
    (["--agreement", "tests/fixtures", "--from", "2027-07-01"], "no index.yaml"),
    (["--agreement", str(FIXTURE), "--from", "2027-02-30"], "--from"),
    (["--agreement", str(FIXTURE), "--from", "2027-06-30"], "before the successor takes effect"),
])
def test_command_refuses_bad_input(demo, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("contract_impact", *args)


@pytest.fixture
def make_hr(db):
    from django.contrib.auth.models import Group

    from openleave.accounts.models import User

    def make(agency):
        u = User.objects.create(username="hr_tst", email="hr_tst@example.org", agency=agency)
        u.groups.set(Group.objects.filter(name="hr"))
        return u

    return make


def test_forfeitures_at_the_next_year_end_under_each(staff, tmp_path):
    """A copy of the fixture that also raises the Sec. 9.8 carry-over from 2 to 3 vacation years (made up).

    A holds 100 h of vacation earned in 2025 (an opening balance by vintage), nothing used. The next year end
    after 2027-07-01 is vacation year 2027's (Sec. 9.1). Under the 2017 agreement it forfeits what is left of the
    credits earned in 2027 − 2 = 2025: 100 h (Sec. 9.8). Under the copy it forfeits those earned in 2027 − 3 = 2024:
    none, so 0 h; the 2025 credits would last through 2028."""
    import shutil

    from openleave.contract.selectors import impact, rows
    from openleave.ledger import services
    from openleave.ledger.models import Kind, Leave

    people, agency = staff
    folder = tmp_path / "successor_carry3"
    shutil.copytree(FIXTURE, folder)
    (folder / "vacation" / "carry_over_years.yaml").write_text(
        "description: made-up carry-over years\nunit: count\nvalues:\n"
        "  2027-07-01:\n    value: 3\n    cite: Sec. 9.8 (made-up successor)\n")
    services.ledger_post(employee=people["a"], leave=Leave.VACATION, kind=Kind.OPENING, micro=to_micro("100"),
                         effective_date=dt.date(2026, 1, 11), cite="opening balance", reason="test",
                         key="impact-test:a:v2025", system="test", earned_year=2025)
    imp = impact(folder=folder, on=ON, agency_id=agency.pk)
    assert imp.forfeitures_differ
    cap = next(c for c in imp.caps if c.name == "vacation.carry_over_years")
    assert (cap.old.value, cap.new.value) == (2, 3)
    by = {r.employee_number: r for r in rows(imp)}
    assert by["900001"].forfeit == {"vacation": (to_micro("100"), 0)}
    assert by["900002"].forfeit == {}  # no ledger lines: nothing to forfeit under either
    assert imp.forfeiture_totals == {"vacation": (to_micro("100"), 0)}
