"""The JSON API (django-ninja). Schema: /api/openapi.json; interactive docs: /api/docs.

Authentication: the browser session (with CSRF for unsafe methods) or ``Authorization: Bearer <token>``.
Object-level permissions come from ``openleave.policy``, the same as the web pages.

Each endpoints module defines a ``router``; this module mounts every one of them (at the bottom), and holds the
authentication and the error answers. Shared field types and ``answers``: ``openleave.api.schemas``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer

from openleave import inputs, policy
from openleave.accounts.models import ApiToken
from openleave.leave.errors import LeaveError

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
    body = {"detail": f"Invalid request — {text}", "errors": problems}
    if problems and problems[0]["field"]:
        body["field"] = problems[0]["field"]
    return api.create_response(request, body, status=422)


@api.exception_handler(inputs.BadInput)
def bad_input(request, exc: inputs.BadInput):
    body = {"detail": str(exc), "errors": [{"field": exc.field, "message": exc.message}]}
    if exc.field:
        body["field"] = exc.field
    return api.create_response(request, body, status=422)


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    return api.create_response(request, {"detail": "The request body is too large (at most 2.5 MB)."}, status=413)


@api.exception_handler(LeaveError)
def leave_error(request, exc: LeaveError):
    body: dict[str, Any] = {"detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(HttpError)
def http_error(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


# Every router, mounted here and only here.
from . import (  # noqa: E402
    comp_endpoints,
    endpoints,
    grievance_endpoints,
    leave_endpoints,
    ledger_endpoints,
    medical_endpoints,
    outcome_endpoints,
    payroll_endpoints,
    payroll_hours_endpoints,
    people_endpoints,
    planner_endpoints,
    privacy_endpoints,
    separation_endpoints,
    statement_endpoints,
    steward_endpoints,
    union_endpoints,
)

api.add_router("", endpoints.router)
api.add_router("", ledger_endpoints.router)
api.add_router("", privacy_endpoints.router)
api.add_router("", comp_endpoints.router)
api.add_router("/leave", leave_endpoints.router)
api.add_router("", leave_endpoints.scenario_router)
api.add_router("", separation_endpoints.router)
api.add_router("", planner_endpoints.router)
api.add_router("", statement_endpoints.router)
api.add_router("", medical_endpoints.router)
api.add_router("", grievance_endpoints.router)
api.add_router("", union_endpoints.router)
api.add_router("", steward_endpoints.router)
api.add_router("", outcome_endpoints.router)
api.add_router("", payroll_endpoints.router)
api.add_router("", payroll_hours_endpoints.router)
api.add_router("", people_endpoints.router)
