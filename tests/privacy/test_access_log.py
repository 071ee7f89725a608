"""The access log: hash-chained, append-only, verified; "who looked at my data" (issue 5, part 1)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from openleave.audit.access import record_access, verify_chain
from openleave.audit.models import AccessLog, AppendOnly, ChainHead

pytestmark = pytest.mark.django_db


def _some_rows(users, people, n=5):
    return [record_access(actor=users["hr"], subject=people["erin"], object_type="employee", object_id=i,
                          category="leave", channel="ui") for i in range(n)]


def test_each_row_carries_the_hash_of_the_one_before(users, people):
    rows = _some_rows(users, people)
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.hash
    head = ChainHead.objects.get(pk=1)
    assert (head.last_id, head.last_hash) == (rows[-1].pk, rows[-1].hash)
    assert verify_chain().ok


def test_rows_cannot_be_changed_or_deleted_through_the_orm(users, people):
    row = _some_rows(users, people, 1)[0]
    row.purpose = "something else"
    with pytest.raises(AppendOnly):
        row.save()
    with pytest.raises(AppendOnly):
        row.delete()
    with pytest.raises(AppendOnly):
        AccessLog.objects.filter(pk=row.pk).update(purpose="x")
    with pytest.raises(AppendOnly):
        AccessLog.objects.filter(pk=row.pk).delete()


def test_the_database_refuses_an_update(users, people):
    from django.db import DatabaseError, transaction

    row = _some_rows(users, people, 1)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE privacy_accesslog SET purpose = 'x' WHERE id = %s", [row.pk])


def _drop_update_trigger():
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("DROP TRIGGER IF EXISTS privacy_accesslog_no_update ON privacy_accesslog")
        else:
            cur.execute("DROP TRIGGER IF EXISTS privacy_accesslog_no_update")


def test_tampering_with_one_row_by_raw_sql_is_detected_with_its_id(users, people):
    rows = _some_rows(users, people)
    call_command("verify_access_log")
    _drop_update_trigger()  # someone with database access can do this; the chain still tells
    victim = rows[2]
    with connection.cursor() as cur:
        cur.execute("UPDATE privacy_accesslog SET actor_label = 'nobody' WHERE id = %s", [victim.pk])
    report = verify_chain()
    assert not report.ok and report.first_broken_id == victim.pk
    with pytest.raises(CommandError, match=f"BROKEN at row id {victim.pk}"):
        call_command("verify_access_log")


def test_deleting_a_row_in_the_middle_is_detected_at_the_next_row(users, people):
    rows = _some_rows(users, people)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM privacy_accesslog WHERE id = %s", [rows[1].pk])
    assert verify_chain().first_broken_id == rows[2].pk


def test_deleting_the_newest_rows_is_detected_by_the_chain_head(users, people):
    rows = _some_rows(users, people)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM privacy_accesslog WHERE id >= %s", [rows[3].pk])
    report = verify_chain()
    assert not report.ok and "removed" in report.problem


def test_who_looked_at_my_data_lists_who_when_what_why_and_channel(users, people, client_for):
    client_for(users["supervisor"]).get(f"/employees/{people['erin'].employee_number}/")
    client_for(users["hr"]).get(f"/api/employees/{people['erin'].employee_number}")
    html = client_for(users["employee"]).get("/me/access/").content.decode()
    assert "Who looked at my data" in html
    assert "Sean McCarthy (supervisor)" in html and "Helen Rivera (hr)" in html
    assert "supervision of direct reports" in html and "leave administration" in html
    assert "<dd>ui</dd>" in html and "<dd>api</dd>" in html
    assert "<dt>When</dt>" in html and "<dt>Category</dt>" in html


def test_home_links_to_who_looked_at_my_data(users, client_for):
    assert 'href="/me/access/"' in client_for(users["employee"]).get("/").content.decode()


def test_my_own_visits_are_hidden_unless_asked(users, client_for):
    c = client_for(users["employee"])
    c.get("/me/")
    c.get("/employees/100002/")
    assert "Erin Doyle (employee)" not in c.get("/me/access/").content.decode()
    assert "Erin Doyle (employee)" in c.get("/me/access/?mine=1").content.decode()


def test_api_access_log_is_mine_only(users, people, client_for):
    client_for(users["hr"]).get(f"/employees/{people['erin'].employee_number}/")
    rows = client_for(users["employee"]).get("/api/me/access").json()
    assert any(r["who"] == "Helen Rivera (hr)" and r["channel"] == "ui" for r in rows)
    assert client_for(users["hr"]).get("/api/employees/100002/access").status_code == 404
    assert client_for(users["auditor"]).get("/api/employees/100002/access").status_code == 200


def test_admin_reads_and_changes_are_logged(users, people, client_for):
    c = client_for(users["admin"])
    erin = people["erin"]
    assert c.get(f"/admin/people/employee/{erin.pk}/change/").status_code == 200
    assert AccessLog.objects.filter(subject=erin, channel="admin", action="read").exists()
    c.get("/admin/people/employee/")
    assert AccessLog.objects.filter(subject=erin, channel="admin", fields="list").exists()
    c.get(f"/admin/accounts/user/{users['employee'].pk}/change/")
    assert AccessLog.objects.filter(subject=erin, channel="admin", object_type="user").exists()


def test_admin_bulk_delete_is_logged_per_object(users, people, client_for):
    from openleave.accounts.models import ApiToken

    token, _raw = ApiToken.issue(user=users["employee"], name="laptop")
    response = client_for(users["admin"]).post("/admin/accounts/apitoken/", {
        "action": "delete_selected", "_selected_action": [token.pk], "post": "yes"})
    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    row = AccessLog.objects.get(object_type="apitoken", fields="deleted")
    assert row.subject == people["erin"] and row.channel == "admin" and row.action == "change"


def test_admin_cannot_add_change_or_delete_access_log_rows(users, people, client_for):
    row = _some_rows(users, people, 1)[0]
    c = client_for(users["admin"])
    assert c.get("/admin/audit/accesslog/add/").status_code == 403
    assert c.post(f"/admin/audit/accesslog/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    c.post(f"/admin/audit/accesslog/{row.pk}/change/", {"purpose": "x"})
    row.refresh_from_db()
    assert row.purpose != "x"
    assert verify_chain().ok


def test_commands_log_their_reads(users, people, tmp_path):
    call_command("export_member", people["erin"].employee_number, "--out", str(tmp_path))
    row = AccessLog.objects.filter(subject=people["erin"], channel="command").get()
    assert row.action == "export" and row.actor_label == "system"
    assert verify_chain().ok
