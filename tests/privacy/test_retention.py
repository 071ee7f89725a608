"""Retention: dry run lists, the real run purges/anonymises, every purge is logged; dates shifted with time-machine."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from openleave.audit.access import record_access, verify_chain
from openleave.audit.models import AccessLog
from openleave.privacy.models import StewardConsent
from openleave.privacy.retention import apply, years

pytestmark = pytest.mark.django_db
LONG_AGO = dt.datetime(2015, 3, 2, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def old_records(users, people):
    with time_machine.travel(LONG_AGO, tick=False):
        old_log = [record_access(actor=users["hr"], subject=people["erin"], object_type="employee", category="leave",
                                 channel="ui") for _ in range(3)]
        old_consent = StewardConsent.objects.create(employee=people["erin"], steward=users["steward"],
                                                    purpose="Old grievance", valid_until=timezone.now()
                                                    + dt.timedelta(days=30))
    recent_log = record_access(actor=users["hr"], subject=people["erin"], object_type="employee", category="leave",
                               channel="ui")
    live = StewardConsent.objects.create(employee=people["erin"], steward=users["steward"], purpose="Current")
    dana = people["dana"]
    dana.separation_date = dt.date(2016, 6, 30)
    dana.save()
    return {"old_log": old_log, "recent": recent_log, "old_consent": old_consent, "live": live, "dana": dana}


def test_dry_run_lists_and_changes_nothing(old_records, capsys):
    before = AccessLog.objects.count()
    call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "access_log (access_log, before" in out and "would remove 3" in out
    assert f"steward consent {old_records['old_consent'].pk}" in out
    assert "employee 200001 (left 2016-06-30)" in out
    assert "Nothing was changed" in out
    assert AccessLog.objects.count() == before
    assert StewardConsent.objects.filter(pk=old_records["old_consent"].pk).exists()


def test_real_run_purges_anonymises_logs_and_keeps_the_chain_verifiable(old_records, people):
    apply(dry_run=False)
    ids = set(AccessLog.objects.values_list("id", flat=True))
    assert not ids & {r.pk for r in old_records["old_log"]}
    assert old_records["recent"].pk in ids
    assert not StewardConsent.objects.filter(pk=old_records["old_consent"].pk).exists()
    assert StewardConsent.objects.filter(pk=old_records["live"].pk).exists()
    dana = old_records["dana"]
    dana.refresh_from_db()
    assert (dana.given_name, dana.family_name, dana.work_email) == ("Former", f"employee {dana.pk}", "")
    purges = AccessLog.objects.filter(action="purge")
    assert purges.filter(object_type="access_log", object_id="3 rows").exists()
    assert purges.filter(object_type="stewardconsent", subject=people["erin"]).exists()
    assert purges.filter(object_type="employee", subject=dana, fields="anonymised").exists()
    assert verify_chain().ok
    # Running again finds nothing more to do.
    assert all(not o.items for o in apply(dry_run=True))


def test_nothing_is_due_a_day_before_seven_years(users, people):
    with time_machine.travel(LONG_AGO, tick=False):
        record_access(actor=users["hr"], subject=people["erin"], object_type="employee", category="leave", channel="ui")
    with time_machine.travel(LONG_AGO + dt.timedelta(days=7 * 365), tick=False):  # 2 leap days short of 7 years
        assert next(o for o in apply(dry_run=True) if o.rule == "access_log").items == []
    with time_machine.travel(LONG_AGO + dt.timedelta(days=7 * 365 + 3), tick=False):
        assert len(next(o for o in apply(dry_run=True) if o.rule == "access_log").items) == 1


def test_medical_retention_under_three_years_is_refused(settings):
    settings.OPENLEAVE_RETENTION_YEARS = {"medical": 2}
    with pytest.raises(ImproperlyConfigured, match="29 CFR 825.500"):
        years()


def test_retention_periods_are_configurable(settings, old_records):
    settings.OPENLEAVE_RETENTION_YEARS = {"access_log": 20, "consent": 20, "separated_employee": 20}
    assert all(not o.items for o in apply(dry_run=True))
