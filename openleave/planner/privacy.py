"""What the planner holds about people (registered with ``openleave.privacy`` from ``PlannerConfig.ready``)."""

from __future__ import annotations

from openleave.privacy.exports import register_exporter
from openleave.privacy.registry import register
from openleave.privacy.retention import register_rule


def register_all() -> None:
    register("planner.SharedPlan", category="leave", retention="leave",
             why="leave the employee planned and chose to show their supervisor chain (read-only link, expires)",
             who="the employee; their supervisor chain while the link is open",
             fields={"created_by": {"why": "who shared the plan (the employee)"},
                     "token_digest": {"why": "the SHA-256 of the link's token, to recognise the link (never the token)"}})
    register_exporter("planner")(export_rows)
    register_rule(
        key="planner_shared_plans", period="leave", action="delete",
        description="shared plans that expired before the period",
        due=lambda cutoff: _model().objects.filter(expires_at__lt=cutoff).select_related("employee").order_by("id"),
        subject_of=lambda p: p.employee,
        label=lambda p: f"shared plan {p.pk} (employee {p.employee.employee_number}, expired {p.expires_at:%Y-%m-%d})",
    )


def _model():
    from .models import SharedPlan

    return SharedPlan


def export_rows(employee) -> dict[str, list[dict]]:
    return {"shared_plans": [
        {"shared_plan": p.pk, "title": p.title, "rows": "; ".join(
            f"{r.get('kind')} {r.get('start_date')}..{r.get('end_date')}" for r in p.rows or []),
         "created_at": p.created_at, "expires_at": p.expires_at, "revoked_at": p.revoked_at}
        for p in _model().objects.filter(employee=employee).order_by("id")]}
