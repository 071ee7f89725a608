"""WSGI entry point: ``gunicorn openleave.wsgi`` (README "Production").

It refuses to start — one line per problem on stderr, no traceback — when a required production setting
is missing (``openleave.settings``) or the static files are not collected (``openleave.web.checks``)."""

import os
import sys

import django
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.wsgi import WSGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openleave.settings")
try:
    django.setup(set_prefix=False)  # what get_wsgi_application() does, with the checks before the handler
    from openleave.web.checks import static_files_problems

    if problems := static_files_problems():
        raise ImproperlyConfigured("openleave will not start:\n" + "\n".join(f"  - {p}" for p in problems))
    application = WSGIHandler()
except ImproperlyConfigured as exc:
    print(exc, file=sys.stderr, flush=True)
    # 3 is gunicorn's "worker failed to boot": the server stops instead of restarting the worker forever.
    raise SystemExit(3) from None
