"""Migration leave 0005: a request decided before it keeps its one decision as the first (and current) of its
chain, and each existing charge names that decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("leave", "0004_fmla_kinds")]
AFTER = [("leave", "0005_reconsideration_grievance_outcomes")]


def test_existing_decisions_and_charges_become_the_first_of_a_chain(demo):
    from openleave.people.models import Employee

    erin = Employee.objects.get(employee_number="100002")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Req, Dec, Charge = (old.get_model("leave", m) for m in ("LeaveRequest", "Decision", "RequestCharge"))
    req = Req.objects.create(employee_id=erin.pk, kind="vacation", start_date=dt.date(2026, 12, 7),
                             end_date=dt.date(2026, 12, 7), status="approved", requested_micro=7_500_000,
                             approved_micro=7_500_000)
    d = Dec.objects.create(request=req, outcome="approved", approved_micro=7_500_000, decided_by_label="Sean",
                           decided_as="supervisor", decided_at=dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    Charge.objects.create(request=req, leave_type="vacation", micro=7_500_000, ledger_key="k")
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())

    from openleave.leave.models import LeaveRequest, RequestCharge

    r = LeaveRequest.objects.get(pk=req.pk)
    assert r.decision.pk == d.pk and r.decision.reconsiders_id is None
    assert RequestCharge.objects.get(request_id=req.pk).decision_id == d.pk
