"""manage.py vacation_statements --year Y [--as-of D] [--late]

The Sec. 9.8 preliminary vacation statement for the whole workforce: "Each employee shall receive annually, on
or before October 1, as of September 1, a preliminary statement of the available vacation credits". Each
statement is recorded with its figures frozen (and their checksum) and e-mailed after commit; employees who
already have one for the year are skipped, so a second run (or a run after a killed one) gives nobody two.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.table import Table

from openleave import clock
from openleave.rules.params import ParameterError
from openleave.rules.units import hours_str

from ... import selectors, services
from ._common import day, fail, progress_bar, year


class Command(BaseCommand):
    help = ("Give every employee the Sec. 9.8 preliminary vacation statement for YEAR (as of September 1, on or "
            "before October 1): recorded, e-mailed after commit, once per employee and year.")

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="The statement's year.")
        parser.add_argument("--as-of", dest="as_of", help="The day the figures are as of (default: Sec. 9.8's, "
                                                          "September 1 of the year).")
        parser.add_argument("--late", action="store_true", help="Give it after the due day (recorded as late).")
        parser.add_argument("--today", help="Pretend today is this date (testing).")

    def handle(self, *args, **opts):
        y = year(opts["year"], "--year")
        as_of = day(opts["as_of"], "--as-of")
        today = day(opts["today"], "--today") or clock.today()
        console = Console(file=self.stdout, highlight=False)
        try:
            as_of = services.check_window(year=y, as_of=as_of, today=today, late=opts["late"])
            total = selectors.in_service(as_of).count()
            started = time.perf_counter()
            with progress_bar(console, "statements", total) as advance:
                summary = services.statements_generate(year=y, as_of=as_of, today=today, late=opts["late"],
                                                       progress=advance)
        except services.StatementRefused as exc:
            raise fail(str(exc)) from None
        except ParameterError as exc:
            raise fail(str(exc)) from None
        seconds = time.perf_counter() - started
        console.print(f"[bold green]Sec. 9.8 statements {y}[/] as of {summary.as_of}: {summary.written} given, "
                      f"{summary.already} already had one, of {summary.employees} employees; {summary.emailed} "
                      f"e-mailed after commit{' (late)' if summary.late else ''} in {seconds:.2f} s.")
        if summary.forfeits_micro:
            t = Table(title=f"Forfeited at the {y} year end unless used")
            t.add_column("leave type")
            t.add_column("hours", justify="right")
            for slug, micro in summary.forfeits_micro.items():
                t.add_row(slug, hours_str(micro))
            console.print(t)
