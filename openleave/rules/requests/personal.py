"""Paid personal leave, Sec. 8.2 — hour-for-hour, units of not less than ½ hour, within the balance.

Personal leave is taken "at a time or times requested by the employee and approved by his/her
Appointing Authority" (8.2.A): the approval is a human's → ``needs_decision``. It "may be used in
conjunction with vacation leave" (8.2.B): the rest may go to vacation at the employee's request.
Crediting and forfeiture are left to the year-end rules.
"""

from __future__ import annotations

from openleave.rules.requests.common import Draft, h
from openleave.rules.requests.model import Finding, KindDeclaration


def check(d: Draft) -> Finding:
    days = d.by_day()
    requested = sum(days.values())
    d.ground("personal_not_approved", "insufficient_credits")
    covered = d.charge_balance("personal", requested, "Sec. 8.2.B")
    if covered < requested:
        d.say(f"{h(covered)} of {h(requested)} can be charged to personal leave "
              f"({h(d.ctx.balances.get('personal', 0))} available, charged in ½-hour units).", "Sec. 8.2.B")
        d.offer("vacation")
    more = d.charge_others(requested - covered, exclude=("personal",))
    d.say("Personal leave is taken at times requested by the employee and approved by the Appointing Authority.",
          "Sec. 8.2.A")
    return d.finish(requested, covered + more, discretionary=True)


DECLARATION = KindDeclaration(code="personal", label="Personal leave (Sec. 8.2)", cite="Sec. 8.2", check=check,
                              credits=("vacation", "sick", "comp_time"))
