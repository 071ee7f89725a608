"""PostgreSQL: make the app's database role least-privilege (``openleave.privacy.least_privilege``).

    manage.py pg_least_privilege --app-role openleave_app [--owner-role openleave_owner] [--print]

Run it as a superuser or the tables' owner after each ``migrate``: it creates the two roles if missing (the app
role without a password: set one with ALTER ROLE … PASSWORD), gives every table and function to the NOLOGIN
owner, and grants the app role only SELECT and INSERT on the ledger and the access log (plus the sealing
update). ``--print`` shows the SQL without running it. docs/tamper-evidence.md explains the deployment."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from openleave.privacy import least_privilege as LP


class Command(BaseCommand):
    help = "PostgreSQL: create/adjust the owner and app roles so the app cannot delete, truncate or rewrite the ledger."

    def add_arguments(self, parser):
        parser.add_argument("--app-role", required=True, help="The role the app connects as (e.g. openleave_app).")
        parser.add_argument("--owner-role", default="openleave_owner", help="The NOLOGIN role that owns the tables.")
        parser.add_argument("--print", action="store_true", dest="print_only", help="Print the SQL; change nothing.")

    def handle(self, *args, **opts):
        if connection.vendor != "postgresql":
            raise CommandError("pg_least_privilege is for PostgreSQL; SQLite has no roles (docs/tamper-evidence.md)")
        app, owner = opts["app_role"], opts["owner_role"]
        if app == owner:
            raise CommandError("--app-role and --owner-role must differ: the app must own nothing")
        with connection.cursor() as c:
            tables, functions = LP.objects(c)
            try:
                sql = LP.statements(app_role=app, owner_role=owner, database=connection.settings_dict["NAME"],
                                    tables=tables, functions=functions)
            except ValueError as e:
                raise CommandError(str(e)) from None
            if opts["print_only"]:
                self.stdout.write(";\n".join(sql) + ";")
                return
            with transaction.atomic():
                for s in sql:
                    c.execute(s)
            problems = LP.problems(c, app, owner)
        if problems:
            raise CommandError("The app role is NOT least-privilege: " + "; ".join(problems) + ".")
        self.stdout.write(self.style.SUCCESS(
            f"{len(tables)} tables now owned by {owner}; {app} has SELECT/INSERT only on the ledger and access-log "
            f"tables (+ the sealing update). Re-run after each migrate."))
