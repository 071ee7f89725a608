"""Import from the HR system of record (issue 15, item 1): ``openleave.people.importing`` through the command,
the API and the HR page. Hand-made small CSVs; the clock is frozen (tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from openleave.audit.models import AccessLog
from openleave.people import importing
from openleave.people.models import Agency, Employee, JobTitle, ServiceEvent

pytestmark = pytest.mark.django_db

HEADER = ("employee_number,given_name,family_name,agency_code,agency_name,title_code,title_name,title_weekly_hours,"
          "status,weekly_hours,workdays,daily_hours,hire_date,supervisor_number,service_history\n")
BOSS = "300001,Maeve,Sullivan,DPW,Department of Public Works,MEO2,Operator II,40,full_time,40,mon tue wed thu fri,8,2008-04-07,,\n"
WORKER = ("300002,Tomas,Ferreira,DPW,Department of Public Works,MEO2,Operator II,40,full_time,40,mon tue wed thu fri,,"
          "2016-09-12,300001,break 2018-01-05..2018-06-30\n")
PART = "300003,Ruth,Okafor,DPW,,CLK1,Clerk I,37.5,part_time,22.5,mon tue wed,7.5,2021-02-01,300001,adjustment +30\n"


def run(text: str, *, dry_run=False, partial=False, mapping=None):
    rows = importing.read_csv(text, mapping=mapping)
    return importing.import_people(rows=rows, system="test", dry_run=dry_run, partial=partial, source="t.csv")


def command(tmp_path, text, *args, data: bytes | None = None):
    path = tmp_path / "people.csv"
    if data is not None:
        path.write_bytes(data)
    else:
        path.write_text(text, encoding="utf-8")
    from io import StringIO
    out, err = StringIO(), StringIO()
    try:
        call_command("import_people", str(path), *args, stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        code, err = exc.returncode, StringIO(err.getvalue() + str(exc))
    return code, out.getvalue(), err.getvalue()


def test_create_agencies_titles_employees_schedules_supervisors_and_service_history(db, demo):
    report = run(HEADER + BOSS + WORKER + PART)
    assert report.ok and report.counts()["new"] == 3, report.problems
    assert report.agencies_new == ["DPW"] and report.titles_new == ["CLK1", "MEO2"]
    assert Agency.objects.get(code="DPW").name == "Department of Public Works"
    assert JobTitle.objects.get(code="CLK1").full_time_weekly_hours == Decimal("37.5")
    maeve, tomas, ruth = (Employee.objects.get(employee_number=n) for n in ("300001", "300002", "300003"))
    assert tomas.supervisor == maeve and ruth.supervisor == maeve and maeve.supervisor is None
    # 40 h over five days, split equally: 8 h a day
    assert tomas.work_schedule == {d: "8" for d in ("mon", "tue", "wed", "thu", "fri")}
    # 7.5 h × 3 days = 22.5 h
    assert ruth.work_schedule == {"mon": "7.5", "tue": "7.5", "wed": "7.5"} and ruth.status == "part_time"
    assert ruth.scheduled_weekly_hours == Decimal("22.5")
    assert tomas.service_start == dt.date(2016, 9, 12)
    brk = ServiceEvent.objects.get(employee=tomas)
    assert (brk.kind, brk.left, brk.returned) == ("break", dt.date(2018, 1, 5), dt.date(2018, 6, 30))
    assert ServiceEvent.objects.get(employee=ruth).days == 30
    logs = AccessLog.objects.filter(subject=tomas, object_type="employee", action="change")
    assert logs.count() == 1 and "created" in logs.get().fields


def test_the_same_file_twice_changes_nothing_and_says_so(db, demo):
    run(HEADER + BOSS + WORKER + PART)
    before = (Employee.objects.count(), ServiceEvent.objects.count(),
              AccessLog.objects.filter(action="change").count())
    report = run(HEADER + BOSS + WORKER + PART)
    assert report.counts() == {"new": 0, "update": 0, "unchanged": 3, "invalid": 0, "left_out": 0}
    assert report.summary().startswith("Nothing to do")
    assert (Employee.objects.count(), ServiceEvent.objects.count(),
            AccessLog.objects.filter(action="change").count()) == before


def test_a_changed_row_is_an_update_with_before_and_after_in_the_access_log(db, demo):
    run(HEADER + BOSS + WORKER)
    changed = WORKER.replace("Ferreira", "Ferreira-Lopes").replace(",40,mon tue wed thu fri,,", ",32,mon tue wed thu,,")
    report = run(HEADER + BOSS + changed)
    assert report.counts()["update"] == 1 and report.counts()["unchanged"] == 1
    tomas = Employee.objects.get(employee_number="300002")
    assert tomas.family_name == "Ferreira-Lopes" and tomas.scheduled_weekly_hours == Decimal("32")
    assert tomas.work_schedule == {"mon": "8", "tue": "8", "wed": "8", "thu": "8"}  # 32 h / 4 days
    log = AccessLog.objects.filter(subject=tomas, action="change").order_by("-id").first()
    assert "updated" in log.fields
    assert "family_name 'Ferreira' → 'Ferreira-Lopes'" in log.fields
    assert "weekly_hours '40' → '32'" in log.fields
    assert "given_name" not in log.fields  # only what changed


def test_a_service_event_is_appended_never_overwritten(db, demo):
    run(HEADER + BOSS + WORKER)
    tomas = Employee.objects.get(employee_number="300002")
    first = ServiceEvent.objects.get(employee=tomas)
    more = WORKER.replace("break 2018-01-05..2018-06-30", "break 2018-01-05..2018-06-30; adjustment -10")
    report = run(HEADER + BOSS + more)
    assert report.ok and report.events_written == 1
    events = list(ServiceEvent.objects.filter(employee=tomas).order_by("id"))
    assert [e.pk for e in events][0] == first.pk and len(events) == 2 and events[1].days == -10
    # a file without the history removes nothing
    run(HEADER + BOSS + WORKER.replace("break 2018-01-05..2018-06-30", ""))
    assert ServiceEvent.objects.filter(employee=tomas).count() == 2
    # a different service start is refused: it is never overwritten (Sec. 9.2.B)
    r = run(HEADER + BOSS + WORKER.replace("2016-09-12", "2015-09-12"))
    assert [(p.row, p.column) for p in r.problems] == [(3, "hire_date")]


@pytest.mark.parametrize("header", ["ssn", "SSN", "Social Security No", "soc_sec_num", "DOB", "date_of_birth",
                                    "BirthDate", "born_on"])
def test_a_sensitive_column_by_its_header_refuses_the_whole_file(db, demo, header):
    text = HEADER.rstrip("\n") + f",{header}\n" + BOSS.rstrip("\n") + ",x\n"
    with pytest.raises(importing.ImportRefused) as exc:
        importing.read_csv(text)
    assert "refused" in str(exc.value) and "nothing was stored" in str(exc.value)
    assert Employee.objects.filter(employee_number="300001").count() == 0


@pytest.mark.parametrize("value", ["123-45-6789", "123456789"])
def test_a_sensitive_column_by_its_values_refuses_the_whole_file_without_echoing_them(db, demo, value, tmp_path):
    text = HEADER.rstrip("\n") + ",note\n" + BOSS.rstrip("\n") + f",{value}\n"
    code, out, err = command(tmp_path, text.replace(",note", ",work_email"))
    assert code == 2 and "Social Security" in err and value not in err and value not in out
    assert not Employee.objects.filter(employee_number="300001").exists()


def test_a_wrong_encoding_is_one_clear_line(db, demo, tmp_path):
    code, out, err = command(tmp_path, "", data=(HEADER + BOSS.replace("Sullivan", "Sulliván")).encode("latin-1"))
    assert code == 2 and "is not UTF-8 text" in err and "line 2" in err
    assert len([line for line in err.splitlines() if line.strip()]) == 1


def test_duplicate_numbers_unknown_title_bad_dates_and_a_bad_schedule_name_row_and_column(db, demo, tmp_path):
    text = (HEADER + BOSS + BOSS
            + "300005,A,B,DPW,Department of Public Works,ZZZ9,,,full_time,40,mon tue wed thu fri,,2020-01-06,,\n"
            + "300006,A,B,DPW,Department of Public Works,MEO2,,,full_time,40,mon tue wed thu fri,,2020-13-06,,\n"
            + "300007,A,B,DPW,Department of Public Works,MEO2,,,full_time,40,mon tue wed thu,8,2020-01-06,,\n"
            + "300008,A,B,NOPE,,MEO2,,,full_time,40,mon tue wed thu fri,,2020-01-06,,\n")
    code, out, err = command(tmp_path, text)
    assert code == 2
    lines = err.splitlines()
    assert any(line.endswith(".csv:3: error: employee_number: employee 300001 appears twice (first on row 2); one "
                             "row per employee.") for line in lines)
    assert any(":4: error: title_code: unknown title 'ZZZ9'" in line for line in lines)
    assert any(":5: error: hire_date: '2020-13-06' is not a date" in line for line in lines)
    # 8 h × 4 days = 32 h, not the 40 weekly hours
    assert any(":6: error: daily_hours: the schedule does not add up: 8 h × 4 day(s) = 32 h, but weekly_hours is 40 h"
               in line for line in lines)
    assert any(":7: error: agency_code: unknown agency 'NOPE'" in line for line in lines)
    assert "nothing written" in err
    assert not Employee.objects.filter(employee_number__startswith="3000").exists()


def test_a_missing_supervisor_and_a_cycle_of_supervisors(db, demo):
    r = run(HEADER + WORKER.replace("300001", "399999"))
    assert [(p.row, p.column) for p in r.problems] == [(2, "supervisor_number")]
    assert "399999 is not in the file nor recorded" in r.problems[0].message
    a = BOSS.replace(",2008-04-07,,", ",2008-04-07,300003,")
    c = PART
    cyc = run(HEADER + a + WORKER + c)  # 300001 → 300003 → 300001
    assert sorted((p.row, p.column) for p in cyc.problems) == [(2, "supervisor_number"), (4, "supervisor_number")]
    assert "(rows 2, 4) supervise each other in a circle" in cyc.problems[0].message
    assert Employee.objects.filter(employee_number__startswith="3000").count() == 0
    # a cycle through the records: Erin (recorded, supervised by Sean 100001) made Sean's supervisor
    sean = HEADER + ("100001,Sean,McCarthy,DMH,,BMS1,,,full_time,40,mon tue wed thu fri,,2004-03-15,100002,\n")
    r = run(sean)
    assert [(p.row, p.column) for p in r.problems] == [(2, "supervisor_number")]


def test_partial_writes_the_valid_rows_and_leaves_out_the_dependants(db, demo, tmp_path):
    bad_boss = BOSS.replace("2008-04-07", "2008-04-31")
    other = "300009,Ada,Grey,DPW,Department of Public Works,MEO2,,,full_time,40,mon tue wed thu fri,,2019-03-04,,\n"
    code, out, err = command(tmp_path, HEADER + bad_boss + WORKER + other, "--partial")
    assert code == 3
    assert ".csv:2: error: hire_date" in err and ".csv:3: left out: its supervisor 300001 (row 2) is not valid" in err
    assert "Rows left out: 2, 3" in out
    assert list(Employee.objects.filter(employee_number__startswith="3000").values_list("employee_number", flat=True)) \
        == ["300009"]


def test_dry_run_writes_nothing(db, demo, tmp_path):
    code, out, err = command(tmp_path, HEADER + BOSS, "--dry-run")
    assert code == 0 and "Dry run, nothing written" in out
    assert not Employee.objects.filter(employee_number="300001").exists()


def test_a_mapping_file_for_a_feed_whose_column_names_differ(db, demo, tmp_path):
    feed = ("EmplID,First,Last,Dept,DeptName,JobCode,JobTitle,JobWeek,Status,StdHours,Days,DayHours,HireDt,MgrID,"
            "History,Location\n") + BOSS.rstrip("\n") + ",Boston\n"
    mapping = tmp_path / "map.yaml"
    mapping.write_text("EmplID: employee_number\nFirst: given_name\nLast: family_name\nDept: agency_code\n"
                       "DeptName: agency_name\nJobCode: title_code\nJobTitle: title_name\nJobWeek: title_weekly_hours\n"
                       "Status: status\nStdHours: weekly_hours\nDays: workdays\nDayHours: daily_hours\n"
                       "HireDt: hire_date\nMgrID: supervisor_number\nHistory: service_history\nLocation: '-'\n",
                       encoding="utf-8")
    code, out, err = command(tmp_path, feed, "--mapping", str(mapping))
    assert code == 0, err
    assert Employee.objects.get(employee_number="300001").family_name == "Sullivan"
    csv_map = tmp_path / "map.csv"
    csv_map.write_text("source,column\n" + "\n".join(f"{a},{b}" for a, b in (
        line.split(": ") for line in mapping.read_text().splitlines())).replace("'-'", "-"), encoding="utf-8")
    code, out, err = command(tmp_path, feed, "--mapping", str(csv_map))
    assert code == 0 and "Nothing to do" in out


def test_the_sample_file_imports(db, demo):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs/examples/people.csv").read_text(encoding="utf-8")
    report = run(text)
    assert report.ok and report.counts()["new"] == 4, report.problems


# --- the API -----------------------------------------------------------------------------------------

def _post(client, body):
    return client.post("/api/people/import", data=json.dumps(body), content_type="application/json")


def test_the_api_dry_run_then_import_for_hr(users, client_for):
    c = client_for(users["hr"])
    row = "300001,Maeve,Sullivan,DMH,,BMS1,,,full_time,40,mon tue wed thu fri,,2008-04-07,,\n"
    r = _post(c, {"csv": HEADER + row})
    assert r.status_code == 200 and r.json()["dry_run"] and r.json()["new"] == 1
    assert not Employee.objects.filter(employee_number="300001").exists()
    r = _post(c, {"csv": HEADER + row, "dry_run": False})
    assert r.status_code == 200 and r.json()["written"] == 1
    assert Employee.objects.get(employee_number="300001").agency.code == "DMH"
    log = AccessLog.objects.filter(subject__employee_number="300001", action="change").get()
    assert log.actor == users["hr"] and log.channel == "api"


def test_the_api_names_the_row_and_column_and_refuses_non_hr(users, client_for):
    c = client_for(users["hr"])
    r = _post(c, {"csv": HEADER + "300001,Maeve,Sullivan,DMH,,BMS1,,,full_time,40,mon tue,8,2008-04-07,,\n"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "row 2.daily_hours"
    r = _post(c, {"csv": "employee_number,ssn\n1,2\n"})
    assert r.status_code == 400 and "Social Security" in r.json()["detail"]
    # HR of DMH may not import into another agency (DCR)
    r = _post(c, {"csv": HEADER + "300001,Maeve,Sullivan,DCR,,BMS1,,,full_time,40,mon tue wed thu fri,,2008-04-07,,\n"})
    assert r.status_code == 422 and "not one you may manage" in r.json()["errors"][0]["message"]
    for who in ("employee", "supervisor", "auditor"):
        r = _post(client_for(users[who]), {"csv": HEADER})
        assert r.status_code == 403, who


# --- the HR page -------------------------------------------------------------------------------------

def _upload(client, text, partial=False):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"action": "check", "file": SimpleUploadedFile("people.csv", text.encode("utf-8"), "text/csv")}
    if partial:
        data["partial"] = "1"
    return client.post("/people/import/", data)


def test_the_page_shows_the_dry_run_first_then_confirms(users, client_for):
    c = client_for(users["hr"])
    assert c.get("/people/import/").status_code == 200
    text = HEADER + "300001,Maeve,Sullivan,DMH,,BMS1,,,full_time,40,mon tue wed thu fri,,2008-04-07,,\n"
    r = _upload(c, text)
    assert r.status_code == 200 and b"Dry run: nothing written yet" in r.content and b"to create" in r.content
    assert not Employee.objects.filter(employee_number="300001").exists()
    r = c.post("/people/import/", {"action": "confirm", "csv_text": text, "file_name": "people.csv"})
    assert r.status_code == 200 and b"Imported" in r.content
    assert Employee.objects.filter(employee_number="300001").exists()
    r = _upload(c, text)
    assert b"Nothing to do" in r.content and b"Confirm" not in r.content


def test_the_page_lists_each_problem_and_refuses_non_hr(users, client_for):
    c = client_for(users["hr"])
    r = _upload(c, HEADER + "300001,Maeve,Sullivan,DMH,,BMS1,,,full_time,40,mon tue wed thu fri,,2008-02-30,,\n")
    assert r.status_code == 400 and b"hire_date" in r.content and b"is not a date" in r.content
    r = c.post("/people/import/", {"action": "check", "file": _latin1()})
    assert r.status_code == 400 and b"is not UTF-8 text" in r.content
    for who in ("employee", "supervisor", "auditor"):
        assert client_for(users[who]).get("/people/import/").status_code == 404


def _latin1():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("p.csv", (HEADER + "1,José,B\n").encode("latin-1"), "text/csv")
