"""Export to payroll (issue 15, item 2): a closed pay period's leave used and unpaid hours per employee, under the
payroll's time codes; recorded batches that download again identically; reconciliation with the ledger; a
correction after the export as an adjustment line of the NEXT batch; refusals; who may export.

The clock is frozen at 2026-12-01 (tests/conftest.py FROZEN). The demo pay calendar is biweekly, Sunday–Saturday,
counted from the anchor Sunday 2017-07-09 (calendar.pay_period): 2017-07-09 + 14 × 240 days = 2026-10-18, so
    P1 = 2026-10-18 .. 2026-10-31, P2 = 2026-11-01 .. 2026-11-14, P3 = 2026-11-15 .. 2026-11-28 (all closed),
and 2026-11-29 .. 2026-12-12 is the open period. The time codes are config/payroll_codes.yaml's
(vacation VAC, sick SCK, unpaid LWP)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from openleave.accounts import roles as R
from openleave.accounts.models import User
from openleave.audit.models import AccessLog
from openleave.leave.models import LeaveRequest, RequestCharge
from openleave.ledger import services as ledger
from openleave.ledger.models import Kind, Leave, LedgerEntry
from openleave.payroll import selectors, services
from openleave.payroll.errors import PayrollError
from openleave.payroll.models import PayrollBatch, PayrollLine
from openleave.rules.units import to_micro

pytestmark = pytest.mark.django_db

P1 = (dt.date(2026, 10, 18), dt.date(2026, 10, 31))
P2 = (dt.date(2026, 11, 1), dt.date(2026, 11, 14))
P3 = (dt.date(2026, 11, 15), dt.date(2026, 11, 28))


@pytest.fixture
def payroll_user(demo):
    u = User.objects.create(username="payroll", first_name="Paula", last_name="Roll", agency=None)
    u.groups.set(Group.objects.filter(name=R.HR))
    return User.objects.get(pk=u.pk)


def _use(emp, leave, hours: str, day: dt.date, key: str, cite: str):
    return ledger.ledger_post(employee=emp, leave=leave, kind=Kind.USAGE, micro=-to_micro(hours), effective_date=day,
                              cite=cite, reason=f"leave request test: {key}", key=key, system="test")


def _unpaid(emp, kind_charge: str, hours: str, day: dt.date, request_kind: str = "lwop") -> RequestCharge:
    """A decided request's unpaid charge (the fact the export reads; the request flow is tested in tests/leave)."""
    req = LeaveRequest.objects.create(employee=emp, kind=request_kind, start_date=day, end_date=day,
                                      status=LeaveRequest.Status.APPROVED, requested_micro=to_micro(hours),
                                      approved_micro=to_micro(hours), days={day.isoformat(): to_micro(hours)})
    return RequestCharge.objects.create(request=req, leave_type=kind_charge, micro=to_micro(hours))


@pytest.fixture
def period1(people):
    """Erin: 7.5 h vacation (one 7.5 h day of her 37.5 h week) and 3.75 h sick (half a day) in P1; Sean: 7.5 h of
    leave without pay (Sec. 8.11) in P1; Stan: vacation in P2 only (not in P1's batch)."""
    erin, sean, stan = people["erin"], people["sean"], people["stan"]
    for e in (erin, sean, stan):
        for leave in (Leave.VACATION, Leave.SICK):
            ledger.ledger_post(employee=e, leave=leave, kind=Kind.OPENING, micro=to_micro("100"),
                               effective_date=dt.date(2026, 1, 4), cite="opening", reason="brought forward",
                               key=f"open:{e.pk}:{leave}", system="test")
    vac = _use(erin, Leave.VACATION, "7.5", dt.date(2026, 10, 20), "erin-vac", "Sec. 9.10")
    _use(erin, Leave.SICK, "3.75", dt.date(2026, 10, 22), "erin-sick", "Sec. 8.1.F")
    lwop = _unpaid(sean, "lwop", "7.5", dt.date(2026, 10, 27))
    _use(stan, Leave.VACATION, "15", dt.date(2026, 11, 3), "stan-vac", "Sec. 9.10")
    return {"erin": erin, "sean": sean, "stan": stan, "vac": vac, "lwop": lwop}


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def _export(day, by=None):
    cal = PayrollBatch._meta.get_field("pay_calendar").related_model.objects.get()
    return services.payroll_batch_export(calendar=cal, period_including=day, by=by, command="test")


def test_hand_worked_lines_under_the_codes(period1, payroll_user):
    b = _export("2026-10-25", by=payroll_user)
    assert (b.period_start, b.period_end) == P1
    rows = _rows(b"".join(selectors.csv_chunks(b)))
    got = {(r["employee_number"], r["code"], r["kind"], r["hours"], r["line"]) for r in rows}
    # Erin 100002: vacation 7.5 h → VAC, sick 3.75 h → SCK; Sean 100001: 7.5 h leave without pay → LWP (the
    # `unpaid` code); Stan's vacation is dated in P2, not in this batch.
    assert got == {("100002", "VAC", "vacation", "7.5", "regular"), ("100002", "SCK", "sick", "3.75", "regular"),
                   ("100001", "LWP", "lwop", "7.5", "regular")}
    assert b.rows == 3 and b.employees == 2
    n, head = b.pk, f"{b.pk},2026-10-18,2026-10-31"
    assert b"".join(selectors.csv_chunks(b)).decode() == (  # the example of docs/payroll-export.md
        "batch,pay_period_start,pay_period_end,employee_number,code,kind,hours,micro_hours,line,"
        "original_period_start,original_period_end,entry,citation\n"
        f"{head},100001,LWP,lwop,7.5,7500000,regular,,,,\n"
        f"{head},100002,SCK,sick,3.75,3750000,regular,,,,\n"
        f"{head},100002,VAC,vacation,7.5,7500000,regular,,,,\n"), n
    assert b.totals == {"lwop": 7_500_000, "sick": 3_750_000, "vacation": 7_500_000}
    assert b.by == payroll_user and b.ledger_hwm == LedgerEntry.objects.order_by("-id").first().pk
    # one access-log row per employee included, naming them
    logged = AccessLog.objects.filter(object_type="payroll_batch", object_id=str(b.pk))
    assert sorted(logged.values_list("subject__employee_number", flat=True)) == ["100001", "100002"]
    assert set(logged.values_list("action", flat=True)) == {AccessLog.Action.EXPORT}


def test_redownload_is_identical_by_checksum(period1, tmp_path):
    out = tmp_path / "b.csv"
    call_command("payroll_export", "--period-including", "2026-10-25", "--out", str(out))
    b = PayrollBatch.objects.get()
    first = out.read_bytes()
    assert hashlib.sha256(first).hexdigest() == b.sha256 and len(first) == b.size
    # the ledger moves on (a renumbered employee, new entries in the period): the old batch does not
    _use(period1["erin"], Leave.SICK, "1", dt.date(2026, 10, 23), "late-sick", "Sec. 8.1.F")
    again = tmp_path / "again.csv"
    call_command("payroll_export", "--batch", str(b.pk), "--out", str(again))
    assert again.read_bytes() == first
    assert hashlib.sha256(again.read_bytes()).hexdigest() == b.sha256


def test_reconciliation_equals_the_ledger(period1, capsys):
    b = _export("2026-10-25")
    rec = selectors.reconcile(b)
    assert rec.ok and not rec.pending
    by_kind = {k.kind: k for k in rec.kinds}
    # Σ of the ledger's usage debits in P1 (−7.5 h vacation, −3.75 h sick) and the 7.5 h unpaid charge
    assert (by_kind["vacation"].ledger, by_kind["sick"].ledger, by_kind["lwop"].ledger) == (
        7_500_000, 3_750_000, 7_500_000)
    assert all(k.exported == k.ledger for k in rec.kinds)
    call_command("payroll_reconcile", "--batch", str(b.pk))
    assert "equal the ledger's debits" in capsys.readouterr().out


def test_correction_after_export_is_an_adjustment_in_the_next_batch(period1, payroll_user):
    b1 = _export("2026-10-25", by=payroll_user)
    sha1, lines1 = b1.sha256, list(PayrollLine.objects.filter(batch=b1).values_list("kind", "micro"))
    # after the export: Erin's vacation day is cancelled (a reversal, dated today but charged to P1), a sick hour
    # is back-dated into P1, and Sean's leave without pay is reversed (corrected).
    rev = ledger.ledger_reverse(entry=period1["vac"], reason="cancelled request", by=None, key="rev-vac",
                                system="test")
    late = _use(period1["erin"], Leave.SICK, "1", dt.date(2026, 10, 23), "late-sick", "Sec. 8.1.F")
    c = period1["lwop"]
    from django.utils import timezone

    RequestCharge.objects.filter(pk=c.pk).update(reversed_at=timezone.now(), reversal_cite="Sec. 8.11 corrected")
    # the old batch is not changed
    assert PayrollBatch.objects.get(pk=b1.pk).sha256 == sha1
    assert list(PayrollLine.objects.filter(batch=b1).values_list("kind", "micro")) == lines1
    rec1 = selectors.reconcile(b1)
    assert rec1.ok and rec1.pending  # still equal as of its high-water mark; corrections wait for the next batch
    b2 = _export("2026-11-05")
    rows = _rows(b"".join(selectors.csv_chunks(b2)))
    regular = [r for r in rows if r["line"] == "regular"]
    adj = sorted((r["employee_number"], r["code"], r["hours"], r["original_period_start"], r["original_period_end"],
                  r["entry"], r["citation"]) for r in rows if r["line"] == "adjustment")
    assert [(r["employee_number"], r["code"], r["hours"]) for r in regular] == [("100003", "VAC", "15")]
    assert adj == sorted([
        # the cancelled 7.5 h vacation day gives back −7.5 h for P1, citing the debit's Sec. 9.10
        ("100002", "VAC", "-7.5", "2026-10-18", "2026-10-31", f"ledger:{rev.pk}", "Sec. 9.10"),
        # the late sick hour: +1 h for P1
        ("100002", "SCK", "1", "2026-10-18", "2026-10-31", f"ledger:{late.pk}", "Sec. 8.1.F"),
        # the corrected leave without pay: −7.5 h for P1
        ("100001", "LWP", "-7.5", "2026-10-18", "2026-10-31", f"charge:{c.pk}", "Sec. 8.11 corrected"),
    ])
    assert selectors.reconcile(b2).ok
    rec1 = selectors.reconcile(b1)
    assert rec1.ok and not rec1.pending  # P1's corrections are carried by batch 2
    # a third batch carries nothing more for P1
    b3 = _export("2026-11-20")
    assert not PayrollLine.objects.filter(batch=b3, adjustment=True).exists()


def test_refusals_write_nothing(period1, tmp_path, settings):
    with pytest.raises(PayrollError, match="has not closed"):
        _export("2026-11-30")  # the open period 2026-11-29 .. 2026-12-12
    with pytest.raises(CommandError, match="has not closed"):
        call_command("payroll_export", "--period-including", "2026-12-01")
    with pytest.raises(CommandError, match="no payroll batch 99"):
        call_command("payroll_reconcile", "--batch", "99")
    with pytest.raises(CommandError, match="no payroll batch 99"):
        call_command("payroll_export", "--batch", "99", "--out", str(tmp_path / "x.csv"))
    codes = tmp_path / "codes.yaml"
    codes.write_text("codes:\n  vacation: VAC\n  unpaid: LWP\n")
    settings.OPENLEAVE_PAYROLL_CODES = str(codes)
    with pytest.raises(PayrollError, match="no payroll time code for sick"):
        _export("2026-10-25")
    codes.write_text("codes:\n  vacation: VAC\n  bogus: X\n")
    with pytest.raises(PayrollError, match="'bogus' is not a kind"):
        _export("2026-10-25")
    assert not PayrollBatch.objects.exists() and not PayrollLine.objects.exists()
    assert not AccessLog.objects.filter(object_type="payroll_batch").exists()
    settings.OPENLEAVE_PAYROLL_CODES = ""
    b = _export("2026-10-25")
    with pytest.raises(PayrollError, match=f"exported as batch {b.pk}"):
        _export("2026-10-20")


def test_who_may_export(period1, payroll_user, users, client_for):
    b = _export("2026-10-25")
    for name in ("supervisor", "employee", "hr", "auditor", "steward"):  # hr: HR of one agency (DMH), not payroll
        c = client_for(users[name])
        assert c.get("/payroll/").status_code == 403, name
        assert c.get(f"/payroll/batches/{b.pk}/payroll.csv").status_code == 403, name
        assert c.post("/payroll/export/", {"period_including": "2026-11-05"}).status_code == 403, name
        assert c.get("/api/payroll/batches").status_code == 403, name
        assert c.post("/api/payroll/batches", {"period_including": "2026-11-05"},
                      content_type="application/json").status_code == 403, name
    assert PayrollBatch.objects.count() == 1


def test_pages_and_api(period1, payroll_user, client_for):
    c = client_for(payroll_user)
    r = c.post("/payroll/export/", {"period_including": "2026-11-30"})
    assert r.status_code == 409 and b"has not closed" in r.content
    r = c.post("/payroll/export/", {"period_including": "2026-10-25"})
    b = PayrollBatch.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/payroll/batches/{b.pk}/"
    page = c.get(f"/payroll/batches/{b.pk}/")
    assert page.status_code == 200 and b"equal the ledger" in page.content and b.sha256.encode() in page.content
    listing = c.get("/payroll/")
    assert b"Reconciled" in listing.content
    dl = c.get(f"/payroll/batches/{b.pk}/payroll.csv")
    assert hashlib.sha256(b"".join(dl.streaming_content)).hexdigest() == b.sha256
    assert c.get("/payroll/batches/999/").status_code == 404
    # the API
    r = c.post("/api/payroll/batches", {"period_including": "2026-11-05"}, content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["totals_hours"] == {"vacation": "15"} and body["reconciled"] is True
    r = c.post("/api/payroll/batches", {"period_including": "2026-11-05"}, content_type="application/json")
    assert r.status_code == 409 and "exported as batch" in r.json()["detail"]
    r = c.post("/api/payroll/batches", {"period_including": "2026-12-01"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["field"] == "period_including"
    assert [x["id"] for x in c.get("/api/payroll/batches").json()] == [body["id"], b.pk]
    rec = c.get(f"/api/payroll/batches/{b.pk}/reconciliation").json()
    assert rec["ok"] is True and {k["kind"] for k in rec["kinds"]} == {"vacation", "sick", "lwop"}
    csv_r = c.get(f"/api/payroll/batches/{b.pk}/payroll.csv")
    assert csv_r.status_code == 200
    assert hashlib.sha256(b"".join(csv_r.streaming_content)).hexdigest() == b.sha256 == csv_r["X-Checksum-SHA256"]
    assert c.get("/api/payroll/batches/999").status_code == 404


def test_set_based_the_queries_do_not_grow_with_the_employees(period1, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from openleave.people.models import Employee

    _export("2026-10-25")
    with CaptureQueriesContext(connection) as few:
        _export("2026-11-05")  # P2: one employee (Stan)
    many = list(Employee.objects.exclude(pk=people["stan"].pk))
    for e in many:
        _use(e, Leave.SICK, "1", dt.date(2026, 11, 17), f"p3-{e.pk}", "Sec. 8.1.F")
    with CaptureQueriesContext(connection) as lots:
        b3 = _export("2026-11-20")  # P3: every other employee
    assert b3.employees == len(many) > 10
    assert len(lots.captured_queries) == len(few.captured_queries)
    grouped = [q["sql"] for q in lots.captured_queries if "INSERT INTO payroll_payrollline" in q["sql"]]
    assert len(grouped) == 4 and sum("GROUP BY" in q for q in grouped) == 2  # leave used, unpaid; 2 adjustment kinds
