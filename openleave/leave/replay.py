"""Replayable decisions: a stored finding re-derived from the inputs kept beside it (``LeaveRequest.replay_inputs``,
``rules.provenance``), and the "Check this yourself" scenario file that states those inputs in the scenario format.

* ``replay(req)`` runs the rules core again on the stored facts, ask and context with the current code and contract
  parameters and returns what differs from the stored finding (outcome, hours, charges, citations, days).
* ``scenario_document(req)`` is the member's own facts and the request as ``python -m openleave scenario FILE``
  reads them (docs/scenarios.md, "Replaying a decision"), with the stored finding as the question's ``expect:``:
  running the file says ``met`` when today's code and parameters agree with the decision. Nothing about anyone
  else: no name, no employee number, no colleague; the union-wide usage of the Art. 5 limits only as counts
  and dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml

from openleave import policy
from openleave.audit.access import record_access
from openleave.rules import provenance
from openleave.rules.params import default_tree
from openleave.rules.requests import RequestError, check_request
from openleave.rules.units import hours_str

from .errors import LeaveError
from .models import LeaveRequest

MOMENTS = ("decision", "submission")


def _missing(req: LeaveRequest, moment: str) -> Exception:
    what = f"decision {req.decision.pk} (request {req.pk})" if moment == "decision" and hasattr(req, "decision") \
        else f"request {req.pk}"
    return provenance.MissingInputs(
        f"{what}: the {moment} was stored without the facts it used (before openleave kept them); it cannot be "
        "replayed — its stored finding stands as it is.")


def moment_of(req: LeaveRequest) -> str:
    """The finding a page shows as the request's: the decision's once decided, else the submission's."""
    return "decision" if req.finding_at_decision else "submission"


def stored(req: LeaveRequest, moment: str) -> tuple[dict, dict]:
    """(the stored finding, its inputs) of ``moment``; ``provenance.MissingInputs`` naming the decision if the
    inputs were not kept."""
    finding = req.finding_at_decision if moment == "decision" else req.finding_at_submission
    inputs = (req.replay_inputs or {}).get(moment)
    if not finding or not inputs or not {"facts", "ask", "context"} <= set(inputs):
        raise _missing(req, moment)
    return finding, inputs


@dataclass
class Replay:
    """One stored finding checked again: what differs (empty: the same), the hashes and code versions."""

    request_id: int
    decision_id: int | None
    moment: str
    stored_hash: str
    current_hash: str
    stored_code: str
    current_code: str
    differences: list[dict[str, Any]] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not self.differences


def rebuild(inputs: dict):
    """The stored inputs → (EmployeeFacts, LeaveAsk, RequestContext) exactly as the rules got them."""
    from .services import input_of_ask  # services imports this module's neighbours; keep the import local

    data, hours = input_of_ask(inputs["ask"])
    return (provenance.facts_from_json(inputs["facts"]), data.ask(hours),
            provenance.context_from_json(inputs["context"]))


def replay(req: LeaveRequest, moment: str = "decision", tree=None) -> Replay:
    """``req``'s stored finding at ``moment`` re-derived with the current code and parameters (``tree``: the
    current default)."""
    tree = tree or default_tree()
    finding, inputs = stored(req, moment)
    facts, ask, ctx = rebuild(inputs)
    decision = getattr(req, "decision", None) if moment == "decision" else None
    out = Replay(req.pk, decision.pk if decision else None, moment, inputs.get("param_hash", "?"),
                 tree.content_hash(), inputs.get("code_version", "?"), provenance.code_version())
    try:
        current = check_request(facts, ask, ctx, tree).as_json()
    except (RequestError, ValueError) as exc:
        out.differences = [{"key": "check", "stored": finding.get("outcome"), "current": f"refused: {exc}"}]
        return out
    out.differences = provenance.differences(finding, current)
    return out


# --- the scenario file --------------------------------------------------------------------------------------

def _num(text: str | None) -> Decimal | None:
    return Decimal(text) if text is not None else None


def _hours(micro: int) -> Decimal:
    return Decimal(hours_str(micro))


def _employee(f: dict) -> dict[str, Any]:
    out: dict[str, Any] = {"service_start": f["service_start"]}
    out["title_full_time_hours_per_week"] = _num(f["title_full_time_hours_per_week"])
    if f.get("schedule_hours_per_week") is not None:
        out["schedule_hours_per_week"] = _num(f["schedule_hours_per_week"])
    out["status"] = f["status"]
    for key in ("hire_date", "probation_end", "separation_date", "enhanced_accrual_from", "unit_entry_date",
                "on_payroll_2011_09_01"):
        if f.get(key) is not None:
            out[key] = f[key]
    if f.get("prior_relevant_experience_years") is not None:
        out["prior_relevant_experience_years"] = _num(f["prior_relevant_experience_years"])
    if f.get("prior_experience_approved"):
        out["prior_experience_approved"] = True
    if f.get("emergency_personnel"):
        out["emergency_personnel"] = True
    if f.get("service_breaks"):
        out["service_breaks"] = [dict(b) for b in f["service_breaks"]]
    if f.get("service_adjustment_days"):
        out["service_adjustment_days"] = int(f["service_adjustment_days"])
    if f.get("work_schedule"):
        out["work_schedule"] = {k: _num(v) for k, v in f["work_schedule"].items()}
    return out


def _when(x: dt.date | dt.datetime) -> str:
    if isinstance(x, dt.datetime):
        return x.isoformat(timespec="minutes" if not x.second and not x.microsecond else "auto")
    return x.isoformat()


def _events(ctx: dict) -> list[dict[str, Any]]:
    """The FMLA leave already taken (Sec. 8.7.2), as the scenario's fmla_leave / fmla_intermittent events."""
    out = []
    for e in ctx.get("fmla_taken", ()):
        if "from" in e:
            out.append((e["from"], {"fmla_leave": {"from": e["from"], "to": e["to"]}}))  # no `date`: from/to
        else:
            body = {"days": _num(e["days"])} if e.get("days") else {"hours": _hours(int(e["micro"]))}
            out.append((e["on"], {"date": e["on"], "fmla_intermittent": body}))
    return [ev for _, ev in sorted(out, key=lambda p: p[0])]


def _union(u: dict, start: dt.date) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if (u.get("convention_days") or {}).get(str(start.year)):
        out["convention_days"] = int(u["convention_days"][str(start.year)])
    for key in ("exec_board_dates", "steward_training_dates"):
        if u.get(key):
            out[key] = list(u[key])
    for key in ("president_assist_hours", "president_assist_own_hours"):
        if u.get(key):
            out[key] = {d: _hours(int(m)) for d, m in u[key].items()}
    if u.get("full_time_leaves"):
        out["full_time_leaves"] = [{"from": a, "to": b} for a, b in u["full_time_leaves"]]
    if u.get("unit_employees") is not None:
        out["unit_employees"] = int(u["unit_employees"])
    return out


def _request(inputs: dict, ask) -> dict[str, Any]:
    a, c = inputs["ask"], inputs["context"]
    out: dict[str, Any] = {"leave": a["kind"], "from": _when(ask.start), "to": _when(ask.end)}
    if a.get("hours") is not None:
        out["hours"] = Decimal(a["hours"])
    for key, value in (a.get("facts") or {}).items():
        out[key] = Decimal(value) if isinstance(value, str) and _is_money(a["kind"], key) else value
    if c.get("submitted_at"):
        out["submitted_at"] = c["submitted_at"]
    out["balances"] = {k: _hours(int(m)) for k, m in c.get("balances", {}).items()}
    out["holidays"] = list(c.get("holidays", ()))
    out["only_listed_holidays"] = True
    if any(c.get("used_hours", {}).values()):
        out["used_hours"] = {k: _hours(int(m)) for k, m in c["used_hours"].items() if m}
    if any(c.get("used_days", {}).values()):
        out["used_days"] = {k: int(n) for k, n in c["used_days"].items() if n}
    if c.get("used_for_event"):
        out["used_for_event_hours"] = _hours(int(c["used_for_event"]))
    for key in ("single_shift_agency", "medical_evidence_required", "state_of_emergency"):
        if c.get(key):
            out[key] = True
    if c.get("auto_approve"):
        out["auto_approve"] = list(c["auto_approve"])
    if c.get("shift_starts"):
        out["shift_starts"] = {d: t[:5] for d, t in c["shift_starts"].items()}
    union = _union(c.get("union_usage") or {}, ask.start.date() if isinstance(ask.start, dt.datetime) else ask.start)
    if union:
        out["union_usage"] = union
    return out


def _is_money(kind: str, name: str) -> bool:
    from openleave.rules.requests import declaration

    fact = declaration(kind).fact(name)
    return fact is not None and fact.type == "money"


def _expect(finding: dict) -> dict[str, Any]:
    """The stored finding as the question's ``expect:`` (the scenario answer's keys)."""
    return {
        "value": finding["allowed"], "outcome": finding["outcome"],
        "allowed_hours": finding["allowed"], "requested_hours": finding["requested"],
        "charges": [{"leave": t, "hours": hours_str(int(m))} for t, m in (finding.get("charges") or {}).items()],
        "citations": list(finding.get("citations", ())),
        "days": [{"date": d, "hours": hours_str(int(m))} for d, m in (finding.get("days") or {}).items()],
    }


def scenario_document(req: LeaveRequest, moment: str | None = None) -> dict[str, Any]:
    """The scenario that reproduces ``req``'s finding at ``moment`` (default: the decision's once decided)."""
    moment = moment or moment_of(req)
    finding, inputs = stored(req, moment)
    _, ask, _ = rebuild(inputs)
    decision = getattr(req, "decision", None) if moment == "decision" else None
    head = (f"decision {decision.pk} on request {req.pk}" if decision else f"request {req.pk} at its submission")
    doc: dict[str, Any] = {
        "description": (
            f"Check this yourself: {head} ({req.kind_label}, {req.start_date} to {req.end_date}) — the member's own "
            "facts, the request, and the balances, usage so far and holidays the rules were given, as stored with "
            f"it. Contract parameters {inputs.get('param_hash', '?')}; code {inputs.get('code_version', '?')}. "
            "Run: python -m openleave scenario THIS_FILE — every expectation is 'met' when today's code and "
            "contract give the same finding (docs/scenarios.md, Replaying a decision)."),
        "employee": _employee(inputs["facts"]),
    }
    events = _events(inputs["context"])
    if events:
        doc["events"] = events
    doc["questions"] = [{"id": moment, "request": _request(inputs, ask), "expect": _expect(finding)}]
    return doc


class _Dumper(yaml.SafeDumper):
    """Decimals as plain numbers (read back as exact decimals by the scenario loader), keys in the order built."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal):
    text = format(value, "f")
    if "." not in text:
        return dumper.represent_scalar("tag:yaml.org,2002:int", text)
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


_Dumper.add_representer(Decimal, _decimal)


def scenario_yaml(req: LeaveRequest, moment: str | None = None) -> str:
    """``scenario_document`` as YAML text (UTF-8, keys in the order of docs/scenarios.md)."""
    return yaml.dump(scenario_document(req, moment), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


def scenario_for(user, req: LeaveRequest, *, channel: str = "ui") -> tuple[str, str]:
    """(file name, YAML text) of ``req``'s scenario file for ``user`` — who found ``req`` through
    ``selectors.request_for`` — if ``policy.can_download_scenario`` lets them have it (else ``NotVisible``), with
    one access-log row naming the member. A finding stored without its facts is a ``LeaveError`` (409) naming it."""
    if not policy.can_download_scenario(user, req):
        raise policy.NotVisible()
    moment = moment_of(req)
    try:
        text = scenario_yaml(req, moment)
    except provenance.MissingInputs as exc:
        raise LeaveError(str(exc), status=409) from None
    record_access(actor=user, subject=req.employee, object_type="leave_scenario", object_id=req.pk,
                  category=policy.LEAVE, channel=channel, fields=f"scenario file of the {moment} (check this yourself)")
    return f"openleave-request-{req.pk}-{moment}.yaml", text
