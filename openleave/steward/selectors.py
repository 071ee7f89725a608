"""Reads for the union: the steward's workspace and the denial statistics (issue 14, item 3).

**The workspace** (Sec. 24.1: "The Union shall have access to an employee's records upon written authorization
by the employee involved"; Art. 23: the grievance procedure the steward represents the member in). A steward sees
exactly the members whose consent names them and is valid now — not revoked, begun, not expired
(``policy.represented_members``); not the people another role of theirs would show. The moment a consent is
revoked or expires the member is gone from the list, their page is a 404 and the API answers the same. Every look
appends one access-log row per member shown, naming them, so it appears on the member's "who looked at my data".
Each decision is shown as ``leave.selectors.request_view`` filters it for this viewer: a protected kind (Sec. 8.12,
sick family care) only as its category, as for every other viewer who is not the member or HR.

**The denial statistics**: decisions that deny or partly approve, per agency × leave kind × ground (the ground's
code and citation), optionally also per decider role or per job title; one GROUP BY query counting decisions and
distinct people. A cell of fewer people than ``privacy.aggregates.MIN_CELL`` is suppressed by the aggregates' own
rule (``aggregates.shown``), its decision count too; there are no totals (a reader could subtract back to a hidden
cell) and never a name. Every protected kind counts under one neutral label, as in the usage aggregates, and
without its ground (whose section would name the kind).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Value, When, prefetch_related_objects
from django.utils import timezone

from openleave import clock, inputs, policy
from openleave.audit.access import Access, record_many
from openleave.grievance.selectors import Row, upcoming_deadlines
from openleave.leave.models import KIND_LABELS, Decision, LeaveRequest
from openleave.leave.privacy import PROTECTED_LABEL
from openleave.leave.selectors import request_view
from openleave.people.models import Agency, Employee, JobTitle
from openleave.privacy import aggregates
from openleave.privacy.models import StewardConsent

GRIEVABLE = (Decision.Outcome.DENIED, Decision.Outcome.PARTLY_APPROVED)  # denials and partial approvals first
WORKSPACE = "steward_workspace"


# --- deadlines -----------------------------------------------------------------------------------------------

Deadline = Row  # employee, decision (or ledger_entry), track, step, title, party, date, citation


def _deadlines(employees, on: dt.date) -> list[Deadline]:
    """The grievance time limits of these members still open on ``on``, soonest first: the grievance app's
    ``upcoming_deadlines`` (Sec. 23.2 Step I for each denial or partial approval not yet grieved, and every open step
    of the member's recorded grievance tracks, Sec. 23.2 Steps I-IV). The looks are logged by the callers here,
    one row per member shown."""
    employees = list(employees)
    return upcoming_deadlines(employees, on) if employees else []


# --- the workspace -------------------------------------------------------------------------------------------

@dataclass
class MemberRow:
    employee: Employee
    consent: StewardConsent  # the valid consent that lasts longest
    denied: int = 0
    partly: int = 0
    decided: int = 0


@dataclass
class Workspace:
    on: dt.date
    members: list[MemberRow]
    deadlines: list[Deadline]


@dataclass
class MemberCase:
    employee: Employee
    consent: StewardConsent
    on: dt.date
    requests: list[dict] = field(default_factory=list)  # ``request_view`` of each decided request, grievable first
    deadlines: list[Deadline] = field(default_factory=list)


def _valid_consents(user):
    """This steward's valid consents now, the longest-lasting first (a member may have granted several)."""
    if not policy.is_steward(user):
        raise policy.NotVisible()
    return (StewardConsent.objects.valid(timezone.now()).filter(steward=user, employee__in=policy.represented_members(user))
            .select_related("employee__agency", "employee__title")
            .order_by("employee_id", F("valid_until").desc(nulls_first=True), "-granted_at"))  # no end: longest


def _log(user, people, *, channel: str, object_id="", fields: str) -> None:
    record_many(actor=user, channel=channel, accesses=[
        Access(subject=p, object_type=WORKSPACE, object_id=object_id or p.pk, category=policy.LEAVE, fields=fields)
        for p in people])


def workspace(user, *, channel: str = "ui") -> Workspace:
    """Every member who authorised this steward, with the counts of their decisions, and one list of the upcoming
    grievance deadlines across all of them. ``NotVisible`` for a user who is not a steward."""
    on = clock.today()
    rows: dict[int, MemberRow] = {}
    for c in _valid_consents(user):
        rows.setdefault(c.employee_id, MemberRow(employee=c.employee, consent=c))
    counts = (Decision.objects.filter(request__employee_id__in=rows, reconsidered_by__isnull=True).values_list("request__employee_id", "outcome")
              .annotate(n=Count("id")).order_by())
    for employee_id, outcome, n in counts:
        row = rows[employee_id]
        row.decided += n
        if outcome == Decision.Outcome.DENIED:
            row.denied += n
        elif outcome == Decision.Outcome.PARTLY_APPROVED:
            row.partly += n
    members = sorted(rows.values(), key=lambda r: (r.employee.family_name, r.employee.given_name, r.employee.pk))
    deadlines = _deadlines([r.employee for r in members], on)
    _log(user, [r.employee for r in members], channel=channel, object_id="list",
         fields="steward's workspace: decisions counted, grievance deadlines")
    return Workspace(on=on, members=members, deadlines=deadlines)


def member_case(user, employee_number: str, *, channel: str = "ui") -> MemberCase:
    """One authorising member's decisions — denials and partial approvals first, newest first within each — with
    the findings at decision, the grounds and their citations, the decider's words, and the member's deadlines.
    ``NotVisible`` (404) without a valid consent naming this steward, whether or not the member exists."""
    consent = _valid_consents(user).filter(employee__employee_number=employee_number).first()
    if consent is None:
        raise policy.NotVisible()
    employee = consent.employee
    on = clock.today()
    rank = Case(When(outcome=Decision.Outcome.DENIED, then=Value(0)),
                When(outcome=Decision.Outcome.PARTLY_APPROVED, then=Value(1)),
                default=Value(2), output_field=IntegerField())
    current = (Decision.objects.filter(request__employee=employee, reconsidered_by__isnull=True)  # the current ones
               .select_related("request__employee__agency").annotate(rank=rank)
               .order_by("rank", "-decided_at", "-request_id"))
    reqs = [d.request for d in current]
    prefetch_related_objects(reqs, "decisions", "charges")
    views = []
    for r in reqs:
        v = request_view(user, r)
        if v["decision"] is None:  # decided, then withdrawn or amended: the decision still stands as it was made
            d = r.decision
            v["decision"] = {"outcome": d.outcome, "outcome_label": d.get_outcome_display(),
                             "approved_hours": v["approved_hours"], "grounds": d.grounds, "text": d.text,
                             "decided_by": d.decided_by_label, "decided_as": d.get_decided_as_display(),
                             "decided_at": d.decided_at, "auto_rule": d.auto_rule}
        v["decision_id"] = r.decision.pk  # the grievance app's pages of the act: /grievance/decision/<id>/
        v["grievable"] = r.decision.outcome in GRIEVABLE
        if v["protected"] and not v["full"] and v["kind_label"] == PROTECTED_LABEL:
            v["decision"] = {**v["decision"], "grounds": [], "text": "Protected leave: the reason is not shown."}
        views.append(v)
    case = MemberCase(employee=employee, consent=consent, on=on, requests=views,
                      deadlines=_deadlines([employee], on))
    _log(user, [employee], channel=channel,
         fields=f"steward's workspace: {len(views)} decision(s) with findings, grounds, reasons; grievance deadlines")
    return case


# --- denial statistics ---------------------------------------------------------------------------------------

BY = {"": "", "decider_role": "decider role", "title": "job title"}
PROTECTED_GROUND = "not shown (protected leave)"


@dataclass(frozen=True)
class DenialCell:
    agency: str
    kind: str
    ground: str  # the ground's code ("" when the decision recorded none)
    ground_text: str
    cite: str
    by: str  # the decider role or the job title, when asked for ("" otherwise)
    decisions: int | None  # None: suppressed
    people: int | None  # None: suppressed (fewer than MIN_CELL distinct people)

    @property
    def suppressed(self) -> bool:
        return self.people is None


@dataclass(frozen=True)
class DenialStats:
    year: int
    agency: str
    by: str
    cells: list[DenialCell]
    min_cell: int = aggregates.MIN_CELL

    @property
    def by_label(self) -> str:
        return BY[self.by]


def parse_filters(year, agency, by) -> tuple[int, str, str]:
    """The filters as given (query string or API), checked: a year openleave handles, an agency that exists, a
    breakdown it offers. ``inputs.BadInput`` names the field otherwise."""
    y = clock.today().year if year in (None, "") else inputs.year(year, "year")
    code = (agency or "").strip().upper()
    if code and not Agency.objects.filter(code=code).exists():
        raise inputs.BadInput("agency", f"no agency with the code {code[:20]!r}; choose one from the list.")
    by = (by or "").strip()
    if by not in BY:
        raise inputs.BadInput("by", f"{by[:30]!r} is not a breakdown; use one of: {', '.join(b for b in BY if b)} "
                                    "(or none).")
    return y, code, by


def _grounds_join(vendor: str, d: str) -> tuple[str, str, str, str]:
    """The SQL that unnests a decision's grounds (a JSON list of {code, text, cite}) and reads their fields."""
    if vendor == "postgresql":
        return (f"LEFT JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof({d}.grounds) = 'array' "
                f"THEN {d}.grounds ELSE '[]'::jsonb END) g(value) ON TRUE",
                "g.value->>'code'", "g.value->>'text'", "g.value->>'cite'")
    return (f"LEFT JOIN json_each({d}.grounds) g",
            "json_extract(g.value, '$.code')", "json_extract(g.value, '$.text')", "json_extract(g.value, '$.cite')")


def denial_statistics(user, *, year=None, agency=None, by=None) -> DenialStats:
    """Denials and partial approvals decided in ``year`` (local calendar year), per agency × kind × ground (× the
    breakdown), in one GROUP BY query; cells of fewer than ``MIN_CELL`` people suppressed (``aggregates.shown``)."""
    if not policy.can_view_denial_statistics(user):
        raise policy.NotVisible()
    year, code, by = parse_filters(year, agency, by)
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    end = dt.datetime(year + 1, 1, 1, tzinfo=tz) if year < dt.MAXYEAR else dt.datetime.max.replace(tzinfo=tz)
    d, r, e = Decision._meta.db_table, LeaveRequest._meta.db_table, Employee._meta.db_table
    a, t = Agency._meta.db_table, JobTitle._meta.db_table
    join, g_code, g_text, g_cite = _grounds_join(connection.vendor, "d")
    # A protected request (Sec. 8.12, sick family care) counts under one neutral kind and without its ground: the
    # ground's section would name the kind ("Sec. 8.12") even where the count is suppressed.
    kind = "CASE WHEN r.protected THEN '' ELSE r.kind END"
    ground, cite, text = (f"CASE WHEN r.protected THEN '' ELSE COALESCE({x}, '') END" for x in (g_code, g_cite, g_text))
    dim = {"": "''", "decider_role": "d.decided_as", "title": "t.name"}[by]
    bounds = [connection.ops.adapt_datetimefield_value(x) for x in (start, end)]  # as the ORM stores them (UTC)
    where, params = ["d.outcome IN (%s, %s)", "d.decided_at >= %s", "d.decided_at < %s"], [*GRIEVABLE, *bounds]
    if code:
        where.append("a.code = %s")
        params.append(code)
    # Built only from table names and fixed fragments of this function; every value is a query parameter.
    sql = f"""
        SELECT a.code, {kind}, {ground}, {cite}, MAX({text}), {dim}, COUNT(DISTINCT d.id), COUNT(DISTINCT r.employee_id)
        FROM {d} d
        JOIN {r} r ON r.id = d.request_id
        JOIN {e} e ON e.id = r.employee_id
        JOIN {a} a ON a.id = e.agency_id
        JOIN {t} t ON t.id = e.title_id
        {join}
        WHERE {' AND '.join(where)}
        GROUP BY a.code, {kind}, {ground}, {cite}{', ' + dim if by else ''}
    """  # noqa: S608
    with connection.cursor() as c:
        c.execute(sql, params)
        found = c.fetchall()
    roles = dict(Decision.As.choices)
    cells = []
    for agency_code, kind, ground, cite, text, dim_value, decisions, people in found:
        n = aggregates.shown(people)
        cells.append(DenialCell(
            agency=agency_code, kind=KIND_LABELS.get(kind, kind) if kind else PROTECTED_LABEL, ground=ground,
            ground_text=text if ground else ("no ground recorded" if kind else PROTECTED_GROUND), cite=cite,
            by=roles.get(dim_value, dim_value) if by == "decider_role" else dim_value,
            decisions=decisions if n is not None else None, people=n))
    cells.sort(key=lambda x: (x.agency, x.kind, x.cite, x.ground, x.by))
    return DenialStats(year=year, agency=code, by=by, cells=cells)


def agencies() -> list[Agency]:
    return list(Agency.objects.order_by("code"))


__all__ = ["Deadline", "Workspace", "MemberCase", "DenialCell", "DenialStats", "workspace", "member_case",
           "denial_statistics", "parse_filters", "agencies"]
