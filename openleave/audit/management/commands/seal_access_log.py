"""Seal the access-log rows appended but not yet linked into the hash chain (run periodically, e.g. each
minute from cron; every append already tries it without waiting). ``--checkpoint-out FILE``: then write a
signed checkpoint of the chain heads for the union and the auditor (docs/tamper-evidence.md)."""

from django.core.management.base import BaseCommand, CommandError

from openleave.audit import checkpoint
from openleave.audit.access import seal_access_log


class Command(BaseCommand):
    help = "Link pending access-log rows into the hash chain (oldest first); optionally write a checkpoint."

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint-out", metavar="FILE", help="Write a signed checkpoint here after sealing.")

    def handle(self, *args, **options):
        n = seal_access_log()
        self.stdout.write(f"{n} access-log row(s) sealed.")
        if options["checkpoint_out"]:
            try:
                data = checkpoint.write(options["checkpoint_out"])
            except checkpoint.CheckpointError as e:
                raise CommandError(str(e)) from None
            self.stdout.write(f"Checkpoint written to {options['checkpoint_out']}: access log at position "
                              f"{data['access_log']['seq']}, ledger sealed up to entry {data['ledger']['last_id']}.")
