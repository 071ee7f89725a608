"""Seal the access-log rows appended but not yet linked into the hash chain (run periodically, e.g. each
minute from cron; every append already tries it without waiting)."""

from django.core.management.base import BaseCommand

from openleave.privacy.access import seal_access_log


class Command(BaseCommand):
    help = "Link pending access-log rows into the hash chain (oldest first)."

    def handle(self, *args, **options):
        n = seal_access_log()
        self.stdout.write(f"{n} access-log row(s) sealed.")
