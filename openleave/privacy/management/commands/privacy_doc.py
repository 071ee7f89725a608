"""Write docs/privacy.md (the record of processing) from the model definitions and the privacy registry."""

from django.core.management.base import BaseCommand

from openleave.privacy.doc import DOC_PATH, render


class Command(BaseCommand):
    help = "Generate docs/privacy.md from the model definitions and the personal-data registry."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Exit 1 if docs/privacy.md is out of date.")

    def handle(self, *args, check=False, **options):
        text = render()
        current = DOC_PATH.read_text() if DOC_PATH.exists() else ""
        if check:
            if current != text:
                self.stderr.write("docs/privacy.md is out of date: run `python manage.py privacy_doc`.")
                raise SystemExit(1)
            self.stdout.write("docs/privacy.md is up to date.")
            return
        DOC_PATH.parent.mkdir(parents=True, exist_ok=True)
        DOC_PATH.write_text(text)
        self.stdout.write(self.style.SUCCESS(f"Wrote {DOC_PATH}"))
