"""Approved leave whose last day has passed becomes ``taken`` (its debits were posted at decision)."""

from django.core.management.base import BaseCommand

from openleave.leave.services import leave_request_mark_taken


class Command(BaseCommand):
    help = "Mark approved leave whose last day has passed as taken."

    def handle(self, *args, **opts):
        self.stdout.write(f"{leave_request_mark_taken()} request(s) marked taken.")
