"""Issue 12's pages are found where their users look: the employee's home links their statements, their comp page
and the planner, their record page the planner; the supervisor's and HR's home link "members at risk"; the
employee page links separation. Someone who may not use a page is not shown its link."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _html(client_for, user, url="/"):
    response = client_for(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_employee_finds_statements_comp_and_the_planner(client_for, users, people):
    erin = people["erin"]
    home = _html(client_for, users["employee"])
    assert 'href="/me/statements/"' in home and f'href="/employees/{erin.employee_number}/comp/"' in home
    assert 'href="/planner/"' in home
    assert 'href="/statements/at-risk/"' not in home  # an employee answers for no one's vacation
    record = _html(client_for, users["employee"], f"/employees/{erin.employee_number}/")
    assert record.count('href="/planner/"') == 2  # the top navigation and the record page
    assert f'href="/employees/{erin.employee_number}/statements/"' in record


@pytest.mark.parametrize("who", ["supervisor", "hr"])
def test_supervisor_and_hr_find_members_at_risk(client_for, users, who):
    assert 'href="/statements/at-risk/"' in _html(client_for, users[who])


def test_hr_finds_separation_on_the_employee_page_but_not_the_planner(client_for, users, people):
    erin = people["erin"]
    record = _html(client_for, users["hr"], f"/employees/{erin.employee_number}/")
    assert f'href="/employees/{erin.employee_number}/separation/"' in record
    assert f'href="/employees/{erin.employee_number}/comp/"' in record
    assert 'href="/planner/"' not in record  # only the employee plans their own leave
