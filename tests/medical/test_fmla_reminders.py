"""``manage.py fmla_reminders``: certification due and overdue (Sec. 8.1.M), the entitlement ending (Sec. 8.7.2.B.1),
the intermittent days of B.4.a nearly used and used — to the employee and the medical coordinator only, in the app
and by e-mail after commit, never twice, never a medical detail.

Erin Doyle (demo, DMH): 37.5 h a week, 7.5 h a day. Sec. 8.7.2.B.1: 26 weeks within the previous 52; B.4.a: 60
intermittent days of 7.5 h. The clock is frozen at Tue 2026-12-01 (tests/conftest.py); the look-back on that day
is 2025-12-02 … 2026-11-30 (52 × 7 = 364 days back). Maya Chen ("medical") is DMH's coordinator; Sean McCarthy
("supervisor") supervises Erin. The thresholds used: certification 3 days before, 2 weeks left, 5 days left.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from openleave.audit.models import AccessLog
from openleave.leave.models import Notification
from openleave.medical import reminders, services
from openleave.medical.models import FmlaReminder, MedicalDocument

from .conftest import SECRET
from .test_fmla_usage import fmla_request

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)
T = {"certification_days_before": 3, "entitlement_weeks_left": 2, "intermittent_days_left": 5}


def open_case(users, people, *, schedule="continuous", start="2026-12-07", end="2027-01-29", due=None):
    case = services.fmla_case_open(employee=people["erin"], reason="own_condition", schedule=schedule,
                                   expected_start=start, expected_end=end, by=users["employee"])
    if due:
        case.certification_due = due
        case.save(update_fields=["certification_due"])
    return case


def notes(user):
    return list(Notification.objects.filter(user=user))


def send(django_capture_on_commit_callbacks, **kw):
    with django_capture_on_commit_callbacks(execute=True):
        return reminders.fmla_reminders_send(today=TODAY, thresholds=T, **kw)


def test_certification_due_in_two_days_reminds_employee_and_coordinator_once(
        users, people, django_capture_on_commit_callbacks):
    # due Thu 2026-12-03: 2 days after 12-01, within the 3 days → one reminder, to Erin and to Maya
    case = open_case(users, people, due=dt.date(2026, 12, 3))
    mail.outbox.clear()
    r = send(django_capture_on_commit_callbacks)
    assert r.sent == {"certification_due": 1} and r.notifications == 2
    assert len(notes(users["employee"])) == 1 and len(notes(users["medical"])) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([users["employee"].email, users["medical"].email])
    # the second run (cron again the same day, or the next) sends nothing
    r2 = send(django_capture_on_commit_callbacks)
    assert r2.sent == {} and r2.skipped == 1
    assert len(notes(users["employee"])) == 1 and len(notes(users["medical"])) == 1
    assert len(mail.outbox) == 2
    assert FmlaReminder.objects.filter(case=case).count() == 1
    body = notes(users["employee"])[0].body
    assert "2026-12-03" in body and "Sec. 8.1.M" in body and f"/fmla/{case.pk}/" in notes(users["employee"])[0].url


def test_nothing_medical_in_any_reminder_and_nothing_for_the_supervisor_or_hr(
        users, people, django_capture_on_commit_callbacks):
    case = open_case(users, people, due=dt.date(2026, 11, 28))  # overdue since Sat 2026-11-28
    mail.outbox.clear()
    r = send(django_capture_on_commit_callbacks)
    assert r.sent == {"certification_overdue": 1}
    texts = [n.subject + n.body for n in Notification.objects.all()] + [m.subject + m.body for m in mail.outbox]
    assert texts
    for t in texts:
        assert case.get_reason_display() not in t  # "The employee's own serious health condition"
        assert "serious health" not in t and "own_condition" not in t and SECRET not in t
        assert "Medical leave" not in t and "Family leave" not in t
    for who in ("supervisor", "hr"):
        assert notes(users[who]) == []
    rows = AccessLog.objects.filter(object_type="fmla_reminder", subject=people["erin"])
    assert rows.count() == 1 and rows.get().actor_label == "the system: manage.py fmla_reminders"


def test_received_certification_or_one_due_later_is_not_reminded(users, people, django_capture_on_commit_callbacks):
    case = open_case(users, people, due=dt.date(2026, 11, 30))
    MedicalDocument.objects.create(employee=people["erin"], case=case, kind="d1", content_type="application/pdf",
                                   size=10, uploaded_by=users["employee"])
    other = services.fmla_case_open(employee=people["dmh_other"], reason="own_condition", schedule="continuous",
                                    expected_start="2026-12-07", by=users["medical"])
    other.certification_due = dt.date(2026, 12, 5)  # 4 days after 12-01: beyond the 3 days
    other.save(update_fields=["certification_due"])
    assert send(django_capture_on_commit_callbacks).sent == {}
    assert FmlaReminder.objects.count() == 0


def test_intermittent_days_nearly_used(users, people, django_capture_on_commit_callbacks):
    # 56 whole intermittent days of 7.5 h in 2026 (Mondays–Fridays from 2026-06-01): 60 − 56 = 4 days left ≤ 5
    case = open_case(users, people, schedule="intermittent", start="2026-06-01", end="2027-05-31")
    days, d = {}, dt.date(2026, 6, 1)
    while len(days) < 56:
        if d.weekday() < 5:
            days[d.isoformat()] = 7.5
        d += dt.timedelta(days=1)
    fmla_request(people["erin"], dt.date(2026, 6, 1), d, mode="intermittent", days=days)
    r = send(django_capture_on_commit_callbacks)
    assert r.sent == {"intermittent_near": 1}
    n = notes(users["employee"])[0]
    assert "4 intermittent days left" in n.subject and "Sec. 8.7.2.B.4.a" in n.body
    assert FmlaReminder.objects.get(case=case).due == dt.date(2026, 6, 1)  # once per case: its expected start


def test_intermittent_days_used_and_entitlement_ending(users, people, django_capture_on_commit_callbacks):
    # 60 intermittent days (450 h = 12 weeks of 37.5 h) and a continuous 12 weeks 2026-03-02 … 2026-05-24 (84 days =
    # 12 weeks): 24 of 26 weeks used → 2 weeks left ≤ 2 (B.1); 60 − 60 = 0 intermittent days left (B.4.a, B.4.c)
    case = open_case(users, people, schedule="intermittent", start="2026-06-01", end="2027-05-31")
    fmla_request(people["erin"], dt.date(2026, 3, 2), dt.date(2026, 5, 24))
    days, d = {}, dt.date(2026, 6, 1)
    while len(days) < 60:
        if d.weekday() < 5:
            days[d.isoformat()] = 7.5
        d += dt.timedelta(days=1)
    fmla_request(people["erin"], dt.date(2026, 6, 1), d, mode="intermittent", days=days)
    r = send(django_capture_on_commit_callbacks)
    assert r.sent == {"entitlement_ending": 1, "intermittent_reached": 1}
    subjects = sorted(n.subject for n in notes(users["medical"]))
    assert subjects == [f"FMLA case {case.pk}: 2 weeks of the entitlement left",
                        f"FMLA case {case.pk}: All 60 intermittent days used"]
    assert send(django_capture_on_commit_callbacks).sent == {}


def test_command_runs_idempotently_and_refuses_a_bad_date(users, people, capsys):
    open_case(users, people, due=dt.date(2026, 12, 2))
    call_command("fmla_reminders", "--today", "2026-12-01", "--certification-days", "3")
    out = capsys.readouterr().out
    assert "sent 1 certification (d-1/d-2) due soon" in out and "2 notification(s)" in out
    call_command("fmla_reminders", "--today", "2026-12-01")
    assert "sent none" in capsys.readouterr().out
    assert Notification.objects.filter(user=users["employee"]).count() == 1
    with pytest.raises(CommandError, match="--today"):
        call_command("fmla_reminders", "--today", "2026-13-01")
    with pytest.raises(CommandError, match="--weeks-left"):
        call_command("fmla_reminders", "--weeks-left", "many")


def test_dry_run_writes_nothing(users, people, django_capture_on_commit_callbacks):
    open_case(users, people, due=dt.date(2026, 12, 2))
    assert send(django_capture_on_commit_callbacks, dry_run=True).sent == {"certification_due": 1}
    assert FmlaReminder.objects.count() == 0 and Notification.objects.count() == 0
