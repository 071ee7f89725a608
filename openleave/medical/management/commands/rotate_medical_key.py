"""manage.py rotate_medical_key [--batch N] [--dry-run]

Re-encrypts every sealed medical document under the current key (``OPENLEAVE_MEDICAL_KEY_ID``), in batches of
one transaction each (``openleave.medical.rotation``). Run it after adding the new key to OPENLEAVE_MEDICAL_KEYS
and making it current; when it reports nothing left under an old key, remove that key from the settings.
Idempotent and resumable: run it again after an interruption. Errors: one line on stderr, exit code 2.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ... import crypto, rotation
from ...models import MedicalBlob


class Command(BaseCommand):
    help = "Re-encrypt every sealed medical document under the current key (OPENLEAVE_MEDICAL_KEY_ID)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="Documents per transaction (default 500).")
        parser.add_argument("--dry-run", action="store_true", help="Say how many would be re-encrypted; write nothing.")

    def handle(self, *args, **opts):
        if opts["batch"] < 1 or opts["batch"] > 100_000:
            raise CommandError("--batch must be between 1 and 100000.", returncode=2)
        console = Console(file=self.stdout, highlight=False)
        try:
            kid = crypto.current_key_id()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc), returncode=2) from None
        missing = sorted(set(MedicalBlob.objects.exclude(key_id=kid).values_list("key_id", flat=True))
                         - set(crypto.keys()))
        if missing:
            raise CommandError(f"documents are sealed under key(s) {', '.join(missing)} that OPENLEAVE_MEDICAL_KEYS "
                               "does not hold: add them back until the rotation is done; nothing written.",
                               returncode=2)
        if opts["dry_run"]:
            console.print(f"Dry run: {rotation.pending(kid)} document(s) would be re-encrypted under key {kid}; "
                          "nothing written.")
            return
        try:
            with Progress(TextColumn("[bold]rotate medical key[/]"), BarColumn(), MofNCompleteColumn(),
                          TextColumn("documents"), TimeElapsedColumn(), console=console, transient=True) as bar:
                task = bar.add_task("rotate", total=None)
                result = rotation.rotate(batch=opts["batch"],
                                         progress=lambda done, total: bar.update(task, completed=done, total=total))
        except crypto.SealBroken as exc:
            raise CommandError(f"a document does not open: {exc}; the batches before it are done, this one is "
                               "not.", returncode=2) from None
        left = rotation.pending(kid)
        console.print(f"[bold green]Re-encrypted[/] {result.done} document(s) under key {kid} "
                      f"({result.already} already were); {left} left under other keys.")
