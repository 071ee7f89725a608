"""Seal the ledger entries written since the last seal into the ledger's hash chain, in id order (run after
each accrual — ``accrue`` does — and periodically). ``--checkpoint-out FILE``: then write a signed checkpoint."""

from django.core.management.base import BaseCommand, CommandError

from openleave.audit import checkpoint
from openleave.ledger.chain import LedgerBusy, seal_ledger


class Command(BaseCommand):
    help = "Seal new ledger entries into the hash chain (blocks in id order); optionally write a checkpoint."

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint-out", metavar="FILE", help="Write a signed checkpoint here after sealing.")

    def handle(self, *args, **options):
        try:
            n = seal_ledger()
        except LedgerBusy as e:
            raise CommandError(str(e)) from None
        self.stdout.write(f"{n} ledger entries sealed.")
        if options["checkpoint_out"]:
            try:
                checkpoint.write(options["checkpoint_out"])
            except checkpoint.CheckpointError as e:
                raise CommandError(str(e)) from None
            self.stdout.write(f"Checkpoint written to {options['checkpoint_out']}.")
