"""The ledger's part of the record of processing: every ledger line in the member's export (also those
older than the page's newest 200), its retention (only the closed ledger of people who left long ago)."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import io
import json
import re
import zipfile

import pytest
from django.utils import timezone

from openleave.ledger.models import Kind, Leave, LedgerEntry
from openleave.ledger.services import ledger_adjust
from openleave.privacy import exports, registry

pytestmark = pytest.mark.django_db


def _entries(employee, n, leave=Leave.SICK, start=dt.date(2025, 1, 5)):
    LedgerEntry.objects.bulk_create([LedgerEntry(
        employee=employee, leave=leave, kind=Kind.ADJUSTMENT, micro=1_000_000 + i, effective_date=start + dt.timedelta(days=i),
        period_start=start, cite="Sec. 8.1.A", reason=f"test line {i}", key=f"t:{employee.pk}:{leave}:{i}",
        recorded_at=timezone.now()) for i in range(n)])


def _export(client):
    z = zipfile.ZipFile(io.BytesIO(client.post("/me/export/").content))
    return json.loads(z.read("openleave-export.json"))["data"]["ledger"], z


def test_export_has_every_ledger_line_the_page_shows_and_the_older_ones(people, users, client_for):
    erin = people["erin"]
    _entries(erin, 205)
    ledger_adjust(employee=erin, leave=Leave.VACATION, micro=7_500_000, cite="Sec. 9.2.A", reason="Opening vacation",
                  by=users["hr"], effective_date=dt.date(2026, 1, 4))
    c = client_for(users["employee"])
    page = htmllib.unescape(c.get(f"/employees/{erin.employee_number}/ledger/").content.decode())
    data, z = _export(c)
    assert exports.exporters()["ledger"].__module__ == "openleave.privacy.ledger_data"
    lines = data["ledger_entries"]
    assert len(lines) == LedgerEntry.objects.filter(employee=erin).count() == 206
    shown = re.findall(r'<td data-label="Date">([\d-]+)</td><td class="num" data-label="Amount">([-\d.]+) h</td>\s*'
                       r'<td><details><summary>(.*?)</summary>', page)
    assert len(shown) == 201  # the page: the newest 200 sick lines + 1 vacation line
    exported = {(r["date"], r["hours"], r["reason"]) for r in lines}
    assert set(shown) <= exported
    vac_balance = next(b for b in data["balances"] if b["leave"] == "Vacation")
    assert vac_balance["balance_hours"] == vac_balance["available_hours"] == "7.5"
    assert "csv/ledger-ledger_entries.csv" in z.namelist()
    vac = next(r for r in lines if r["leave"] == "Vacation")
    assert vac["cite"] == "Sec. 9.2.A" and vac["balance_after_hours"] == "7.5" and "Rivera" not in json.dumps(lines)


def test_ledger_entries_are_leave_data_and_runs_are_organisation_data():
    from openleave.ledger.models import AccrualRun, LedgerCitation

    assert registry.entry_for(LedgerEntry, "micro").category == "leave"
    assert registry.entry_for(AccrualRun, "summary").category == "none"
    assert registry.personal_fields(LedgerCitation) == []
    assert not registry.unregistered()


def test_the_ledger_stays_append_only_no_retention_rule_deletes_it():
    from openleave.privacy.retention import rules

    assert not any(r.key.startswith("ledger") for r in rules())
