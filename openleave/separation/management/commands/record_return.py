"""Record the return after an employee's open separation (Sec. 8.1.H, 9.7, 9.12) — as the HR user named by --by."""

from django.core.management.base import BaseCommand

from openleave import inputs
from openleave.audit.access import COMMAND
from openleave.rules.separation import APPROVAL_CAUSES, RETURN_KINDS
from openleave.rules.units import hours_str
from openleave.separation import services
from openleave.separation.errors import SeparationError

from ._common import employee_and_user, fail


class Command(BaseCommand):
    help = "Record a reinstatement, re-employment or recall: restores the sick credits set aside and the service."

    def add_arguments(self, parser):
        parser.add_argument("employee_number")
        parser.add_argument("--date", required=True, help="The date of return, YYYY-MM-DD.")
        parser.add_argument("--by", required=True, help="User name of the HR / Appointing Authority recording it.")
        parser.add_argument("--kind", default="reinstated", help=", ".join(RETURN_KINDS))
        parser.add_argument("--chro-approved-by", default="", help="After an absence as long as Sec. 8.1.H, 9.12 set (a contract parameter): who approved.")
        parser.add_argument("--chro-approved-on", default=None, help="The date of the approval.")
        parser.add_argument("--chro-cause", default="", help=", ".join(APPROVAL_CAUSES))
        parser.add_argument("--chro-reasons", default="")

    def handle(self, *args, employee_number, date, by, kind, chro_approved_by, chro_approved_on, chro_cause,
               chro_reasons, **options):
        employee, user = employee_and_user(employee_number, by)
        sep = services.open_separation(employee)
        if sep is None:
            raise fail(f"employee_number: {employee_number} has no separation without a return.")
        try:
            ret = services.return_record(separation=sep, return_date=date, kind=kind, by=user,
                                         chro_approved_by=chro_approved_by, chro_approved_on=chro_approved_on,
                                         chro_cause=chro_cause, chro_reasons=chro_reasons, channel=COMMAND)
        except (SeparationError, inputs.BadInput) as exc:
            raise fail(str(exc)) from None
        except services.NotAllowed as exc:
            raise fail(f"--by: {exc}") from None
        self.stdout.write(self.style.SUCCESS(
            f"Return recorded on {ret.return_date}: {hours_str(ret.sick_restored_micro)} h sick leave restored "
            f"({ret.cites})."))
