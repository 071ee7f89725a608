"""An accrual run's rate plan and a year-end run keep the contract parameters' content hash and the code version
they used (issue 15, item 4)."""

from __future__ import annotations

import datetime as dt

import pytest

from openleave.ledger.models import AccrualRun
from openleave.ledger.services import tree
from openleave.rules.provenance import code_version

pytestmark = pytest.mark.django_db


def test_an_accrual_run_keeps_the_hash_and_the_code_version(make_employee, accrue):
    make_employee(start=dt.date(2020, 5, 1))
    accrue()
    run = AccrualRun.objects.get()
    assert run.rate_plan["provenance"] == {"param_hash": tree().content_hash(), "code_version": code_version()}
    assert "sick" in str(run.rate_plan)  # the rate plan itself is still there beside it
