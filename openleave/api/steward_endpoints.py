"""API routes for the union: the steward's workspace (Sec. 24.1, Art. 23) and the de-identified denial statistics.
The same selectors as the pages: the same consent check, the same access-log rows, the same suppression."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from openleave.audit.access import API
from openleave.steward import selectors as S

from .leave_endpoints import RequestOut
from .schemas import answers

router = Router()


class DeadlineOut(Schema):
    date: dt.date
    employee_number: str
    employee_name: str
    request_id: int | None  # the decision grieved, or
    outcome: str | None
    decided_at: dt.datetime | None
    ledger_entry_id: int | None  # a forfeiture or adjustment grieved
    track_id: int | None  # the member's recorded grievance, if any
    step: str
    title: str
    party: str
    citation: str


class MemberOut(Schema):
    employee_number: str
    name: str
    agency: str
    authorised_until: dt.datetime | None
    purpose: str
    denied: int
    partly_approved: int
    decisions: int


class WorkspaceOut(Schema):
    on: dt.date
    members: list[MemberOut]
    deadlines: list[DeadlineOut]


class MemberCaseOut(Schema):
    employee_number: str
    name: str
    agency: str
    authorised_until: dt.datetime | None
    purpose: str
    on: dt.date
    requests: list[RequestOut]  # as ``leave.selectors.request_view`` shows them to this steward
    deadlines: list[DeadlineOut]


class DenialCellOut(Schema):
    agency: str
    kind: str
    ground: str
    ground_text: str
    citation: str
    by: str
    decisions: int | None
    people: int | None
    suppressed: bool


class DenialStatsOut(Schema):
    year: int
    agency: str
    by: str
    min_cell: int
    cells: list[DenialCellOut]


def _deadline(r: S.Deadline) -> dict:
    d = r.decision
    return {"date": r.date, "employee_number": r.employee.employee_number, "employee_name": r.employee.name,
            "request_id": d.request_id if d else None, "outcome": d.outcome if d else None,
            "decided_at": d.decided_at if d else None, "ledger_entry_id": r.ledger_entry.pk if r.ledger_entry else None,
            "track_id": r.track.pk if r.track else None, "step": r.step, "title": r.title, "party": r.party,
            "citation": r.citation}


@router.get("/steward/workspace", response=answers({200: WorkspaceOut}), tags=["steward"],
            summary="The members who authorised me (Sec. 24.1), their decision counts and upcoming grievance deadlines")
def workspace(request):
    ws = S.workspace(request.auth, channel=API)  # not a steward: NotVisible → 404
    return {"on": ws.on, "deadlines": [_deadline(r) for r in ws.deadlines], "members": [{
        "employee_number": r.employee.employee_number, "name": r.employee.name, "agency": r.employee.agency.code,
        "authorised_until": r.consent.valid_until, "purpose": r.consent.purpose, "denied": r.denied,
        "partly_approved": r.partly, "decisions": r.decided} for r in ws.members]}


@router.get("/steward/members/{employee_number}", response=answers({200: MemberCaseOut}), tags=["steward"],
            summary="One authorising member's decisions (denials first) with findings, grounds, reasons and deadlines; "
                    "404 without a valid authorisation")
def member(request, employee_number: str):
    case = S.member_case(request.auth, employee_number, channel=API)
    e = case.employee
    return {"employee_number": e.employee_number, "name": e.name, "agency": e.agency.code,
            "authorised_until": case.consent.valid_until, "purpose": case.consent.purpose, "on": case.on,
            "requests": case.requests,
            "deadlines": [_deadline(r) for r in case.deadlines]}


@router.get("/union/denials", response=answers({200: DenialStatsOut}), tags=["steward"],
            summary="De-identified denials and partial approvals per agency, kind and ground; cells under 10 people "
                    "suppressed")
def denials(request, year: int | None = None, agency: str = "", by: str = ""):
    stats = S.denial_statistics(request.auth, year=year, agency=agency, by=by)
    return {"year": stats.year, "agency": stats.agency, "by": stats.by, "min_cell": stats.min_cell, "cells": [{
        "agency": c.agency, "kind": c.kind, "ground": c.ground, "ground_text": c.ground_text, "citation": c.cite,
        "by": c.by, "decisions": c.decisions, "people": c.people, "suppressed": c.suppressed} for c in stats.cells]}
