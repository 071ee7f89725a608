"""Forfeiture warnings (home page, e-mail once from October 1) and the supervisor's / department head's
"members at risk of losing leave" (Sec. 9.8), with the seniority order for conflicting requests.

Erin's ledger (conftest.three_vintages): the 2026 year end, 2027-01-09 (worked in test_statement_figures.py),
forfeits 2 h of vacation earned in 2024 (6 h left on Sept 1 − 4 h booked for 2026-10-05, oldest first; Sec. 9.8)
and 16 h of personal leave credited for 2026 (24 − 8; Sec. 8.2.B): 18 h at risk."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from statement_helpers import NY, post

from openleave.audit.models import AccessLog
from openleave.statements.models import ForfeitureWarning

pytestmark = [pytest.mark.django_db]
OCT_2 = dt.datetime(2026, 10, 2, 12, tzinfo=NY)
VAC_TEXT = "2 h of vacation earned in 2024 will be forfeited on January 9, 2027 unless used (Sec. 9.8)"
PERS_TEXT = "16 h of personal leave credited in 2026 will be forfeited on January 9, 2027 unless used (Sec. 8.2.B)"


def _warn(*args):
    out = io.StringIO()
    call_command("forfeiture_warnings", *args, stdout=out)
    return out.getvalue()


@pytest.mark.clock(OCT_2, tick=False)
def test_home_page_warns_from_october(erin, client_for, users):
    html = client_for(users["employee"]).get("/").content.decode()
    assert VAC_TEXT in html and PERS_TEXT in html
    assert AccessLog.objects.filter(subject=erin, object_type="forfeiture_warning", actor=users["employee"]).exists()


@pytest.mark.clock(dt.datetime(2026, 9, 30, 12, tzinfo=NY), tick=False)
def test_no_warning_before_october(erin, client_for, users):
    assert "will be forfeited" not in client_for(users["employee"]).get("/").content.decode()
    assert "No forfeiture warnings are due on 2026-09-30" in _warn()
    assert not ForfeitureWarning.objects.exists()


@pytest.mark.clock(dt.datetime(2027, 1, 9, 12, tzinfo=NY), tick=False)
def test_warned_up_to_the_forfeiture_day_in_january(erin, client_for, users):
    assert VAC_TEXT in client_for(users["employee"]).get("/").content.decode()


@pytest.mark.clock(dt.datetime(2027, 1, 10, 12, tzinfo=NY), tick=False)
def test_no_warning_after_the_year_end(erin, client_for, users):
    assert "will be forfeited" not in client_for(users["employee"]).get("/").content.decode()


@pytest.mark.clock(OCT_2, tick=False)
def test_each_warning_is_mailed_once(erin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = _warn()
    warned = ForfeitureWarning.objects.filter(employee=erin)
    assert {(w.leave, w.micro, w.forfeits_on, w.cite) for w in warned} == {
        ("vacation", 2_000_000, dt.date(2027, 1, 9), "Sec. 9.8"), ("personal", 16_000_000, dt.date(2027, 1, 9), "Sec. 8.2.B")}
    bodies = [m.body for m in mail.outbox if m.to == [erin.user.email]]
    assert len(bodies) == 2 and any(VAC_TEXT in b for b in bodies) and any(PERS_TEXT in b for b in bodies)
    assert "2 sent" in out
    mail.outbox.clear()
    from openleave.ledger.models import Kind, Leave

    post(erin, Leave.VACATION, Kind.ADJUSTMENT, 1, dt.date(2026, 10, 1), "more-2024", 2024, cite="Sec. 9.8")
    # the hours at risk change (3 h now): the warning already sent is not sent again
    with django_capture_on_commit_callbacks(execute=True):
        _warn("--on", "2026-10-02")
    assert mail.outbox == [] and ForfeitureWarning.objects.filter(employee=erin).count() == 2


@pytest.mark.clock(OCT_2, tick=False)
def test_warnings_on_a_day_to_come_are_refused(demo):
    from django.core.management import CommandError

    with pytest.raises(CommandError) as exc:
        _warn("--on", "2026-10-09")
    assert exc.value.returncode == 2


# --- members at risk ---------------------------------------------------------------------------------------


@pytest.fixture
def team(erin, people):
    """Two more of Sean's reports: one with 30 h of 2024 vacation unused (30 h at risk, more than Erin's 18 h),
    one in Erin's title with an earlier service date (senior to her) and nothing at risk."""
    from openleave.ledger.models import Kind, Leave
    from openleave.people.models import Employee

    reports = list(Employee.objects.filter(supervisor=people["sean"]).exclude(pk=erin.pk).order_by("pk"))
    big, senior = reports[0], reports[1]
    post(big, Leave.VACATION, Kind.OPENING, 30, dt.date(2026, 1, 11), "big2024", 2024)
    senior.title = erin.title
    senior.vacation_service_date = erin.vacation_service_date - dt.timedelta(days=1)
    senior.save()
    return {"big": big, "senior": senior, "erin": erin}


@pytest.mark.clock(OCT_2, tick=False)
def test_supervisor_sees_reports_at_risk_most_hours_first(team, client_for, users):
    r = client_for(users["supervisor"]).get("/statements/at-risk/")
    html = r.content.decode()
    assert r.status_code == 200 and "Sec. 9.8" in html and 'th scope="col"' in html
    assert html.index(team["big"].name) < html.index(team["erin"].name)
    assert team["senior"].name not in html  # nothing at risk
    rows = client_for(users["supervisor"]).get("/api/statements/at-risk").json()
    assert [(x["employee_number"], x["hours_at_risk"]) for x in rows] == [
        (team["big"].employee_number, "30"), (team["erin"].employee_number, "18")]  # 30 h; 2 + 16 = 18 h
    # Sec. 9.8: conflicting requests in the same title go by years of employment with the Commonwealth; the
    # senior colleague in Erin's title ranks first, Erin second.
    assert rows[1]["seniority_in_title"] == 2
    logged = set(AccessLog.objects.filter(actor=users["supervisor"], object_type="leave_at_risk")
                 .values_list("subject_id", flat=True))
    assert logged == {team["big"].pk, team["erin"].pk}  # a read per person shown, no one else


@pytest.mark.clock(OCT_2, tick=False)
def test_department_head_sees_the_agency(team, client_for, users):
    rows = client_for(users["hr"]).get("/api/statements/at-risk").json()
    assert {x["employee_number"] for x in rows} >= {team["big"].employee_number, team["erin"].employee_number}


@pytest.mark.clock(OCT_2, tick=False)
def test_others_do_not_get_the_view(team, client_for, users, people, make_user):
    from openleave.accounts import roles as R

    dana = make_user("dcr-sup", [R.EMPLOYEE, R.SUPERVISOR], employee=people["dana"])
    for user in (users["employee"], users["steward"], users["auditor"], users["medical"]):
        assert client_for(user).get("/statements/at-risk/").status_code == 404, user.username
        assert client_for(user).get("/api/statements/at-risk").status_code == 404, user.username
    rows = client_for(dana).get("/api/statements/at-risk").json()  # another agency's supervisor: not DMH's people
    assert team["erin"].employee_number not in {x["employee_number"] for x in rows}
