"""API routes for privacy: who looked at my data, steward consents, export, de-identified aggregates."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from openleave import policy
from openleave.audit.access import API, record_access
from openleave.people.models import Employee
from openleave.people.selectors import employee_by_number
from openleave.privacy import aggregates
from openleave.privacy.consent import consent_grant, consent_revoke, stewards
from openleave.privacy.exports import build_zip
from openleave.privacy.models import StewardConsent

from .schemas import BODY_ERRORS, BodyIn, Day, Id, Offset, Text, answers

router = Router()


class AccessOut(Schema):
    at: dt.datetime
    who: str
    action: str
    what: str
    category: str
    fields: str
    why: str
    channel: str


class ConsentOut(Schema):
    id: int
    steward: str
    basis: str
    purpose: str
    valid_from: dt.datetime
    valid_until: dt.datetime | None
    revoked_at: dt.datetime | None
    active: bool


class ConsentIn(BodyIn):
    steward_username: Text(150)
    basis: Literal[tuple(StewardConsent.Basis.values)] = "grievance"
    purpose: Text(300) = Field(..., description="What the steward may use your records for (5 to 300 characters).")
    valid_until: Day


class CellOut(Schema):
    agency: str
    month: str
    kind: str
    people: int | None
    suppressed: bool


def _me(request) -> Employee:
    me = request.auth.employee_or_none
    if me is None:
        raise Http404
    return me


Limit = Annotated[int, Field(ge=1, le=500, description="Rows to return.")]


def _access_rows(request, employee, limit: int, offset: int):
    rows = employee.access_log.order_by("-at", "-id")[offset: offset + limit]
    out = [{"at": r.at, "who": r.actor_label, "action": r.action, "what": r.object_type, "category": r.category,
            "fields": r.fields, "why": r.purpose, "channel": r.channel} for r in rows]
    record_access(actor=request.auth, subject=employee, object_type="access_log", object_id=employee.pk,
                  category=policy.AUDIT, channel=API)
    return out


@router.get("/me/access", response=answers({200: list[AccessOut]}), tags=["privacy"], summary="Who looked at my data")
def my_access(request, limit: Limit = 100, offset: Offset = 0):
    return _access_rows(request, _me(request), limit, offset)


@router.get("/employees/{employee_number}/access", response=answers({200: list[AccessOut]}), tags=["privacy"],
         summary="One person's access log (the person, or an auditor; 404 otherwise)")
def employee_access(request, employee_number: str, limit: Limit = 100, offset: Offset = 0):
    e = employee_by_number(employee_number)
    if e is None or not policy.can_view_access_log(request.auth, e):
        raise Http404
    return _access_rows(request, e, limit, offset)


def _consent_out(c, now) -> dict:
    return {"id": c.pk, "steward": c.steward.display_name(), "basis": c.basis, "purpose": c.purpose,
            "valid_from": c.valid_from, "valid_until": c.valid_until, "revoked_at": c.revoked_at,
            "active": c.is_valid(now)}


@router.get("/me/consents", response=answers({200: list[ConsentOut]}), tags=["privacy"], summary="My steward authorisations")
def my_consents(request):
    me = _me(request)
    now = timezone.now()
    out = [_consent_out(c, now) for c in me.steward_consents.select_related("steward").order_by("-granted_at")]
    record_access(actor=request.auth, subject=me, object_type="steward_consent", object_id="list",
                  category=policy.LEAVE, channel=API)
    return out


@router.post("/me/consents", response=answers({201: ConsentOut}, *BODY_ERRORS), tags=["privacy"],
          summary="Authorise a named steward to see my leave records until a date")
def grant(request, payload: ConsentIn):
    me = _me(request)
    steward = stewards().filter(username=payload.steward_username).first()
    if steward is None:
        raise HttpError(422, "steward_username: no union steward with that user name")
    until = timezone.make_aware(dt.datetime.combine(payload.valid_until, dt.time(23, 59, 59)))
    try:
        c = consent_grant(actor=request.auth, employee=me, steward=steward, basis=payload.basis,
                          purpose=payload.purpose, valid_until=until, channel=API)
    except ValidationError as exc:
        raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
    return Status(201, _consent_out(c, timezone.now()))


@router.post("/me/consents/{consent_id}/revoke", response=answers({200: ConsentOut}, 403, 409), tags=["privacy"],
          summary="Revoke a consent")
def revoke(request, consent_id: Id):
    _me(request)
    try:
        c = consent_revoke(actor=request.auth, consent_id=consent_id, channel=API)
    except policy.NotVisible:
        raise Http404 from None
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    return _consent_out(c, timezone.now())


@router.get("/me/export", tags=["privacy"], summary="All my data: JSON and CSV files in a zip",
         response=answers({200: None}), openapi_extra={"responses": {200: {
             "description": "A zip file", "content": {"application/zip": {"schema": {"type": "string",
                                                                                    "format": "binary"}}}}}})
def export(request):
    name, data = build_zip(_me(request), actor=request.auth, channel=API)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@router.get("/privacy/aggregates", response=answers({200: list[CellOut]}), tags=["privacy"],
         summary="De-identified leave use: people per agency, month and kind; cells under 10 suppressed")
def aggregate_counts(request, start: Day | None = None, end: Day | None = None):
    if not policy.can_view_aggregates(request.auth):
        raise Http404
    end = end or timezone.localdate()
    start = start or (end - dt.timedelta(days=365)).replace(day=1)
    return [{"agency": c.agency, "month": c.month, "kind": c.kind, "people": c.people, "suppressed": c.suppressed}
            for c in aggregates.usage_cells(start, end)]
