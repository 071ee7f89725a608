"""Separation and return (issue 12, item 5), with figures worked by hand from the contract text.

Erin Doyle (demo, DMH, 37.5 h title, hired 2014-10-06; HR: Helen Rivera) arrives with opening balances posted
through ``ledger_post`` (the comp engineer's Leave.COMP earning is not here yet). The clock is frozen on
2026-12-01 (tests/conftest.py), so every date below is in the past and fixed.

The contract (../shared/seeds/003_6376d06284679d74.txt):
* Sec. 9.11 — "shall be paid an amount equal to the vacation leave which has been credited but not used by the
  employee up to the time of separation"; on death, as the CHRO authorizes, "in the following order of
  precedence: First: To the surviving beneficiary or beneficiaries ... Second: ... to the estate".
* Sec. 7.2.G — "Upon termination an employee shall be paid for all unused compensatory time at the final
  regular rate of pay."
* Sec. 8.1.O — terminated: "not ... entitled to any compensation in lieu of accumulated sick leave credits";
  retire: "paid twenty percent (20%) of the value of their unused accrued sick leave"; death: 20% of the sick
  leave "personally earned and accrued", in the same order of precedence.
* Sec. 8.1.H — reinstated "after an absence of less than three (3) years shall be credited with his/her sick
  leave credits at the termination"; "three (3) years or more ... if approved by the Chief Human Resources
  Officer". Sec. 9.7 / 9.12 — prior service kept on the same terms.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from openleave import documents
from openleave.audit.models import AccessLog
from openleave.ledger import services as ledger
from openleave.ledger.models import Kind, Leave, LedgerEntry
from openleave.ledger.selectors import balance_parts
from openleave.people.models import ServiceEvent
from openleave.rules.units import to_micro
from openleave.separation import services as svc
from openleave.separation.errors import SeparationError
from openleave.separation.models import Return, Separation

pytestmark = pytest.mark.django_db

H = to_micro


def open_balances(emp, on: dt.date, **hours):
    for slug, leave in (("sick", Leave.SICK), ("vacation", Leave.VACATION), ("comp", Leave.COMP),
                        ("personal", Leave.PERSONAL)):
        if slug in hours:
            ledger.ledger_post(employee=emp, leave=leave, kind=Kind.OPENING, micro=H(hours[slug]), effective_date=on,
                               cite="opening", reason="balance brought forward", key=f"open:{emp.pk}:{slug}:{on}",
                               system="test")


def bal(emp, on: dt.date) -> dict[str, int]:
    return {k: p.balance for k, p in balance_parts(emp, on, pending=False).items()}


@pytest.fixture
def erin(people):
    return people["erin"]


@pytest.fixture
def hr(users):
    return users["hr"]


# --- retirement ---------------------------------------------------------------------------------------------


def test_retirement_pays_vacation_comp_time_and_a_fifth_of_sick_leave(erin, hr):
    open_balances(erin, dt.date(2026, 1, 4), sick="100", vacation="37.5", comp="12", personal="7.5")
    sep = svc.separation_record(employee=erin, separation_date=dt.date(2026, 11, 30), reason="retirement", by=hr,
                                hourly_rate="30.00")
    # Sec. 9.11: vacation 37.5 h credited, none used → 37.5 h paid; at $30.00/h: 37.5 × 3000 ¢ = 112,500 ¢.
    # Sec. 7.2.G: comp time 12 h → 12 h paid; 12 × 3000 ¢ = 36,000 ¢.
    # Sec. 8.1.O: retirement → 20% × 100 h = 20 h paid; 20 × 3000 ¢ = 60,000 ¢. The other 80 h are not paid and
    #   are set aside for a return (Sec. 8.1.H).
    # Total: 112,500 + 36,000 + 60,000 = 208,500 ¢ = $2,085.00.
    lines = {ln["leave"]: ln for ln in sep.lines}
    assert (lines["vacation"]["paid"], lines["comp_time"]["paid"], lines["sick"]["paid"]) == (H("37.5"), H("12"), H("20"))
    assert lines["sick"]["kept"] == H("80")
    entries = {(e.leave, e.kind): e for e in LedgerEntry.objects.filter(key__startswith=f"separation:{sep.pk}:")}
    assert entries[(Leave.VACATION, Kind.PAYOUT)].micro == -H("37.5")
    assert entries[(Leave.VACATION, Kind.PAYOUT)].cite == "Sec. 9.11"
    assert entries[(Leave.COMP, Kind.PAYOUT)].micro == -H("12") and entries[(Leave.COMP, Kind.PAYOUT)].cite == "Sec. 7.2.G"
    assert entries[(Leave.SICK, Kind.PAYOUT)].micro == -H("20") and entries[(Leave.SICK, Kind.PAYOUT)].cite == "Sec. 8.1.O"
    assert entries[(Leave.SICK, Kind.ADJUSTMENT)].micro == -H("80")
    assert "Sec. 8.1.H" in entries[(Leave.SICK, Kind.ADJUSTMENT)].cite
    after = bal(erin, dt.date(2026, 11, 30))  # through balance_parts, the one balance read
    assert after["vacation"] == after["comp_time"] == after["sick"] == 0
    assert after["personal"] == H("7.5")  # personal leave is not paid on separation (no provision): left alone
    erin.refresh_from_db()
    assert erin.separation_date == dt.date(2026, 11, 30)
    row = AccessLog.objects.get(object_type="separation", object_id=str(sep.pk), action=AccessLog.Action.CHANGE)
    assert row.subject_id == erin.pk and row.actor_id == hr.pk

    from openleave.separation.selectors import payroll_csv, statement

    st = statement(sep)
    assert st.total_cents == 208_500 and st.total_amount == "$2,085.00"
    rows = {r["payout"]: r for r in csv.DictReader(io.StringIO(payroll_csv(st)))}
    assert rows["vacation_payout"]["hours"] == "37.5" and rows["vacation_payout"]["amount_cents"] == "112500"
    assert rows["comp_time_payout"]["hours"] == "12" and rows["comp_time_payout"]["amount_cents"] == "36000"
    assert rows["sick_leave_share"]["hours"] == "20" and rows["sick_leave_share"]["amount_cents"] == "60000"
    assert rows["sick_leave_share"]["citations"] == "Sec. 8.1.O"


def test_without_a_rate_the_statement_gives_hours_and_no_money(erin, hr, client_for):
    open_balances(erin, dt.date(2026, 1, 4), sick="100", vacation="37.5", comp="12")
    sep = svc.separation_record(employee=erin, separation_date=dt.date(2026, 11, 30), reason="retirement", by=hr)
    r = client_for(hr).get(f"/employees/{erin.employee_number}/separation/{sep.pk}/payroll.csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert [(x["payout"], x["hours"], x["amount_cents"]) for x in rows] == [
        ("vacation_payout", "37.5", ""), ("comp_time_payout", "12", ""), ("sick_leave_share", "20", "")]


def test_the_page_and_the_pdf_show_the_figures_and_citations(erin, hr, client_for):
    open_balances(erin, dt.date(2026, 1, 4), sick="100", vacation="37.5", comp="12")
    sep = svc.separation_record(employee=erin, separation_date=dt.date(2026, 11, 30), reason="retirement", by=hr,
                                hourly_rate="30")
    c = client_for(hr)
    page = c.get(f"/employees/{erin.employee_number}/separation/{sep.pk}/").content.decode()
    pdf = c.get(f"/employees/{erin.employee_number}/separation/{sep.pk}/statement.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = documents.pdf_text(pdf.content)
    for body in (page, text):
        # 20% × 100 h = 20 h (Sec. 8.1.O); 37.5 h (Sec. 9.11); 12 h (Sec. 7.2.G); 80 h kept (Sec. 8.1.H); $2,085.00.
        for needle in ("Separation statement", "37.5", "Sec. 9.11", "Sec. 7.2.G", "Sec. 8.1.O", "Sec. 8.1.H",
                       "20% × 100 h = 20 h", "$2,085.00", "$1,125.00", "80 h of sick leave credits are not paid"):
            assert needle in body, needle


# --- other reasons ------------------------------------------------------------------------------------------


def test_a_resignation_pays_nothing_for_sick_leave_and_keeps_it_for_a_return(erin, hr):
    open_balances(erin, dt.date(2026, 1, 4), sick="100", vacation="15")
    sep = svc.separation_record(employee=erin, separation_date=dt.date(2026, 11, 30), reason="resignation", by=hr)
    sick = sep.line("sick")
    # Sec. 8.1.O: "not ... entitled to any compensation in lieu of accumulated sick leave credits" → 0 h paid;
    # the 100 h are kept for a reinstatement (Sec. 8.1.H). Vacation 15 h paid (Sec. 9.11).
    assert (sick["paid"], sick["kept"]) == (0, H("100"))
    assert any("no compensation in lieu of accumulated sick leave credits" in r for r in sick["reasons"])
    assert sep.line("vacation")["paid"] == H("15")
    assert not LedgerEntry.objects.filter(employee=erin, leave=Leave.SICK, kind=Kind.PAYOUT).exists()


@pytest.mark.parametrize("reason", ["layoff", "dismissal", "other"])
def test_no_sick_payment_on_any_other_termination(erin, hr, reason):
    open_balances(erin, dt.date(2026, 1, 4), sick="40")
    sep = svc.separation_record(employee=erin, separation_date=dt.date(2026, 11, 30), reason=reason, by=hr)
    assert sep.line("sick")["paid"] == 0 and sep.line("sick")["kept"] == H("40")  # Sec. 8.1.O


def test_death_names_the_order_of_precedence_and_stores_only_a_role(erin, hr, client_for):
    open_balances(erin, dt.date(2026, 1, 4), sick="50", vacation="22.5")
    sep = svc.separation_record(employee=erin, separation_date=dt.date(2026, 11, 30), reason="death", by=hr,
                                hourly_rate="28.40")
    # Sec. 8.1.O: death → 20% × 50 h = 10 h; at $28.40: 10 × 2840 ¢ = 28,400 ¢. Sec. 9.11: 22.5 h × 2840 ¢ =
    # 63,900 ¢. Both "in the following order of precedence, as authorized by the Chief Human Resources Officer".
    assert sep.line("sick")["paid"] == H("10") and sep.line("vacation")["paid"] == H("22.5")
    assert sep.death_payee == "order_of_precedence"
    page = client_for(hr).get(f"/employees/{erin.employee_number}/separation/{sep.pk}/").content.decode()
    assert "First: to the surviving beneficiary or beneficiaries" in page
    assert "Second: if there be no such designated beneficiary, to the estate of the deceased." in page
    assert "$284.00" in page and "$639.00" in page
    assert "Kept for a return" not in page  # death has no reinstatement
    from openleave.separation.selectors import payroll_rows, statement

    assert {r["payout"]: r["payee"] for r in payroll_rows(statement(sep))} == {
        "vacation_payout": "order_of_precedence", "comp_time_payout": "", "sick_leave_share": "order_of_precedence"}
    with pytest.raises(SeparationError) as exc:  # a death has no return
        svc.return_record(separation=sep, return_date=dt.date(2026, 12, 1), by=hr)
    assert exc.value.field == "return_date"


def test_a_payee_role_only_on_death(erin, hr):
    with pytest.raises(SeparationError) as exc:
        svc.separation_record(employee=erin, separation_date=dt.date(2026, 11, 30), reason="resignation", by=hr,
                              death_payee="estate")
    assert exc.value.field == "death_payee"
    assert not Separation.objects.exists()


# --- bad input: a clear error naming the field, nothing written -------------------------------------------------


def _nothing_written(erin):
    assert not Separation.objects.exists()
    assert not LedgerEntry.objects.filter(employee=erin, kind=Kind.PAYOUT).exists()
    erin.refresh_from_db()
    assert erin.separation_date is None


@pytest.mark.parametrize(("date", "reason", "field"), [
    (dt.date(2014, 10, 5), "resignation", "separation_date"),  # the day before hire (2014-10-06)
    ("2200-01-01", "resignation", "separation_date"),  # beyond the input bounds
    (dt.date(2027, 1, 4), "resignation", "separation_date"),  # in the future (today is 2026-12-01)
    (dt.date(2026, 11, 30), "quit", "reason"),  # not a reason of the contract's vocabulary
    ("30/11/2026", "retirement", "separation_date"),  # not a date
])
def test_bad_input_names_the_field_and_writes_nothing(erin, hr, date, reason, field):
    open_balances(erin, dt.date(2026, 1, 4), vacation="10")
    with pytest.raises((SeparationError, ValueError)) as exc:
        svc.separation_record(employee=erin, separation_date=date, reason=reason, by=hr)
    assert exc.value.field == field
    _nothing_written(erin)


def test_a_second_separation_without_a_return_is_refused(erin, hr):
    open_balances(erin, dt.date(2026, 1, 4), vacation="10")
    svc.separation_record(employee=erin, separation_date=dt.date(2026, 11, 30), reason="resignation", by=hr)
    for day in (dt.date(2026, 11, 30), dt.date(2026, 12, 1)):  # the same one again, or another
        with pytest.raises(SeparationError) as exc:
            svc.separation_record(employee=erin, separation_date=day, reason="resignation", by=hr)
        assert exc.value.status == 409 and "already separated on 2026-11-30" in exc.value.message
    assert Separation.objects.count() == 1
    assert LedgerEntry.objects.filter(employee=erin, kind=Kind.PAYOUT).count() == 1  # paid once


def test_entries_after_the_separation_date_are_refused(erin, hr):
    open_balances(erin, dt.date(2026, 11, 20), vacation="10")
    with pytest.raises(SeparationError) as exc:
        svc.separation_record(employee=erin, separation_date=dt.date(2026, 11, 1), reason="resignation", by=hr)
    assert exc.value.field == "separation_date" and "dated after" in exc.value.message
    _nothing_written(erin)


def test_only_hr_of_the_agency_records(erin, users, people):
    for who in (users["employee"], users["supervisor"], users["auditor"], users["medical"], users["steward"]):
        with pytest.raises(svc.NotAllowed):
            svc.separation_record(employee=erin, separation_date=dt.date(2026, 11, 30), reason="resignation", by=who)
    with pytest.raises(svc.NotAllowed):  # HR of DMH, for a DCR employee
        svc.separation_record(employee=people["dana"], separation_date=dt.date(2026, 11, 30), reason="resignation",
                              by=users["hr"])
    _nothing_written(erin)


# --- return -------------------------------------------------------------------------------------------------


def test_reinstatement_after_two_years_restores_the_sick_credits_and_the_service(erin, hr):
    open_balances(erin, dt.date(2024, 1, 7), sick="100", vacation="30")
    sep = svc.separation_record(employee=erin, separation_date=dt.date(2024, 11, 29), reason="resignation", by=hr)
    assert bal(erin, dt.date(2024, 11, 29))["sick"] == 0  # 100 h set aside, not paid (Sec. 8.1.O)
    ret = svc.return_record(separation=sep, return_date=dt.date(2026, 11, 29), by=hr)
    # Absence 2024-11-29..2026-11-29: two years, less than three → credited with the sick leave credits held
    # at termination, 100 h (Sec. 8.1.H); prior service kept (Sec. 9.7).
    assert not ret.long_absence and ret.sick_restored_micro == H("100")
    restored = LedgerEntry.objects.get(employee=erin, kind=Kind.RESTORED)
    assert (restored.leave, restored.micro, restored.effective_date, restored.cite) == (
        Leave.SICK, H("100"), dt.date(2026, 11, 29), "Sec. 8.1.H")
    assert bal(erin, dt.date(2026, 11, 29))["sick"] == H("100")
    # Vacation status (Sec. 9.7, 9.12): the break is appended to the service history; the 730 days of absence
    # (2024-11-29 → 2026-11-29, no 29 February between) are not service, so the service date moves from
    # 2014-10-06 by 730 days: 2014-10-06 + 365 = 2015-10-06, + 365 = 2016-10-05 (29 Feb 2016 lies between).
    ev = ServiceEvent.objects.get(employee=erin, kind=ServiceEvent.Kind.BREAK)
    assert (ev.left, ev.returned, ev.prior_service_approved) == (dt.date(2024, 11, 29), dt.date(2026, 11, 29), False)
    erin.refresh_from_db()
    assert erin.service_start == dt.date(2014, 10, 6)  # never overwritten
    assert erin.vacation_service_date == dt.date(2016, 10, 5)
    assert erin.separation_date is None
    row = AccessLog.objects.get(object_type="separation_return", object_id=str(ret.pk))
    assert row.subject_id == erin.pk and row.action == AccessLog.Action.CHANGE
    with pytest.raises(SeparationError) as exc:  # the same return twice
        svc.return_record(separation=sep, return_date=dt.date(2026, 11, 29), by=hr)
    assert exc.value.status == 409
    assert LedgerEntry.objects.filter(employee=erin, kind=Kind.RESTORED).count() == 1


def test_after_three_years_and_a_day_only_with_the_chro_approval(erin, hr):
    open_balances(erin, dt.date(2023, 1, 8), sick="100")
    sep = svc.separation_record(employee=erin, separation_date=dt.date(2023, 11, 27), reason="dismissal", by=hr)
    # 2023-11-27 + three years = 2026-11-27; a return on 2026-11-28 is after "three (3) years or more" (Sec. 8.1.H,
    # 9.12) → only with the CHRO's approval.
    with pytest.raises(SeparationError) as exc:
        svc.return_record(separation=sep, return_date=dt.date(2026, 11, 28), by=hr)
    assert exc.value.field == "chro_approved_by" and "Chief Human Resources Officer" in exc.value.message
    assert not Return.objects.exists() and not LedgerEntry.objects.filter(kind=Kind.RESTORED).exists()
    assert not ServiceEvent.objects.filter(employee=erin).exists()
    with pytest.raises(SeparationError) as exc:  # the approval needs who, when and the cause
        svc.return_record(separation=sep, return_date=dt.date(2026, 11, 28), by=hr, chro_approved_by="CHRO")
    assert exc.value.field == "chro_approved_on"
    ret = svc.return_record(separation=sep, return_date=dt.date(2026, 11, 28), by=hr, chro_approved_by="J. Smith, CHRO",
                            chro_approved_on=dt.date(2026, 11, 20), chro_cause="dismissal_no_fault",
                            chro_reasons="dismissal overturned: no fault of the employee")
    assert ret.long_absence and ret.chro_approved_by == "J. Smith, CHRO" and ret.recorded_by == hr
    assert bal(erin, dt.date(2026, 11, 28))["sick"] == H("100")  # Sec. 8.1.H with the approval
    assert ServiceEvent.objects.get(employee=erin).prior_service_approved  # Sec. 9.12 with the approval


def test_exactly_three_years_is_three_years_or_more(erin, hr):
    open_balances(erin, dt.date(2023, 1, 8), sick="8")
    sep = svc.separation_record(employee=erin, separation_date=dt.date(2023, 11, 28), reason="resignation", by=hr)
    with pytest.raises(SeparationError):  # 2023-11-28 → 2026-11-28: three years exactly → "or more"
        svc.return_record(separation=sep, return_date=dt.date(2026, 11, 28), by=hr)
    # One day short of three years (2023-11-28 → 2026-11-27): less than three years → no approval needed.
    assert svc.return_record(separation=sep, return_date=dt.date(2026, 11, 27), by=hr).sick_restored_micro == H("8")


def test_a_separation_after_a_return_is_recorded_again(erin, hr):
    open_balances(erin, dt.date(2024, 1, 7), sick="10")
    sep = svc.separation_record(employee=erin, separation_date=dt.date(2024, 11, 29), reason="layoff", by=hr)
    svc.return_record(separation=sep, return_date=dt.date(2025, 6, 2), kind="recalled", by=hr)
    again = svc.separation_record(employee=erin, separation_date=dt.date(2026, 11, 30), reason="retirement", by=hr)
    # The 10 h restored on 2025-06-02 (Sec. 8.1.H); retirement: 20% × 10 h = 2 h paid, 8 h kept (Sec. 8.1.O).
    assert (again.line("sick")["paid"], again.line("sick")["kept"]) == (H("2"), H("8"))
    assert Separation.objects.filter(employee=erin).count() == 2  # the history is kept


# --- the commands -------------------------------------------------------------------------------------------


def test_the_commands_record_and_refuse_with_one_line_and_exit_2(erin, hr, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    open_balances(erin, dt.date(2026, 1, 4), sick="100", vacation="37.5", comp="12")
    for argv, field in ((["--date", "2200-01-01", "--reason", "retirement"], "separation_date"),
                        (["--date", "2026-11-30", "--reason", "quit"], "reason"),
                        (["--date", "2026-11-30", "--reason", "retirement", "--hourly-rate", "abc"], "hourly_rate")):
        with pytest.raises(CommandError) as exc:
            call_command("record_separation", erin.employee_number, *argv, "--by", "hr")
        assert exc.value.returncode == 2 and str(exc.value).startswith(f"{field}:") and "\n" not in str(exc.value)
    _nothing_written(erin)
    call_command("record_separation", erin.employee_number, "--date", "2026-11-30", "--reason", "retirement",
                 "--by", "hr")
    out = capsys.readouterr().out
    # 20% × 100 h = 20 h paid, 80 h kept (Sec. 8.1.O, 8.1.H); 37.5 h vacation (Sec. 9.11); 12 h comp (Sec. 7.2.G).
    assert "sick: balance 100 h, paid 20 h, kept 80 h" in out and "vacation: balance 37.5 h, paid 37.5 h" in out
    assert "comp_time: balance 12 h, paid 12 h" in out
    with pytest.raises(CommandError) as exc:
        call_command("record_separation", erin.employee_number, "--date", "2026-11-30", "--reason", "retirement",
                     "--by", "hr")
    assert "already separated on 2026-11-30" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        call_command("record_return", erin.employee_number, "--date", "2026-12-01", "--by", "employee")
    assert str(exc.value).startswith("--by:")
    call_command("record_return", erin.employee_number, "--date", "2026-12-01", "--by", "hr")
    assert "80 h sick leave restored" in capsys.readouterr().out
    assert AccessLog.objects.filter(subject=erin, channel="command", object_type="separation").exists()
