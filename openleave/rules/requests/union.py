"""Union business leave, Sec. 5.2–5.4 (the figures are the ``use.union.*`` parameters).

Paid (``kind="union_paid"``), by ``purpose``:
  grievance (5.2: stewards/officials investigating and processing grievances; grievants processing
  their own, a few grievants for a class action) — in advance, not unreasonably denied;
  convention (5.3: elected delegates; "may be granted"; a yearly total of days for the Union);
  negotiations, labor_management (5.3: "shall be granted"); president_assist (5.3: hours a week for
  the Union Official equivalents of units 1, 3 and 6 combined); exec_board (5.3: work days a
  calendar year); steward_training (5.3: a day, once in a number of months). All 5.3 leave needs
  the prior approval of the Human Resources Division and a request some calendar days ahead unless
  the parties agree → ``needs_decision``.
Unpaid (``kind="union_unpaid"``): full_time_union (5.4: up to a number of years, extendable; one
per so many unit employees; no adverse effect on operations), legislative_hearing (5.4: without
loss of benefits, not wages). HRD prior approval and notice as above.
Union-wide limits (convention days, hours a week, one per so many employees) are checked against
the ``used_days`` the caller supplies, and otherwise shown for the human.
"""

from __future__ import annotations

import datetime as dt

from openleave.rules.params import figure
from openleave.rules.requests.common import Draft, add_months, first_day, h
from openleave.rules.requests.model import (
    FactDeclaration,
    Finding,
    KindDeclaration,
    RequestError,
    UsageDeclaration,
)

PAID = {
    "grievance": "Sec. 5.2", "convention": "Sec. 5.3", "negotiations": "Sec. 5.3", "labor_management": "Sec. 5.3",
    "president_assist": "Sec. 5.3", "exec_board": "Sec. 5.3", "steward_training": "Sec. 5.3",
}
UNPAID = {"full_time_union": "Sec. 5.4", "legislative_hearing": "Sec. 5.4"}


def check(d: Draft) -> Finding:
    ask, ctx = d.ask, d.ctx
    table = PAID if d.kind == "union_paid" else UNPAID
    if ask.purpose not in table:
        raise RequestError(f"{d.kind} purpose must be one of {', '.join(table)}")
    cite = table[ask.purpose]
    days = d.by_day()
    requested = sum(days.values())
    d.visible = "union business leave"
    allowed = requested
    if cite != "Sec. 5.2":
        d.ground("union_hrd_not_approved", "union_late_request")
        notice = int(d.value("union.notice_days"))
        d.say("Needs the prior approval of the Human Resources Division.", cite)
        if ctx.submitted_at is not None and ctx.submitted_at.date() > first_day(ask.start) - dt.timedelta(days=notice):
            d.human(f"Requested less than {notice} calendar days ahead: allowed only if the parties agree.", cite)
    purpose = ask.purpose
    if purpose == "grievance":
        d.ground("union_operations")
        d.say("Time off without loss of pay for investigating and processing grievances and arbitrations (stewards, "
              f"officials, and grievants for their own grievance — at most {figure(d.value('union.class_action_grievants_max'))} "
              "grievants in a class action); requested in advance and not unreasonably denied.", cite)
    elif purpose == "convention":
        d.ground("union_limit_reached")
        cap = int(d.value("union.convention_days_per_year"))
        used = ctx.used_days.get("union.convention", 0)
        room = max(0, cap - used)
        allowed = sum(v for _, v in sorted(days.items())[:room])
        d.say(f"Elected delegates to NAGE, State, AFL-CIO and parent conventions may be granted paid leave; at most "
              f"{cap} days a year for the Union in total ({used} used by all delegates as known).", cite)
    elif purpose in ("negotiations", "labor_management"):
        what = "negotiating sessions (committee members)" if purpose == "negotiations" else \
            "joint labor/management meetings (representatives and officers)"
        d.say(f"Time off without loss of wages, benefits or privileges shall be granted to attend {what}.", cite)
    elif purpose == "president_assist":
        d.say(f"Paid time to assist the Union President: at most {d.value('union.president_assist_hours_per_week')} h "
              "a week for six Union Official equivalents of units 1, 3 and 6 combined.", cite)
    elif purpose == "exec_board":
        d.ground("union_limit_reached")
        cap = int(d.value("union.exec_board_days_per_year"))
        used = ctx.used_days.get("union.exec_board", 0)
        allowed = sum(v for _, v in sorted(days.items())[: max(0, cap - used)])
        d.say(f"Paid release for Executive Board meetings: at most {cap} work days a calendar year ({used} used); "
              f"{h(allowed)} of {h(requested)} within the limit.", cite)
    elif purpose == "steward_training":
        d.ground("union_limit_reached")
        most = d.value("union.steward_training_max_days")
        if ctx.used_days.get("union.steward_training_12_months", 0) >= 1:
            d.say(f"Steward training release is requested no more than once in any "
                  f"{figure(d.value('union.steward_training_once_in_months'))} months.", cite)
            allowed = 0
        else:
            allowed = min(requested, d.days_to_micro(most, prorate=False))
            d.say(f"Paid release for steward training: not more than {figure(most)} day(s) ({h(allowed)} of "
                  f"{h(requested)}).", cite)
    elif purpose == "full_time_union":
        d.ground("union_operations")
        years = int(d.value("union.unpaid_full_time_max_years"))
        start = first_day(ask.start)
        last = add_months(start, 12 * years) - dt.timedelta(days=1)
        allowed = sum(v for k, v in days.items() if k <= last)
        per = int(d.value("union.unpaid_full_time_per_unit_employees"))
        d.say(f"Unpaid leave for full-time Union duties shall be granted on the Union's request, for up to {years} "
              f"year(s) (to {last}), extendable; at most one per {per:,} unit employees and without adverse effect on "
              "operations.", cite)
    elif purpose == "legislative_hearing":
        d.say("Leave without loss of benefits (not wages) to attend hearings before the Legislature and State "
              "agencies on matters of importance to the Union.", cite)
    if allowed:
        d.charges.append((d.kind, allowed))
    return d.finish(requested, allowed, discretionary=True)


def _purposes(table: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((k, f"{k.replace('_', ' ').capitalize()} ({cite})") for k, cite in table.items())


DECLARATIONS = (
    KindDeclaration(
        code="union_paid", label="Union business leave, paid (Sec. 5.2, 5.3)", cite="Sec. 5.2, 5.3", check=check,
        facts=(FactDeclaration("purpose", "choice", "Union business", choices=_purposes(PAID)),),
        usage=(
            UsageDeclaration("union.exec_board", "days_in_year", "work days of paid release for Executive Board "
                             "meetings this calendar year, Sec. 5.3", when={"purpose": ("exec_board",)}),
            UsageDeclaration("union.steward_training_12_months", "requests", "steward-training releases in the last "
                             "12 months, Sec. 5.3", when={"purpose": ("steward_training",)}),
            UsageDeclaration("union.convention", "given", "convention leave days used by the Union this year (all "
                             "delegates), Sec. 5.3"),
        ),
    ),
    KindDeclaration(
        code="union_unpaid", label="Union business leave, unpaid (Sec. 5.4)", cite="Sec. 5.4", check=check,
        facts=(FactDeclaration("purpose", "choice", "Union business", choices=_purposes(UNPAID)),),
    ),
)
