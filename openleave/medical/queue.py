"""The medical (FMLA) coordinator's work queue, and the cases the reminders are about (``reminders``).

Four kinds of work, each a row with its dates, citations and a link to the case:

* ``waiting_notice`` — an open case with no designation yet (``FmlaDesignation``): the eligibility notice is due
  within the business days of Sec. 8.1.M from the request or the employer's knowledge (the case's opening day,
  ``rules.fmla.fmla_deadline('eligibility_notice_due', …)``);
* ``certification_due`` / ``certification_overdue`` — a certification was requested (``FmlaCase.certification_due``)
  and no D-1 / D-2 has been received (Sec. 8.1.M, Appendix D-1/D-2);
* ``entitlement_ending`` — the weeks of the entitlement left in the look-back period (Sec. 8.7.2.A.1, B.1,
  B.4.c; ``selectors.fmla_usage``) are at most the configured number;
* ``intermittent_near`` / ``intermittent_reached`` — an intermittent or modified-schedule case whose intermittent
  days of the allotment (B.4.a) left are at most the configured number, or none: beyond them intermittent leave
  continues only if operations allow (B.4.c), a decision.

The selection is set-based: one query per kind picks the cases (open, in the coordinator's agencies, not yet
certified, with FMLA leave taken in the look-back…); only the entitlement of the few cases with FMLA leave taken
is then computed by the rules core, per employee. Rows name the case, the employee and dates — never the reason
for the leave, a diagnosis or a document. The thresholds are the organisation's, not the contract's
(``settings.OPENLEAVE_FMLA_REMINDERS``; ``THRESHOLDS`` are the defaults).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from openleave.rules import fmla
from openleave.rules.params import figure

from .models import CERTIFICATIONS, FmlaCase, FmlaDesignation, MedicalDocument

THRESHOLDS = {
    "certification_days_before": 3,  # remind this many days before a certification is due
    "entitlement_weeks_left": 2,  # remind when at most this many weeks of the entitlement are left
    "intermittent_days_left": 5,  # remind when at most this many intermittent days are left
}
KINDS = ("waiting_notice", "certification_overdue", "certification_due", "intermittent_reached", "intermittent_near",
         "entitlement_ending")
LABELS = {
    "waiting_notice": "Waiting for the eligibility / designation notice",
    "certification_due": "Certification due",
    "certification_overdue": "Certification overdue",
    "entitlement_ending": "Entitlement ending",
    "intermittent_near": "Intermittent days nearly used",
    "intermittent_reached": "Intermittent days used",
}
FMLA_KINDS = ("fmla_family", "fmla_medical")
COUNTED = ("approved", "partly_approved", "taken")


def thresholds() -> dict[str, int]:
    return {**THRESHOLDS, **getattr(settings, "OPENLEAVE_FMLA_REMINDERS", {})}


@dataclass(frozen=True)
class Item:
    """One row of the queue. ``date``: the date that sets its urgency (a deadline, or today for the entitlement
    rows); ``due``: the date the reminder of it is about (``FmlaReminder.due``)."""

    kind: str
    case_id: int
    employee_id: int
    employee_number: str
    employee_name: str
    date: dt.date
    due: dt.date
    title: str
    detail: str
    citations: tuple[str, ...]
    url: str
    today: dt.date = field(compare=False, default=dt.date.min)
    figures: dict = field(compare=False, default_factory=dict)

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def days_left(self) -> int:
        return (self.date - self.today).days

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def cite(self) -> str:
        return ", ".join(self.citations)

    def as_json(self) -> dict:
        return {"kind": self.kind, "label": self.label, "case": self.case_id, "employee_number": self.employee_number,
                "employee_name": self.employee_name, "date": self.date.isoformat(), "days_left": self.days_left,
                "overdue": self.overdue, "title": self.title, "detail": self.detail,
                "citations": list(self.citations), "url": self.url, "figures": self.figures}


def _url(case: FmlaCase) -> str:
    return reverse("medical:case", args=[case.employee.employee_number, case.pk])


def _item(kind: str, case: FmlaCase, date: dt.date, due: dt.date, title: str, detail: str, citations, today,
          figures: dict | None = None) -> Item:
    e = case.employee
    return Item(kind=kind, case_id=case.pk, employee_id=e.pk, employee_number=e.employee_number,
                employee_name=f"{e.given_name} {e.family_name}", date=date, due=due, title=title, detail=detail,
                citations=tuple(citations), url=_url(case), today=today, figures=figures or {})


def open_cases(agency_id: int | None = None):
    """Open cases (of one agency, or all when ``agency_id`` is None), with their employee."""
    qs = FmlaCase.objects.filter(status=FmlaCase.Status.OPEN).select_related("employee")
    if agency_id is not None:
        qs = qs.filter(employee__agency_id=agency_id)
    return qs


def _opened_on(case: FmlaCase) -> dt.date:
    return timezone.localtime(case.opened_at).date()


def waiting_notice(cases, today: dt.date) -> list[Item]:
    """Open cases without a designation: the eligibility notice of Sec. 8.1.M, due from the case's opening."""
    qs = cases.filter(~Exists(FmlaDesignation.objects.filter(case=OuterRef("pk"))))
    out = []
    for case in qs:
        opened = _opened_on(case)
        d = fmla.fmla_deadline("eligibility_notice_due", opened)
        out.append(_item("waiting_notice", case, d.value, d.value, f"Eligibility notice due {d.value}",
                         f"Case opened {opened} — {case.get_opened_by_role_display()}; no designation yet. "
                         + d.reasons[0], d.citations, today))
    return out


def _not_certified(cases):
    received = MedicalDocument.objects.filter(case=OuterRef("pk"), kind__in=CERTIFICATIONS)
    return cases.filter(certification_due__isnull=False).filter(~Exists(received))


CERT_CITES = ("Sec. 8.1.M", "Appendix D-1", "Appendix D-2")


def certifications(cases, today: dt.date, within_days: int | None = None) -> list[Item]:
    """Requested certifications not received: overdue (due before ``today``) and due (on or after it; with
    ``within_days``, only those due within that many days)."""
    qs = _not_certified(cases)
    if within_days is not None:
        qs = qs.filter(certification_due__lte=today + dt.timedelta(days=within_days))
    out = []
    for case in qs:
        due = case.certification_due
        if due < today:
            out.append(_item("certification_overdue", case, due, due, f"Certification overdue since {due}",
                             f"The certification (D-1 / D-2) requested for this case was due {due} and has not been "
                             "received.", CERT_CITES, today))
        else:
            out.append(_item("certification_due", case, due, due, f"Certification due {due}",
                             f"The certification (D-1 / D-2) requested for this case is due {due}; not received yet.",
                             CERT_CITES, today))
    return out


def usage(employee, on: dt.date, leave_type: str) -> fmla.Entitlement:
    """The employee's FMLA entitlement on ``on`` (``selectors.fmla_usage``: weeks and intermittent days used and
    remaining in the look-back period). Not logged here: the queue's and the reminders' own rows are."""
    from .selectors import fmla_usage

    return fmla_usage(employee, on, reason=leave_type)[1]


def entitlements(cases, today: dt.date, weeks_left: int | None = None, days_left: int | None = None) -> list[Item]:
    """Cases whose entitlement is ending (weeks left ≤ ``weeks_left``) and intermittent cases near or at the
    intermittent days of B.4.a (days left ≤ ``days_left``). Only cases whose employee took FMLA leave in the
    look-back period are computed (one query selects them)."""
    t = thresholds()
    weeks_left = t["entitlement_weeks_left"] if weeks_left is None else weeks_left
    days_left = t["intermittent_days_left"] if days_left is None else days_left
    first, last, _ = fmla.lookback_window(today)
    from openleave.leave.models import LeaveRequest

    took = LeaveRequest.objects.filter(employee=OuterRef("employee"), kind__in=FMLA_KINDS, status__in=COUNTED,
                                       start_date__lte=last, end_date__gte=first)
    out = []
    for case in cases.filter(Exists(took)).prefetch_related("employee__service_events"):
        ent = usage(case.employee, today, case.leave_type)
        figures = {"weeks_used": figure(ent.weeks_used), "weeks_remaining": figure(ent.weeks_remaining),
                   "weeks_allowed": figure(ent.weeks_allowed),
                   "intermittent_days_used": figure(ent.intermittent_days_used),
                   "intermittent_days_remaining": figure(ent.intermittent_days_remaining),
                   "intermittent_days_allowed": figure(ent.intermittent_days_allowed),
                   "window_from": ent.window_from.isoformat(), "window_to": ent.window_to.isoformat()}
        window = f"in the look-back period {ent.window_from} … {ent.window_to}"
        if ent.weeks_remaining <= Decimal(weeks_left):
            out.append(_item(
                "entitlement_ending", case, today, case.expected_start,
                f"{figure(ent.weeks_remaining)} weeks of the entitlement left",
                f"{figure(ent.weeks_used)} of {figure(ent.weeks_allowed)} weeks used {window}; "
                f"{figure(ent.weeks_remaining)} left on {today}.",
                ("Sec. 8.7.2.A.1", "Sec. 8.7.2.B.1", "Sec. 8.7.2.B.4.c"), today, figures))
        if case.schedule in ("intermittent", "modified_schedule"):
            rest = ent.intermittent_days_remaining
            if rest <= 0:
                out.append(_item(
                    "intermittent_reached", case, today, case.expected_start,
                    f"All {figure(ent.intermittent_days_allowed)} intermittent days used",
                    f"{figure(ent.intermittent_days_used)} intermittent days used {window}. Beyond them, intermittent "
                    "leave continues only if operations allow and the weeks are not exhausted — the Appointing "
                    "Authority's decision.", ("Sec. 8.7.2.B.4.a", "Sec. 8.7.2.B.4.c"), today, figures))
            elif rest <= Decimal(days_left):
                out.append(_item(
                    "intermittent_near", case, today, case.expected_start,
                    f"{figure(rest)} intermittent days left",
                    f"{figure(ent.intermittent_days_used)} of {figure(ent.intermittent_days_allowed)} intermittent "
                    f"days used {window}; {figure(rest)} left on {today}.", ("Sec. 8.7.2.B.4.a",), today, figures))
    return out


URGENCY = {k: n for n, k in enumerate(KINDS)}


def work_queue(today: dt.date, agency_id: int | None = None) -> list[Item]:
    """Every row of the queue, most urgent first: by its date (overdue first), then by kind."""
    cases = open_cases(agency_id)
    items = (waiting_notice(cases, today) + certifications(cases, today) + entitlements(cases, today))
    return sorted(items, key=lambda i: (i.date, URGENCY[i.kind], i.case_id))


def coordinator_agency(user) -> int | None:
    """The agency whose cases a coordinator works (None: all agencies)."""
    return user.agency_id


def coordinator_queue(user, today: dt.date, *, channel: str = "ui") -> list[Item]:
    """The queue as the medical coordinator ``user`` works it (their agency's cases, or all agencies'); anyone else:
    ``PermissionError``. One read row per employee shown, naming them (``policy.LEAVE``: dates and figures only)."""
    from openleave import policy
    from openleave.audit.access import Access, record_many

    if not policy.can_work_fmla_queue(user):
        raise PermissionError("Only the medical (FMLA) coordinator has this work queue.")
    items = work_queue(today, coordinator_agency(user))
    seen: dict[int, list[str]] = {}
    for i in items:
        seen.setdefault(i.employee_id, []).append(i.kind)
    if seen:
        from openleave.people.models import Employee

        people = Employee.objects.in_bulk(list(seen))
        record_many(actor=user, channel=channel, accesses=[
            Access(subject=people[pk], object_type="fmla_queue", object_id=pk, category=policy.LEAVE,
                   fields="FMLA work queue: " + ", ".join(sorted(set(kinds))) + " (dates, weeks and days)")
            for pk, kinds in seen.items()])
    return items
