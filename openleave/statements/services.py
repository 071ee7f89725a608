"""Writes: the Sec. 9.8 statements for the workforce, and the forfeiture warnings — each once, recorded.

Both are bulk jobs, set-based per chunk of employees: one aggregate ledger read (``selectors.ledger_sums``),
one ``bulk_create`` of the records, of their access-log rows (naming each employee) and of the in-app
notifications, in ONE transaction per chunk; the e-mails go after that transaction commits
(``transaction.on_commit``), through Django's mail backend as ``leave.services.notify`` sends them. A run killed
halfway and run again gives each employee their statement (or warning) once: the records are unique per
employee and year, and a chunk is skipped for those who already have one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from openleave.audit.access import Access, System, record_many
from openleave.audit.models import AccessLog
from openleave.leave.models import Notification
from openleave.leave.services import mail_message, send_after_commit
from openleave.ledger.selectors import _tree
from openleave.rules import vintages as core

from . import selectors as S
from .models import ForfeitureWarning, VacationStatement, figures_checksum

CHUNK = 2000


class StatementRefused(ValueError):
    """The run may not go ahead (one line for the command's stderr)."""


@dataclass
class RunSummary:
    year: int
    as_of: dt.date
    employees: int = 0
    written: int = 0
    already: int = 0
    emailed: int = 0
    late: bool = False
    forfeits_micro: dict[str, int] = field(default_factory=dict)


def check_window(*, year: int, as_of: dt.date | None, today: dt.date, late: bool, tree=None) -> dt.date:
    """Sec. 9.8: the statement is "as of September 1", given "on or before October 1" (the parameter
    ``vacation.preliminary_statement``). Returns the as-of day; refuses a run before it, or after the due day
    without ``late``, or figures as of a day to come."""
    tree = _tree(tree)
    start, due = S.statement_dates(year, tree)
    as_of = as_of or start
    if as_of.year != year:
        raise StatementRefused(f"--as-of {as_of} is not in {year}: the statement for {year} is as of {start} (Sec. 9.8).")
    if today < start:
        raise StatementRefused(f"The Sec. 9.8 statement for {year} is as of {start}; it cannot be given before "
                               f"then (today is {today}).")
    if as_of > today:
        raise StatementRefused(f"--as-of {as_of} is after today ({today}): the figures are not known yet.")
    if today > due and not late:
        raise StatementRefused(f"The Sec. 9.8 statement for {year} was due on or before {due} (today is {today}); "
                               "run with --late to give it late (each statement is recorded as late).")
    return as_of


def _address(employee) -> str:
    user = employee.user
    return (user.email if user is not None and user.email else "") or employee.work_email


def statements_generate(*, year: int, today: dt.date, as_of: dt.date | None = None, late: bool = False,
                        by=None, by_label: str = "manage.py vacation_statements", employees=None,
                        progress: Callable[[int], None] | None = None, chunk: int = CHUNK, tree=None) -> RunSummary:
    """The Sec. 9.8 preliminary statement of every employee in service on the as-of day who has none for
    ``year`` yet: figures frozen with their checksum, the access-log row naming the employee, an in-app
    notification and — after commit — an e-mail with the link to the statement. ``progress(n)``: called with
    the number of employees done after each chunk."""
    tree = _tree(tree)
    as_of = check_window(year=year, as_of=as_of, today=today, late=late, tree=tree)
    end = max(core.year_end(slug, year, tree) for slug in S.FORFEITED)
    late = late and today > S.statement_dates(year, tree)[1]
    qs = (employees if employees is not None else S.in_service(as_of)).order_by("pk")
    ids = list(qs.values_list("pk", flat=True))
    summary = RunSummary(year=year, as_of=as_of, employees=len(ids), late=late)
    actor = by if by is not None else System(by_label)
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        with transaction.atomic():
            have = set(VacationStatement.objects.filter(year=year, employee_id__in=part)
                       .values_list("employee_id", flat=True))
            todo = [i for i in part if i not in have]
            summary.already += len(have)
            people = {e.pk: e for e in qs.model.objects.filter(pk__in=todo).select_related("agency", "title", "user")}
            sums = S.ledger_sums(todo, as_of=as_of, until=end)
            now = timezone.now()
            rows = []
            for i in todo:
                figures = S.statement_figures(people[i], sums[i], year=year, as_of=as_of, tree=tree)
                rows.append(VacationStatement(employee_id=i, year=year, as_of=as_of, generated_at=now,
                                              generated_by=getattr(by, "username", by_label)[:200], figures=figures,
                                              checksum=figures_checksum(figures), late=late))
                for item in figures["leaves"]:
                    for f in item.get("forfeits", ()):
                        summary.forfeits_micro[item["slug"]] = summary.forfeits_micro.get(item["slug"], 0) + f["micro"]
            VacationStatement.objects.bulk_create(rows)
            record_many(actor=actor, channel="command" if by is None else "ui", accesses=[
                Access(subject=people[r.employee_id], object_type="vacation_statement", object_id=f"{year}",
                       category="leave", action=AccessLog.Action.CHANGE,
                       fields=f"Sec. 9.8 statement {year} as of {as_of}") for r in rows])
            notes, mails = [], []
            for r in rows:
                e = people[r.employee_id]
                url = reverse("statements:statement", args=[e.employee_number, year])
                subject = f"Your vacation statement for {year} (Sec. 9.8)"
                body = (f"Your preliminary statement of available vacation credits as of {as_of} is ready "
                        "(Sec. 9.8).")
                if e.user_id:
                    notes.append(Notification(user=e.user, subject=subject, body=body, url=url))
                to = _address(e)
                if to:
                    mails.append(mail_message(to=to, subject=subject, body=body, url=url))
            Notification.objects.bulk_create(notes)
            send_after_commit(mails)
            summary.written += len(rows)
            summary.emailed += len(mails)
        if progress is not None:
            progress(len(part))
    return summary


@dataclass
class WarningSummary:
    on: dt.date
    year: int | None
    employees: int = 0
    sent: int = 0
    already: int = 0
    emailed: int = 0
    micro: dict[str, int] = field(default_factory=dict)


def forfeiture_warnings_send(*, on: dt.date, employees=None, progress: Callable[[int], None] | None = None,
                             chunk: int = CHUNK, tree=None) -> WarningSummary:
    """Each forfeiture warning due on ``on`` (``selectors.warning_year``: from October 1 to the year end), sent
    once: recorded (unique per employee, leave type and year end), told in the app and — after commit — by
    e-mail. A warning already sent is not sent again, even when the hours have changed since."""
    tree = _tree(tree)
    year = S.warning_year(on, tree)
    qs = (employees if employees is not None else S.in_service(on)).order_by("pk")
    ids = list(qs.values_list("pk", flat=True)) if year is not None else []
    summary = WarningSummary(on=on, year=year, employees=len(ids))
    actor = System("manage.py forfeiture_warnings")
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        with transaction.atomic():
            found = S.warnings_for(part, on, tree)
            sent = set(ForfeitureWarning.objects.filter(year=year, employee_id__in=part)
                       .values_list("employee_id", "leave"))
            todo = [w for ws in found.values() for w in ws]
            summary.already += sum(1 for w in todo if (w.employee_id, w.leave) in sent)
            todo = [w for w in todo if (w.employee_id, w.leave) not in sent]
            people = {e.pk: e for e in qs.model.objects.filter(pk__in={w.employee_id for w in todo})
                      .select_related("user")}
            now = timezone.now()
            rows, notes, mails = [], [], []
            for w in todo:
                e = people[w.employee_id]
                to = _address(e)
                rows.append(ForfeitureWarning(employee_id=e.pk, leave=w.leave, year=w.year, forfeits_on=w.on,
                                              micro=w.micro, text=w.text[:300], cite=w.cite, sent_at=now,
                                              emailed=bool(to)))
                url = reverse("statements:mine")
                subject = f"Leave you will lose on {w.on} unless you use it"
                body = f"{w.text}. Your statements and balances are in openleave."
                if e.user_id:
                    notes.append(Notification(user=e.user, subject=subject, body=body, url=url))
                if to:
                    mails.append(mail_message(to=to, subject=subject, body=body, url=url))
                summary.micro[w.leave] = summary.micro.get(w.leave, 0) + w.micro
            ForfeitureWarning.objects.bulk_create(rows)
            record_many(actor=actor, channel="command", accesses=[
                Access(subject=people[w.employee_id], object_type="forfeiture_warning", object_id=f"{w.leave}:{w.year}",
                       category="leave", action=AccessLog.Action.CHANGE, fields=w.text[:300]) for w in todo])
            Notification.objects.bulk_create(notes)
            send_after_commit(mails)
            summary.sent += len(rows)
            summary.emailed += len(mails)
        if progress is not None:
            progress(len(part))
    return summary
