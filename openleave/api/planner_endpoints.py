"""API routes of the leave planner: POST a plan → the projection (nothing submitted); GET a shared plan (the
employee and their supervisor chain only; anyone else: 404). Errors are ``{"detail", "field"}``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema

from openleave.planner import selectors as sel
from openleave.planner import services as svc

from .schemas import BODY_ERRORS, BodyIn, answers

router = Router(tags=["leave planner"])


class PlanRowIn(BodyIn):
    kind: str = Field(..., max_length=40, description="A kind of leave request (as /api/leave/requests/check).")
    start_date: str = Field(..., max_length=10, description="First day, YYYY-MM-DD, today or later.")
    end_date: str | None = Field(None, max_length=10, description="Last day (inclusive); default start_date.")
    hours: Decimal | None = Field(None, description="Time off when less than the scheduled hours (exact decimal).")
    facts: dict[str, Any] = Field(default_factory=dict, description="The kind's facts, as for a request.")


class PlanIn(BodyIn):
    rows: list[PlanRowIn] = Field(..., description=f"The planned leave, at most {svc.MAX_ROWS} rows (more: 400 "
                                                   "naming rows).")


class ProjectionOut(Schema):
    from_: str = Field(..., alias="from")
    until: str
    leaves: list[str]
    opening: dict[str, str]
    days: list[dict[str, Any]] = Field(..., description="Each day a balance changes: balances (hours) and the "
                                                        "changes (posted or projected), each with its citations.")
    forfeitures: list[dict[str, Any]]
    rows: list[dict[str, Any]] = Field(..., description="Per planned row: outcome, hours, charges, and what would "
                                                        "stop it with its citation.")
    notes: list[dict[str, Any]]


@router.post("/planner/", response=answers({200: ProjectionOut}, *BODY_ERRORS), by_alias=True,
             summary="Project balances for planned leave (nothing submitted)")
def plan(request, payload: PlanIn):
    me = request.user.employee_or_none
    if me is None:
        from openleave import policy

        raise policy.NotVisible()
    rows = svc.parse_rows([r.model_dump(exclude_none=True) for r in payload.rows], today=timezone.localdate())
    return sel.shown(sel.plan_for(request.user, me, rows, channel="api"), full=True).as_json()


@router.get("/planner/shared/{token}", response=answers({200: ProjectionOut}), by_alias=True,
            summary="A plan shared with the supervisor chain (read only)")
def shared(request, token: str):
    share, _, projection = sel.shared_plan_open(request.user, token, channel="api")
    own = request.user.employee_or_none
    return sel.shown(projection, full=own is not None and own.pk == share.employee_id).as_json()
