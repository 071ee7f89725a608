"""manage.py import_people FILE.csv [--dry-run] [--partial] [--mapping MAP.yaml|MAP.csv]

Import from the HR system of record (issue 15, item 1): agencies, titles, employees with their schedule,
supervisors and service history, matched on the employee number (columns: docs/people-import.md, sample
docs/examples/people.csv). Every row is checked first; each bad row is one line on stderr
``FILE:ROW: error: COLUMN: what to fix`` and then nothing is written (exit status 2) — or, with ``--partial``,
only the valid rows (and not those depending on an invalid one) are written, and the rows left out are listed.
A file with a column that looks like a Social Security number or a date of birth is refused whole. Running it
again changes nothing and says so. ``--dry-run`` checks and prints the same summary, writing nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.table import Table

from openleave import csv_rows

from ... import importing

SYSTEM = "manage.py import_people"


class Command(BaseCommand):
    help = ("Import agencies, titles, employees, schedules, supervisors and service history from the HR system's CSV "
            "file, matched on the employee number; nothing is written unless every row is valid (or --partial). "
            "Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file (UTF-8), or - for standard input.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and print the summary; write nothing.")
        parser.add_argument("--partial", action="store_true",
                            help="Write the valid rows (and not those depending on an invalid one); list those left out.")
        parser.add_argument("--mapping", help="A mapping file (YAML 'source: column' or CSV source,column) for a feed "
                                              "whose column names differ.")

    def handle(self, *args, **opts):
        name = opts["file"]
        try:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
            text = importing.decode(data, name)
            mapping = None
            if opts.get("mapping"):
                mpath = Path(opts["mapping"])
                mapping = importing.load_mapping(importing.decode(mpath.read_bytes(), str(mpath)), str(mpath))
            rows = importing.read_csv(text, mapping=mapping, name=name)
        except OSError as exc:
            raise CommandError(f"{name}: cannot read the file ({exc.__class__.__name__}: {exc.strerror}).",
                               returncode=2) from None
        except importing.ImportRefused as exc:
            msg = str(exc)
            raise CommandError(msg if msg.startswith(name) else f"{name}: {msg}", returncode=2) from None
        with csv_rows.row_progress(self.stdout) as (console, progress):
            report = importing.import_people(rows=rows, system=SYSTEM, channel="command", dry_run=opts["dry_run"],
                                             partial=opts["partial"], source=Path(name).name, progress=progress)
        for p in report.problems:
            self.stderr.write(p.report_line(name))
        for r in report.of("left_out"):
            self.stderr.write(f"{name}:{r.row}: left out: {r.why_left_out}")
        if not report.ok and not opts["partial"]:
            raise CommandError(report.summary(), returncode=2)
        c = report.counts()
        table = Table(title="People import" + (" (dry run: nothing written)" if report.dry_run else ""))
        for col in ("new", "updated", "unchanged", "not valid", "left out"):
            table.add_column(col, justify="right")
        table.add_row(str(c["new"]), str(c["update"]), str(c["unchanged"]), str(c["invalid"]), str(c["left_out"]))
        console.print(table)
        if report.problems:
            console.print("Rows left out: " + ", ".join(str(r.row) for r in report.left_out()))
        console.print(report.summary())
        if report.problems:
            raise CommandError("Partial import: the rows above were left out.", returncode=3)
