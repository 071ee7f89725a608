from django.core.management.base import BaseCommand

from openleave.people.demo import DEMO_USERS, load_demo


class Command(BaseCommand):
    help = "Create or refresh the demo organisation (two agencies, ~60 employees, one user per role). Safe to re-run."

    def handle(self, *args, **options):
        result = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo organisation ready: {result['employees']} employees."))
        self.stdout.write("Sign in at http://127.0.0.1:8000/login/ with any of these user names,")
        self.stdout.write(f"all with the password: {result['password']}")
        for username, given, family, roles, _agency, _emp in DEMO_USERS:
            self.stdout.write(f"  {username:<11} {given} {family} — {', '.join(roles)}")
        self.stdout.write("API schema: http://127.0.0.1:8000/api/openapi.json · API docs: http://127.0.0.1:8000/api/docs")
