"""A shared plan (issue 12, item 6): a read-only link the employee creates — random, stored only as its SHA-256,
expiring, revocable. Only the employee's supervisor chain (``policy.can_open_shared_plan``) opens it while signed
in; every other role gets the 404 of a page that does not exist, and each look is in the employee's access log."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest

pytestmark = pytest.mark.django_db

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
ROW = {"kind": "vacation", "start_date": "2027-02-08", "end_date": "2027-02-12"}


def _share(client, days="14"):
    r = client.post("/planner/share/", {**{k: [v] for k, v in ROW.items()}, "hours": [""], "title": "February",
                                       "days": days})
    assert r.status_code == 200, r.content.decode()[:500]
    link = re.search(r'id="share-link" type="text" readonly value="([^"]+)"', r.content.decode()).group(1)
    return link.split("testserver", 1)[1], link.rstrip("/").rsplit("/", 1)[1]


@pytest.fixture
def shared(client_for, users, people, post_opening_balance):
    post_opening_balance(people["erin"], sick="150", vacation="75", personal="15")
    path, token = _share(client_for(users["employee"]))
    client_for(users["employee"]).logout()
    return path, token


def _user(username, roles, employee=None):
    from django.contrib.auth.models import Group

    from openleave.accounts.models import User

    u = User.objects.create_user(username=username, password="x-long-password-1")
    u.groups.set(Group.objects.filter(name__in=roles))
    if employee is not None:
        employee.user = u
        employee.save(update_fields=["user"])
    return u


def test_the_token_is_random_and_only_its_digest_is_stored(shared):
    from openleave.planner.models import SharedPlan

    _, token = shared
    share = SharedPlan.objects.get()
    assert len(token) >= 40 and token not in share.token_digest
    assert share.token_digest == hashlib.sha256(token.encode()).hexdigest()
    assert share.rows == [{"kind": "vacation", "start_date": "2027-02-08", "end_date": "2027-02-12", "hours": None,
                           "facts": {}}]


def test_the_supervisor_opens_it_read_only_and_the_look_is_logged(client_for, users, people, shared):
    from openleave.audit.models import AccessLog

    path, token = shared
    c = client_for(users["supervisor"])
    r = c.get(path)
    assert r.status_code == 200
    page = r.content.decode()
    assert "Leave plan of Erin Doyle" in page and "Balances day by day" in page and "<form" not in page.split("<main")[1].split("</main>")[0]
    look = AccessLog.objects.filter(subject=people["erin"], object_type="shared_plan", actor=users["supervisor"])
    assert look.count() == 1 and "supervisor in the chain" in look.get().fields
    api = c.get(f"/api/planner/shared/{token}")
    assert api.status_code == 200 and api.json()["rows"][0]["allowed"] == "37.5"
    assert look.count() == 2


def test_the_supervisors_supervisor_is_in_the_chain(client_for, users, people, shared):
    from openleave.accounts import roles as R
    from openleave.people.models import Employee

    path, _ = shared
    boss = Employee.objects.create(employee_number="999001", given_name="Bea", family_name="Boss",
                                   agency=people["sean"].agency, title=people["sean"].title, service_start=dt.date(2000, 1, 3),
                                   original_hire_date=dt.date(2000, 1, 3), vacation_service_date=dt.date(2000, 1, 3),
                                   scheduled_weekly_hours=people["sean"].scheduled_weekly_hours,
                                   pay_calendar=people["sean"].pay_calendar)
    people["sean"].supervisor = boss
    people["sean"].save(update_fields=["supervisor"])
    u = _user("bea", [R.EMPLOYEE, R.SUPERVISOR], boss)
    assert client_for(u).get(path).status_code == 200


def _refused_like_missing(client, path, token):
    r = client.get(path)
    missing = client.get("/planner/shared/" + "x" * 43 + "/")
    assert r.status_code == 404 and missing.status_code == 404
    assert CSRF.sub(b"", r.content) == CSRF.sub(b"", missing.content)  # exactly like a link that does not exist
    api = client.get(f"/api/planner/shared/{token}")
    assert api.status_code == 404 and api.json() == client.get("/api/planner/shared/nothing").json()


def test_another_employee_gets_404(client_for, users, shared):
    _refused_like_missing(client_for(users["steward"]), *shared)  # Stan, an employee of DMH, not in the chain


def test_a_steward_without_consent_gets_404_and_with_consent_too(client_for, users, people, shared):
    from django.utils import timezone

    from openleave.privacy.models import StewardConsent

    c = client_for(users["steward"])
    _refused_like_missing(c, *shared)
    StewardConsent.objects.create(employee=people["erin"], steward=users["steward"], purpose="grievance under Art. 23",
                                  valid_until=timezone.now() + dt.timedelta(days=30))
    assert c.get(f"/employees/{people['erin'].employee_number}/").status_code == 200  # the consent works elsewhere
    _refused_like_missing(c, *shared)  # the employee shared it with the supervisor chain, not with the union


def test_a_supervisor_of_another_unit_gets_404(client_for, people, shared):
    from openleave.accounts import roles as R

    dana = _user("dana", [R.EMPLOYEE, R.SUPERVISOR], people["dana"])  # supervises DCR, not Erin
    _refused_like_missing(client_for(dana), *shared)


def test_hr_and_the_auditor_get_404(client_for, users, shared):
    for name in ("hr", "auditor"):
        _refused_like_missing(client_for(users[name]), *shared)


def test_signed_out_goes_to_sign_in(client, shared):
    path, token = shared
    r = client.get(path)
    assert r.status_code == 302 and r["Location"].startswith("/login/")
    assert client.get(f"/api/planner/shared/{token}").status_code == 401


def test_a_revoked_or_expired_link_is_404(client_for, users, shared):
    import time_machine

    from openleave.planner.models import SharedPlan

    path, token = shared
    sup = client_for(users["supervisor"])
    assert sup.get(path).status_code == 200
    from django.utils import timezone

    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):  # 14 days on, the link has closed by itself
        _refused_like_missing(client_for(users["supervisor"]), path, token)
    share = SharedPlan.objects.get()
    me = client_for(users["employee"])
    assert me.post(f"/planner/shares/{share.pk}/revoke/").status_code == 302
    share.refresh_from_db()
    assert share.revoked_at is not None
    assert "nobody can open it" in me.get("/planner/").content.decode()  # the message is shown (and used up)
    _refused_like_missing(client_for(users["supervisor"]), path, token)


def test_only_the_employee_revokes(client_for, users, shared):
    from openleave.planner.models import SharedPlan

    share = SharedPlan.objects.get()
    assert client_for(users["supervisor"]).post(f"/planner/shares/{share.pk}/revoke/").status_code == 404
    share.refresh_from_db()
    assert share.revoked_at is None


def test_a_bad_expiry_is_refused_naming_days(client_for, users, people, post_opening_balance):
    c = client_for(users["employee"])
    r = c.post("/planner/share/", {**{k: [v] for k, v in ROW.items()}, "hours": [""], "days": "365"})
    assert r.status_code == 400 and "stays open for" in r.content.decode()


def test_a_protected_kind_shows_the_supervisor_only_its_category(client_for, users, people, post_opening_balance):
    post_opening_balance(people["erin"], sick="150", vacation="75", personal="15")
    c = client_for(users["employee"])
    r = c.post("/planner/share/", {"kind": ["domestic_violence"], "start_date": ["2027-02-08"],
                                   "end_date": ["2027-02-08"], "hours": [""], "days": "14"})
    assert r.status_code == 200
    link = re.search(r'id="share-link" type="text" readonly value="([^"]+)"', r.content.decode()).group(1)
    own = c.get(link.split("testserver", 1)[1]).content.decode()
    assert "Sec. 8.12" in own  # the employee sees their own reasons
    page = client_for(users["supervisor"]).get(link.split("testserver", 1)[1]).content.decode()
    assert "protected leave" in page.lower()
    assert "Sec. 8.12" not in page and "domestic" not in page.lower()
