"""manage.py expire_comp_days [--on YYYY-MM-DD] [--dry-run] [--no-warnings | --warnings-only]

Run it daily. As of the start of ``--on`` (default today): expires what is left of every compensatory day whose
last day has passed (Sec. 10.3–10.5; one cited EXPIRY entry per day, dated its last day — a second run posts
nothing), then warns each employee once about every compensatory day that ends within the warning period
(in-app and by e-mail after commit). Set-based, one transaction each; ``--dry-run`` prints the same summary and
writes nothing. Errors: one line on stderr, exit code 2.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from openleave import clock, inputs
from openleave.ledger import comp_days
from openleave.rules.units import hours_str

from ... import services


class Command(BaseCommand):
    help = ("Expire compensatory days not taken by their last day (Sec. 10.3-10.5) and warn employees of days "
            "ending soon. Idempotent; --dry-run writes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--on", help="Run as of this date (default: today).")
        parser.add_argument("--dry-run", action="store_true", help="Print the summary; write nothing.")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--no-warnings", action="store_true", help="Only the expiry.")
        group.add_argument("--warnings-only", action="store_true", help="Only the warnings.")

    def handle(self, *args, **opts):
        try:
            on = inputs.day(opts["on"], "--on") if opts["on"] else clock.today()
        except inputs.BadInput as exc:
            raise CommandError(str(exc), returncode=2) from None
        console = Console(file=self.stdout, highlight=False)
        dry = opts["dry_run"]
        with Progress(TextColumn("[bold]{task.description}[/]"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=console, transient=True) as bar:
            steps = (0 if opts["warnings_only"] else 1) + (0 if opts["no_warnings"] else 1)
            task = bar.add_task("compensatory days", total=steps)
            expiry = warnings = None
            if not opts["warnings_only"]:
                bar.update(task, description="expiring compensatory days")
                expiry = comp_days.comp_day_expiry_run(on=on, dry_run=dry)
                bar.advance(task)
            if not opts["no_warnings"]:
                bar.update(task, description="warning of days ending soon")
                warnings = services.comp_day_warn(on=on, dry_run=dry)
                bar.advance(task)
        head = "[bold yellow]Dry run[/] — nothing written." if dry else "[bold green]Done.[/]"
        console.print(f"{head} Compensatory days as of {on}.")
        if expiry is not None:
            self._table(console, "Expiry (Sec. 10.3, 10.4, 10.5)", expiry.summary())
            for entry_id, posted, now in expiry.differs:
                console.print(f"  day earned by entry {entry_id}: {hours_str(posted)} h expired, {hours_str(now)} h "
                              "by the ledger today — HR checks it")
        if warnings is not None:
            self._table(console, f"Warnings ({services.WARNING_DAYS} days before the last day)", warnings.summary())
        if expiry is not None and expiry.entries and not dry:
            from openleave.ledger.chain import LedgerBusy, seal_ledger

            try:
                console.print(f"{seal_ledger()} ledger entries sealed into the hash chain.")
            except LedgerBusy as exc:
                console.print(f"Not sealed yet: {exc} (`manage.py seal_ledger`).")

    def _table(self, console: Console, title: str, summary: dict) -> None:
        t = Table(title=title, show_header=True)
        t.add_column("what")
        t.add_column("figure", justify="right")
        for k, v in summary.items():
            if k not in ("on", "dry_run"):
                t.add_row(str(k), str(v))
        console.print(t)
