"""Reads of members' grievance tracks (Art. 23): the deadlines of an act, a member's tracks, the upcoming deadlines
across members. Every read of a person's track records an access-log row naming them.

``upcoming_deadlines(employees, on, actor=None)`` is the steward's workspace's source: one row per open time limit
(``Row``: employee, decision, track, step, date, citation), across the given employees, from their denied / partly
approved decisions (a Step I limit still running, with or without a track) and their tracks. It checks nothing:
the caller passes only employees the user may see (``policy.grievance_employees``); pass ``actor`` to log the reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from openleave import clock, policy
from openleave.audit.access import record_access, record_reads
from openleave.leave.models import Decision
from openleave.ledger.models import Kind, LedgerEntry
from openleave.rules.decision import Decision as Cited
from openleave.rules.grievance import Step, Track, grievance_deadlines
from openleave.rules.params import default_tree

from .models import GrievanceTrack

GRIEVABLE_OUTCOMES = (Decision.Outcome.DENIED, Decision.Outcome.PARTLY_APPROVED)
GRIEVABLE_ENTRY_KINDS = (Kind.FORFEITURE, Kind.ADJUSTMENT)


@dataclass(frozen=True)
class Row:
    """One upcoming time limit: whose, of which decision (or ledger entry) and track, which step, its last day."""

    employee: object
    decision: Decision | None
    track: GrievanceTrack | None
    step: str
    title: str
    party: str
    date: dt.date
    citation: str
    ledger_entry: LedgerEntry | None = None


def decision_act_date(decision: Decision) -> dt.date:
    """The day the member received the decision: its date in the organisation's zone."""
    return timezone.localtime(decision.decided_at).date()


def deadlines(event_date: dt.date, recorded: dict | None = None, on: dt.date | None = None) -> Cited:
    """The cited Art. 23 deadlines (``rules.grievance.grievance_deadlines``) with today's statuses."""
    return grievance_deadlines(event_date, recorded or {}, default_tree(), on=on or clock.today())


def track_for_decision(decision: Decision) -> GrievanceTrack | None:
    return GrievanceTrack.objects.filter(decision=decision).first()


def decision_deadlines(user, decision: Decision, channel: str = "ui") -> dict:
    """The 'Challenge this decision' panel: the track (if any) and every step with its date and citation."""
    employee = decision.request.employee
    if not policy.can_view_grievance(user, employee):
        raise policy.NotVisible()
    track = track_for_decision(decision)
    record_access(actor=user, subject=employee, object_type="grievance_deadlines", object_id=decision.pk,
                  category=policy.GRIEVANCE, channel=channel, fields="grievance deadlines")
    return _panel(track, decision_act_date(decision) if track is None else track.event_date)


def track_view(user, track: GrievanceTrack, channel: str = "ui") -> dict:
    if not policy.can_view_grievance(user, track.employee):
        raise policy.NotVisible()
    record_access(actor=user, subject=track.employee, object_type="grievance_track", object_id=track.pk,
                  category=policy.GRIEVANCE, channel=channel, fields="grievance track")
    return _panel(track, track.event_date)


def _panel(track: GrievanceTrack | None, event_date: dt.date) -> dict:
    recorded = track.recorded() if track else {}
    d = deadlines(event_date, recorded)
    t: Track = d.value
    return {"track": track, "event_date": event_date, "decision": d, "steps": list(t.steps),
            "next": t.next_step, "recorded": recorded, "as_of": t.on}


def my_tracks(user, employee, channel: str = "ui") -> list[GrievanceTrack]:
    if not policy.can_view_grievance(user, employee):
        raise policy.NotVisible()
    record_access(actor=user, subject=employee, object_type="grievance_tracks", object_id=employee.pk,
                  category=policy.GRIEVANCE, channel=channel, fields="grievance tracks")
    return list(GrievanceTrack.objects.filter(employee=employee).select_related("decision__request")
                .order_by("-event_date", "-id"))


def grievable_entries(employee) -> list[LedgerEntry]:
    """The member's forfeitures and adjustments (acts they may grieve), newest first."""
    return list(LedgerEntry.objects.filter(employee=employee, kind__in=GRIEVABLE_ENTRY_KINDS)
                .order_by("-effective_date", "-id")[:50])


def upcoming_deadlines(employees, on: dt.date, *, actor=None, channel: str = "ui") -> list[Row]:
    """Every time limit still open on ``on`` (last day on or after ``on``) for ``employees`` (a queryset or a list),
    earliest first: the Step I limit of each denied / partly approved decision without a track, and the open steps
    of every track. When ``actor`` is given, one read row per employee listed."""
    ids = [e.pk for e in employees] if not hasattr(employees, "values_list") else list(employees.values_list("pk", flat=True))
    tree = default_tree()
    rows: list[Row] = []
    tracks = list(GrievanceTrack.objects.filter(employee_id__in=ids)
                  .select_related("employee", "decision", "ledger_entry").prefetch_related("dates"))
    tracked = {t.decision_id for t in tracks if t.decision_id}
    earliest = on - dt.timedelta(days=int(tree.get("grievance.step1_filing_days", on).value) + 1)
    decisions = (Decision.objects.filter(request__employee_id__in=ids, outcome__in=GRIEVABLE_OUTCOMES,
                                         reconsidered_by__isnull=True,  # the current decision only
                                         decided_at__date__gte=earliest)
                 .exclude(pk__in=tracked).select_related("request__employee"))
    for dec in decisions:
        d = grievance_deadlines(decision_act_date(dec), {}, tree)
        s: Step = d.value.step("step1_filing")
        if s.due is not None and s.due >= on:
            rows.append(Row(dec.request.employee, dec, None, s.key, s.title, s.party, s.due, s.citations[0]))
    for t in tracks:
        recorded: dict = {}
        for gd in sorted(t.dates.all(), key=lambda x: x.pk):
            recorded[gd.key] = gd.day
        d = grievance_deadlines(t.event_date, recorded, tree)  # statuses as of no day: open = not recorded
        for s in d.value.steps:
            if s.status == "open" and s.due is not None and s.due >= on:
                rows.append(Row(t.employee, t.decision, t, s.key, s.title, s.party, s.due, s.citations[0],
                                t.ledger_entry))
    rows.sort(key=lambda r: (r.date, r.employee.pk, r.step))
    if actor is not None and rows:
        seen = {r.employee.pk: r.employee for r in rows}
        record_reads(actor=actor, channel=channel, subjects=list(seen.values()), object_type="grievance_deadlines",
                     category=policy.GRIEVANCE, fields="upcoming grievance deadlines")
    return rows


# --- the act grieved, and the pre-filled Appendix B report ---------------------------------------------------

ACTS = ("decision", "entry")
ROMAN = {"step1_filing": "I", "step2_appeal": "II", "step3_appeal": "III", "step4_request": "IV"}
SSN_NOTE = ("openleave never holds a Social Security number: this field is left blank. Write it by hand only if the "
            "agency insists on it.")


@dataclass(frozen=True)
class Act:
    """What a member grieves: a leave decision or a ledger entry, whose employee, and its date."""

    kind: str  # decision | entry
    pk: int
    employee: object
    date: dt.date
    decision: Decision | None = None
    entry: LedgerEntry | None = None

    @property
    def track(self) -> GrievanceTrack | None:
        if self.decision is not None:
            return GrievanceTrack.objects.filter(decision=self.decision).first()
        return GrievanceTrack.objects.filter(ledger_entry=self.entry).first()


def act_for(user, kind: str, pk: int) -> Act:
    """The act ``kind``/``pk`` if ``user`` may see its grievance track (the member, a consented steward); else
    ``NotVisible`` — the same 404 whether or not it exists. Only denied / partly approved decisions and forfeitures
    / adjustments are acts here."""
    if kind == "decision":
        dec = (Decision.objects.filter(pk=pk, outcome__in=GRIEVABLE_OUTCOMES)
               .select_related("request__employee__agency", "request__employee__title",
                               "request__employee__supervisor").first())
        if dec is None or not policy.can_view_grievance(user, dec.request.employee):
            raise policy.NotVisible()
        return Act("decision", dec.pk, dec.request.employee, decision_act_date(dec), decision=dec)
    if kind == "entry":
        entry = (LedgerEntry.objects.filter(pk=pk, kind__in=GRIEVABLE_ENTRY_KINDS)
                 .select_related("employee__agency", "employee__title", "employee__supervisor").first())
        if entry is None or not policy.can_view_grievance(user, entry.employee):
            raise policy.NotVisible()
        return Act("entry", entry.pk, entry.employee, entry.effective_date, entry=entry)
    raise policy.NotVisible()


def act_deadlines(user, act: Act, channel: str = "ui", what: str = "grievance deadlines") -> dict:
    """The track page: the act, its track (if any) and every step's date with its citation. Logged."""
    track = act.track
    record_access(actor=user, subject=act.employee, object_type="grievance_deadlines", object_id=f"{act.kind}:{act.pk}",
                  category=policy.GRIEVANCE, channel=channel, fields=what)
    return {"act": act, **_panel(track, track.event_date if track else act.date)}


def _citations_of_act(act: Act, view: dict | None) -> list[str]:
    cites: list[str] = []
    if act.decision is not None:
        cites += [g.get("cite", "") for g in (act.decision.grounds or []) if isinstance(g, dict)]
        if view:
            cites += list((view.get("finding_at_decision") or {}).get("citations", []))
    elif act.entry is not None:
        cites += [c.strip() for c in (act.entry.cite or "").replace(";", ",").split(",")]
    return [c for c in dict.fromkeys(cites) if c]


def report_context(user, act: Act, step: str | None = None, channel: str = "ui", what: str = "grievance report") -> dict:
    """Everything the Appendix B "Grievance Report" pre-fills, for the page and its PDF (one template)."""
    from openleave.leave.selectors import request_view
    from openleave.ledger.models import LEAVE_SLUGS
    from openleave.rules.grievance import articles_of
    from openleave.rules.units import hours_str

    panel = act_deadlines(user, act, channel, what)
    e = act.employee
    view = request_view(user, act.decision.request) if act.decision is not None else None
    nxt = panel["next"]
    step_numeral = step if step in ROMAN.values() else ROMAN.get(nxt.key if nxt else "", "I")
    unit = ((e.bargaining_unit or "").replace("NAGE", "").strip()
            or default_tree().get("grievance.bargaining_unit", clock.today()).value)  # Sec. 1.1
    entry = None
    if act.entry is not None:
        en = act.entry
        entry = {"date": en.effective_date, "kind": en.get_kind_display(), "leave": LEAVE_SLUGS.get(en.leave, en.leave),
                 "hours": hours_str(abs(en.micro)), "credit": en.micro > 0, "cite": en.cite, "reason": en.reason}
    cites = _citations_of_act(act, view)
    from openleave.ledger.selectors import balance_parts

    balances = [{"label": b.label, "balance": hours_str(b.balance), "available": hours_str(b.available), "cite": ", ".join(b.citations)}
                for b in balance_parts(e, act.date, pending=False).values() if b.balance]
    return {
        "balances": balances,
        **panel,
        "step_numeral": step_numeral,
        "union": "NAGE", "local": "",
        "unit": unit if unit.lower().startswith("unit") else f"Unit {unit}",
        "grievant": e.name, "job": e.title.code if e.title_id else "", "title": e.title.name if e.title_id else "",
        "agency": e.agency.name, "facility": "", "work_location": "",
        "agency_start": e.service_start, "manager": e.supervisor.name if e.supervisor_id else "",
        "employee_number": e.employee_number,
        "articles": articles_of(cites), "citations": cites,
        "view": view, "entry": entry, "ssn_note": SSN_NOTE,
        "article_23": [s for s in panel["steps"] if s.due is not None],
    }
