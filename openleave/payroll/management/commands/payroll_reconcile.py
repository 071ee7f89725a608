"""manage.py payroll_reconcile --batch N

Proves that the batch's totals equal the ledger's debits (and the unpaid charges) for its period, read up to the
batch's high-water marks, by kind (set-based SUMs); shows the corrections posted for the period since and whether a
later batch carried them. Exit status 1 on a mismatch."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from openleave.payroll import selectors
from openleave.payroll.errors import PayrollError


class Command(BaseCommand):
    help = "Reconcile a payroll batch with the ledger."

    def add_arguments(self, parser):
        parser.add_argument("--batch", required=True, help="The batch number.")

    def handle(self, *args, **opts):
        try:
            batch = selectors.batch_get(opts["batch"])
        except PayrollError as exc:
            raise CommandError(str(exc)) from None
        rec = selectors.reconcile(batch)
        for line in rec.lines():
            self.stdout.write(line)
        if not rec.ok:
            raise CommandError(f"batch {batch.pk} does not reconcile with the ledger")
