"""Privacy tests share one demo organisation per module (loaded in an outer transaction, rolled back at the end)
instead of loading it for every test — the matrix has hundreds of cases."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker):
    from django.db import transaction

    from openleave.people.demo import load_demo

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield load_demo()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_once, db):
    return _demo_once
