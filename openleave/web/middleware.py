"""The request guards every page and API answer passes (web pages and the API alike).

``InputGuardMiddleware``:

* A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is answered 413, before and while it is read; a file upload
  (``multipart/form-data``) may be as large as ``OPENLEAVE_MEDICAL_MAX_BYTES`` plus its form fields.
* Text that cannot be stored — a NUL byte or a lone surrogate — in the path, the query string, a cookie, a
  form field or a JSON string is answered 400 naming the field (PostgreSQL cannot store either).
* ``openleave.inputs.BadInput`` raised by a page (a date out of range, a month that is not YYYY-MM, …) is
  answered 400 with its message.

The API answers ``{"detail": ...}`` JSON; pages answer the error page with the message.

``RefusalLooksTheSame``: a person the user may not see is answered with the same 404 page as a person who
does not exist (``openleave.policy``). With ``DEBUG`` on, Django would answer a view's ``Http404`` with its
yellow debug page instead, which differs between the two cases; this answers it with the production page.

``NoStoreForPersonalData``: ``Cache-Control: no-store`` on every answer to a signed-in user or an API token.
Shared workstations are common in agencies: a page or API answer with a person's leave or medical data must
not stay in the browser's (or a proxy's) cache for the next person at the desk. Static files are served
before this point (WhiteNoise) and keep their long cache lifetime.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from openleave import inputs

UPLOAD_OVERHEAD = 262_144  # the multipart framing and the form's other fields around one file


def body_limit(request) -> int | None:
    """The largest body accepted: ``DATA_UPLOAD_MAX_MEMORY_SIZE``, or for a file upload the upload limit."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and (request.content_type or "").startswith("multipart/form-data"):
        limit = max(limit, getattr(settings, "OPENLEAVE_MEDICAL_MAX_BYTES", 0) + UPLOAD_OVERHEAD)
    return limit


def too_large_message(request=None) -> str:
    if request is not None and (request.content_type or "").startswith("multipart/form-data"):
        return (f"The upload is too large: a file may be at most "
                f"{getattr(settings, 'OPENLEAVE_MEDICAL_MAX_BYTES', 0) / 1_000_000:g} MB.")
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return f"The request body is too large: at most {limit / 1_000_000:g} MB."


def _answer(request, status: int, message: str, field: str = ""):
    if request.path.startswith("/api/"):
        body: dict = {"detail": message}
        if field:
            body.update(field=field, errors=[{"field": field, "message": message}])
        return JsonResponse(body, status=status)
    return render(request, "web/error.html", {"status": status, "message": message}, status=status)


def _strings(value, where: str):
    """(place, text) for every key and string inside a parsed JSON value."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield where, str(k)
            yield from _strings(v, f"{where}.{k}" if where else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{where}.{i}" if where else str(i))


def _bad_text(request) -> tuple[str, str] | None:
    """The first (field, problem) of text that cannot be stored, or None."""
    places = [("path", request.path)]
    places += [(f"query {k}", v) for k in request.GET for v in [k, *request.GET.getlist(k)]]
    places += [(f"cookie {k}", v) for k, v in request.COOKIES.items()]
    if request.method in ("POST", "PUT", "PATCH"):
        ctype = request.content_type or ""
        if ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            places += [(k, v) for k in request.POST for v in [k, *request.POST.getlist(k)]]
        elif ctype.endswith("json") and request.body:
            try:
                data = json.loads(request.body)
            except (ValueError, RecursionError):
                data = None  # not JSON: the API says so itself
            places += list(_strings(data, ""))
    for where, s in places:
        problem = inputs.text_problem(s)
        if problem:
            return where or "body", problem
    return None


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = body_limit(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return _answer(request, 413, too_large_message(request))
        try:
            bad = _bad_text(request)
        except RequestDataTooBig:
            return _answer(request, 413, too_large_message(request))
        if bad is not None:
            where, problem = bad
            return _answer(request, 400, f"{where}: the text {problem}; remove it.", field=where)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            return _answer(request, 413, too_large_message(request))
        if isinstance(exception, inputs.BadInput):
            return _answer(request, 400, str(exception), field=exception.field)
        return None


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


class NoStoreForPersonalData:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # the API's bearer auth sets request.user too
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            add_never_cache_headers(response)  # Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private
        return response
