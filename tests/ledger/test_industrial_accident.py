"""Industrial accident leave periods (Sec. 9.13, 9.15): HR records them (service + API: dates and an administrative
note, no medical detail); the admin shows them, and the Sec. 8.2.B carry-overs, read only, every read logged."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from openleave.audit.models import AccessLog
from openleave.people import services
from openleave.people.models import IndustrialAccidentLeave


def _url(e, tail=""):
    return f"/api/employees/{e.employee_number}/industrial-accident-leaves{tail}"


def _post(c, url, body):
    return c.post(url, json.dumps(body), content_type="application/json")


def test_hr_records_a_period_and_ends_it_through_the_api(people, users, client_for):
    c, erin = client_for(users["hr"]), people["erin"]
    r = _post(c, _url(erin), {"started": "2026-10-05", "note": "claim filed with the insurer (ref. in HR file)"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["started"] == "2026-10-05" and body["ended"] is None and body["cite"] == "Sec. 9.15"
    p = IndustrialAccidentLeave.objects.get(employee=erin)
    assert p.recorded_by == users["hr"] and p.covers(dt.date(2026, 12, 1))
    assert AccessLog.objects.filter(subject_id=erin.pk, object_type="industrial_accident_leave",
                                    action=AccessLog.Action.CHANGE).count() == 1
    r = _post(c, _url(erin, f"/{p.pk}/end"), {"ended": "2026-11-20"})
    assert r.status_code == 200 and r.json()["ended"] == "2026-11-20"
    assert [x["ended"] for x in c.get(_url(erin)).json()] == ["2026-11-20"]


@pytest.mark.parametrize("body, field", [
    ({"started": "2026-10-05", "ended": "2026-10-01"}, "ended"),  # the last day before the first
    ({"started": "2026-09-01", "ended": "2026-10-10"}, "started"),  # overlaps 2026-10-05..(continuing)
    ({"started": "2026-13-01"}, None),  # not a date: the schema's 422
    ({"started": "2026-10-05", "diagnosis": "x"}, None),  # no other keys: no medical detail can be sent
])
def test_bad_periods_are_refused_naming_the_field(people, users, client_for, body, field):
    c, erin = client_for(users["hr"]), people["erin"]
    if field == "started":
        assert _post(c, _url(erin), {"started": "2026-10-05"}).status_code == 201
    before = IndustrialAccidentLeave.objects.count()
    r = _post(c, _url(erin), body)
    assert r.status_code == 422, r.content
    if field:
        assert r.json()["field"] == field
    assert IndustrialAccidentLeave.objects.count() == before


@pytest.mark.parametrize("who", ["employee", "supervisor", "steward", "auditor", "medical"])
def test_other_roles_get_404(people, users, client_for, who):
    c, erin = client_for(users[who]), people["erin"]
    assert _post(c, _url(erin), {"started": "2026-10-05"}).status_code == 404
    assert c.get(_url(erin)).status_code == 404
    assert not IndustrialAccidentLeave.objects.exists()


def test_the_service_refuses_hr_of_another_agency(people, users):
    from openleave.accounts.models import User
    from openleave.people.models import Agency

    erin = people["erin"]
    hr2 = User.objects.create_user("hr-other-ia", password="x", agency=Agency.objects.exclude(pk=erin.agency_id).first())
    hr2.groups.add(*users["hr"].groups.all())
    with pytest.raises(PermissionError):
        services.industrial_accident_leave_record(employee=erin, started=dt.date(2026, 10, 5), by=hr2)
    assert not IndustrialAccidentLeave.objects.exists()


def test_the_admin_shows_both_read_only_and_logs_each_read(people, users, client_for):
    from openleave.ledger import year_end

    erin = people["erin"]
    p = services.industrial_accident_leave_record(employee=erin, started=dt.date(2026, 10, 5), by=users["hr"])
    co = year_end.personal_carry_over_record(employee=erin, year=2026, reasons="December backlog", by=users["hr"])
    c = client_for(users["admin"])
    for model, obj in (("people/industrialaccidentleave", p), ("ledger/personalcarryover", co)):
        before = AccessLog.objects.filter(subject_id=erin.pk, channel="admin").count()
        assert c.get(f"/admin/{model}/").status_code == 200
        r = c.get(f"/admin/{model}/{obj.pk}/change/")
        assert r.status_code == 200 and b'name="_save"' not in r.content  # no save button: read only
        assert c.get(f"/admin/{model}/add/").status_code == 403
        assert c.post(f"/admin/{model}/{obj.pk}/delete/", {"post": "yes"}).status_code == 403
        # the list and the record: two reads naming Erin
        assert AccessLog.objects.filter(subject_id=erin.pk, channel="admin").count() == before + 2
    assert IndustrialAccidentLeave.objects.count() == 1
