"""manage.py vacation_statements: Sec. 9.8's window ("on or before October 1, as of September 1"), the whole
workforce once each, recorded, e-mailed only after the transaction commits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from statement_helpers import IN_WINDOW, NY

from openleave.statements.models import VacationStatement
from openleave.statements.selectors import in_service

pytestmark = [pytest.mark.django_db]


def _run(*args):
    import io

    out = io.StringIO()
    call_command("vacation_statements", *args, stdout=out)
    return out.getvalue()


@pytest.mark.clock(dt.datetime(2026, 8, 31, 12, tzinfo=NY), tick=False)
def test_refused_before_september_first(demo):
    with pytest.raises(CommandError) as exc:
        _run("--year", "2026")
    assert exc.value.returncode == 2 and "\n" not in str(exc.value)
    assert "as of 2026-09-01" in str(exc.value) and "Sec. 9.8" in str(exc.value)
    assert not VacationStatement.objects.exists()


@pytest.mark.clock(dt.datetime(2026, 12, 1, 12, tzinfo=NY), tick=False)
def test_refused_after_october_first_unless_late(demo):
    with pytest.raises(CommandError) as exc:
        _run("--year", "2026")
    assert exc.value.returncode == 2 and "on or before 2026-10-01" in str(exc.value) and "--late" in str(exc.value)
    assert not VacationStatement.objects.exists()
    _run("--year", "2026", "--late")
    assert VacationStatement.objects.count() == in_service(dt.date(2026, 9, 1)).count() > 0
    assert set(VacationStatement.objects.values_list("late", flat=True)) == {True}


@pytest.mark.clock(dt.datetime(2026, 10, 1, 20, tzinfo=NY), tick=False)
def test_october_first_is_still_on_time(demo):
    _run("--year", "2026")
    assert not VacationStatement.objects.filter(late=True).exists()


@pytest.mark.clock(IN_WINDOW, tick=False)
@pytest.mark.parametrize("bad", [("--year", "twenty"), ("--year", "2026", "--as-of", "2026-13-01"),
                                 ("--year", "2026", "--as-of", "2025-09-01"), ("--year", "2026", "--as-of", "2026-09-20")])
def test_bad_arguments_are_one_line(demo, bad):
    with pytest.raises(CommandError) as exc:
        _run(*bad)
    assert exc.value.returncode == 2 and "\n" not in str(exc.value)
    assert not VacationStatement.objects.exists()


@pytest.mark.clock(IN_WINDOW, tick=False)
def test_the_workforce_once_each_mailed_after_commit(erin, django_capture_on_commit_callbacks):
    from openleave.audit.models import AccessLog
    from openleave.leave.models import Notification

    workforce = in_service(dt.date(2026, 9, 1)).count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        out = _run("--year", "2026")
    assert mail.outbox == [] and callbacks  # nothing sent before the commit
    for cb in callbacks:
        cb()
    assert VacationStatement.objects.count() == workforce and f"{workforce} given" in out
    to_erin = [m for m in mail.outbox if m.to == [erin.user.email]]
    assert len(to_erin) == 1 and f"/employees/{erin.employee_number}/statements/2026/" in to_erin[0].body
    assert Notification.objects.filter(user=erin.user, url=f"/employees/{erin.employee_number}/statements/2026/").count() == 1
    assert AccessLog.objects.filter(subject=erin, object_type="vacation_statement", action="change").count() == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        out = _run("--year", "2026")
    assert VacationStatement.objects.count() == workforce and mail.outbox == []
    assert f"{workforce} already had one" in out
