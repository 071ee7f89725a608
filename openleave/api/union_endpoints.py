"""API: the union-wide limits of Art. 5 (Sec. 5.3, 5.4) — what has been used and what remains of each limit on a
date, across every member (pending and granted), with the citations, and the holders of union leave. For the
union's officers (stewards) and HR (``policy.can_view_union_limits``); anyone else gets a 404. Each holder named is
in that member's access log."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema

from openleave import clock
from openleave.leave import union_limits as U

from .schemas import Day, answers

router = Router(tags=["union"])


class LimitOut(Schema):
    purpose: str
    label: str
    window: str = Field(description="the limit's window: a calendar year, a week, twelve months, a day")
    unit: str
    limit: int | str | None = Field(description="the limit in its unit (hours as decimal text)")
    used: int | str = Field(description="used across all members, pending and granted")
    remaining: int | str
    cite: str


class HolderOut(Schema):
    purpose: str
    label: str
    cite: str
    request_id: int
    name: str
    agency: str
    start: dt.date
    end: dt.date
    days: int = Field(description="the request's days within the limit's window")
    hours: str
    status: str


class UnionLimitsOut(Schema):
    on: dt.date
    unit: str
    limits: list[LimitOut]
    holders: list[HolderOut]


@router.get("/union/limits", response=answers({200: UnionLimitsOut}),
            summary="Used and remaining of each union-wide limit (Sec. 5.3, 5.4) on a date (default today)")
def limits(request, on: Day | None = None):
    return U.officer_view(request.auth, on or clock.today(), channel="api")
