"""Purge or anonymise records past their retention period (settings.OPENLEAVE_RETENTION_YEARS)."""

from django.core.management.base import BaseCommand

from openleave.privacy.retention import apply


class Command(BaseCommand):
    help = "Purge or anonymise records past their retention period; --dry-run lists what would be removed."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be removed; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        outcomes = apply(dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        total = 0
        for o in outcomes:
            if o.cutoff is None:
                self.stdout.write(f"{o.rule}: no retention period configured; nothing to do.")
                continue
            n = len(o.items) if dry_run else o.done
            total += n
            self.stdout.write(f"{o.rule} ({o.period}, before {o.cutoff:%Y-%m-%d}): {verb.lower()} {n}")
            for item in o.items if dry_run else []:
                self.stdout.write(f"  - {item}")
        self.stdout.write(self.style.SUCCESS(f"{verb} {total} record(s) in total."
                                             + (" Nothing was changed (dry run)." if dry_run else
                                                " Each purge is recorded in the access log.")))
