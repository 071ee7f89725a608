"""manage.py payroll_export --period-including YYYY-MM-DD [--out FILE] [--calendar NAME] [--codes FILE]
manage.py payroll_export --batch N --out FILE     (download a recorded batch again, byte for byte)

Exports one closed pay period (issue 15, item 2): writes the batch and its lines in one transaction, then the CSV
to FILE (or standard output). A refusal (a period not closed, already exported, a kind with no code, an unknown
batch) is one error line; nothing is written."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from openleave import inputs
from openleave.payroll import selectors, services
from openleave.payroll.errors import PayrollError
from openleave.people.models import PayCalendar

COMMAND = "manage.py payroll_export"


def calendar_named(name: str | None) -> PayCalendar:
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


class Command(BaseCommand):
    help = "Export a closed pay period to payroll as a recorded batch (CSV), or download a batch again."

    def add_arguments(self, parser):
        parser.add_argument("--period-including", help="A date (YYYY-MM-DD) in the closed pay period to export.")
        parser.add_argument("--batch", help="Download this recorded batch again instead of exporting.")
        parser.add_argument("--out", help="Write the CSV here (default: standard output).")
        parser.add_argument("--calendar", help="Pay calendar name (default: the only one).")
        parser.add_argument("--codes", help="The mapping file kind -> payroll code (default: the setting's).")

    def handle(self, *args, **opts):
        if bool(opts["batch"]) == bool(opts["period_including"]):
            raise CommandError("give either --period-including YYYY-MM-DD (export) or --batch N (download again)")
        try:
            if opts["batch"]:
                batch = selectors.batch_get(opts["batch"])
                chunks = selectors.download(None, batch, channel="command")
            else:
                batch = services.payroll_batch_export(calendar=calendar_named(opts["calendar"]),
                                                      period_including=opts["period_including"], by=None,
                                                      command=COMMAND, channel="command", codes_file=opts["codes"])
                chunks = selectors.csv_chunks(batch)
        except (PayrollError, inputs.BadInput) as exc:
            raise CommandError(str(exc)) from None
        out = open(opts["out"], "wb") if opts["out"] else sys.stdout.buffer  # noqa: SIM115
        try:
            for chunk in chunks:
                out.write(chunk)
        finally:
            if opts["out"]:
                out.close()
            else:
                out.flush()
        self.stderr.write(f"batch {batch.pk}: pay period {batch.period_start}..{batch.period_end}, {batch.rows} lines, "
                          f"{batch.employees} employees, sha256 {batch.sha256}")
