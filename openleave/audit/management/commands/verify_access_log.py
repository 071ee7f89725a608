"""Verify the access log's hash chain; exit 1 and name the first broken row if it does not hold.

Reads only: rows not yet sealed are reported as pending, never sealed here (``seal_access_log`` does that).
``--against CHECKPOINT``: also require the row a signed checkpoint names to be there unchanged, which catches
rows removed from the end, and a log deleted or replaced (docs/tamper-evidence.md)."""

from django.core.management.base import BaseCommand, CommandError

from openleave.audit import checkpoint
from openleave.audit.access import verify_chain


class Command(BaseCommand):
    help = "Verify the access log's hash chain (reads only), optionally against a signed checkpoint."

    def add_arguments(self, parser):
        checkpoint.add_against_arguments(parser)

    def handle(self, *args, **options):
        against = checkpoint.head_against(options, "access_log")
        report = verify_chain(against=against)
        if not report.ok:
            raise CommandError(
                f"Access log chain BROKEN at row id {report.first_broken_id}: {report.problem}. "
                f"{report.checked} row(s) before it verified."
            )
        pending = ""
        if report.pending:
            ids = ", ".join(map(str, report.pending_ids)) + (", …" if report.pending > len(report.pending_ids) else "")
            pending = (f"; {report.pending} row(s) pending, not yet sealed and so not yet covered (ids {ids}): "
                       "`manage.py seal_access_log` seals them")
        cp = f", up to the checkpoint at position {against['seq']}" if against else ""
        self.stdout.write(self.style.SUCCESS(
            f"Access log chain intact{cp}: {report.checked} row(s) verified{pending}."))
