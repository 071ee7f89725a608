"""Compensatory time, Sec. 7.2.G — earning by election in lieu of overtime pay, the 120-hour cap, use.

Earning: on the employee's request the AA "shall grant" comp time at not less than 1½ hours for
each overtime hour (7.2.G). Reading (steward's): comp time "shall not be accumulated in excess of
120 hours", so the part that would take the balance over 120 h cannot be banked and stays
overtime compensation paid under Sec. 7.2.A/B — the employee never loses the overtime.
Use: in ½-hour increments, at the employee's request, "provided the use ... does not unduly
disrupt the operation" — a judgement for a human → ``needs_decision``; undue disruption is the
only ground to refuse. Unused comp time is paid at separation (7.2.G), left to the separation rules.
"""

from __future__ import annotations

import datetime as dt

from openleave.rules.decision import Decision
from openleave.rules.params import ParameterTree, default_tree
from openleave.rules.requests.common import Draft, h
from openleave.rules.requests.model import Finding, KindDeclaration
from openleave.rules.units import MICRO, to_micro


def check(d: Draft) -> Finding:
    days = d.by_day()
    requested = sum(days.values())
    d.ground("comp_time_undue_disruption", "insufficient_credits")
    covered = d.charge_balance("comp_time", requested, "Sec. 7.2.G")
    if covered < requested:
        d.say(f"{h(covered)} of {h(requested)} can be charged to compensatory time "
              f"({h(d.ctx.balances.get('comp_time', 0))} available, used in ½-hour increments).", "Sec. 7.2.G")
        d.offer("vacation", "personal")
    more = d.charge_others(requested - covered, exclude=("comp_time", "sick"))
    d.say("Use of compensatory time must be permitted at the employee's request unless it would unduly disrupt "
          "the operation of the department or agency.", "Sec. 7.2.G")
    return d.finish(requested, covered + more, discretionary=True)


def comp_time_earned(
    overtime_micro: int, balance_micro: int, on: dt.date, tree: ParameterTree | None = None
) -> Decision:
    """Comp time banked for ``overtime_micro`` hours of overtime elected as comp time (Sec. 7.2.G).

    Returns a Decision whose value is the micro-hours banked; ``extra['overtime_paid_micro']`` is
    the overtime (in overtime hours) that must be paid instead because of the 120-hour cap.
    """
    tree = tree or default_tree()
    rate = tree.get("use.comp_time.earn_rate", on)
    cap = tree.get("use.comp_time.max_balance_hours", on)
    if overtime_micro < 0:
        raise ValueError("overtime hours cannot be negative")
    earned = overtime_micro * to_micro(rate.value) // MICRO
    room = max(0, to_micro(cap.value) - balance_micro)
    banked = min(earned, room)
    reasons = [f"{h(overtime_micro)} overtime elected as comp time × {rate.value} = {h(earned)} ({rate.cite})."]
    paid_ot = 0
    if banked < earned:
        # the overtime hours whose comp time does not fit are paid as overtime: (earned - banked) / 1.5
        paid_ot = -(-(earned - banked) * MICRO // to_micro(rate.value))  # rounded up, in the employee's favour
        reasons.append(
            f"Comp time cannot be accumulated above {cap.value} h (balance {h(balance_micro)}): {h(banked)} "
            f"banked; the remaining {h(paid_ot)} of overtime is paid as overtime ({cap.cite}, Sec. 7.2.A)."
        )
    return Decision(banked, (rate.cite, "Sec. 7.2.A"), tuple(reasons), extra={"overtime_paid_micro": paid_ot})


DECLARATION = KindDeclaration(code="comp_time", label="Compensatory time (Sec. 7.2.G)", cite="Sec. 7.2.G", check=check,
                              credits=("vacation", "personal"))
