"""Start-up checks: production serves pages only from collected static files (README "Production").

Without ``manage.py collectstatic`` the manifest storage cannot name a single stylesheet, so every page
would be a 500. The WSGI entry (``openleave.wsgi``) refuses to start instead, with one line per problem,
and ``manage.py check --deploy`` reports the same lines (``openleave.E001``)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

COLLECT = "run `python manage.py collectstatic --noinput` (on every upgrade too)"
IGNORED = ["CVS", ".*", "*~"]  # collectstatic's default ignore patterns


def static_files_problems() -> list[str]:
    """Why the collected static files cannot serve the pages (empty when they can, or outside production)."""
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return []  # development: files are served from the apps directly
    if not staticfiles_storage.exists(staticfiles_storage.manifest_name):
        return [f"The static files are not collected into STATIC_ROOT ({settings.STATIC_ROOT}): {COLLECT}."]
    collected = set(staticfiles_storage.hashed_files)  # read from the manifest
    missing = sorted({path for finder in finders.get_finders() for path, _ in finder.list(IGNORED)} - collected)
    if missing:
        return [f"{len(missing)} static file(s) are not collected (e.g. {missing[0]}): {COLLECT}."]
    return []


@checks.register(checks.Tags.staticfiles, deploy=True)
def collected_static_files(app_configs, **kwargs):
    return [checks.Error(line, id="openleave.E001") for line in static_files_problems()]
