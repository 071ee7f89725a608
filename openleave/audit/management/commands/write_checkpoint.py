"""Write a signed checkpoint of the access-log and ledger chain heads (``openleave.audit.checkpoint``).

Give the file to the union and the auditor (with the public key, the ``.pub`` beside the private key);
``verify_access_log --against FILE`` and ``verify_ledger --against FILE`` check a database against it.
``--new-key``: generate the Ed25519 key pair at ``OPENLEAVE_CHECKPOINT_KEY`` (0600) and stop."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from openleave.audit import checkpoint


class Command(BaseCommand):
    help = "Write a signed chain-head checkpoint (access log and ledger) to a file."

    def add_arguments(self, parser):
        parser.add_argument("--out", metavar="FILE", help="Where to write the checkpoint (JSON).")
        parser.add_argument("--new-key", action="store_true",
                            help="Generate the key pair at OPENLEAVE_CHECKPOINT_KEY, then stop.")

    def handle(self, *args, **options):
        try:
            if options["new_key"]:
                if not settings.OPENLEAVE_CHECKPOINT_KEY:
                    raise checkpoint.CheckpointError("set OPENLEAVE_CHECKPOINT_KEY to the private key's path first")
                pub = checkpoint.generate_key(Path(settings.OPENLEAVE_CHECKPOINT_KEY))
                self.stdout.write(f"Key written to {settings.OPENLEAVE_CHECKPOINT_KEY} (0600); give {pub} to the "
                                  "union and the auditor.")
                return
            if not options["out"]:
                raise CommandError("give --out FILE")
            data = checkpoint.write(options["out"])
        except checkpoint.CheckpointError as e:
            raise CommandError(str(e)) from None
        a, lg = data["access_log"], data["ledger"]
        self.stdout.write(f"Checkpoint written to {options['out']} (key {data['key']}): access log at position "
                          f"{a['seq']} ({a['count']} rows), ledger sealed up to entry {lg['last_id']} "
                          f"({lg['entries']} entries in {lg['blocks']} blocks).")
