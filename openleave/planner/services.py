"""Writes of the planner: share a plan (a saved plan with a random, unguessable link that expires) and revoke a
share. One transaction each, each with its access-log row naming the employee. Also the one parser of planned
rows (the page and the API): a bad row is a ``LeaveError`` naming ``rows[i].field``, nothing written."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from openleave import inputs, kinds, policy
from openleave.audit.access import record_access
from openleave.audit.models import AccessLog
from openleave.leave.errors import LeaveError
from openleave.rules.requests import KINDS

from .models import SharedPlan, token_digest

MAX_ROWS = 20  # rows in one plan
MAX_DAYS_AHEAD = 731  # a plan reaches at most two years ahead
MAX_ROW_DAYS = 366  # one row covers at most a year (as one request)
TITLE_MAX = 100
SHARE_DAYS = (1, 7, 14, 30)  # how long a shared link stays open
DEFAULT_SHARE_DAYS = 14


@dataclass(frozen=True)
class PlanRow:
    """One planned leave, checked for shape: a kind of leave request over whole days, optional hours."""

    kind: str
    start_date: dt.date
    end_date: dt.date
    hours: Decimal | None = None
    facts: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "start_date": self.start_date.isoformat(), "end_date": self.end_date.isoformat(),
                "hours": str(self.hours) if self.hours is not None else None, "facts": self.facts}


def _bad(i: int, name: str, message: str) -> LeaveError:
    return LeaveError(f"Row {i + 1}: {message}", field=f"rows[{i}].{name}")


def parse_rows(raw, *, today: dt.date) -> list[PlanRow]:
    """Planned rows from a form or the API (a list of mappings: kind, start_date, end_date?, hours?, facts?)."""
    if not isinstance(raw, (list, tuple)):
        raise LeaveError("Give the planned leave as a list of rows.", field="rows")
    if len(raw) > MAX_ROWS:
        raise LeaveError(f"A plan has at most {MAX_ROWS} rows ({len(raw)} given): make two plans.", field="rows")
    last = today + dt.timedelta(days=MAX_DAYS_AHEAD)
    out: list[PlanRow] = []
    for i, row in enumerate(raw):
        if not isinstance(row, dict):
            raise LeaveError(f"Row {i + 1}: a row is an object with kind, start_date and end_date.", field=f"rows[{i}]")
        kind = str(row.get("kind") or "").strip()
        if kind not in KINDS:
            raise _bad(i, "kind", f"choose a kind of leave ({', '.join(KINDS)}); {kind!r} is not one.")
        try:
            start = inputs.day(row.get("start_date"), f"rows[{i}].start_date")
            end = inputs.day(row.get("end_date"), f"rows[{i}].end_date") or start
            hours = inputs.hours(row.get("hours"), f"rows[{i}].hours")
        except inputs.BadInput as exc:
            raise LeaveError(f"Row {i + 1}: {exc.message}", field=exc.field) from None
        if start is None:
            raise _bad(i, "start_date", "give the first day of the leave.")
        if start < today:
            raise _bad(i, "start_date", f"the leave starts ({start}) before today ({today}): a plan is for the future.")
        if end < start:
            raise _bad(i, "end_date", f"the leave ends ({end}) before it starts ({start}).")
        if end > last:
            raise _bad(i, "end_date", f"a plan reaches at most two years ahead, to {last} ({end} given).")
        if (end - start).days >= MAX_ROW_DAYS:
            raise _bad(i, "end_date", "one row covers at most one year; add another row.")
        if hours is not None and hours <= 0:
            raise _bad(i, "hours", "the hours must be more than zero.")
        try:
            facts = kinds.parse_facts(kind, row.get("facts") or {}, start)
        except inputs.BadInput as exc:
            raise LeaveError(f"Row {i + 1}: {exc.message}", field=f"rows[{i}].facts.{exc.field}") from None
        out.append(PlanRow(kind, start, end, hours, facts))
    return out


def rows_from_form(post) -> list[dict]:
    """The page's rows (repeated kind / start_date / end_date / hours fields); a row left wholly blank is skipped."""
    kinds_, starts, ends, hours = (post.getlist(k) for k in ("kind", "start_date", "end_date", "hours"))
    n = max(len(kinds_), len(starts), len(ends), len(hours), 0)

    def at(values, i):
        return values[i].strip() if i < len(values) else ""

    rows = [{"kind": at(kinds_, i), "start_date": at(starts, i), "end_date": at(ends, i), "hours": at(hours, i)}
            for i in range(n)]
    return [r for r in rows if r["start_date"] or r["end_date"] or r["hours"]]


def plan_share_create(*, employee, user, rows: list[PlanRow], title: str = "", days: int = DEFAULT_SHARE_DAYS,
                      channel: str = "ui") -> tuple[SharedPlan, str]:
    """Save the plan for the employee's supervisor chain to open read-only; returns it and the link's token
    (shown once: only its SHA-256 is kept)."""
    if not policy.can_plan(user, employee):
        raise policy.NotVisible()
    if not rows:
        raise LeaveError("Add at least one planned leave before sharing.", field="rows")
    if days not in SHARE_DAYS:
        raise LeaveError(f"A link stays open for {', '.join(map(str, SHARE_DAYS))} days.", field="days")
    try:
        title = inputs.text(title, "title", max_length=TITLE_MAX)
    except inputs.BadInput as exc:
        raise LeaveError(exc.message, field="title") from None
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        share = SharedPlan.objects.create(employee=employee, created_by=user, token_digest=token_digest(token),
                                          title=title, rows=[r.as_json() for r in rows], created_at=now,
                                          expires_at=now + dt.timedelta(days=days))
        record_access(actor=user, subject=employee, object_type="shared_plan", object_id=share.pk,
                      category=policy.LEAVE, channel=channel, action=AccessLog.Action.CHANGE,
                      fields=f"shared a plan of {len(rows)} row(s) with the supervisor chain for {days} days")
    return share, token


def plan_share_revoke(*, share_id: int, user, channel: str = "ui") -> SharedPlan:
    """The employee closes a shared link at once."""
    own = user.employee_or_none
    with transaction.atomic():
        share = SharedPlan.objects.select_for_update().filter(pk=share_id, employee_id=getattr(own, "pk", None)).first()
        if share is None or not policy.can_plan(user, share.employee):
            raise policy.NotVisible()
        if share.revoked_at is None:
            share.revoked_at = timezone.now()
            share.save(update_fields=["revoked_at"])
            record_access(actor=user, subject=share.employee, object_type="shared_plan", object_id=share.pk,
                          category=policy.LEAVE, channel=channel, action=AccessLog.Action.CHANGE, fields="revoked")
    return share
