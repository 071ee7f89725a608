"""The JSON API (django-ninja). Schema: /api/openapi.json; interactive docs: /api/docs.

Authentication: the browser session (with CSRF for unsafe methods) or ``Authorization: Bearer <token>``.
Object-level permissions come from ``openleave.policy``, the same as the web pages.
"""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer

from openleave import policy
from openleave.accounts.models import ApiToken

LOCKED_OUT = ("This account is locked out after repeated failed sign-ins, and its API tokens with it; they work "
              "again when the lock-out ends or an administrator lifts it.")


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.user_for(token)
        if user is not None and user.locked_out:
            raise HttpError(401, LOCKED_OUT)  # django-axes lock-out (openleave.accounts.models.lockouts)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """Django session cookie; CSRF is enforced for unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


api = NinjaAPI(
    title="openleave API",
    version="1",
    description="Absence & leave management for NAGE Unit 3. Every figure carries its contract citation.",
    auth=[BearerToken(), SessionAuth(csrf=True)],
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found, or you may not see it."}, status=404)


@api.exception_handler(policy.NotVisible)
def not_visible(request, exc):
    return api.create_response(request, {"detail": "Not found, or you may not see it."}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request, {"detail": "Sign in, or send 'Authorization: Bearer <token>'."}, status=401
    )


@api.exception_handler(ValidationError)
def invalid(request, exc):
    problems = []
    for err in exc.errors:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "payload"))
        problems.append({"field": where, "message": err.get("msg", "invalid")})
    text = "; ".join(f"{p['field']}: {p['message']}" if p["field"] else p["message"] for p in problems)
    return api.create_response(request, {"detail": f"Invalid request — {text}", "errors": problems}, status=422)


@api.exception_handler(HttpError)
def http_error(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


from . import endpoints, leave_endpoints, ledger_endpoints, privacy_endpoints  # noqa: E402,F401  (registers the routes)
