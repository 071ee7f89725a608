"""Every link in an e-mail is absolute, made from one setting (``OPENLEAVE_SITE_URL``) through the one mail path
of ``leave.services`` (``notify``; the bulk runs build their messages with ``mail_message``): a request's
notification, a compensatory day recorded and its expiry warning, the Sec. 9.8 statement and the forfeiture
warnings. A relative link in a mail cannot be opened from a mail client."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from statement_helpers import three_vintages

pytestmark = pytest.mark.django_db
SITE = "https://leave.example.org"
NY = ZoneInfo("America/New_York")
RELATIVE = re.compile(r"(?<![\w:/.])/(?:employees|me|leave|statements|planner)/")


def links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def assert_absolute(messages) -> None:
    assert messages
    for m in messages:
        assert links(m.body), m.body
        assert all(link.startswith(SITE + "/") for link in links(m.body)), m.body
        assert not RELATIVE.search(m.body), m.body


def test_notify_makes_the_link_absolute(users, settings, django_capture_on_commit_callbacks):
    from openleave.leave.services import notify, site_url

    settings.OPENLEAVE_SITE_URL = SITE + "/"  # a trailing slash is no double slash
    assert site_url("/leave/requests/7/") == SITE + "/leave/requests/7/"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=users["employee"], subject="Your leave request was approved", body="Approved.",
               url="/leave/requests/7/")
    (m,) = mail.outbox
    assert SITE + "/leave/requests/7/" in m.body
    assert_absolute(mail.outbox)


def test_comp_day_mails_carry_absolute_links(people, users, settings, django_capture_on_commit_callbacks):
    from openleave.comp import services

    settings.OPENLEAVE_SITE_URL = SITE
    erin = people["erin"]
    mail.outbox.clear()
    with time_machine.travel(dt.datetime(2026, 7, 6, 12, tzinfo=NY), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        services.holiday_occasion_record(employee=erin, by=users["hr"], data=services.OccasionInput(
            holiday_date=dt.date(2026, 7, 4), situation="day_off", outcome="comp_day", chosen_by="employer",
            reasons="kitchen short-staffed"))
    with django_capture_on_commit_callbacks(execute=True):
        services.comp_day_warn(on=dt.date(2026, 8, 19))  # 14 days before its last day, Sep 2
    assert len(mail.outbox) == 2
    assert all(f"{SITE}/employees/{erin.employee_number}/comp/" in m.body for m in mail.outbox)
    assert_absolute(mail.outbox)


def test_statement_and_warning_mails_carry_absolute_links(people, settings, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    settings.OPENLEAVE_SITE_URL = SITE
    erin = people["erin"]
    three_vintages(erin)
    mail.outbox.clear()
    with time_machine.travel(dt.datetime(2026, 9, 15, 12, tzinfo=NY), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        call_command("vacation_statements", "--year", "2026", verbosity=0)
    to_erin = [m for m in mail.outbox if m.to == [erin.user.email]]
    assert len(to_erin) == 1 and f"{SITE}/employees/{erin.employee_number}/statements/2026/" in to_erin[0].body
    assert_absolute(mail.outbox)
    mail.outbox.clear()
    with time_machine.travel(dt.datetime(2026, 10, 2, 12, tzinfo=NY), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        call_command("forfeiture_warnings", verbosity=0)
    to_erin = [m for m in mail.outbox if m.to == [erin.user.email]]
    assert len(to_erin) == 2 and all(f"{SITE}/me/statements/" in m.body for m in to_erin)
    assert_absolute(mail.outbox)
