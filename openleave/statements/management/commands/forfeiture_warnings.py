"""manage.py forfeiture_warnings [--on D]

From October 1 to the year end, warn each employee once of what the year end will forfeit unless used:
vacation (Sec. 9.8), personal leave (Sec. 8.2.B), the emergency day (MOU Regarding State of Emergency). Each
warning is recorded; running it again (daily, say) sends only warnings not sent yet.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.table import Table

from openleave import clock
from openleave.rules.params import ParameterError
from openleave.rules.units import hours_str

from ... import selectors, services
from ._common import day, fail, progress_bar


class Command(BaseCommand):
    help = "Send each year-end forfeiture warning due on a day (default today) once, recorded."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="The day to warn as of (default: today).")

    def handle(self, *args, **opts):
        on = day(opts["on"], "--on") or clock.today()
        if on > clock.today():
            raise fail(f"--on {on} is after today ({clock.today()}): warnings go out on the day, not before.")
        console = Console(file=self.stdout, highlight=False)
        try:
            if selectors.warning_year(on) is None:
                console.print(f"No forfeiture warnings are due on {on}: they start on the Sec. 9.8 statement's due "
                              "day (October 1) and run to the year end.")
                return
            with progress_bar(console, "warnings", selectors.in_service(on).count()) as advance:
                s = services.forfeiture_warnings_send(on=on, progress=advance)
        except ParameterError as exc:
            raise fail(str(exc)) from None
        console.print(f"[bold green]Forfeiture warnings[/] for the {s.year} year end on {on}: {s.sent} sent, "
                      f"{s.already} already sent, {s.emailed} e-mailed after commit ({s.employees} employees).")
        if s.micro:
            t = Table(title="Hours warned of")
            t.add_column("leave type")
            t.add_column("hours", justify="right")
            for slug, micro in s.micro.items():
                t.add_row(slug, hours_str(micro))
            console.print(t)
