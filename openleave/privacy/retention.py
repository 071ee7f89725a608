"""Retention: purge or anonymise records past their retention period, per category.

Periods are in years, from ``settings.OPENLEAVE_RETENTION_YEARS`` over the defaults below. Medical and
FMLA records are kept at least 3 years (29 CFR 825.500); a shorter setting is refused.

Apps register a rule for each kind of record they keep::

    from openleave.privacy.retention import register_rule

    register_rule(key="leave_requests", period="leave", description="decided leave requests",
                  due=lambda cutoff: LeaveRequest.objects.filter(decided_at__lt=cutoff),
                  action="delete")            # or action=callable(queryset) -> int (anonymise)

``apply(dry_run=...)`` lists or acts; every purge writes access-log rows ("purge") in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

DEFAULT_YEARS = {
    "access_log": 7,  # the audit trail itself
    "medical": 3,  # FMLA/medical records: at least 3 years, 29 CFR 825.500(b)
    "leave": 7,  # leave records after the year they concern
    "consent": 3,  # ended steward consents (revoked or expired)
    "separated_employee": 7,  # personal details of people who left: anonymised
    "account": 0,  # while the account exists
    "kept": 0,  # not personal data (0 = no automatic purge)
}
MINIMUM_YEARS = {"medical": 3}


def years() -> dict[str, int]:
    configured = {**DEFAULT_YEARS, **getattr(settings, "OPENLEAVE_RETENTION_YEARS", {})}
    for key, minimum in MINIMUM_YEARS.items():
        if configured.get(key, minimum) < minimum:
            raise ImproperlyConfigured(
                f"OPENLEAVE_RETENTION_YEARS[{key!r}] = {configured[key]}: medical/FMLA records must be kept at "
                f"least {minimum} years (29 CFR 825.500)."
            )
    return configured


def cutoff_for(period: str, now=None) -> dt.datetime | None:
    n = years().get(period, 0)
    if not n:
        return None
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - n)
    except ValueError:  # 29 February
        return now.replace(year=now.year - n, day=28)


@dataclass(frozen=True)
class Rule:
    key: str
    period: str
    description: str
    due: Callable  # cutoff -> queryset of records past retention
    action: str | Callable = "delete"  # "delete", "access_log", or a callable(queryset) -> int that anonymises
    subject_of: Callable | None = None  # record -> Employee (for the purge log row), optional
    label: Callable = str


_rules: dict[str, Rule] = {}


def register_rule(**kwargs) -> None:
    rule = Rule(**kwargs)
    _rules[rule.key] = rule


def rules() -> list[Rule]:
    return list(_rules.values())


@dataclass
class Outcome:
    rule: str
    period: str
    cutoff: dt.datetime | None
    items: list[str]
    done: int = 0


def apply(*, dry_run: bool, actor=None, now=None) -> list[Outcome]:
    from openleave.audit.access import COMMAND, Access, record_many
    from openleave.audit.models import AccessLog

    outcomes = []
    for rule in rules():
        cutoff = cutoff_for(rule.period, now)
        if cutoff is None:
            outcomes.append(Outcome(rule.key, rule.period, None, []))
            continue
        with transaction.atomic():
            qs = rule.due(cutoff)
            records = list(qs[:100000])
            out = Outcome(rule.key, rule.period, cutoff, [rule.label(r) for r in records])
            if not dry_run and records:
                if rule.action == "access_log":
                    out.done = _purge_access_log(records)
                    record_many(actor=actor, channel=COMMAND, accesses=[Access(
                        subject=None, object_type="access_log", object_id=f"{out.done} rows",
                        category="audit", action=AccessLog.Action.PURGE, purpose=f"retention: {rule.description}",
                        fields=f"rows before {cutoff:%Y-%m-%d}")])
                else:
                    subjects = [(rule.subject_of(r) if rule.subject_of else None, r.pk) for r in records]
                    pks = [r.pk for r in records]
                    model = type(records[0])
                    target = model._default_manager.filter(pk__in=pks)
                    if rule.action == "delete":
                        out.done = target.delete()[0]
                    else:
                        out.done = rule.action(target)
                    record_many(actor=actor, channel=COMMAND, accesses=[Access(
                        subject=s, object_type=model._meta.model_name, object_id=pk, category=rule.period,
                        action=AccessLog.Action.PURGE,
                        fields="deleted" if rule.action == "delete" else "anonymised",
                        purpose=f"retention: {rule.description} ({years()[rule.period]} years)",
                    ) for s, pk in subjects])
            outcomes.append(out)
    return outcomes


def _purge_access_log(records) -> int:
    """Remove the oldest rows and move the chain's anchor to the prev_hash of the oldest row kept."""
    from openleave.audit.access import _locked_head
    from openleave.audit.models import AccessLog

    head = _locked_head()
    sealed = [r.seq for r in records if r.seq is not None]
    if not sealed:
        return 0
    # Only a prefix of the chain may go: everything up to the newest purged row, in chain order.
    n = AccessLog.objects.filter(seq__lte=max(sealed))._purge()
    first_kept = AccessLog.objects.filter(seq__isnull=False).order_by("seq").only("prev_hash").first()
    head.anchor_hash = first_kept.prev_hash if first_kept else head.last_hash
    head.save(update_fields=["anchor_hash"])
    return n


def _builtin_rules() -> None:
    from openleave.audit.models import AccessLog
    from openleave.people.models import Employee

    from .models import StewardConsent

    register_rule(
        key="access_log", period="access_log", description="access-log rows older than the period",
        due=lambda cutoff: AccessLog.objects.filter(at__lt=cutoff, seq__isnull=False).order_by("seq"),
        action="access_log",
        label=lambda r: f"access-log row {r.pk} ({r.at:%Y-%m-%d})",
    )
    register_rule(
        key="steward_consent", period="consent", description="ended steward consents",
        due=lambda cutoff: StewardConsent.objects.filter(
            Q(revoked_at__lt=cutoff) | Q(revoked_at__isnull=True, valid_until__lt=cutoff)),
        action="delete", subject_of=lambda c: c.employee,
        label=lambda c: f"steward consent {c.pk} (employee {c.employee.employee_number}, ended "
                        f"{(c.revoked_at or c.valid_until):%Y-%m-%d})",
    )

    def anonymise(qs) -> int:
        n = 0
        for e in qs:
            e.given_name, e.family_name, e.work_email = "Former", f"employee {e.pk}", ""
            e.user = None
            e.work_schedule = {}
            e.save(update_fields=["given_name", "family_name", "work_email", "user", "work_schedule"])
            n += 1
        return n

    register_rule(
        key="separated_employee", period="separated_employee",
        description="personal details of people who left (name, e-mail, account link) anonymised",
        due=lambda cutoff: Employee.objects.filter(separation_date__lt=cutoff.date()).exclude(given_name="Former"),
        action=anonymise, subject_of=lambda e: e,
        label=lambda e: f"employee {e.employee_number} (left {e.separation_date:%Y-%m-%d})",
    )
