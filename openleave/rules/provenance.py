"""What a rule result relied on, kept beside it so it can be replayed years later: the inputs the rules core got
(the employee's facts, the ask, the ``RequestContext``), the contract parameter set's content hash
(``ParameterTree.content_hash``) and the code version. Pure Python: JSON in, plain values out; no Django, no clock.

``code_version()`` is the package version and, when the code runs from a git checkout, its commit (read from the
``.git`` files, no subprocess); else the build stamp in ``openleave/BUILD_STAMP`` (written when a release is
built); else the version alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from .facts import EmployeeFacts, ServiceBreak
from .fmla import ContinuousFmla, IntermittentFmla
from .params import ParameterTree
from .requests.model import RequestContext, UnionUsage

FORMAT = 1  # the version of this JSON form (``inputs``); a later change of form keeps reading this one
PACKAGE_ROOT = Path(__file__).resolve().parents[2]


class MissingInputs(ValueError):
    """A stored result without the inputs a replay needs (e.g. stored before they were kept)."""


# --- the code version --------------------------------------------------------------------------------------

def _package_version() -> str:
    try:
        from importlib.metadata import version

        return version("openleave")
    except Exception:  # not installed as a distribution: the source's pyproject
        import tomllib

        try:
            return tomllib.loads((PACKAGE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
        except (OSError, KeyError, ValueError):
            return "unknown"


def _git_commit(root: Path) -> str | None:
    """The checked-out commit of the git repository (or worktree) at ``root``, from its files; None if there is none."""
    git = root / ".git"
    try:
        if git.is_file():  # a worktree: "gitdir: /path/to/.git/worktrees/name"
            git = Path(git.read_text(encoding="utf-8").split(":", 1)[1].strip())
        if not git.is_dir():
            return None
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref:"):
            return head[:40] or None
        ref = head.split(":", 1)[1].strip()
        common = git
        if (git / "commondir").is_file():
            common = (git / (git / "commondir").read_text(encoding="utf-8").strip()).resolve()
        for base in (git, common):
            if (base / ref).is_file():
                return (base / ref).read_text(encoding="utf-8").strip()[:40]
        packed = common / "packed-refs"
        if packed.is_file():
            for line in packed.read_text(encoding="utf-8").splitlines():
                if line.endswith(" " + ref):
                    return line.split(" ", 1)[0][:40]
    except (OSError, IndexError):
        return None
    return None


@lru_cache(maxsize=1)
def code_version() -> str:
    """``openleave <version>+g<commit>`` from a git checkout, ``openleave <version>+<build stamp>`` from a build,
    else ``openleave <version>``."""
    base = f"openleave {_package_version()}"
    commit = _git_commit(PACKAGE_ROOT)
    if commit:
        return f"{base}+g{commit[:12]}"
    stamp = PACKAGE_ROOT / "openleave" / "BUILD_STAMP"
    if stamp.is_file():
        text = stamp.read_text(encoding="utf-8").strip()
        if text:
            return f"{base}+{text[:60]}"
    return base


def stamp(tree: ParameterTree) -> dict[str, str]:
    """The parameter set's content hash and the code version, as stored beside a result."""
    return {"param_hash": tree.content_hash(), "code_version": code_version()}


# --- plain values ↔ JSON -----------------------------------------------------------------------------------

def _d(x: dt.date | None) -> str | None:
    return x.isoformat() if x is not None else None


def _date(x: str | None) -> dt.date | None:
    return dt.date.fromisoformat(x) if x else None


def _dec(x: Decimal | None) -> str | None:
    return format(x, "f") if x is not None else None


def facts_json(f: EmployeeFacts) -> dict[str, Any]:
    """The employee's facts the rules got (nothing else about the person: no name, no number)."""
    return {
        "service_start": _d(f.service_start),
        "title_full_time_hours_per_week": _dec(f.title_full_time_hours_per_week),
        "schedule_hours_per_week": _dec(f.schedule_hours_per_week),
        "status": f.status,
        "hire_date": _d(f.hire_date),
        "on_payroll_2011_09_01": f.on_payroll_2011_09_01,
        "prior_relevant_experience_years": _dec(f.prior_relevant_experience_years),
        "prior_experience_approved": f.prior_experience_approved,
        "service_breaks": [{"left": _d(b.left), "returned": _d(b.returned),
                            "prior_service_approved": b.prior_service_approved} for b in f.service_breaks],
        "service_adjustment_days": f.service_adjustment_days,
        "probation_end": _d(f.probation_end),
        "emergency_personnel": f.emergency_personnel,
        "work_schedule": {k: _dec(v) for k, v in f.work_schedule.items()},
        "separation_date": _d(f.separation_date),
        "enhanced_accrual_from": _d(f.enhanced_accrual_from),
        "unit_entry_date": _d(f.unit_entry_date),
    }


def facts_from_json(d: Mapping[str, Any]) -> EmployeeFacts:
    def dec(x):
        return (Decimal(x) if x is not None else None)
    return EmployeeFacts(
        service_start=dt.date.fromisoformat(d["service_start"]),
        title_full_time_hours_per_week=Decimal(d["title_full_time_hours_per_week"]),
        schedule_hours_per_week=dec(d.get("schedule_hours_per_week")),
        status=d.get("status", "full_time"),
        hire_date=_date(d.get("hire_date")),
        on_payroll_2011_09_01=d.get("on_payroll_2011_09_01"),
        prior_relevant_experience_years=dec(d.get("prior_relevant_experience_years")),
        prior_experience_approved=bool(d.get("prior_experience_approved", False)),
        service_breaks=tuple(ServiceBreak(dt.date.fromisoformat(b["left"]), dt.date.fromisoformat(b["returned"]),
                                          bool(b.get("prior_service_approved", False)))
                             for b in d.get("service_breaks", ())),
        service_adjustment_days=int(d.get("service_adjustment_days", 0)),
        probation_end=_date(d.get("probation_end")),
        emergency_personnel=bool(d.get("emergency_personnel", False)),
        work_schedule={k: Decimal(v) for k, v in (d.get("work_schedule") or {}).items()},
        separation_date=_date(d.get("separation_date")),
        enhanced_accrual_from=_date(d.get("enhanced_accrual_from")),
        unit_entry_date=_date(d.get("unit_entry_date")),
    )


def fmla_taken_json(taken) -> list[dict[str, Any]]:
    """FMLA leave already taken (``rules.fmla.ContinuousFmla`` / ``IntermittentFmla``) as JSON."""
    return [_fmla_json(e) for e in taken]


def fmla_taken_from_json(items) -> tuple[Any, ...]:
    return tuple(_fmla_from(e) for e in items or ())


def entitlement_inputs(facts: EmployeeFacts, on: dt.date, taken, reason: str, tree: ParameterTree) -> dict[str, Any]:
    """What an FMLA entitlement (``rules.fmla.fmla_entitlement``) relied on, stamped: the facts, the day, the FMLA
    leave already taken and the reason."""
    return {"format": FORMAT, **stamp(tree), "facts": facts_json(facts), "on": on.isoformat(), "reason": reason,
            "fmla_taken": fmla_taken_json(taken)}


def _fmla_json(e: Any) -> dict[str, Any]:
    if isinstance(e, ContinuousFmla):
        return {"from": _d(e.start), "to": _d(e.end)}
    if isinstance(e, IntermittentFmla):
        return {"on": _d(e.on), "days": _dec(e.days), "micro": e.micro}
    raise TypeError(f"not FMLA leave taken: {e!r}")


def _fmla_from(d: Mapping[str, Any]) -> Any:
    if "from" in d:
        return ContinuousFmla(dt.date.fromisoformat(d["from"]), dt.date.fromisoformat(d["to"]))
    return IntermittentFmla(dt.date.fromisoformat(d["on"]), days=Decimal(d["days"]) if d.get("days") else None,
                            micro=int(d["micro"]) if d.get("micro") is not None else None)


def _dates(xs) -> list[str]:
    return sorted(x.isoformat() for x in xs)


def _weeks(m: Mapping[dt.date, int]) -> dict[str, int]:
    return {k.isoformat(): int(v) for k, v in sorted(m.items())}


def union_json(u: UnionUsage) -> dict[str, Any]:
    """The union-wide usage: counts and dates only (whose days they are is not in it)."""
    return {
        "convention_days": {str(y): int(n) for y, n in sorted(u.convention_days.items())},
        "exec_board_dates": _dates(u.exec_board_dates),
        "steward_training_dates": _dates(u.steward_training_dates),
        "president_assist_hours": _weeks(u.president_assist_hours),
        "president_assist_own_hours": _weeks(u.president_assist_own_hours),
        "full_time_leaves": [[_d(a), _d(b)] for a, b in u.full_time_leaves],
        "unit_employees": u.unit_employees,
        "own": u.own,
    }


def union_from_json(d: Mapping[str, Any]) -> UnionUsage:
    def weeks(m):
        return ({dt.date.fromisoformat(k): int(v) for k, v in (m or {}).items()})
    return UnionUsage(
        convention_days={int(y): int(n) for y, n in (d.get("convention_days") or {}).items()},
        exec_board_dates=frozenset(dt.date.fromisoformat(x) for x in d.get("exec_board_dates", ())),
        steward_training_dates=frozenset(dt.date.fromisoformat(x) for x in d.get("steward_training_dates", ())),
        president_assist_hours=weeks(d.get("president_assist_hours")),
        president_assist_own_hours=weeks(d.get("president_assist_own_hours")),
        full_time_leaves=tuple((dt.date.fromisoformat(a), dt.date.fromisoformat(b))
                               for a, b in d.get("full_time_leaves", ())),
        unit_employees=d.get("unit_employees"),
        own=int(d.get("own", 0)),
    )


def context_json(c: RequestContext) -> dict[str, Any]:
    """The ``RequestContext`` as the rules got it: balances, usage so far, holidays, settings, FMLA taken."""
    return {
        "balances": {k: int(v) for k, v in sorted(c.balances.items())},
        "used_hours": {k: int(v) for k, v in sorted(c.used_hours.items())},
        "used_days": {k: int(v) for k, v in sorted(c.used_days.items())},
        "used_for_event": int(c.used_for_event),
        "submitted_at": c.submitted_at.isoformat() if c.submitted_at else None,
        "holidays": _dates(c.holidays),
        "shift_starts": {k: v.isoformat() for k, v in c.shift_starts.items()},
        "single_shift_agency": c.single_shift_agency,
        "auto_approve": sorted(c.auto_approve),
        "medical_evidence_required": c.medical_evidence_required,
        "state_of_emergency": c.state_of_emergency,
        "fmla_taken": [_fmla_json(e) for e in c.fmla_taken],
        "union_usage": union_json(c.union_usage),
    }


def context_from_json(d: Mapping[str, Any]) -> RequestContext:
    return RequestContext(
        balances={k: int(v) for k, v in (d.get("balances") or {}).items()},
        used_hours={k: int(v) for k, v in (d.get("used_hours") or {}).items()},
        used_days={k: int(v) for k, v in (d.get("used_days") or {}).items()},
        used_for_event=int(d.get("used_for_event", 0)),
        submitted_at=dt.datetime.fromisoformat(d["submitted_at"]) if d.get("submitted_at") else None,
        holidays=frozenset(dt.date.fromisoformat(x) for x in d.get("holidays", ())),
        shift_starts={k: dt.time.fromisoformat(v) for k, v in (d.get("shift_starts") or {}).items()},
        single_shift_agency=bool(d.get("single_shift_agency", False)),
        auto_approve=frozenset(d.get("auto_approve", ())),
        medical_evidence_required=bool(d.get("medical_evidence_required", False)),
        state_of_emergency=bool(d.get("state_of_emergency", False)),
        fmla_taken=tuple(_fmla_from(e) for e in d.get("fmla_taken", ())),
        union_usage=union_from_json(d.get("union_usage") or {}),
    )


def inputs(facts: EmployeeFacts, ask: Mapping[str, Any], ctx: RequestContext, tree: ParameterTree) -> dict[str, Any]:
    """One check's inputs, stamped: ``ask`` is the request as asked, in its JSON form (kind, dates, times, hours,
    the kind's facts) — the shell builds the ``LeaveAsk`` from it the same way each time."""
    return {"format": FORMAT, **stamp(tree), "facts": facts_json(facts), "ask": dict(ask), "context": context_json(ctx)}


REPLAYED = ("outcome", "allowed_micro", "requested_micro", "charges", "citations", "days")


def differences(stored: Mapping[str, Any], current: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What differs between a stored finding and the same check run again (both in ``Finding.as_json`` form):
    the outcome, the hours asked and allowed, the charges, the citations and the hours per day."""
    out = []
    for key in REPLAYED:
        a, b = stored.get(key), current.get(key)
        if key == "charges":
            a, b = {k: int(v) for k, v in (a or {}).items()}, {k: int(v) for k, v in (b or {}).items()}
        if a != b:
            out.append({"key": key, "stored": a, "current": b})
    return out
