"""Write one member's export zip (Sec. 24.1 request handled offline); the read is logged as channel "command"."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openleave.audit.access import COMMAND
from openleave.people.selectors import employee_by_number
from openleave.privacy.exports import build_zip


class Command(BaseCommand):
    help = "Write the export zip of one employee to a file (logged in their access log)."

    def add_arguments(self, parser):
        parser.add_argument("employee_number")
        parser.add_argument("--out", required=True, help="Directory to write the zip into.")

    def handle(self, *args, employee_number, out, **options):
        employee = employee_by_number(employee_number)
        if employee is None:
            raise CommandError(f"No employee with number {employee_number}.")
        name, data = build_zip(employee, actor=None, channel=COMMAND)
        path = Path(out) / name
        path.write_bytes(data)
        path.chmod(0o600)
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({len(data)} bytes); the export is in their access log."))
