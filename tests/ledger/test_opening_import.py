"""Opening balances by the year earned (issue 12, item 1): HR imports an employee's balances from the old system,
one row per leave type and vintage — the command, the HR page (dry run first, then confirm), the API and the
admin, all through ``openings.import_opening_balances``. Every bad row is named with its column and nothing is
written; re-importing changes nothing; the ledger selectors then forfeit the right vintage (Sec. 9.8).

The clock is frozen on 2026-12-01 (tests/conftest.py). Hand-worked figures (Sec. 9.1, 9.8, oldest credit first):
vacation year 2026 = 2026-01-11..2027-01-09, 2027 = 2027-01-10..2028-01-08 (the first full pay period of January
to the last pay period including December 31)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openleave.audit.models import AccessLog
from openleave.ledger import openings, selectors
from openleave.ledger.models import Kind, Leave, LedgerEntry
from openleave.ledger.services import ledger_post
from openleave.rules.units import to_micro

pytestmark = pytest.mark.django_db

HEADER = "employee_number,leave,vintage,hours,as_of,note\n"


def rows(text: str):
    return openings.read_csv(HEADER + text)


def three_vintages(number: str) -> str:
    return (f"{number},vacation,2024,30,2026-06-01,old system\n"
            f"{number},vacation,2025,60,2026-06-01,\n"
            f"{number},vacation,2026,20,2026-06-01,\n")


def test_an_imported_employee_with_three_vintages_forfeits_the_right_one(people, users):
    erin = people["erin"]
    report = openings.import_opening_balances(rows=rows(three_vintages("100002")), by=users["hr"], channel="ui",
                                              dry_run=False)
    assert report.ok and report.written == 3
    lines = LedgerEntry.objects.filter(employee=erin, kind=Kind.OPENING).order_by("vintage")
    assert [(e.vintage, e.micro, e.cite) for e in lines] == [
        (2024, to_micro(30), "Sec. 9.1, Sec. 9.8"), (2025, to_micro(60), "Sec. 9.1, Sec. 9.8"),
        (2026, to_micro(20), "Sec. 9.1, Sec. 9.8")]
    assert [e.key for e in lines] == [f"opening:{erin.pk}:vacation:{y}:2026-06-01" for y in (2024, 2025, 2026)]
    # 30 + 60 + 20 = 110 h at the end of 2026-06-01
    assert selectors.balance_parts(erin, dt.date(2026, 6, 1), pending=False)["vacation"].balance == to_micro(110)
    # 24 h taken on 2026-08-03 use the oldest credit first: 30 − 24 = 6 h of vintage 2024 left
    ledger_post(employee=erin, leave=Leave.VACATION, kind=Kind.USAGE, micro=-to_micro(24),
                effective_date=dt.date(2026, 8, 3), cite="Sec. 9.10", reason="vacation taken", key="t:1", system="test")
    # vintage 2024 is forfeited at the end of vacation year 2026 (2027-01-09), the second after it was earned: 6 h
    assert selectors.forfeits(erin, 2026)["vacation"] == to_micro(6)
    # vintage 2025 (60 h, untouched) at the end of vacation year 2027 (2028-01-08): 60 h
    assert selectors.forfeits(erin, 2027)["vacation"] == to_micro(60)
    # nothing of it at the end of 2025: the ledger starts on 2026-06-01
    assert selectors.forfeits(erin, 2025)["vacation"] == 0
    dates = {e.vintage: e.effective for e in selectors.forfeitures(erin, dt.date(2028, 1, 8)) if e.leave == "vacation"}
    assert dates == {2026: dt.date(2027, 1, 9), 2027: dt.date(2028, 1, 8)}


def test_without_vintages_the_same_hours_would_forfeit_nothing_in_2026(people, users):
    # the contrast the vintage makes: one 110 h opening counts as earned in vacation year 2026 (Sec. 9.1)
    openings.import_opening_balances(rows=rows("100002,vacation,,110,2026-06-01,\n"), by=users["hr"], dry_run=False)
    assert LedgerEntry.objects.get(employee=people["erin"], kind=Kind.OPENING).vintage == 2026
    assert selectors.forfeits(people["erin"], 2026)["vacation"] == 0


BAD = [
    ("999999,vacation,2025,10,2026-06-01,", "employee_number", "unknown employee"),
    ("200001,vacation,2025,10,2026-06-01,", "employee_number", "unknown employee"),  # DCR: not DMH HR's
    ("100002,holiday,2025,10,2026-06-01,", "leave", "unknown leave"),
    ("100002,vacation,2025,-4,2026-06-01,", "hours", "cannot be negative"),
    ("100002,vacation,2025,ten,2026-06-01,", "hours", "not a number"),
    ("100002,vacation,2025,1.1234567,2026-06-01,", "hours", "at most 6 decimals"),
    ("100002,vacation,2025,0,2026-06-01,", "hours", "opens nothing"),
    ("100002,vacation,2027,5,2026-06-01,", "vintage", "in the future"),
    ("100002,sick,2027,5,2026-06-01,", "vintage", "in the future"),
    # 2023 vacation was forfeited at the end of vacation year 2025 (2026-01-10), Sec. 9.8
    ("100002,vacation,2023,5,2026-06-01,", "vintage", "forfeited at the end of vacation year 2025"),
    # personal leave credited for 2025 was forfeited 2026-01-10 except one carried day (7.5 h for a 37.5 h title)
    ("100002,personal,2025,15,2026-06-01,", "vintage", "at most 7.5 h"),
    ("100002,emergency_day,2025,7.5,2026-06-01,", "vintage", "MOU Regarding State of Emergency"),
    ("100002,vacation,20x5,5,2026-06-01,", "vintage", "not a year"),
    ("100002,vacation,2025,5,2026-13-01,", "as_of", "not a date"),
    ("100002,vacation,2026,5,2026-12-02,", "as_of", "in the future"),
]


@pytest.mark.parametrize(("line", "column", "says"), BAD)
def test_a_bad_row_is_named_and_nothing_is_written(people, users, line, column, says):
    good = "100002,sick,,100,2026-06-01,\n"
    report = openings.import_opening_balances(rows=rows(good + line + "\n"), by=users["hr"], channel="ui",
                                              dry_run=False)
    assert not report.ok and report.written == 0
    [p] = report.problems
    assert (p.row, p.column) == (3, column) and says in p.message, p
    assert not LedgerEntry.objects.exists()
    assert not AccessLog.objects.filter(action=AccessLog.Action.CHANGE, object_type="opening_balances").exists()


def test_a_carried_personal_day_is_accepted(people, users):
    # Sec. 8.2.B: one day (7.5 h, 37.5 h title) of 2025's personal leave carried over into 2026
    report = openings.import_opening_balances(rows=rows("100002,personal,2025,7.5,2026-06-01,carried\n"),
                                              by=users["hr"], dry_run=False)
    assert report.ok and report.written == 1


def test_a_duplicate_row_and_an_existing_opening_are_refused(people, users):
    hr = users["hr"]
    dup = "100002,vacation,2025,5,2026-06-01,\n100002,vacation,2025,5,2026-05-01,\n"
    report = openings.import_opening_balances(rows=rows(dup), by=hr, dry_run=False)
    assert [(p.row, p.column) for p in report.problems] == [(3, "vintage")]
    assert "the first is row 2" in report.problems[0].message and not LedgerEntry.objects.exists()
    openings.import_opening_balances(rows=rows("100002,vacation,2025,5,2026-06-01,\n"), by=hr, dry_run=False)
    again = openings.import_opening_balances(rows=rows("100002,vacation,2025,6,2026-06-01,\n"), by=hr, dry_run=False)
    assert "already has a vacation opening balance earned in 2025" in again.problems[0].message
    other_day = openings.import_opening_balances(rows=rows("100002,vacation,2025,5,2026-05-01,\n"), by=hr,
                                                 dry_run=False)
    assert "already has" in other_day.problems[0].message
    assert LedgerEntry.objects.count() == 1


def test_reimporting_the_same_file_changes_nothing_and_says_so(people, users):
    hr = users["hr"]
    first = openings.import_opening_balances(rows=rows(three_vintages("100002")), by=hr, dry_run=False)
    assert first.written == 3
    count, logs = LedgerEntry.objects.count(), AccessLog.objects.filter(action=AccessLog.Action.CHANGE).count()
    second = openings.import_opening_balances(rows=rows(three_vintages("100002")), by=hr, dry_run=False)
    assert second.ok and second.written == 0 and len(second.unchanged) == 3
    assert second.summary().startswith("Nothing to do") and "nothing changed" in second.summary()
    assert LedgerEntry.objects.count() == count
    assert AccessLog.objects.filter(action=AccessLog.Action.CHANGE).count() == logs


def test_one_access_log_row_per_employee_and_a_dry_run_writes_no_entry(people, users):
    hr, erin, sean = users["hr"], people["erin"], people["sean"]
    text = three_vintages("100002") + "100001,sick,,40,2026-06-01,\n"
    dry = openings.import_opening_balances(rows=rows(text), by=hr, channel="ui", dry_run=True)
    assert dry.ok and dry.dry_run and len(dry.new) == 4 and not LedgerEntry.objects.exists()
    assert dry.summary() == "Would post 4 opening balance(s) for 2 employee(s)."
    reads = AccessLog.objects.filter(object_type="opening_balances", action=AccessLog.Action.READ)
    assert sorted(reads.values_list("subject_id", flat=True)) == sorted([erin.pk, sean.pk])
    openings.import_opening_balances(rows=rows(text), by=hr, channel="ui", dry_run=False)
    changes = AccessLog.objects.filter(object_type="opening_balances", action=AccessLog.Action.CHANGE)
    assert sorted(changes.values_list("subject_id", flat=True)) == sorted([erin.pk, sean.pk])
    assert all(c.actor_id == hr.pk for c in changes)
    assert "vacation 2024 30 h" in changes.get(subject=erin).fields


def test_the_writes_are_set_based(people, users, demo):
    from openleave.people.models import Employee

    dmh = list(Employee.objects.filter(agency__code="DMH").order_by("employee_number")
               .values_list("employee_number", flat=True))
    assert len(dmh) >= 10

    def queries(numbers) -> int:
        text = "".join(three_vintages(n) for n in numbers)
        with CaptureQueriesContext(connection) as ctx:
            report = openings.import_opening_balances(rows=rows(text), by=users["hr"], dry_run=False)
        assert report.written == 3 * len(numbers)
        return len(ctx.captured_queries)

    # about the same number of queries for 2 employees (6 rows) as for all the others (3 rows each): no per-row
    # save (the access log's opportunistic seal and savepoints vary by a query or two between databases)
    small, large = queries(dmh[:2]), queries(dmh[2:])
    assert large <= small + 3 and large < 3 * len(dmh[2:])


# --- the command ------------------------------------------------------------------------------------------

def test_the_command_dry_run_then_import_then_again(people, tmp_path, capsys):
    f = tmp_path / "open.csv"
    f.write_text(HEADER + three_vintages("100002"))
    call_command("import_opening_balances", str(f), "--dry-run")
    assert "Would post 3 opening balance(s)" in capsys.readouterr().out and not LedgerEntry.objects.exists()
    call_command("import_opening_balances", str(f))
    assert "Posted 3 opening balance(s)" in capsys.readouterr().out and LedgerEntry.objects.count() == 3
    row = AccessLog.objects.filter(object_type="opening_balances", action=AccessLog.Action.CHANGE).get()
    assert row.actor_label == "the system: manage.py import_opening_balances" and row.channel == "command"
    call_command("import_opening_balances", str(f))
    assert "Nothing to do" in capsys.readouterr().out and LedgerEntry.objects.count() == 3


def test_the_command_names_each_bad_row_on_stderr_and_exits_2(people, tmp_path, capsys):
    f = tmp_path / "bad.csv"
    f.write_text(HEADER + "100002,vacation,2024,30,2026-06-01,\n999999,sick,,5,2026-06-01,\n"
                 "100002,vacation,2025,-1,2026-06-01,\n100002,vacation,2030,1,2026-06-01,\n")
    with pytest.raises(CommandError) as exc:
        call_command("import_opening_balances", str(f))
    assert exc.value.returncode == 2 and "nothing written" in str(exc.value)
    err = capsys.readouterr().err.splitlines()
    assert err == [f"{f}:3: error: employee_number: unknown employee '999999' (not found, or not one you may manage).",
                   f"{f}:4: error: hours: hours cannot be negative.",
                   f"{f}:5: error: vintage: 2030 is in the future: 2026-06-01 is in vacation year 2026, and a credit "
                   "cannot be earned after the date it stands at; give the year it was earned."]
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(("text", "says"), [("", "empty"), ("employee,leave\n", "unknown column"),
                                            ("employee_number,leave,hours\n", "as_of is missing")])
def test_the_command_refuses_a_file_it_cannot_read(db, tmp_path, text, says):
    f = tmp_path / "x.csv"
    f.write_text(text)
    with pytest.raises(CommandError, match=says) as exc:
        call_command("import_opening_balances", str(f))
    assert exc.value.returncode == 2


def test_the_sample_file_is_valid(people):
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "docs" / "examples" / "opening_balances.csv"
    report = openings.import_opening_balances(rows=openings.read_csv(sample.read_text()), system="test", dry_run=True)
    assert report.ok and len(report.new) == 5


# --- the HR page ------------------------------------------------------------------------------------------

def _upload(client, text: str, name: str = "open.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/ledger/opening-balances/", {"action": "check",
                                                     "file": SimpleUploadedFile(name, text.encode(), "text/csv")})


def test_the_page_shows_the_dry_run_first_then_confirms(people, users, client_for):
    c = client_for(users["hr"])
    assert c.get("/ledger/opening-balances/").status_code == 200
    r = _upload(c, HEADER + three_vintages("100002"))
    assert r.status_code == 200 and b"Dry run: nothing written yet" in r.content
    assert b"Would post 3 opening balance(s)" in r.content and not LedgerEntry.objects.exists()
    r = c.post("/ledger/opening-balances/", {"action": "confirm", "csv_text": r.context["csv_text"],
                                             "file_name": "open.csv"})
    assert r.status_code == 200 and b"Posted 3 opening balance(s)" in r.content
    assert LedgerEntry.objects.filter(kind=Kind.OPENING).count() == 3
    assert "open.csv" in LedgerEntry.objects.first().reason


def test_the_page_lists_each_problem_with_its_row_and_column(people, users, client_for):
    r = _upload(client_for(users["hr"]), HEADER + "999999,vacation,2025,abc,2026-06-01,\n")
    assert r.status_code == 400 and b"Problems: nothing written" in r.content
    problems = [(p.row, p.column) for p in r.context["report"].problems]
    assert problems == [(2, "employee_number"), (2, "hours")]
    assert b"Confirm" not in r.content and not LedgerEntry.objects.exists()


@pytest.mark.parametrize("who", ["employee", "supervisor", "steward", "auditor", "medical", "admin"])
def test_only_hr_has_the_page(people, users, client_for, who):
    c = client_for(users[who])
    assert c.get("/ledger/opening-balances/").status_code == 404
    assert _upload(c, HEADER + three_vintages("100002")).status_code == 404
    assert not LedgerEntry.objects.exists()


# --- the API ----------------------------------------------------------------------------------------------

def _api(client, body: dict):
    return client.post("/api/ledger/opening-balances", json.dumps(body), content_type="application/json")


def test_the_api_dry_run_and_import(people, users, client_for):
    c = client_for(users["hr"])
    body = {"rows": [{"employee_number": "100002", "leave": "vacation", "vintage": "2024", "hours": "30",
                      "as_of": "2026-06-01"},
                     {"employee_number": "100002", "leave": "vacation", "vintage": None, "hours": "20",
                      "as_of": "2026-06-01"}]}
    r = _api(c, body)
    assert r.status_code == 200 and r.json()["dry_run"] is True and not LedgerEntry.objects.exists()
    assert [row["vintage"] for row in r.json()["rows"]] == [2024, 2026]
    r = _api(c, {**body, "dry_run": False})
    assert r.status_code == 200 and r.json()["written"] == 2 and LedgerEntry.objects.count() == 2
    r = _api(c, {**body, "dry_run": False})
    assert r.json()["written"] == 0 and r.json()["unchanged"] == 2


def test_the_api_names_the_bad_row_and_field(people, users, client_for):
    body = {"dry_run": False, "rows": [
        {"employee_number": "100002", "leave": "vacation", "vintage": "2024", "hours": "30", "as_of": "2026-06-01"},
        {"employee_number": "100002", "leave": "vacation", "vintage": "2029", "hours": "-3", "as_of": "2026-06-01"}]}
    r = _api(client_for(users["hr"]), body)
    assert r.status_code == 422
    fields = [e["field"] for e in r.json()["errors"]]
    assert fields == ["rows[1].hours"] or fields == ["rows[1].hours", "rows[1].vintage"]
    assert r.json()["field"] == "rows[1].hours" and not LedgerEntry.objects.exists()


@pytest.mark.parametrize("who", ["employee", "supervisor", "auditor", "steward"])
def test_the_api_refuses_everyone_but_hr_as_not_found(people, users, client_for, who):
    r = _api(client_for(users[who]), {"rows": [], "dry_run": True})
    assert r.status_code == 404 and not LedgerEntry.objects.exists()


# --- the admin --------------------------------------------------------------------------------------------

def test_the_admin_enters_an_opening_balance_through_the_service(people, users, client_for):
    c = client_for(users["admin"])
    url = "/admin/ledger/openingbalance/add/"
    assert c.get(url).status_code == 200
    form = {"employee_number": "100002", "leave_type": "vacation", "earned_year": "2025", "hours": "12.5",
            "as_of": "2026-06-01", "note": "migrated"}
    r = c.post(url, {**form, "earned_year": "2023"})
    assert r.status_code == 200 and b"forfeited at the end of vacation year 2025" in r.content
    assert not LedgerEntry.objects.exists()
    r = c.post(url, form)
    assert r.status_code == 302, r.content.decode()[:2000]
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.vintage, entry.micro, entry.cite) == (Kind.OPENING, 2025, to_micro("12.5"),
                                                                    "Sec. 9.1, Sec. 9.8")
    log = AccessLog.objects.get(object_type="opening_balances", action=AccessLog.Action.CHANGE)
    assert log.channel == "admin" and log.subject_id == people["erin"].pk and log.actor_id == users["admin"].pk
    assert c.get("/admin/ledger/openingbalance/").status_code == 200
    assert c.get(f"/admin/ledger/openingbalance/{entry.pk}/change/").status_code == 200
    r = c.post(url, form)  # the same again: nothing to do
    assert r.status_code == 200 and b"nothing to do" in r.content and LedgerEntry.objects.count() == 1
