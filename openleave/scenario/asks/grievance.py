"""``grievance_deadlines: {event_date, today?, replies?: {step1_filed: D, step1_reply: D, ...}}`` — every time limit of
the grievance procedure (Art. 23; ``openleave.rules.grievance``), counted in calendar days from the act (or the date
of reasonable knowledge of it) and from the dates recorded in ``replies``.

``value``: ``{step key: its last day, or null while it is not running}`` (``rules.grievance.STEP_KEYS``). The answer
adds ``status`` (``{step key: done | late | open | passed | waiting}``, as of ``today`` when given), ``next`` (the
first open step), ``may_move_on_from`` (Sec. 23.9: for each Employer reply not received within its limit, the day
from which the grievant / the Union may go to the next step) and ``steps`` (each step with its title, party,
``due``, ``done_on``, citations and reasons).

Refused (exit 2, naming the key): an ``event_date`` after ``today``, a recorded date after ``today``, a reply (or a
meeting, a conference, the next step) before what it follows, a date of a step whose filing is not recorded.
"""

from __future__ import annotations

from openleave.rules.decision import Decision
from openleave.rules.grievance import TRACK_KEYS, TRACK_LABELS, GrievanceError, grievance_deadlines

from ..schema import DATE, obj
from . import Ask, arg_date, refuse, register

REPLIES = obj({k: {**DATE, "description": TRACK_LABELS[k]} for k in TRACK_KEYS}, (),
              "the dates recorded so far: when each step was filed, a meeting or conference closed, each reply received")
SCHEMA = obj({"event_date": {**DATE, "description": "the act or omission grieved, or the date of reasonable knowledge "
                                                    "of it (Sec. 23.2 Step I)"},
              "today": {**DATE, "description": "the day asked: statuses as of it; nothing recorded may be after it"},
              "replies": REPLIES},
             ("event_date",), "the grievance procedure's time limits, Art. 23 (Sec. 23.2 Steps I-IV, 23.4, 23.5, 23.9)")


def _answer(args, ctx, path):
    event = arg_date(args, "event_date", path)
    today = arg_date(args, "today", path) if "today" in args else None
    rp = (*path, "replies")
    replies = {k: arg_date(args["replies"], k, rp) for k in args.get("replies", {})}
    try:
        d = grievance_deadlines(event, replies, ctx.tree, on=today)
    except GrievanceError as exc:
        where = (*path, "event_date") if exc.field == "event_date" else (*rp, exc.field)
        raise refuse(where, str(exc)) from None
    track = d.value
    nxt = track.next_step
    answer = {
        "status": {s.key: s.status for s in track.steps},
        "next": nxt.key if nxt else None,
        "may_move_on_from": {s.key: s.may_invoke_next_from.isoformat() for s in track.steps if s.may_invoke_next_from},
        "steps": [s.as_json() for s in track.steps],
    }
    return Decision(track.dates(), d.citations, d.reasons, unit="dates", extra={"answer": answer})


register(Ask(
    name="grievance_deadlines",
    schema=SCHEMA,
    answer=_answer,
    horizon=lambda args, path: arg_date(args, "event_date", path),
    description="the Art. 23 grievance time limits",
))
