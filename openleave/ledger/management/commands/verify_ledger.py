"""Verify the ledger's hash chain (``openleave.ledger.chain``): exit 1 naming the first block whose lines were
changed, deleted or added. Reads only; entries not yet sealed are reported as pending. ``--against
CHECKPOINT``: also require the sealed block a signed checkpoint names (catches removal from the end)."""

from django.core.management.base import BaseCommand, CommandError

from openleave.audit import checkpoint
from openleave.ledger.chain import verify_ledger


class Command(BaseCommand):
    help = "Verify the ledger's hash chain (reads only), optionally against a signed checkpoint."

    def add_arguments(self, parser):
        checkpoint.add_against_arguments(parser)

    def handle(self, *args, **options):
        against = checkpoint.head_against(options, "ledger")
        r = verify_ledger(against=against)
        if not r.ok:
            raise CommandError(f"Ledger chain BROKEN: {r.problem}. {r.checked} entries in {r.blocks} block(s) "
                               "before it verified.")
        pending = (f"; {r.pending} entries pending, not yet sealed (`manage.py seal_ledger` seals them)"
                   if r.pending else "")
        cp = f", up to the checkpoint at entry {against['last_id']}" if against else ""
        self.stdout.write(self.style.SUCCESS(
            f"Ledger chain intact{cp}: {r.checked} entries in {r.blocks} block(s) verified{pending}."))
