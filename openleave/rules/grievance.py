"""The grievance procedure's time limits, Art. 23 (Sec. 23.2 Steps I–IV, 23.4, 23.5, 23.9) — the pure rules core.

Plain dates in, cited ``Decision`` out; no clock (``on`` is an argument), every figure a contract parameter under
``contract/<agreement>/grievance/``.

``grievance_deadlines(event_date, replies, tree, on=None)``
    every step's date counted from the act (or the date of reasonable knowledge of it) and from the dates actually
    recorded in ``replies`` (``TRACK_KEYS``: when each step was filed, when a meeting or conference closed, when
    each reply arrived). ``Decision.value`` is a :class:`Track`: one :class:`Step` per step, in order.

Readings (each is also said in the reasons):
    1. Art. 23 counts calendar days at every step ("calendar days" in Sec. 23.2 Steps I–IV). The Agreement says
       nothing of a limit that falls on a Saturday, a Sunday or a holiday, so no limit is moved: a weekend day is
       named in the reasons, not skipped. (The working days of Art. 22 are for disciplinary grievances only.)
    2. "Within N calendar days after/following/of" a day is that day plus N: the day itself is not counted, the
       last day is (Step I's reply "by the end of" the Nth day following the submission).
    3. A Step I meeting changes the Step I reply's limit but not its start (both count "following the date of
       submission"); a Step II/III conference moves the reply's start to the close of the conference.
    4. The next appeal runs from the *receipt* of the reply (Steps II, III, IV). Sec. 23.9: when the Employer
       (HRD at Step III) exceeds its limit, the grievant and/or the Union may treat the grievance as denied and
       invoke the next step from the day after that limit — only the Union at Step IV — and no limit binds the
       grievant or the Union until the reply is given: the next appeal then has no last day until a reply is
       recorded, after which it runs from that reply.
    5. Sec. 23.4 and 23.5 are counted from the Request for Arbitration as filed (HRD's receipt, when the file
       records the filing day only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from openleave.rules.decision import Decision, merge_citations
from openleave.rules.params import Param, ParameterTree, default_tree, figure
from openleave.rules.service import add_months

# The dates a track may record, in the order of the procedure.
TRACK_KEYS = ("step1_filed", "step1_meeting", "step1_reply", "step2_filed", "step2_conference_closed", "step2_reply",
              "step3_filed", "step3_conference_closed", "step3_reply", "step4_filed")
TRACK_LABELS = {
    "step1_filed": "Step I grievance filed",
    "step1_meeting": "Step I meeting held",
    "step1_reply": "Step I reply received",
    "step2_filed": "Step II appeal filed",
    "step2_conference_closed": "Step II conference closed",
    "step2_reply": "Step II reply received",
    "step3_filed": "Step III appeal filed with HRD",
    "step3_conference_closed": "Step III conference closed",
    "step3_reply": "Step III reply received",
    "step4_filed": "Request for Arbitration filed by the Union",
}
# Each recorded date must not be earlier than these (the thing it follows).
AFTER = {
    "step1_filed": ("event_date",),
    "step1_meeting": ("step1_filed",),
    "step1_reply": ("step1_filed", "step1_meeting"),
    "step2_filed": ("step1_filed",),
    "step2_conference_closed": ("step2_filed",),
    "step2_reply": ("step2_filed", "step2_conference_closed"),
    "step3_filed": ("step2_filed",),
    "step3_conference_closed": ("step3_filed",),
    "step3_reply": ("step3_filed", "step3_conference_closed"),
    "step4_filed": ("step3_filed",),
}
STEP_KEYS = ("step1_filing", "step1_reply", "step2_appeal", "step2_reply", "step3_appeal", "step3_reply",
             "step4_request", "arbitration_hearing", "arbitrator_aaa")
STATUSES = ("done", "late", "open", "passed", "waiting")
WEEKEND = {5: "Saturday", 6: "Sunday"}


class GrievanceError(ValueError):
    """Dates that cannot be a grievance track (a reply before its filing, an act in the future): a clear message
    naming the field (``.field``)."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class Step:
    """One time limit of the procedure.

    ``due``: its last day (None while it is not running: counted from a date not yet recorded, or not binding
    under Sec. 23.9). ``done_on``: the date recorded for it. ``status``: ``done`` (recorded on or before ``due``),
    ``late`` (recorded after it), ``open`` (not recorded, ``due`` not passed on ``on``), ``passed`` (not recorded,
    ``due`` before ``on``), ``waiting`` (no ``due``). ``may_invoke_next_from`` (an Employer's reply): the day from
    which the grievant / the Union may treat the grievance as denied and go on (Sec. 23.9); ``may_file_from`` (an
    appeal whose reply is missing): the same day, seen from the appeal."""

    key: str
    title: str
    party: str  # grievant | union | employer | hrd
    due: dt.date | None
    counted_from: str
    citations: tuple[str, ...]
    reasons: tuple[str, ...]
    done_on: dt.date | None = None
    status: str = "waiting"
    may_invoke_next_from: dt.date | None = None
    may_file_from: dt.date | None = None

    def as_json(self) -> dict:
        def d(x):
            return x.isoformat() if x else None
        return {"key": self.key, "title": self.title, "party": self.party, "due": d(self.due),
                "counted_from": self.counted_from, "done_on": d(self.done_on), "status": self.status,
                "may_invoke_next_from": d(self.may_invoke_next_from), "may_file_from": d(self.may_file_from),
                "citations": list(self.citations), "reasons": list(self.reasons)}


@dataclass(frozen=True)
class Track:
    """Every step of one grievance, in order; ``next_step`` is the first open one (None when none is)."""

    event_date: dt.date
    steps: tuple[Step, ...]
    on: dt.date | None = None
    recorded: dict[str, dt.date] = field(default_factory=dict)

    def step(self, key: str) -> Step:
        return next(s for s in self.steps if s.key == key)

    @property
    def next_step(self) -> Step | None:
        return next((s for s in self.steps if s.status == "open"), None)

    def dates(self) -> dict[str, str | None]:
        """``{step key: its last day (ISO) or None}`` — the scenario answer's value."""
        return {s.key: s.due.isoformat() if s.due else None for s in self.steps}


def _p(tree: ParameterTree, name: str, on: dt.date) -> Param:
    return tree.get("grievance." + name, on)


def _cites(p: Param) -> tuple[str, ...]:
    return tuple(c.strip() for c in p.cite.split(";") if c.strip())


def _plus(day: dt.date, p: Param) -> dt.date:
    return day + dt.timedelta(days=int(p.value))


def _weekday_note(due: dt.date) -> tuple[str, ...]:
    if due.weekday() in WEEKEND:
        return (f"{due} is a {WEEKEND[due.weekday()]}: Art. 23 counts calendar days and does not move a limit that "
                "falls on a weekend or a holiday.",)
    return ()


def _status(due: dt.date | None, done_on: dt.date | None, on: dt.date | None) -> str:
    if done_on is not None:
        return "done" if due is None or done_on <= due else "late"
    if due is None:
        return "waiting"
    return "passed" if on is not None and on > due else "open"


def check_track(event_date: dt.date, replies: Mapping[str, dt.date | None], on: dt.date | None = None) -> dict:
    """The recorded dates, checked: known keys only, none before what it follows, none after ``on``, and the act not
    after ``on``. Raises :class:`GrievanceError` naming the field."""
    if on is not None and event_date > on:
        raise GrievanceError("event_date", f"event_date {event_date} is after today ({on}): a grievance is about an "
                                           "act that has happened")
    recorded: dict[str, dt.date] = {}
    for k, v in replies.items():
        if k not in TRACK_KEYS:
            raise GrievanceError(k, f"unknown date {k!r}; one of {', '.join(TRACK_KEYS)}")
        if v is not None:
            recorded[k] = v
    known = {"event_date": event_date, **recorded}
    for k in TRACK_KEYS:
        if k not in recorded:
            continue
        day = recorded[k]
        if on is not None and day > on:
            raise GrievanceError(k, f"{k} {day} is after today ({on}): record a date once it has happened")
        step_filed = k.split("_")[0] + "_filed"
        if k != step_filed and step_filed not in recorded:
            raise GrievanceError(k, f"{k} {day} is recorded but {step_filed} is not: a step is filed before its "
                                    "meeting, conference or reply")
        for before in AFTER[k]:
            if before in known and day < known[before]:
                what = "a reply" if k.endswith("_reply") else "a date"
                raise GrievanceError(k, f"{k} {day} is before {before} {known[before]}: {what} cannot come before "
                                        "what it follows")
    return recorded


def grievance_deadlines(event_date: dt.date, replies: Mapping[str, dt.date | None] | None = None,
                        tree: ParameterTree | None = None, *, on: dt.date | None = None) -> Decision:
    """Every time limit of Art. 23 for an act of ``event_date``, from the dates recorded in ``replies``
    (``TRACK_KEYS``), as a :class:`Track` in ``Decision.value``; ``on`` (optional) is today, for the statuses and to
    refuse dates in the future. The parameters are those in force on ``event_date``."""
    tree = tree or default_tree()
    r = check_track(event_date, replies or {}, on)
    steps: list[Step] = []

    def param(name: str) -> Param:
        return _p(tree, name, event_date)

    # Step I: the filing.
    p = param("step1_filing_days")
    due = _plus(event_date, p)
    steps.append(Step("step1_filing", "Step I grievance in writing to the agency head's designee", "grievant", due,
                      "the act or omission, or the date of reasonable knowledge of it", _cites(p),
                      (f"Not later than {figure(p.value)} calendar days after {event_date} (the act or omission, or "
                       f"the date there was a reasonable basis for knowledge of it): by {due}.",
                       "The grievance names the Article(s) violated, how and when, and the remedy sought.",
                       *_weekday_note(due)), r.get("step1_filed"), _status(due, r.get("step1_filed"), on)))

    def reply(key: str, title: str, party: str, filed_key: str, plain: str, after_meeting: str, meeting_key: str,
              meeting_from_close: bool, step_cite: str) -> Step | None:
        filed = r.get(filed_key)
        got = r.get(key)
        if filed is None:
            p_ = param(plain)
            return Step(key, title, party, None, f"the filing ({TRACK_LABELS[filed_key]})", _cites(p_),
                        (f"Counted from the filing: {figure(p_.value)} calendar days after it once it is recorded.",),
                        got, "waiting")
        if meeting_key in r:
            p_ = param(after_meeting)
            start = r[meeting_key] if meeting_from_close else filed
            due_ = _plus(start, p_)
            what = ("the close of the conference" if meeting_from_close
                    else "the date of submission (a meeting was held)")
            reasons = [f"By the end of {figure(p_.value)} calendar days following {what}, {start}: by {due_}."]
        else:
            p_ = param(plain)
            due_ = _plus(filed, p_)
            reasons = [f"By the end of {figure(p_.value)} calendar days following the filing on {filed}: by {due_}."]
            alt = param(after_meeting)
            reasons.append(f"If a {'conference' if meeting_from_close else 'meeting'} is held: "
                           f"{figure(alt.value)} calendar days after "
                           f"{'its close' if meeting_from_close else 'the date of submission'} instead "
                           f"({step_cite}).")
        cites_ = _cites(p_)
        invoke = None
        if got is None or got > due_:
            invoke = due_ + dt.timedelta(days=1)
            who = "the Union (alone)" if key == "step3_reply" else "the grievant and/or the Union"
            nxt = {"step1_reply": "Step II", "step2_reply": "Step III", "step3_reply": "Step IV (arbitration)"}[key]
            if got is None:
                reasons.append(f"If no reply has come by {due_}, from {invoke} {who} may treat the grievance as "
                               f"denied and go to {nxt} (Sec. 23.9).")
            else:
                reasons.append(f"The reply came on {got}, after its limit of {due_}: from {invoke} {who} could "
                               f"already treat the grievance as denied and go to {nxt} (Sec. 23.9).")
            cites_ = merge_citations(cites_, ("Sec. 23.9",))
        return Step(key, title, party, due_, TRACK_LABELS[meeting_key if meeting_key in r and meeting_from_close
                                                           else filed_key],
                    cites_, (*reasons, *_weekday_note(due_)), got, _status(due_, got, on), may_invoke_next_from=invoke)

    def appeal(key: str, title: str, party: str, prior: Step, days: str, filed_key: str) -> Step:
        p_ = param(days)
        got_reply = r.get(prior.key)
        filed = r.get(filed_key)
        if got_reply is not None:
            due_ = _plus(got_reply, p_)
            reasons = [f"Within {figure(p_.value)} calendar days of the receipt of the reply on {got_reply}: by "
                       f"{due_}."]
            if prior.may_invoke_next_from and filed is not None and filed < got_reply:
                reasons.append(f"Filed on {filed}, before the late reply: allowed from {prior.may_invoke_next_from} "
                               "(Sec. 23.9).")
            cites_ = _cites(p_)
            if prior.status == "late":
                reasons.append("The reply was late; the limit runs from its receipt: no deadline binds the grievant "
                               "or the Union until a required response is given (Sec. 23.9).")
                cites_ = merge_citations(cites_, ("Sec. 23.9",))
            return Step(key, title, party, due_, TRACK_LABELS[prior.key], cites_, (*reasons, *_weekday_note(due_)),
                        filed, _status(due_, filed, on),
                        may_file_from=prior.may_invoke_next_from if filed is None or filed < got_reply else None)
        if prior.due is None:
            return Step(key, title, party, None, TRACK_LABELS[prior.key], _cites(p_),
                        (f"Counted from the receipt of the reply: {figure(p_.value)} calendar days after it once it is "
                         "recorded.",), filed, _status(None, filed, on))
        reasons = [f"Within {figure(p_.value)} calendar days of the receipt of the reply, which has not been recorded "
                   f"(it is due by {prior.due}).",
                   f"No deadline binds {'the Union' if party == 'union' else 'the grievant or the Union'} until the "
                   f"reply is given (Sec. 23.9); if none has come by {prior.due}, this step may be taken from "
                   f"{prior.may_invoke_next_from}."]
        return Step(key, title, party, None, TRACK_LABELS[prior.key], merge_citations(_cites(p_), ("Sec. 23.9",)),
                    tuple(reasons), filed, _status(None, filed, on), may_file_from=prior.may_invoke_next_from)

    s1 = reply("step1_reply", "Step I written reply by the agency head's designee", "employer", "step1_filed",
               "step1_reply_days", "step1_reply_meeting_days", "step1_meeting", False, "Sec. 23.2 Step I")
    steps.append(s1)
    s2a = appeal("step2_appeal", "Step II appeal in writing to the agency head's designee", "grievant", s1,
                 "step2_appeal_days", "step2_filed")
    steps.append(s2a)
    s2 = reply("step2_reply", "Step II written reply by the agency head or designee", "employer", "step2_filed",
               "step2_reply_days", "step2_reply_conference_days", "step2_conference_closed", True, "Sec. 23.2 Step II")
    steps.append(s2)
    s3a = appeal("step3_appeal", "Step III appeal to HRD (notice to the agency)", "grievant", s2,
                 "step3_appeal_days", "step3_filed")
    steps.append(s3a)
    s3 = reply("step3_reply", "Step III written reply by HRD", "hrd", "step3_filed",
               "step3_reply_days", "step3_reply_conference_days", "step3_conference_closed", True, "Sec. 23.2 Step III")
    steps.append(s3)
    s4 = appeal("step4_request", "Step IV Request for Arbitration, filed by the Union alone with HRD", "union", s3,
                "step4_request_days", "step4_filed")
    steps.append(s4)

    # Sec. 23.4 / 23.5, from the Request for Arbitration.
    ph, pa = param("arbitration_hearing_months"), param("arbitrator_agreement_days")
    req = r.get("step4_filed")
    if req is None:
        steps.append(Step("arbitration_hearing", "Arbitration hearing held", "union", None,
                          TRACK_LABELS["step4_filed"], _cites(ph),
                          (f"No later than {figure(ph.value)} months from the Request for Arbitration, once it is "
                           "filed.",)))
        steps.append(Step("arbitrator_aaa", "Request may be filed with the American Arbitration Association", "union",
                          None, TRACK_LABELS["step4_filed"], _cites(pa),
                          (f"Failing agreement on an arbitrator within {figure(pa.value)} days of HRD's receipt of the "
                           "Request for Arbitration.",)))
    else:
        hearing = add_months(req, int(ph.value))
        steps.append(Step("arbitration_hearing", "Arbitration hearing held", "union", hearing,
                          TRACK_LABELS["step4_filed"], _cites(ph),
                          (f"No later than {figure(ph.value)} months from the Request for Arbitration on {req}: by "
                           f"{hearing}; if not held by then through the Union's inaction, the grievance is withdrawn "
                           "with prejudice but without precedence.",), None, _status(hearing, None, on)))
        aaa = _plus(req, pa)
        steps.append(Step("arbitrator_aaa", "Request may be filed with the American Arbitration Association", "union",
                          aaa, TRACK_LABELS["step4_filed"], _cites(pa),
                          (f"Failing agreement on an arbitrator within {figure(pa.value)} days of HRD's receipt of the "
                           f"Request for Arbitration (filed {req}): from {aaa} either party may file it with the "
                           "AAA.",), None, "done" if on is not None and on > aaa else "open"))

    track = Track(event_date, tuple(steps), on, dict(r))
    nxt = track.next_step
    reasons = [f"The act or omission (or reasonable knowledge of it): {event_date}.",
               "Art. 23 counts calendar days; a limit falling on a weekend or a holiday is not moved.",
               "Time limits may be waived only by mutual agreement of the parties in writing (Sec. 23.11)."]
    for s in steps:
        if s.may_invoke_next_from is not None and s.done_on is None and s.status == "passed":
            reasons.append(f"{s.title}: none by {s.due}; from {s.may_invoke_next_from} the next step may be taken "
                           "(Sec. 23.9).")
    if nxt is not None:
        reasons.append(f"Next: {nxt.title}, by {nxt.due}.")
    cites = merge_citations(*(s.citations for s in steps if s.due is not None or s.key == "step1_filing"),
                            ("Sec. 23.11",))
    return Decision(track, cites, tuple(reasons), unit="grievance_deadlines")


def articles_of(citations) -> list[tuple[str, list[str]]]:
    """Citations grouped by the Article they belong to, for the grievance report's "Article(s) violated":
    "Sec. 9.8" and "Sec. 9.4" → ("Article 9", ["Sec. 9.4", "Sec. 9.8"]); "Art. 10" → ("Article 10", []);
    "MOU State of Emergency" → ("MOU State of Emergency", []); anything else is kept as its own line. The order is
    the Articles' numbers (MOUs and the rest after them)."""
    import re

    groups: dict[str, list[str]] = {}
    order: dict[str, tuple] = {}
    for c in citations:
        c = str(c).strip()
        if not c:
            continue
        m = re.match(r"^(?:Sec\.|Section|Art\.|Article)\s*(\d+)([A-Z]?)\b", c)
        if m:
            art = f"Article {m.group(1)}{m.group(2)}"
            order[art] = (0, int(m.group(1)), m.group(2))
            sections = groups.setdefault(art, [])
            if c.startswith(("Sec.", "Section")) and c not in sections:
                sections.append(c)
        else:
            m2 = re.match(r"^(Appendix [A-Z](?:-\d)?)", c)
            key = m2.group(1) if m2 else c
            order.setdefault(key, (1, 0, key))
            groups.setdefault(key, [])
    return [(k, sorted(groups[k], key=_section_key)) for k in sorted(groups, key=lambda k: order[k])]


def _section_key(sec: str) -> tuple:
    parts = sec.split(" ", 1)[-1].split(".")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)
