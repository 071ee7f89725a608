"""Record a separation and post its payouts (Sec. 9.11, 7.2.G, 8.1.O) — as the HR user named by --by."""

from django.core.management.base import BaseCommand

from openleave import inputs
from openleave.audit.access import COMMAND
from openleave.rules.separation import PAYEES, REASONS
from openleave.rules.units import hours_str
from openleave.separation import services
from openleave.separation.errors import SeparationError

from ._common import employee_and_user, fail


class Command(BaseCommand):
    help = "Record an employee's separation (HR of the agency) and post the cited payouts."

    def add_arguments(self, parser):
        parser.add_argument("employee_number")
        parser.add_argument("--date", required=True, help="The last day of employment, YYYY-MM-DD.")
        parser.add_argument("--reason", required=True, help=", ".join(REASONS))
        parser.add_argument("--by", required=True, help="User name of the HR / Appointing Authority recording it.")
        parser.add_argument("--death-payee", default="", help="On death only: " + ", ".join(PAYEES))
        parser.add_argument("--hourly-rate", default=None, help="Optional final regular hourly rate, dollars.")
        parser.add_argument("--note", default="")

    def handle(self, *args, employee_number, date, reason, by, death_payee, hourly_rate, note, **options):
        employee, user = employee_and_user(employee_number, by)
        try:
            sep = services.separation_record(employee=employee, separation_date=date, reason=reason, by=user,
                                             death_payee=death_payee, hourly_rate=hourly_rate, note=note,
                                             channel=COMMAND)
        except (SeparationError, inputs.BadInput) as exc:
            raise fail(str(exc)) from None
        except services.NotAllowed as exc:
            raise fail(f"--by: {exc}") from None
        for ln in sep.lines:
            self.stdout.write(f"{ln['leave']}: balance {hours_str(ln['balance'])} h, paid {hours_str(ln['paid'])} h, "
                              f"kept {hours_str(ln['kept'])} h ({', '.join(ln['cites']) or 'not paid'})")
        self.stdout.write(self.style.SUCCESS(f"Separation {sep.pk} recorded: {sep.get_reason_display()} on "
                                             f"{sep.separation_date}."))
