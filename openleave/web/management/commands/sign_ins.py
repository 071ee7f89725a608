"""``manage.py sign_ins [--port N]``: the demo sign-ins, printed last by ``make run`` so they stay on screen."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from openleave.people.demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo organisation's sign-ins and the addresses to open."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port: int, **opts):
        base = f"http://127.0.0.1:{port}"
        w = self.stdout.write
        w("")
        w(self.style.SUCCESS(f"openleave is starting at {base}/  (another port: make run PORT=8001)"))
        w(f"Sign in at {base}/login/ as any of these users, all with the password: {DEMO_PASSWORD}")
        for username, given, family, roles, _agency, _emp in DEMO_USERS:
            w(f"  {username:<11} {given} {family} — {', '.join(roles)}")
        w(f"API docs: {base}/api/docs · schema: {base}/api/openapi.json · stop the server with Ctrl-C")
        w("")
