"""``manage.py contract_impact --agreement FOLDER --from D [--csv F]``: what a successor agreement would change,
per employee and in total, before the switch (issue 15, item 5). Set-based (``openleave.contract.selectors``);
every employee exported to the CSV gets an access-log row; a bad folder or date is one error line, exit 2."""

from __future__ import annotations

import csv
import sys

from django.core.management.base import BaseCommand, CommandError

from openleave import inputs
from openleave.audit.access import COMMAND, System
from openleave.contract import selectors as S
from openleave.rules.units import hours_str


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Report what a successor agreement folder would change (rates, bands, caps, holidays, forfeitures)."

    def add_arguments(self, parser):
        parser.add_argument("--agreement", required=True, help="the successor agreement folder (with index.yaml)")
        parser.add_argument("--from", dest="on", required=True, help="the day to compare on (YYYY-MM-DD)")
        parser.add_argument("--csv", dest="csv_path", help="write the per-employee report and totals here")

    def handle(self, *args, agreement, on, csv_path=None, **opts):
        try:
            day = inputs.day(on, "--from")
        except inputs.BadInput as exc:
            raise _fail(str(exc)) from None
        try:
            imp = S.impact(folder=agreement, on=day)
        except S.ImpactError as exc:
            raise _fail(str(exc)) from None
        actor = System("manage.py contract_impact")
        if csv_path:
            try:
                fh = open(csv_path, "w", newline="", encoding="utf-8")  # noqa: SIM115
            except OSError as exc:
                raise _fail(f"--csv {csv_path}: {exc.strerror}") from None
            with fh:
                w = csv.writer(fh)
                w.writerow(S.CSV_HEADER)
                batch = []
                for r in S.rows(imp):
                    w.writerow(S.csv_row(imp, r))
                    batch.append(r)
                    if len(batch) >= S.CHUNK:
                        S.log_rows(actor=actor, channel=COMMAND, rows_=batch, fields="contract impact CSV")
                        batch = []
                S.log_rows(actor=actor, channel=COMMAND, rows_=batch, fields="contract impact CSV")
                w.writerow([])
                for line in S.total_lines(imp):
                    w.writerow(line)
        elif imp.forfeitures_differ:
            for _ in S.rows(imp):  # the forfeiture totals need every ledger; nothing about anyone is printed
                pass
        out = sys.stdout if self.stdout is None else self.stdout
        a = imp.new_agreement
        out.write(f"{a['agreement']} ({a['folder']}, from {a['effective_from']}) vs "
                  f"{imp.old_agreement['folder']}, compared on {imp.on}\n")
        for label, value in S.total_lines(imp):
            out.write(f"  {label}: {value}\n")
        out.write(f"  groups (title week, scheduled hours, band old -> new): {len(imp.groups)}\n")
        for g in imp.groups:
            f = g.fig
            out.write(f"    {f.week} h week, {hours_str(f.sched_micro)} h/period, band {f.band_old} -> {f.band_new}: "
                      f"{g.employees} employees, vacation {hours_str(f.vacation_old)} -> {hours_str(f.vacation_new)} h "
                      f"({f.vacation_cite_new}), sick {hours_str(f.sick_old)} -> {hours_str(f.sick_new)} h\n")
        if csv_path:
            out.write(f"CSV written: {csv_path}\n")
