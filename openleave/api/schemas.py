"""The API's shared types: the input layer (``openleave.inputs``) as field types, and the error answers every
operation documents. The routers (``endpoints``, ``leave_endpoints``, …) import these; ``api.py`` mounts them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, StringConstraints, model_validator

from openleave import inputs

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
