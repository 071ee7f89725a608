#!/usr/bin/env python
"""Django's command-line utility for openleave."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openleave.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  (loads the settings: production refuses to start without its own)
    except ImproperlyConfigured as exc:
        sys.exit(str(exc))  # one line per problem, no traceback (README "Production")
    execute_from_command_line(sys.argv)
