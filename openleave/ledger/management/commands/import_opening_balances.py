"""manage.py import_opening_balances FILE.csv [--dry-run]

HR's import of opening balances by the year earned (one row per employee, leave type and vintage; the columns in
docs/opening-balances.md, a sample in docs/examples/opening_balances.csv). Every row is checked first; a bad row
is reported with its row number, column and what to fix — one line each on stderr — and then nothing is written
(exit status 2). Otherwise the new rows are posted in one transaction, set-based (``openings``,
``services.ledger_post_openings``); rows already imported are reported unchanged, so running it again changes
nothing and says so. ``--dry-run`` checks and prints the same summary, writing no entry.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.table import Table

from openleave import csv_rows

from ... import openings
from ...services import OpeningsConflict

SYSTEM = "manage.py import_opening_balances"


class Command(BaseCommand):
    help = ("Import opening balances by vintage from a CSV file (employee_number, leave, vintage, hours, as_of, note); "
            "nothing is written unless every row is valid. Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file (UTF-8), or - for standard input.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and print the summary; write nothing.")

    def handle(self, *args, **opts):
        name = opts["file"]
        text = csv_rows.command_text(name)
        try:
            rows = openings.read_csv(text)
        except openings.ImportRefused as exc:
            raise CommandError(f"{name}: {exc}", returncode=2) from None
        try:
            with csv_rows.row_progress(self.stdout) as (console, progress):
                report = openings.import_opening_balances(rows=rows, system=SYSTEM, channel="command",
                                                          dry_run=opts["dry_run"], source=Path(name).name,
                                                          progress=progress)
        except OpeningsConflict as exc:
            raise CommandError(str(exc), returncode=2) from None
        if not report.ok:
            for p in report.problems:
                self.stderr.write(p.report_line(name))
            raise CommandError(report.summary(), returncode=2)
        table = Table(title="Opening balances" + (" (dry run: nothing written)" if report.dry_run else ""))
        for col in ("leave", "rows to post" if report.dry_run else "rows posted", "hours", "unchanged"):
            table.add_column(col, justify="left" if col == "leave" else "right")
        totals = report.totals()
        for leave in openings.OPENABLE:
            new = [r for r in report.new if r.leave == leave]
            same = [r for r in report.unchanged if r.leave == leave]
            if new or same:
                table.add_row(leave, str(len(new)), totals.get(leave, "0"), str(len(same)))
        if report.rows:
            console.print(table)
        console.print(report.summary())
