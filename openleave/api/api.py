"""The JSON API (django-ninja). Schema: /api/openapi.json; interactive docs: /api/docs.

Authentication: the browser session (with CSRF for unsafe methods) or ``Authorization: Bearer <token>``.
Object-level permissions come from ``openleave.policy``, the same as the web pages.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer
from pydantic import AfterValidator, ConfigDict, Field, StringConstraints, model_validator

from openleave import inputs, policy
from openleave.accounts.models import ApiToken

# --- the shared input layer (openleave.inputs) as field types: bounds show in the schema and are checked --------


def _bounded(check):
    def run(value):
        return check(value, "")

    return AfterValidator(run)


Day = Annotated[dt.date, _bounded(inputs.check_day), Field(description=(
    f"YYYY-MM-DD, from {inputs.earliest_date().isoformat()} (the agreement's parameters begin) to "
    f"{inputs.LATEST_DATE.isoformat()}."))]
TimeOfDay = Annotated[dt.time, _bounded(inputs.check_time), Field(description="Local time of day, HH:MM (no zone).")]
Hours = Annotated[Decimal, _bounded(inputs.check_hours), Field(description=(
    f"Exact decimal hours, more than 0, at most {inputs.MAX_HOURS} and 6 decimals."))]
Money = Annotated[Decimal, _bounded(inputs.check_money)]
Offset = Annotated[int, Field(ge=0, le=inputs.MAX_COUNT, description="Rows to skip.")]
Id = Annotated[int, Field(ge=1, le=inputs.MAX_COUNT)]


def Text(max_length: int, min_length: int = 0):  # noqa: N802  (a type factory)
    return Annotated[str, StringConstraints(max_length=max_length, min_length=min_length)]


class BodyIn(Schema):
    """A request body: a JSON object with only the documented keys (not a string, a list or a number)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values, handler, info):  # replaces ninja's, which reads any object's attributes
        if not isinstance(values, dict):
            raise ValueError("the body must be a JSON object with the documented fields")
        return handler(values)


class ProblemOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """Every error answer: what to fix, and for invalid input the field(s) concerned."""

    detail: str
    field: str | None = None
    errors: list[ProblemOut] | None = None


# The statuses every operation can answer besides its success: 400 bad input (e.g. a NUL byte), 401 not signed
# in, 404 absent or not yours to see, 422 invalid parameters or body.
ERRORS = (400, 401, 404, 422)
BODY_ERRORS = (403, 413)  # POST: 403 not allowed to act / CSRF, 413 body over the size limit


def answers(ok: dict, *more: int) -> dict:
    """``response=`` for an operation: its success schema and ErrorOut for each error status it can give."""
    return {**ok, **{code: ErrorOut for code in sorted({*ERRORS, *more})}}


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


@api.exception_handler(HttpError)
def http_error(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


from . import endpoints, leave_endpoints, ledger_endpoints, privacy_endpoints  # noqa: E402,F401  (registers the routes)
