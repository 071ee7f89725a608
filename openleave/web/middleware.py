"""``Cache-Control: no-store`` on every answer to a signed-in user or an API token.

Shared workstations are common in agencies: a page or API answer with a person's leave or medical data must
not stay in the browser's (or a proxy's) cache for the next person at the desk. Static files are served
before this point (WhiteNoise) and keep their long cache lifetime."""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers


class NoStoreForPersonalData:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # the API's bearer auth sets request.user too
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            add_never_cache_headers(response)  # Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private
        return response
