"""manage.py fmla_reminders [--today D] [--dry-run] [--certification-days N] [--weeks-left N] [--days-left N]

Cron runs it once a day: certification due within N days and overdue (Sec. 8.1.M), the end of the FMLA entitlement
approaching (Sec. 8.7.2.A.1/B.1), the intermittent days of Sec. 8.7.2.B.4.a nearly used or used — to the employee
and the medical coordinators of their agency, in the app and by e-mail after commit
(``openleave.medical.reminders``). Idempotent: a reminder already sent (case, kind, date) is not sent again.
The thresholds default to ``settings.OPENLEAVE_FMLA_REMINDERS`` (``openleave.medical.queue.THRESHOLDS``).
Errors: one line on stderr, nothing written.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from openleave import clock, inputs

from ... import reminders


def _count(value: str, option: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise CommandError(f"{option}: {value!r} is not a whole number.") from None
    if not 0 <= n <= 366:
        raise CommandError(f"{option}: {n} is outside 0 … 366.")
    return n


class Command(BaseCommand):
    help = "Send the FMLA reminders due today (certification, entitlement ending, intermittent days); idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD; testing, catching up).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent; write nothing.")
        parser.add_argument("--certification-days", help="Remind this many days before a certification is due.")
        parser.add_argument("--weeks-left", help="Remind when at most this many weeks of the entitlement are left.")
        parser.add_argument("--days-left", help="Remind when at most this many intermittent days are left.")

    def handle(self, *args, **opts):
        try:
            today = inputs.day(opts["today"], "--today") if opts["today"] else clock.today()
        except inputs.BadInput as exc:
            raise CommandError(str(exc)) from None
        t = {}
        for opt, key in (("certification_days", "certification_days_before"), ("weeks_left", "entitlement_weeks_left"),
                         ("days_left", "intermittent_days_left")):
            if opts[opt] is not None:
                t[key] = _count(opts[opt], "--" + opt.replace("_", "-"))
        r = reminders.fmla_reminders_send(today=today, thresholds=t, dry_run=opts["dry_run"])
        what = ", ".join(f"{n} {reminders.kind_label(k).lower()}" for k, n in sorted(r.sent.items())) or "none"
        verb = "would send" if opts["dry_run"] else "sent"
        self.stdout.write(f"FMLA reminders on {today}: {verb} {what}; {r.notifications} notification(s); "
                          f"{r.skipped} already sent before.")
