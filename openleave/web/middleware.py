"""A refusal looks the same in development as in production.

A person the user may not see is answered with the same 404 page as a person who does not exist
(``openleave.policy``). With ``DEBUG`` on, Django would answer a view's ``Http404`` with its yellow
debug page instead, which differs between the two cases; this answers it with the production page.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404


class RefusalLooksTheSame:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            from openleave.web.views import error_404

            return error_404(request, exception)
        return None
