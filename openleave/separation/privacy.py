"""What the separation app holds about people, what a member's export contains — registered with
``openleave.privacy`` from ``SeparationConfig.ready()``. Least data: on death the payee is a role, never a name."""

from __future__ import annotations

from openleave.privacy.exports import register_exporter
from openleave.privacy.registry import register
from openleave.rules.units import hours_str


def register_all() -> None:
    register("separation.Separation", category="leave", retention="leave",
             why="the separation statement: when and why the employee left and what was paid "
                 "(Sec. 9.11, 7.2.G, 8.1.O)",
             fields={"recorded_by": {"why": "who recorded the separation (accountability)"},
                     "death_payee": {"why": "on death, who is paid as a role in the order of precedence (Sec. 9.11, "
                                            "8.1.O) — never a name"},
                     "hourly_rate_cents": {"why": "optional: the final regular rate of pay, to state the amounts "
                                                  "(Sec. 7.2.G)"}})
    register("separation.Return", category="leave", retention="leave",
             why="a reinstatement or re-employment: the credits and service restored (Sec. 8.1.H, 9.7, 9.12)",
             fields={"recorded_by": {"why": "who recorded the return (accountability)"},
                     "chro_approved_by": {"why": "the Chief Human Resources Officer who approved the credits after a "
                                                 "long absence (Sec. 8.1.H, 9.12)"}})
    register_exporter("separation")(export_rows)


def export_rows(employee) -> dict[str, list[dict]]:
    from .models import Return, Separation

    seps = []
    for s in Separation.objects.filter(employee=employee).order_by("separation_date"):
        for ln in s.lines:
            seps.append({"separation_date": s.separation_date, "reason": s.reason, "death_payee": s.death_payee,
                         "hourly_rate_cents": s.hourly_rate_cents, "leave": ln["leave"],
                         "balance_hours": hours_str(ln["balance"]), "paid_hours": hours_str(ln["paid"]),
                         "kept_hours": hours_str(ln["kept"]), "citations": ", ".join(ln["cites"]),
                         "recorded_at": s.recorded_at})
    rets = [{"separation_date": r.separation.separation_date, "return_date": r.return_date, "kind": r.kind,
             "long_absence": r.long_absence, "chro_approved_by": r.chro_approved_by,
             "chro_approved_on": r.chro_approved_on, "chro_cause": r.chro_cause,
             "sick_restored_hours": hours_str(r.sick_restored_micro), "citations": r.cites, "recorded_at": r.recorded_at}
            for r in Return.objects.filter(employee=employee).select_related("separation").order_by("return_date")]
    return {"separations": seps, "returns": rets}
