"""Schemathesis against the live API (WSGI, in-process): every operation, as an employee, a supervisor and HR,
positive and negative cases, checked for server errors and for conformance to the OpenAPI schema (status
codes, content types, response bodies) and for accepting data the schema forbids. Hypothesis examples are
bounded so the whole run stays short. Not checked: "positive data acceptance" — a schema-valid request may still
break a contract rule (a date before the employee's service, more hours than the balance) and gets a 4xx."""

from __future__ import annotations

import logging
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

ROLES = ("employee", "supervisor", "hr")  # demo users named after their role
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))  # per operation, role and mode: ~1 min on SQLite


@pytest.fixture
def live_api(demo, users, monkeypatch):
    """The Django WSGI app serving the API inside the test's transaction; a bearer token per role."""
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    from openleave.accounts.models import ApiToken

    # The WSGI handler closes "old" connections at each request's start and end; inside a test that would end the
    # test's transaction (the Django test client disconnects the same receiver).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    app = get_wsgi_application()
    monkeypatch.setattr(logging.getLogger("django.request"), "disabled", True)  # 4xx warnings by the thousand
    tokens = {role: ApiToken.issue(user=users[role], name="schemathesis")[1] for role in ROLES}
    yield schemathesis.openapi.from_wsgi("/api/openapi.json", app), tokens
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _explore(op, mode, role, token, tally):
    """Run ``EXAMPLES`` generated cases of one operation as one role; record statuses and distinct failures."""
    headers = {"Authorization": f"Bearer {token}"}

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=op.as_strategy(generation_mode=mode))
    def run(case):
        tally["cases"] += 1
        response = case.call(headers=headers)
        tally["statuses"][response.status_code] = tally["statuses"].get(response.status_code, 0) + 1
        try:
            case.validate_response(response, headers=headers, excluded_checks=[positive_data_acceptance])
        except (Exception, BaseExceptionGroup) as exc:  # collected (one per operation and problem), reported together below
            for failure in getattr(exc, "exceptions", [exc]):
                key = (op.label, getattr(failure, "title", type(failure).__name__), response.status_code)
                tally["failures"].setdefault(key, f"{role} {mode.value} {op.label} [{response.status_code}]: "
                                                  f"{str(exc)[:1500]}")

    run()


def test_every_operation_as_three_roles(live_api):
    schema, tokens = live_api
    ops = [r.ok() for r in schema.get_all_operations()]
    tally = {"cases": 0, "statuses": {}, "failures": {}}
    for op in ops:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for role, token in tokens.items():
                _explore(op, mode, role, token, tally)
    failures = tally["failures"]
    print(f"schemathesis: {len(ops)} operations x {len(tokens)} roles x 2 modes, {tally['cases']} cases, "
          f"statuses {dict(sorted(tally['statuses'].items()))}, {len(failures)} distinct failures")
    assert not failures, "\n\n".join(list(failures.values())[:40])
