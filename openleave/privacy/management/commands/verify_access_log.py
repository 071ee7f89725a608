"""Seal pending access-log rows, then verify the hash chain; exit 1 and name the first broken row if it
does not hold (``--no-seal``: verify only, reporting rows not yet sealed as pending)."""

from django.core.management.base import BaseCommand, CommandError

from openleave.privacy.access import seal_access_log, verify_chain


class Command(BaseCommand):
    help = "Seal pending rows, then verify the hash chain of the access log and report the first broken link."

    def add_arguments(self, parser):
        parser.add_argument("--no-seal", action="store_true", help="Verify only; do not seal pending rows first.")

    def handle(self, *args, **options):
        if not options["no_seal"]:
            seal_access_log()
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Access log chain BROKEN at row id {report.first_broken_id}: {report.problem}. "
                f"{report.checked} row(s) before it verified."
            )
        pending = f"; {report.pending} row(s) pending (not yet sealed)" if report.pending else ""
        self.stdout.write(self.style.SUCCESS(f"Access log chain intact: {report.checked} row(s) verified{pending}."))
