"""Issue 10, item 8: employees are never deleted; the admin issues working API tokens; a locked-out or
inactive user's token is refused; every signed-in page and API answer is ``Cache-Control: no-store``."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
import time_machine
from django.db.models.deletion import Collector, ProtectedError
from django.utils import timezone

from openleave.accounts.models import ApiToken
from openleave.audit.models import AccessLog
from openleave.ledger import services as ledger
from openleave.ledger.models import Leave
from openleave.people.models import Employee, NeverDeleted

pytestmark = pytest.mark.django_db


# --- employees are never deleted -------------------------------------------------------------------------------


def test_the_admin_refuses_to_delete_an_employee(users, people, client_for):
    erin = people["erin"]
    c = client_for(users["admin"])
    url = f"/admin/people/employee/{erin.pk}/delete/"
    assert c.get(url).status_code == 403
    assert c.post(url, {"post": "yes"}).status_code == 403
    change = c.get(f"/admin/people/employee/{erin.pk}/change/").content.decode()
    assert url not in change  # no "Delete" link
    listing = c.get("/admin/people/employee/").content.decode()
    assert "delete_selected" not in listing  # no bulk delete action
    c.post("/admin/people/employee/", {"action": "delete_selected", "_selected_action": [erin.pk], "post": "yes"})
    assert Employee.objects.filter(pk=erin.pk).exists()
    assert not AccessLog.objects.filter(subject=erin, fields="deleted").exists()


def test_the_orm_refuses_to_delete_an_employee(people):
    with pytest.raises(NeverDeleted, match="record a separation date"):
        people["erin"].delete()
    with pytest.raises(NeverDeleted):
        Employee.objects.filter(pk=people["erin"].pk).delete()
    assert Employee.objects.filter(pk=people["erin"].pk).exists()


def test_ledger_lines_protect_their_employee(people, users):
    """Even Django's own deletion collector (what a cascade from elsewhere would use) stops at the ledger."""
    erin = people["erin"]
    ledger.ledger_adjust(employee=erin, leave=Leave.SICK, micro=1_000_000, cite="Sec. 8.1.A", reason="opening",
                         by=users["hr"])
    with pytest.raises(ProtectedError) as err:
        Collector(using="default").collect([erin])
    assert {type(o).__name__ for o in err.value.protected_objects} >= {"LedgerEntry"}


# --- API tokens issued in the admin ---------------------------------------------------------------------------


def _add_token(c, user, name):
    response = c.post("/admin/accounts/apitoken/add/", {"user": user.pk, "name": name, "expires_at_0": "",
                                                         "expires_at_1": ""})
    assert response.status_code == 200, response.content.decode()[:2000]
    return response, re.search(r'<code id="api-token">(ol_[^<]+)</code>', response.content.decode()).group(1)


def test_adding_a_token_in_the_admin_shows_a_working_token_once(users, client_for, client):
    admin = client_for(users["admin"])
    form = admin.get("/admin/accounts/apitoken/add/").content.decode()
    assert 'name="digest"' not in form and 'name="prefix"' not in form  # generated, not typed
    first, raw1 = _add_token(admin, users["employee"], "laptop")
    assert "shown <strong>only on this page</strong>" in first.content.decode()
    assert "no-store" in first["Cache-Control"]
    second, raw2 = _add_token(admin, users["employee"], "phone")  # the second add was a 500 (empty digest twice)
    assert raw1 != raw2
    tokens = list(ApiToken.objects.filter(user=users["employee"]).order_by("id"))
    assert [t.digest for t in tokens] == [hashlib.sha256(r.encode()).hexdigest() for r in (raw1, raw2)]
    assert [t.prefix for t in tokens] == [raw1[3:11], raw2[3:11]]
    admin.logout()
    for raw in (raw1, raw2):
        me = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert me.status_code == 200 and me.json()["username"] == "employee"
    page = client_for(users["admin"]).get(f"/admin/accounts/apitoken/{tokens[0].pk}/change/").content.decode()
    assert raw1 not in page  # never shown again


def test_a_token_revoked_in_the_admin_stops_working(users, client_for, client):
    token, raw = ApiToken.issue(user=users["hr"], name="script")
    admin = client_for(users["admin"])
    now = timezone.localtime()
    r = admin.post(f"/admin/accounts/apitoken/{token.pk}/change/", {
        "name": "script", "expires_at_0": "", "expires_at_1": "",
        "revoked_at_0": now.date().isoformat(), "revoked_at_1": now.strftime("%H:%M:%S")})
    assert r.status_code == 302, r.content.decode()[:2000]
    admin.logout()
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


# --- a locked-out or inactive user's token ---------------------------------------------------------------------


def test_a_locked_out_users_token_is_refused_until_the_lockout_ends(users, client):
    _token, raw = ApiToken.issue(user=users["hr"], name="script")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            client.post("/login/", {"username": "hr", "password": "wrong"})
        assert client.get("/api/me", **bearer).status_code == 200  # 4 failures: not locked (limit 5)
        client.post("/login/", {"username": "hr", "password": "wrong"})
        refused = client.get("/api/me", **bearer)
        assert refused.status_code == 401 and "locked out" in refused.json()["detail"]
        assert "no-store" in refused["Cache-Control"]
    with time_machine.travel(start + dt.timedelta(minutes=14), tick=False):
        assert client.get("/api/me", **bearer).status_code == 401  # cool-off: 15 minutes (AXES_COOLOFF_TIME)
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        assert client.get("/api/me", **bearer).status_code == 200


def test_an_administrator_lifting_the_lockout_restores_the_token(users, client):
    from django.core.management import call_command

    _token, raw = ApiToken.issue(user=users["hr"], name="script")
    for _ in range(5):
        client.post("/login/", {"username": "hr", "password": "wrong"})
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    call_command("axes_reset_username", "hr")  # README "Production"
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_an_inactive_users_token_is_refused(users, client):
    _token, raw = ApiToken.issue(user=users["hr"], name="script")
    users["hr"].is_active = False
    users["hr"].save()
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


# --- Cache-Control: no-store on personal data ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/employees/", "/employees/100002/", "/employees/100002/ledger/", "/leave/",
                                  "/me/access/", "/me/consents/", "/api/me", "/api/leave/balances"])
def test_every_signed_in_page_and_api_answer_is_no_store(users, client_for, path):
    response = client_for(users["employee"]).get(path)
    assert response.status_code == 200, path
    cache = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private", "no-cache"} <= cache


def test_a_bearer_token_answer_is_no_store(users, people, client):
    _token, raw = ApiToken.issue(user=users["hr"], name="script")
    response = client.get(f"/api/employees/{people['erin'].employee_number}/balances",
                          HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_static_files_keep_their_caching(users, client_for):
    static = client_for(users["employee"]).get("/static/openleave/app.css")
    assert static.status_code == 200 and "no-store" not in static.get("Cache-Control", "")
