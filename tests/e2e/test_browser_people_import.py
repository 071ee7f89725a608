"""HR imports people from the HR system of record in the browser (issue 15, item 1): upload → the dry run with each
row's status and its problems → confirm; every page passes axe and fits at 1280 and 390 px."""

from __future__ import annotations

import pytest
from page_checks import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = ("employee_number,given_name,family_name,agency_code,title_code,status,weekly_hours,workdays,daily_hours,"
          "hire_date,supervisor_number,service_history\n")


def test_hr_imports_people_with_a_dry_run_first(sign_in, live_server, tmp_path):
    from openleave.people.demo import load_demo
    from openleave.people.models import Employee, ServiceEvent

    load_demo()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "300001,Maeve,Sullivan,DMH,BMS1,full_time,40,mon tue wed thu,8,2008-04-07,,\n",
                   encoding="utf-8")
    good = tmp_path / "people.csv"
    good.write_text(HEADER + "300001,Maeve,Sullivan,DMH,BMS1,full_time,40,mon tue wed thu fri,8,2008-04-07,,\n"
                    "300002,Tomas,Ferreira,DMH,CARP1,full_time,40,mon tue wed thu fri,,2016-09-12,300001,"
                    "break 2018-01-05..2018-06-30\n", encoding="utf-8")
    page = sign_in(live_server.url, "hr")
    page.get_by_role("link", name="Import people").click()
    page.get_by_role("heading", name="Import people from the HR system of record").wait_for()
    look(page)
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Check (dry run)").click()
    page.get_by_role("heading", name="Problems: nothing written").wait_for()
    look(page)
    assert "the schedule does not add up" in page.get_by_role("table", name="What to fix").inner_text()
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Check (dry run)").click()
    page.get_by_role("heading", name="Dry run: nothing written yet").wait_for()
    look(page)
    assert not Employee.objects.filter(employee_number="300001").exists()
    page.get_by_role("button", name="Confirm: import these rows").click()
    page.get_by_role("heading", name="Imported").wait_for()
    look(page)
    tomas = Employee.objects.get(employee_number="300002")
    assert tomas.supervisor.employee_number == "300001" and ServiceEvent.objects.filter(employee=tomas).count() == 1
    page.context.close()
