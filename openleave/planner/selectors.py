"""Reads of the planner: the projection of a plan for one employee — the rules core's ``rules.planner.project``
fed with the ledger's rows (``ledger.selectors.core_entries``), the requests awaiting a decision, the live
requests (caps and overlaps), the Art. 10 holidays and the organisation's request settings — and the shared
plans. Every read of an employee's projection writes its access-log row naming them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from openleave import kinds, policy
from openleave.audit.access import record_access
from openleave.leave import selectors as leave_sel
from openleave.leave.models import KIND_LABELS, AutoApproval, LeaveRequest
from openleave.ledger.models import Leave
from openleave.ledger.selectors import carry_overs, core_entries
from openleave.ledger.services import tree as ledger_tree
from openleave.rules import planner as core
from openleave.rules.requests import RequestContext
from openleave.rules.requests.registry import Earlier
from openleave.rules.units import hours_str, to_micro

from .models import SharedPlan, token_digest
from .services import PlanRow

LEAVE_LABELS = {"sick": Leave.SICK.label, "vacation": Leave.VACATION.label, "personal": Leave.PERSONAL.label,
                "emergency_day": Leave.EMERGENCY.label}
NOT_PROJECTED = ("comp_time",)  # credits the rules core does not project: taken as they stand today


def _planned(rows: list[PlanRow]) -> list[core.PlannedLeave]:
    return [core.PlannedLeave(r.kind, r.start_date, r.end_date, to_micro(r.hours) if r.hours is not None else None,
                              kinds.ask_facts(r.kind, r.facts), f"row {i + 1}") for i, r in enumerate(rows)]


def project_plan(employee, rows: list[PlanRow], *, today: dt.date | None = None,
                 now: dt.datetime | None = None) -> core.Projection:
    """The projection of ``rows`` for ``employee`` (no access-log row: the callers write theirs)."""
    today = today or timezone.localdate()
    now = now or timezone.localtime()
    tree = ledger_tree()
    planned = _planned(rows)
    until = core.horizon(today, planned, tree)
    live = list(LeaveRequest.objects.filter(employee=employee, status__in=leave_sel.ACTIVE)
                .defer("finding_at_submission", "finding_at_decision").prefetch_related("charges").order_by("start_date", "id"))
    pending = [core.Pending(r.start_date, {t: int(m) for t, m in (r.reserved or {}).items()}, f"request {r.pk}")
               for r in live if r.status in leave_sel.HOLDING]
    earlier: dict[str, list[Earlier]] = defaultdict(list)
    covered: dict[dt.date, str] = {}
    for r in live:
        days = tuple(dt.date.fromisoformat(d) for d in (r.days or {}))
        earlier[r.kind].append(Earlier(r.facts or {}, leave_sel._charges_of(r), r.start_date, days))
        for d in days:
            covered.setdefault(d, f"request {r.pk}")
    auto = frozenset(AutoApproval.objects.filter(agency_id=employee.agency_id, enabled=True).values_list("kind", flat=True))
    context = RequestContext(holidays=leave_sel.holidays_between(today, until, employee.agency),
                             single_shift_agency=employee.agency.single_shift, auto_approve=auto)
    balances = leave_sel.credit_balances(employee, today)
    return core.project(employee.facts(), core_entries(employee, until), today=today, rows=planned, pending=pending,
                        tree=tree, until=until, context=context, earlier=earlier, covered=covered,
                        other_balances={k: balances.get(k, 0) for k in NOT_PROJECTED}, now=now,
                        events=carry_overs(employee))


def plan_for(user, employee, rows: list[PlanRow], *, channel: str = "ui") -> core.Projection:
    """The employee's own plan (nothing submitted), logged as a read of their leave data."""
    if not policy.can_plan(user, employee):
        raise policy.NotVisible()
    p = project_plan(employee, rows)
    record_access(actor=user, subject=employee, object_type="leave_plan", category=policy.LEAVE, channel=channel,
                  fields=f"projected balances for {len(rows)} planned row(s), nothing submitted")
    return p


def my_shares(employee) -> list[SharedPlan]:
    return list(SharedPlan.objects.filter(employee=employee).order_by("-created_at", "-id")[:50])


def shared_plan_open(user, token: str, *, channel: str = "ui") -> tuple[SharedPlan, list[PlanRow], core.Projection]:
    """A shared plan by its link's token, for the employee or their supervisor chain while the link is open;
    anyone else, a revoked or expired link and an unknown token all get the same ``NotVisible`` (a 404)."""
    if not token or len(token) > 100:
        raise policy.NotVisible()
    share = SharedPlan.objects.select_related("employee__agency", "employee__title", "employee__supervisor",
                                              "employee__pay_calendar").filter(token_digest=token_digest(token)).first()
    if share is None or not share.is_open(timezone.now()) or not policy.can_open_shared_plan(user, share.employee):
        raise policy.NotVisible()
    rows = [PlanRow(r["kind"], dt.date.fromisoformat(r["start_date"]), dt.date.fromisoformat(r["end_date"]),
                    None if r.get("hours") in (None, "") else Decimal(r["hours"]), r.get("facts") or {})
            for r in share.rows]
    today = timezone.localdate()
    future = [r for r in rows if r.end_date >= today]
    rows = [r if r.start_date >= today else PlanRow(r.kind, today, r.end_date, None, r.facts) for r in future]
    p = project_plan(share.employee, rows)
    own = user.employee_or_none
    who = "the employee" if own is not None and own.pk == share.employee_id else "a supervisor in the chain"
    record_access(actor=user, subject=share.employee, object_type="shared_plan", object_id=share.pk,
                  category=policy.LEAVE, channel=channel, fields=f"opened the shared plan ({who}), read only")
    return share, rows, p


# --- what a page or the API shows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A projection as a viewer may see it."""

    projection: core.Projection
    leaves: tuple[str, ...]
    full: bool  # the employee (every reason) or someone else (protected kinds as a category)

    def label(self, leave: str) -> str:
        return LEAVE_LABELS.get(leave, leave)

    def rows(self) -> list[dict]:
        out = []
        for r in self.projection.rows:
            hide = r.protected and not self.full
            out.append({
                "n": r.index + 1, "kind": "protected" if hide else r.row.kind,
                "kind_label": r.visible_kind if hide else KIND_LABELS.get(r.row.kind, r.row.kind),
                "start": r.row.start, "end": r.row.end, "outcome": r.outcome.replace("_", " "),
                "requested": hours_str(r.requested), "allowed": hours_str(r.allowed),
                "charges": [] if hide else [(LEAVE_LABELS.get(t, t.replace("_", " ")), hours_str(m)) for t, m in r.charges],
                "stops": [] if hide else [{"text": t, "cite": c} for t, c in r.stops],
                "stopped": r.stopped,
                "reasons": ["Protected leave: the reason is not shown."] if hide else list(r.reasons),
                "citations": [] if hide else list(r.citations),
            })
        return out

    def days(self) -> list[dict]:
        out = []
        for day, bal, changes in self.projection.days():
            out.append({"date": day, "balances": [(leave, self.label(leave), hours_str(bal[leave])) for leave in self.leaves],
                        "changes": [self._change(c) for c in changes if c.entry.leave in self.leaves]})
        return [d for d in out if d["changes"]]

    def _change(self, c: core.Change) -> dict:
        e = c.entry
        cause = e.cause
        if not self.full and e.kind == "usage" and e.key.startswith(("plan:", "pending:")):
            cause = "planned leave" if e.key.startswith("plan:") else "a request awaiting a decision"
        return {"leave": self.label(e.leave), "kind": e.kind.replace("_", " "), "hours": hours_str(e.amount),
                "cause": cause, "citations": ", ".join(e.citations), "projected": c.projected}

    def forfeitures(self) -> list[dict]:
        return [{"date": e.effective, "leave": self.label(e.leave), "hours": hours_str(-e.amount), "cause": e.cause,
                 "citations": ", ".join(e.citations)} for e in self.projection.forfeitures() if e.leave in self.leaves]

    def opening(self) -> list[tuple[str, str]]:
        return [(self.label(leave), hours_str(self.projection.opening.get(leave, 0))) for leave in self.leaves]

    def closing(self) -> list[tuple[str, str]]:
        return [(self.label(leave), hours_str(self.projection.balance(leave, self.projection.until)))
                for leave in self.leaves]

    def as_json(self) -> dict:
        j = self.projection.as_json()
        j["rows"] = [{**r, "start": r["start"].isoformat(), "end": r["end"].isoformat(),
                      "charges": {label: h for label, h in r["charges"]}} for r in self.rows()]
        j["days"] = [{"date": d["date"].isoformat(), "balances": {leave: h for leave, _, h in d["balances"]}, "changes": d["changes"]}
                     for d in self.days()]
        j["forfeitures"] = [{**f, "date": f["date"].isoformat()} for f in self.forfeitures()]
        j["leaves"] = list(self.leaves)
        return j


def shown(projection: core.Projection, *, full: bool) -> Shown:
    """The leave types the employee has anything of (a balance or a line in the projection)."""
    leaves = tuple(leave for leave in projection.leaves
                   if projection.opening.get(leave) or any(e.leave == leave for e, _ in projection.entries))
    return Shown(projection, leaves or ("sick", "vacation"), full)
