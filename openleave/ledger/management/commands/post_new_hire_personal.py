"""manage.py post_new_hire_personal --since YYYY-MM-DD

The Sec. 8.2.A quarter-table personal leave credit of every employee hired (or promoted into the unit) after the
first full pay period of January, on or after the date given and not after today, not yet credited: set-based,
idempotent (one credit per employee and year), cited (``openleave.ledger.new_hire``). Run it daily.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from openleave import inputs

from ...new_hire import post_new_hire_personal


class Command(BaseCommand):
    help = "Post the Sec. 8.2.A personal leave credit at hire for employees hired since a date."

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, metavar="YYYY-MM-DD")

    def handle(self, *args, **opts):
        try:
            since = inputs.day(opts["since"], "--since")
        except inputs.BadInput as exc:
            raise CommandError(f"--since: {exc.message}", returncode=2) from None
        if since is None:
            raise CommandError("--since: give a date (YYYY-MM-DD).", returncode=2)
        self.stdout.write(post_new_hire_personal(since=since).summary())
