"""Military leave, Sec. 8.6.

8.6.A: service in the armed forces of the Commonwealth (G.L. c.33 §§38, 40, 41, 42, 60) — paid
without loss of ordinary remuneration. 8.6.B: annual tour of duty of a reserve component, not
exceeding 17 days, paid (G.L. c.33 §59). Reading: the 17 days are calendar days of the tour per
calendar year; the leave pays the scheduled hours falling on the first 17 tour days. 8.6.C (other
reserve duty: Acts 1941 c.708, 1950 c.805, 1966 c.671) and 8.6.D (resignation to serve) refer to
statutes the rules do not model → ``needs_decision`` for a human applying them.
"""

from __future__ import annotations

import datetime as dt

from openleave.rules.requests.common import Draft, first_day, h, last_day
from openleave.rules.requests.model import (
    FactDeclaration,
    Finding,
    KindDeclaration,
    RequestError,
    UsageDeclaration,
)


def check(d: Draft) -> Finding:
    ask = d.ask
    days = d.by_day()
    requested = sum(days.values())
    d.visible = "military leave"
    d.ground("military_tour_exceeded")
    service = ask.military_service
    if service == "state":
        d.say("Service in the armed forces of the Commonwealth: paid without loss of ordinary remuneration "
              "(G.L. c.33 §§38, 40, 41, 42, 60).", "Sec. 8.6.A")
        d.charges.append(("military", requested))
        return d.finish(requested, requested)
    if service == "annual_tour":
        cap = int(d.value("military.annual_tour_days"))
        used = d.ctx.used_days.get("military.annual_tour", 0)
        room = max(0, cap - used)
        start, end = first_day(ask.start), last_day(ask.end)
        tour_days = (end - start).days + 1
        paid_until = start + dt.timedelta(days=room - 1)
        got = {k: v for k, v in days.items() if k <= paid_until} if room else {}
        allowed = sum(got.values())
        d.say(f"Annual tour of duty of a reserve component: paid for up to {cap} days a year; {used} used, tour of "
              f"{tour_days} day(s) asked → {min(room, tour_days)} paid day(s), {h(allowed)} of {h(requested)} "
              "scheduled hours.", "Sec. 8.6.B")
        if allowed < requested:
            d.say("Tour days beyond 17 fall under Sec. 8.6.C (other duty) or other credits.", "Sec. 8.6.C")
            d.offer("vacation", "personal")
        if allowed:
            d.charges.append(("military", allowed))
        d.extra["tour_days_charged"] = min(room, tour_days)
        return d.finish(requested, allowed)
    if service == "reserve_other":
        d.say("Reserve duty other than the annual tour is governed by Acts 1941 c.708, 1950 c.805 and 1966 c.671, "
              "as amended; a human applies them.", "Sec. 8.6.C")
        return d.finish(requested, requested, discretionary=True)
    if service == "resigned_for_service":
        d.say("An employee who left to serve is deemed on military leave until two years after the service ends "
              "(Acts 1941 c.708); a human applies it.", "Sec. 8.6.D")
        return d.finish(requested, requested, discretionary=True)
    raise RequestError("military leave needs military_service: state | annual_tour | reserve_other | "
                       "resigned_for_service")


DECLARATION = KindDeclaration(
    code="military", label="Military leave (Sec. 8.6)", cite="Sec. 8.6", check=check,
    facts=(FactDeclaration("military_service", "choice", "Service", choices=(
        ("state", "Commonwealth armed forces (Sec. 8.6.A)"), ("annual_tour", "Reserve annual tour of duty (Sec. 8.6.B)"),
        ("reserve_other", "Other reserve duty (Sec. 8.6.C)"), ("resigned_for_service", "Resigning to serve (Sec. 8.6.D)"))),),
    usage=(UsageDeclaration("military.annual_tour", "days_in_year", "days of annual reserve tour with pay this calendar "
                            "year, Sec. 8.6.B", when={"military_service": ("annual_tour",)}),),
)
