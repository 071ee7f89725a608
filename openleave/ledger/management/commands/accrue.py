"""manage.py accrue --period-including YYYY-MM-DD [--calendar NAME] [--annual YEAR]

Credits one pay period over the whole pay calendar, set-based, in one transaction; prints a summary; then
seals the new entries into the ledger's hash chain (``openleave.ledger.chain``).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from openleave import inputs
from openleave.people.models import PayCalendar
from openleave.rules.params import ParameterError
from openleave.rules.units import hours_str

from ... import services


def _date(s: str, option: str = "--period-including") -> dt.date:
    """A date within the contract's dates (openleave.inputs), or a CommandError saying what to fix."""
    try:
        return inputs.day(s, option)
    except inputs.BadInput as exc:
        raise CommandError(str(exc)) from None


def _year(s: str) -> int:
    try:
        return inputs.year(s, "--annual")
    except inputs.BadInput as exc:
        raise CommandError(str(exc)) from None


class Command(BaseCommand):
    help = ("Credit sick (Sec. 8.1) and vacation (Sec. 9.2–9.6) for the pay period including a date, "
            "or with --annual YEAR personal leave (Sec. 8.2) and the emergency day (MOU). Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--period-including", dest="day", help="A date in the pay period to credit (YYYY-MM-DD).")
        parser.add_argument("--annual", metavar="YEAR",
                            help="Credit personal leave and the emergency day of January YEAR instead.")
        parser.add_argument("--calendar", help="Pay calendar name (default: the only one).")
        parser.add_argument("--today", help="Pretend today is this date (testing).")

    def handle(self, *args, **opts):
        if not opts["day"] and not opts["annual"]:
            raise CommandError("give --period-including YYYY-MM-DD or --annual YEAR")
        calendar = self._calendar(opts["calendar"])
        today = _date(opts["today"], "--today") if opts["today"] else None
        annual = _year(opts["annual"]) if opts["annual"] else None
        day = _date(opts["day"]) if opts["day"] else None
        console = Console(file=self.stdout, highlight=False)
        try:
            if annual is not None:
                result = services.accrual_run_annual(calendar=calendar, year=annual, today=today)
            else:
                with Progress(TextColumn("[bold]accruing[/]"), BarColumn(), MofNCompleteColumn(),
                              TextColumn("employee ids"), TimeElapsedColumn(), console=console,
                              transient=True) as bar:
                    task = bar.add_task("accrue", total=None)

                    def progress(done: int, total: int) -> None:
                        bar.update(task, completed=done, total=total)

                    result = services.accrual_run_biweekly(calendar=calendar, day=day, today=today,
                                                           progress=progress)
        except (services.PeriodNotEnded, ParameterError) as exc:  # ParameterError: no contract value that day
            raise CommandError(str(exc)) from None
        except services.AlreadyRun as exc:
            run = exc.run
            console.print(f"Already credited: {run} (run {run.pk}, {run.by_label}). Nothing written.")
            self._print_summary(console, run.summary)
            return
        run = result.run
        console.print(f"[bold green]Credited[/] {run}: {result.credited} employees, {result.rows} ledger rows "
                      f"in {result.seconds:.2f} s (run {run.pk}).")
        self._print_summary(console, run.summary)
        self._seal(console)

    def _seal(self, console: Console) -> None:
        """Seal the new rows into the ledger's hash chain (a separate pass after the run's transaction)."""
        from ...chain import LedgerBusy, seal_ledger

        try:
            console.print(f"{seal_ledger()} ledger entries sealed into the hash chain.")
        except LedgerBusy as exc:
            console.print(f"Not sealed yet: {exc} (`manage.py seal_ledger`).")

    def _calendar(self, name: str | None) -> PayCalendar:
        qs = PayCalendar.objects.all()
        if name:
            cal = qs.filter(name=name).first()
            if cal is None:
                raise CommandError(f"no pay calendar named {name!r}; known: {', '.join(qs.values_list('name', flat=True))}")
            return cal
        cals = list(qs[:2])
        if len(cals) != 1:
            raise CommandError("give --calendar NAME" if cals else "no pay calendar yet (load_demo creates one)")
        return cals[0]

    def _print_summary(self, console: Console, summary: dict) -> None:
        t = Table(title="Totals", show_header=True)
        t.add_column("leave type")
        t.add_column("hours", justify="right")
        for leave, hours in summary.get("totals_hours", {}).items():
            t.add_row(leave, hours)
        console.print(t)
        if summary.get("skipped"):
            s = Table(title="Skipped", show_header=True)
            s.add_column("reason")
            s.add_column("employees", justify="right")
            for reason, n in sorted(summary["skipped"].items()):
                s.add_row(reason, str(n))
            console.print(s)
        if summary.get("computed_by_pure_rules"):
            console.print(f"{summary['computed_by_pure_rules']} employee(s) with a start, separation or break inside "
                          f"the period were computed by the rules core (Sec. 9.2.B).")


__all__ = ["Command", "hours_str"]
