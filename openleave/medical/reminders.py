"""FMLA reminders (``manage.py fmla_reminders``, run by cron): certification due soon and overdue (Sec. 8.1.M), the
end of the entitlement approaching (Sec. 8.7.2.A.1/B.1), the intermittent days of B.4.a nearly used or used.

The cases come from the work queue's set-based selection (``queue``); a case already reminded of the same kind
and date (``FmlaReminder``, unique) is skipped, so running twice sends nothing twice. One transaction: the
reminder rows, the in-app notifications to the employee and the medical coordinators of their agency, and one
access-log row per reminder naming the employee ("the system: manage.py fmla_reminders"); the e-mails go once it
commits. A supervisor, HR, a steward get nothing. The messages name the case, its dates and figures and the
sections — never the reason for the leave, a diagnosis, a family member or a document's content.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from openleave import policy
from openleave.accounts import roles as R
from openleave.audit.access import COMMAND, Access, System, record_many
from openleave.audit.models import AccessLog

from . import queue
from .models import REMINDER_KINDS, FmlaReminder

ACTOR = System("manage.py fmla_reminders")


@dataclass
class Result:
    sent: dict[str, int] = field(default_factory=dict)  # kind → reminders sent
    notifications: int = 0
    skipped: int = 0  # already reminded


def candidates(today: dt.date, t: dict | None = None) -> list[queue.Item]:
    """The reminders due on ``today`` (before the already-sent ones are taken out)."""
    t = {**queue.thresholds(), **(t or {})}
    cases = queue.open_cases()
    return (queue.certifications(cases, today, within_days=t["certification_days_before"])
            + queue.entitlements(cases, today, t["entitlement_weeks_left"], t["intermittent_days_left"]))


def _coordinators(agency_ids: set[int]) -> dict[int | None, list]:
    """Active medical coordinators by agency (None: those of every agency)."""
    users = (get_user_model().objects.filter(is_active=True, groups__name=R.MEDICAL)
             .filter(Q(agency_id__in=agency_ids) | Q(agency__isnull=True)).distinct())
    out: dict[int | None, list] = {}
    for u in users:
        out.setdefault(u.agency_id, []).append(u)
    return out


def _text(item: queue.Item, for_employee: bool) -> tuple[str, str]:
    whose = "your" if for_employee else f"{item.employee_name}'s ({item.employee_number})"
    subject = f"FMLA case {item.case_id}: {item.title}"
    lead = {
        "certification_due": f"Reminder: the certification (D-1 / D-2) for {whose} FMLA case {item.case_id} is due "
                             f"on {item.due}. Upload it on the case page.",
        "certification_overdue": f"The certification (D-1 / D-2) for {whose} FMLA case {item.case_id} was due on "
                                 f"{item.due} and has not been received.",
        "entitlement_ending": f"The FMLA entitlement of {whose} case {item.case_id} is ending.",
        "intermittent_near": f"The intermittent days of {whose} FMLA case {item.case_id} are nearly used.",
        "intermittent_reached": f"The intermittent days of {whose} FMLA case {item.case_id} are used.",
    }[item.kind]
    return subject, f"{lead} {item.detail} ({item.cite})"


def fmla_reminders_send(*, today: dt.date, thresholds: dict | None = None, dry_run: bool = False) -> Result:
    """Send the reminders due on ``today`` that were not sent before. ``dry_run``: count them, write nothing."""
    from openleave.leave.models import Notification
    from openleave.leave.services import mail_message, send_after_commit

    result = Result()
    items = candidates(today, thresholds)
    if not items:
        return result
    keys = {(i.case_id, i.kind, i.due) for i in items}
    already = FmlaReminder.objects.filter(case_id__in={k[0] for k in keys}).values_list("case_id", "kind", "due")
    done = set(already) & keys
    todo = [i for i in items if (i.case_id, i.kind, i.due) not in done]
    result.skipped = len(items) - len(todo)
    if dry_run or not todo:
        for i in todo:
            result.sent[i.kind] = result.sent.get(i.kind, 0) + 1
        return result
    from openleave.people.models import Employee

    with transaction.atomic():
        people = Employee.objects.select_related("user").in_bulk({i.employee_id for i in todo})
        coordinators = _coordinators({p.agency_id for p in people.values()})
        notes, mails, rows, accesses = [], [], [], []
        for i in todo:
            emp = people[i.employee_id]
            to = [(emp.user, True)] if emp.user_id and emp.user.is_active else []
            to += [(u, False) for u in coordinators.get(emp.agency_id, []) + coordinators.get(None, [])
                   if u.pk != emp.user_id and policy.can_read_medical(u, emp)]
            for user, own in to:
                subject, body = _text(i, own)
                url = i.url
                notes.append(Notification(user=user, subject=subject[:200], body=body, url=url))
                if user.email:
                    mails.append(mail_message(to=user.email, subject=subject, body=body, url=url))
            rows.append(FmlaReminder(case_id=i.case_id, kind=i.kind, due=i.due, sent_on=today, recipients=len(to)))
            result.sent[i.kind] = result.sent.get(i.kind, 0) + 1
        FmlaReminder.objects.bulk_create(rows)  # the unique (case, kind, due): a concurrent run fails whole
        Notification.objects.bulk_create(notes)
        result.notifications = len(notes)
        for i, row in zip(todo, rows, strict=True):
            accesses.append(Access(subject=people[i.employee_id], object_type="fmla_reminder",
                                   object_id=row.pk or i.case_id, category=policy.LEAVE,
                                   action=AccessLog.Action.CHANGE,
                                   fields=f"FMLA reminder {i.kind} for case {i.case_id} ({i.due}), "
                                          f"{row.recipients} recipient(s)"))
        record_many(actor=ACTOR, channel=COMMAND, accesses=accesses)
        send_after_commit(mails)
    return result


def kind_label(kind: str) -> str:
    return REMINDER_KINDS[kind]
