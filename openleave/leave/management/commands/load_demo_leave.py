"""Demo opening balances so the demo organisation can request leave: ``manage.py load_demo_leave``.

Keyed entries (``demo-opening:<employee>:<leave>``): running it again writes nothing new. Never for production."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from openleave import clock
from openleave.ledger.models import Kind, Leave, LedgerEntry
from openleave.ledger.services import ledger_post
from openleave.people.models import Employee

OPENING = {Leave.SICK: 60, Leave.VACATION: 45, Leave.PERSONAL: 15}  # hours, full-time demo figures


class Command(BaseCommand):
    help = "Post demo opening balances (sick 60 h, vacation 45 h, personal 15 h, prorated for part-time)."

    def handle(self, *args, **opts):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("Demo balances are never posted in production.")
        # 1 January of the year six weeks ago: early in January the demo's past sick day still has a balance.
        on = dt.date((clock.today() - dt.timedelta(days=42)).year, 1, 1)
        n = 0
        with transaction.atomic():
            for e in Employee.objects.select_related("title", "pay_calendar"):
                share = e.scheduled_weekly_hours / e.title.full_time_weekly_hours
                for leave, hours in OPENING.items():
                    key = f"demo-opening:{e.pk}:{int(leave)}"
                    if LedgerEntry.objects.filter(key=key).exists():
                        continue
                    micro = int(hours * share * 4) * 250_000  # whole quarter hours
                    if not micro:
                        continue
                    ledger_post(employee=e, leave=leave, kind=Kind.OPENING, micro=micro, effective_date=on,
                                cite="demo", reason="demo opening balance", key=key, channel="command",
                                system="manage.py load_demo_leave")  # with its access-log row
                    n += 1
        self.stdout.write(f"{n} demo opening balance entries posted.")
