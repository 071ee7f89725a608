"""manage.py import_payroll_hours FILE.csv [--dry-run] [--partial]

Hours paid and hours without pay per employee and pay period, from payroll (the columns in docs/payroll-hours.md,
a sample in docs/examples/payroll_hours.csv): the biweekly accrual's input (Sec. 8.1.D/I, 9.3, 9.6). Every row is
checked first; a bad row is reported as ``FILE:ROW: error: COLUMN: what to fix`` on stderr and then nothing is
written (exit status 2) — or, with ``--partial``, only the valid rows, and the summary names the rows left out.
A row equal to the hours already loaded is unchanged (the same file twice changes nothing); a different row is a
new version, never an edit. A new version for a period already accrued is a correction: run
``manage.py reaccrue --period-including D``.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openleave import csv_rows

from ... import payroll_hours as P

SYSTEM = "manage.py import_payroll_hours"


class Command(BaseCommand):
    help = ("Import hours paid and unpaid per employee and pay period (employee_number, period_start, hours_paid, "
            "hours_unpaid, note); nothing is written unless every row is valid (or --partial). Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file (UTF-8), or - for standard input.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and print the summary; write nothing.")
        parser.add_argument("--partial", action="store_true", help="Write the valid rows and report the others.")

    def handle(self, *args, **opts):
        name = opts["file"]
        text = csv_rows.command_text(name)
        try:
            rows = P.read_csv(text)
        except P.ImportRefused as exc:
            raise CommandError(f"{name}: {exc}", returncode=2) from None
        try:
            report = P.import_payroll_hours(rows=rows, system=SYSTEM, channel="command", dry_run=opts["dry_run"],
                                            partial=opts["partial"], source=Path(name).name)
        except P.ImportConflict as exc:
            raise CommandError(str(exc), returncode=2) from None
        for p in report.problems:
            self.stderr.write(p.report_line(name))
        if not report.ok and not opts["partial"]:
            raise CommandError(report.summary(), returncode=2)
        for r in report.corrections:
            self.stdout.write(f"{name}:{r.row}: correction: employee {r.employee_number}, period {r.period_start}: "
                              f"paid {r.before[0] / 1e6:g} → {r.paid / 1e6:g} h, unpaid {r.before[1] / 1e6:g} → "
                              f"{r.unpaid / 1e6:g} h (version {r.version})")
        self.stdout.write(report.summary())
