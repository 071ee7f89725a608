"""manage.py year_end --year Y [--dry-run] [--calendar NAME]

Posts the cited forfeitures of year Y for the whole pay calendar (Sec. 9.1, 9.8 vacation of vintage Y−2; Sec.
8.2.B personal leave, except a recorded carry-over day; MOU Regarding State of Emergency) and the Sec. 9.15
conversion to sick leave for employees on industrial accident leave — set-based, in one transaction, once per
year (``openleave.ledger.year_end``); prints a summary; then seals the new entries into the ledger's hash chain.
``--dry-run`` prints the same summary and writes nothing.
"""

from __future__ import annotations

from django.core.management.base import CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from openleave import inputs
from openleave.rules.params import ParameterError

from ... import year_end
from ...services import AlreadyRun
from .accrue import Command as AccrueCommand
from .accrue import _date


class Command(AccrueCommand):
    help = ("Post the year-end forfeitures of vacation (Sec. 9.8), personal leave (Sec. 8.2.B) and the emergency "
            "day (MOU), and the Sec. 9.15 conversion to sick leave, for year Y. Once per year; --dry-run writes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="The year whose end to post (YYYY).")
        parser.add_argument("--dry-run", action="store_true", help="Print the summary; write nothing.")
        parser.add_argument("--calendar", help="Pay calendar name (default: the only one).")
        parser.add_argument("--today", help="Pretend today is this date (testing).")

    def handle(self, *args, **opts):
        try:
            year = inputs.year(opts["year"], "--year")
        except inputs.BadInput as exc:
            raise CommandError(str(exc), returncode=2) from None
        try:
            calendar = self._calendar(opts["calendar"])
            today = _date(opts["today"], "--today") if opts["today"] else None
        except CommandError as exc:
            raise CommandError(str(exc), returncode=2) from None
        dry = opts["dry_run"]
        console = Console(file=self.stdout, highlight=False)
        try:
            with Progress(TextColumn("[bold]year end[/]"), BarColumn(), MofNCompleteColumn(),
                          TextColumn("employee ids"), TimeElapsedColumn(), console=console, transient=True) as bar:
                task = bar.add_task("year_end", total=None)

                def progress(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                result = year_end.year_end_run(calendar=calendar, year=year, today=today, dry_run=dry,
                                               progress=progress)
        except (year_end.YearNotEnded, year_end.YearEndOutOfOrder, ParameterError) as exc:
            raise CommandError(str(exc), returncode=2) from None
        except AlreadyRun as exc:
            run = exc.run
            raise CommandError(f"The year end of {year} was already run (run {run.pk}, {run.by_label}, "
                               f"{run.finished_at or run.started_at}); nothing written.", returncode=2) from None
        if dry:
            console.print(f"[bold]Dry run[/] of the year end {year}: nothing written.")
        else:
            console.print(f"[bold green]Posted[/] the year end {year}: {result.rows} ledger rows for "
                          f"{result.employees} employees in {result.seconds:.2f} s (run {result.run.pk}).")
        self._print_year_end(console, result.summary())
        if not dry:
            self._seal(console)

    def _print_year_end(self, console: Console, summary: dict) -> None:
        t = Table(title=f"Year end {summary['year']}", show_header=True)
        t.add_column("what")
        t.add_column("hours", justify="right")
        t.add_column("cite")
        cites = {"Vacation": "Sec. 9.8", "Personal leave": "Sec. 8.2.B",
                 "State of Emergency day": "MOU Regarding State of Emergency"}
        for leave, hours in summary["forfeited_hours"].items():
            t.add_row(f"{leave} forfeited", hours, cites.get(leave, ""))
        conv = summary["conversions"]
        t.add_row(f"Vacation converted to sick leave ({conv['employees']} employees)", conv["hours"], conv["cite"])
        console.print(t)
        console.print(f"Employees with an entry: {summary['employees']}; computed by the rules core itself: "
                      f"{summary['computed_by_rules_core']}.")
