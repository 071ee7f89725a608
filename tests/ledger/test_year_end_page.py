"""HR's year-end page (/ledger/year-end/): the runs with their summaries, a dry-run preview (writes nothing), the
Sec. 8.2.B carry-over record form and the carry-overs recorded. Frozen clock: 2026-12-01 (tests/conftest.py).

By hand (the demo pay calendar, anchored on a Sunday; Sec. 8.2.B): a carry-over of 2026 may be recorded from
November 1, 2026 (it is about the use of personal leave in November and December) up to the last Saturday prior to
the first full pay period in January 2027 — so on 2026-12-01 it is accepted; one of 2025 is refused (its deadline
was in January 2026)."""

from __future__ import annotations

import pytest

from openleave.audit.models import AccessLog
from openleave.ledger.models import AccrualRun, LedgerEntry, PersonalCarryOver

URL = "/ledger/year-end/"


def _record(c, number, year="2026", reasons="December intake backlog: the unit was short-staffed"):
    return c.post(URL, {"employee_number": number, "year": year, "reasons": reasons})


def test_hr_records_a_carry_over_and_sees_it_listed(people, users, client_for):
    c = client_for(users["hr"])
    erin = people["erin"]
    r = c.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert "<h1>Year end" in html and 'for="id_employee_number"' in html and 'for="id_reasons"' in html
    r = _record(c, erin.employee_number)
    assert r.status_code == 302
    rec = PersonalCarryOver.objects.get(employee=erin, year=2026)
    assert rec.recorded_by == users["hr"] and "short-staffed" in rec.reasons and rec.cite == "Sec. 8.2.B"
    page = c.get(URL).content.decode()
    assert "short-staffed" in page and erin.employee_number in page and "Sec. 8.2.B" in page
    # the write and the read of the list each name Erin in the access log
    assert AccessLog.objects.filter(subject_id=erin.pk, object_type="personal_carry_over",
                                    action=AccessLog.Action.CHANGE).count() == 1
    assert AccessLog.objects.filter(subject_id=erin.pk, object_type="personal_carry_over",
                                    action=AccessLog.Action.READ).exists()
    # a second one for the same year is refused on the form, nothing written
    r = _record(c, erin.employee_number)
    assert r.status_code == 400 and "already recorded" in r.content.decode()
    assert PersonalCarryOver.objects.filter(employee=erin).count() == 1


@pytest.mark.parametrize("data, field, says", [
    ({"year": "2025"}, "year", "after the deadline"),  # 2025's personal leave was forfeited in January 2026
    ({"year": "20x6"}, "year", "whole number"),
    ({"year": "1850"}, "year", "outside the years"),
    ({"reasons": "   "}, "reasons", "required"),
    ({"employee_number": "999999"}, "employee_number", "No employee with this number"),
])
def test_bad_input_is_named_on_the_form_and_nothing_is_written(people, users, client_for, data, field, says):
    c = client_for(users["hr"])
    body = {"employee_number": people["erin"].employee_number, "year": "2026", "reasons": "backlog", **data}
    r = c.post(URL, body)
    assert r.status_code == 400
    html = r.content.decode()
    assert says.lower() in html.lower(), html
    assert 'role="alert"' in html and f'id="id_{field}"' in html
    assert not PersonalCarryOver.objects.exists()


def test_hr_of_another_agency_cannot_record_for_erin(people, users, client_for):
    """The refusal looks like "no such employee" (RefusalLooksTheSame)."""
    from openleave.accounts.models import User
    from openleave.people.models import Agency

    erin = people["erin"]
    other = Agency.objects.exclude(pk=erin.agency_id).first()
    hr2 = User.objects.create_user("hr-other", password="x", agency=other)
    hr2.groups.add(*users["hr"].groups.all())
    r = _record(client_for(hr2), erin.employee_number)
    assert r.status_code == 400 and "No employee with this number" in r.content.decode()
    assert not PersonalCarryOver.objects.exists()


def test_the_preview_writes_nothing_and_refuses_a_year_not_ended(people, users, client_for):
    c = client_for(users["hr"])
    before = LedgerEntry.objects.count()
    # 2026 has not ended on 2026-12-01: its last pay period ends in January 2027 (Sec. 9.1)
    r = c.get(URL, {"year": "2026"})
    assert r.status_code == 400 and "has not ended" in r.content.decode()
    r = c.get(URL, {"year": "abc"})
    assert r.status_code == 400 and "not a year" in r.content.decode()
    r = c.get(URL, {"year": "2025"})  # ended; the demo ledger has nothing of vintage 2023 or older: a summary of 0
    html = r.content.decode()
    assert r.status_code == 200 and "Dry run of the year end 2025" in html and "Sec. 9.15" in html
    assert LedgerEntry.objects.count() == before and not AccrualRun.objects.filter(leave_set="year_end").exists()


def test_the_runs_are_listed_with_their_summaries(people, users, client_for):
    import datetime as dt

    from openleave.ledger import year_end
    from openleave.people.models import PayCalendar

    cal = PayCalendar.objects.first()
    AccrualRun.objects.create(pay_calendar=cal, period_start=dt.date(2025, 12, 14), period_end=dt.date(2025, 12, 27),
                              leave_set=AccrualRun.LeaveSet.YEAR_END, started_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
                              finished_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC), by_label="manage.py year_end",
                              rate_plan={"year": 2025},
                              summary=year_end.YearEndResult(run=None, year=2025, employees=3,
                                                             forfeited={"Vacation": 18_000_000}, conversions=1,
                                                             converted=10_000_000).summary())
    html = client_for(users["hr"]).get(URL).content.decode()
    assert "Vacation: 18 h (Sec. 9.1, Sec. 9.8)" in html and "10 h, 1 employee (Sec. 9.15)" in html


@pytest.mark.parametrize("who", ["employee", "supervisor", "steward", "auditor", "medical", "admin"])
def test_other_roles_get_404(people, users, client_for, who):
    c = client_for(users[who])
    assert c.get(URL).status_code == 404
    assert c.get(URL, {"year": "2025"}).status_code == 404
    assert _record(c, people["erin"].employee_number).status_code == 404
    assert not PersonalCarryOver.objects.exists()


def test_the_home_page_links_it_for_hr_only(people, users, client_for):
    assert URL in client_for(users["hr"]).get("/").content.decode()
    assert URL not in client_for(users["employee"]).get("/").content.decode()


def _central_hr(users):
    from openleave.accounts.models import User

    u = User.objects.create_user("hr-central", password="x", agency=None)  # HR for every agency
    u.groups.add(*users["hr"].groups.all())
    return u


def test_central_hr_posts_the_year_end_after_the_preview_and_a_confirmation(people, users, client_for):
    c = client_for(_central_hr(users))
    html = c.get(URL, {"year": "2025"}).content.decode()
    assert 'name="action" value="run"' in html and 'for="confirm"' in html
    r = c.post(URL, {"action": "run", "year": "2025"})  # not confirmed
    assert r.status_code == 400 and "tick the box" in r.content.decode()
    assert not AccrualRun.objects.filter(leave_set="year_end").exists()
    r = c.post(URL, {"action": "run", "year": "2025", "confirm": "yes"})
    assert r.status_code == 302
    run = AccrualRun.objects.get(leave_set="year_end")
    assert run.by.username == "hr-central" and run.summary["year"] == 2025
    r = c.post(URL, {"action": "run", "year": "2025", "confirm": "yes"})  # a second run: refused, nothing written
    assert r.status_code == 400 and "already run" in r.content.decode()
    r = c.post(URL, {"action": "run", "year": "2026", "confirm": "yes"})  # not ended on 2026-12-01
    assert r.status_code == 400 and "has not ended" in r.content.decode()
    assert AccrualRun.objects.filter(leave_set="year_end").count() == 1


def test_agency_hr_cannot_post_the_year_end(people, users, client_for):
    """The run touches every agency's employees: an agency's HR sees the preview, not the button; a POST is a 404."""
    c = client_for(users["hr"])
    assert 'value="run"' not in c.get(URL, {"year": "2025"}).content.decode()
    assert c.post(URL, {"action": "run", "year": "2025", "confirm": "yes"}).status_code == 404
    assert not AccrualRun.objects.filter(leave_set="year_end").exists()
