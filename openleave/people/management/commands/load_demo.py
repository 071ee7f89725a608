from django.core.management import call_command
from django.core.management.base import BaseCommand

from openleave.people.demo import load_demo


class Command(BaseCommand):
    help = "Create or refresh the demo organisation (two agencies, ~60 employees, one user per role). Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("--no-sign-ins", action="store_true",
                            help="don't print the sign-ins (make run prints them last, with `manage.py sign_ins`)")

    def handle(self, *args, no_sign_ins: bool = False, **options):
        result = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo organisation ready: {result['employees']} employees."))
        if not no_sign_ins:
            call_command("sign_ins", stdout=self.stdout._out)
