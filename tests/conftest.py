"""Shared fixtures: the demo organisation and its users."""

from __future__ import annotations

import pytest


@pytest.fixture
def demo(db):
    from openleave.people.demo import load_demo

    return load_demo()


@pytest.fixture
def users(demo):
    from openleave.accounts.models import User

    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def people(demo):
    """Named demo employees: erin (employee), sean (supervisor), stan (steward), dana (DCR supervisor)."""
    from openleave.people.models import Employee

    by_number = {e.employee_number: e for e in Employee.objects.all()}
    return {
        "erin": by_number["100002"],
        "sean": by_number["100001"],
        "stan": by_number["100003"],
        "dana": by_number["200001"],
        "dcr_report": next(e for e in by_number.values() if e.supervisor_id == by_number["200001"].pk),
        "dmh_other": next(
            e for e in by_number.values()
            if e.agency.code == "DMH" and e.supervisor_id is None and e.user_id is None
        ),
    }


@pytest.fixture
def client_for(client):
    """Sign the test client in as a demo user: ``client_for(users['hr'])``."""

    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in
