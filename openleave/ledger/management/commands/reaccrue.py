"""manage.py reaccrue --period-including YYYY-MM-DD [--dry-run]

Payroll corrected the hours of a pay period whose biweekly accrual has run: post the cited correcting entries
(Sec. 8.1.D/I, 9.3/9.6) for exactly the employees whose hours changed — the difference between what was credited
and what the corrected hours give, by the accrual run's own SQL. Never an edit; idempotent per correction batch:
run again, it posts nothing and says so (``openleave.ledger.reaccrue``).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from openleave import inputs

from ...reaccrue import NotAccrued, reaccrue


class Command(BaseCommand):
    help = "Post the corrections of a closed pay period's accrual after payroll corrected its hours."

    def add_arguments(self, parser):
        parser.add_argument("--period-including", required=True, metavar="YYYY-MM-DD")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be posted; write nothing.")

    def handle(self, *args, **opts):
        try:
            day = inputs.day(opts["period_including"], "--period-including")
        except inputs.BadInput as exc:
            raise CommandError(f"--period-including: {exc.message}", returncode=2) from None
        try:
            results = reaccrue(day=day, dry_run=opts["dry_run"])
        except NotAccrued as exc:
            raise CommandError(str(exc), returncode=2) from None
        for r in results:
            self.stdout.write(r.message)
            for leave, micro in r.totals.items():
                self.stdout.write(f"  {leave}: {'+' if micro > 0 else ''}{micro / 1e6:g} h")
