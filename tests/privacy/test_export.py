"""Export: everything the employee's page shows, JSON and CSV in a zip, nothing about other people."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest

from openleave.audit.models import AccessLog
from openleave.people.models import Employee

pytestmark = pytest.mark.django_db


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="openleave-100002-')
    return zipfile.ZipFile(io.BytesIO(response.content))


def _visible_text(html: str) -> list[str]:
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    dds = re.findall(r"<dd>(.*?)</dd>", main, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", d)).strip() for d in dds]


def test_export_contains_everything_the_page_shows_and_nothing_about_others(users, people, client_for):
    erin = people["erin"]
    client_for(users["hr"]).get(f"/employees/{erin.employee_number}/")  # someone looked
    client_for(users["hr"]).get(f"/employees/{people['dmh_other'].employee_number}/")  # about someone else
    c = client_for(users["employee"])
    page = c.get(f"/employees/{erin.employee_number}/").content.decode()
    z = _zip(c.post("/me/export/"))
    names = set(z.namelist())
    assert {"openleave-export.json", "csv/people-employee.csv", "csv/privacy-access_log.csv",
            "csv/privacy-steward_consents.csv", "csv/people-service_events.csv"} <= names
    blob = "\n".join(z.read(n).decode() for n in names)
    data = json.loads(z.read("openleave-export.json"))
    rec = data["data"]["people"]["employee"][0]
    assert rec["employee_number"] == "100002" and rec["family_name"] == "Doyle"
    # Everything the page shows (each value on the page appears in the export).
    ignore = {"h", "a", "week", "full-time", "—"}
    for value in _visible_text(page):
        for token in re.findall(r"[\w.'-]+", value):
            if token not in ignore:
                assert token in blob, f"the page shows {token!r} (in {value!r}) but the export lacks it"
    # Someone looked: the log is in the export.
    assert any(r["who"] == "Helen Rivera (hr)" for r in data["data"]["privacy"]["access_log"])
    # Nothing about other people: no other employee's number or family name (except the supervisor's name,
    # which the page shows, and the names of those who read Erin's record).
    allowed = {erin.family_name, erin.supervisor.family_name, "Rivera"}
    for other in Employee.objects.exclude(pk=erin.pk):
        assert other.employee_number not in blob, other
        if other.family_name not in allowed:
            assert other.family_name not in blob, other
    assert str(people["dmh_other"].pk) not in [r.get("object_id") for r in data["data"]["privacy"]["access_log"]]


def test_csv_files_parse_and_match_the_json(users, client_for):
    z = _zip(client_for(users["employee"]).post("/me/export/"))
    data = json.loads(z.read("openleave-export.json"))["data"]
    rows = list(csv.DictReader(io.StringIO(z.read("csv/people-employee.csv").decode())))
    assert rows[0]["employee_number"] == data["people"]["employee"][0]["employee_number"]


def test_export_is_logged_and_only_for_the_employee(users, people, client_for):
    client_for(users["employee"]).post("/me/export/")
    assert AccessLog.objects.filter(subject=people["erin"], action="export", channel="ui").exists()
    for role in ("hr", "auditor", "admin"):
        assert client_for(users[role]).post("/me/export/").status_code == 404
    assert client_for(users["employee"]).get("/me/export/").status_code == 200


def test_api_export(users, client_for):
    response = client_for(users["employee"]).get("/api/me/export")
    assert "openleave-export.json" in _zip(response).namelist()
    assert client_for(users["hr"]).get("/api/me/export").status_code == 404
