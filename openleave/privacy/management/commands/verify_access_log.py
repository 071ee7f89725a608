"""Verify the access log's hash chain; exit 1 and name the first broken row if it does not hold."""

from django.core.management.base import BaseCommand, CommandError

from openleave.privacy.access import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the access log and report the first broken link."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Access log chain BROKEN at row id {report.first_broken_id}: {report.problem}. "
                f"{report.checked} row(s) before it verified."
            )
        self.stdout.write(self.style.SUCCESS(f"Access log chain intact: {report.checked} row(s) verified."))
