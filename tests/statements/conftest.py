"""Fixtures for the statements tests (helpers: statement_helpers.py)."""

from __future__ import annotations

import pytest
from statement_helpers import three_vintages


@pytest.fixture
def erin(people):
    three_vintages(people["erin"])
    return people["erin"]


@pytest.fixture
def make_user(db):
    """A user with roles (group names), an agency, and optionally an employee record to attach."""
    from django.contrib.auth.models import Group

    from openleave.accounts.models import User

    def make(username, roles, agency=None, employee=None):
        user = User.objects.create(username=username, email=f"{username}@example.org", agency=agency)
        user.groups.set(Group.objects.filter(name__in=roles))
        if employee is not None:
            employee.user = user
            employee.save()
        return user

    return make
