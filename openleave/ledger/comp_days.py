"""Compensatory days for holidays (Sec. 10.3–10.5) in the ledger: what each has left and when it expires
(``comp_days``), and the set-based expiry run (``comp_day_expiry_run``).

A compensatory day is a ``Leave.HOLIDAY`` / ``Kind.EARNED`` entry dated the holiday as observed, with the
holiday's year as ``vintage``; it can be taken through its last day, the holiday + the contract's
``holidays.comp_day_window_days`` (``openleave.rules.comp``, reading 1). Days taken use the oldest first; the
rest of a day at the end of its last day expires: an ``EXPIRY`` entry dated that last day, keyed
``comp-day-expiry:<earned entry id>`` (one per day earned, so a second run posts nothing).

The run is set-based: ONE statement computes, for every compensatory day of the workforce whose last day has
passed, what expires — the closed form of ``openleave.rules.comp`` (window functions over the lots, ordered by
last day, a correlated sum of the hours used on the (employee, leave, effective_date) index) — and the entries
are written with one bulk insert, in one transaction with one access-log row per employee concerned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from openleave.rules import comp as rules
from openleave.rules import ledger as core
from openleave.rules.calendar import period_containing
from openleave.rules.units import hours_str

from .models import KIND_SLUGS, Kind, Leave, LedgerEntry

EXPIRY_KEY = "comp-day-expiry:"


def expiry_key(earned_id: int) -> str:
    return f"{EXPIRY_KEY}{earned_id}"


@dataclass(frozen=True)
class CompDay:
    """One compensatory day as the pages and the API show it."""

    entry_id: int
    earned_on: dt.date
    last_day: dt.date
    micro: int
    used: int
    expired: int
    cite: str

    @property
    def remaining(self) -> int:
        return self.micro - self.used - self.expired

    @property
    def status(self) -> str:
        if self.expired:
            return "expired" if self.used == 0 else "partly used, rest expired"
        if self.remaining == 0:
            return "used"
        return "open" if self.used == 0 else "partly used"

    def hours(self) -> dict[str, str]:
        return {"hours": hours_str(self.micro), "used": hours_str(self.used), "expired": hours_str(self.expired),
                "remaining": hours_str(self.remaining)}


def holiday_entries(employee, until: dt.date | None = None) -> list[core.Entry]:
    """The employee's ``Leave.HOLIDAY`` rows as the rules core's entries (key ``db:<id>``)."""
    qs = LedgerEntry.objects.filter(employee_id=employee.pk, leave=Leave.HOLIDAY)
    if until is not None:
        qs = qs.filter(effective_date__lte=until)
    return [core.Entry(KIND_SLUGS[Kind(e.kind)], "holiday", int(e.micro), e.effective_date, e.period_start, e.reason,
                       tuple(c.strip() for c in e.cite.split(",") if c.strip()), f"db:{e.pk:012d}", e.vintage)
            for e in qs.order_by("effective_date", "id")]


def comp_days(employee, on: dt.date) -> list[CompDay]:
    """The employee's compensatory days as of the end of ``on``, oldest first: hours, used and expired by then (as
    the contract gives it — whether or not the run has posted the expiry yet), left, last day."""
    lots = rules.comp_day_lots(holiday_entries(employee, on), on)
    return [CompDay(int(lot.key[3:]), lot.earned_on, lot.last_day, lot.amount, lot.used, lot.expired, lot.cite)
            for lot in lots]


def comp_days_expiring(employee, on: dt.date, within_days: int) -> list[CompDay]:
    """Open compensatory days whose last day is ``on`` .. ``on + within_days``."""
    until = on + dt.timedelta(days=within_days)
    return [d for d in comp_days(employee, on) if on <= d.last_day <= until and d.remaining > 0]


# --- the set-based run -----------------------------------------------------------------------------------------


def _days_expr(vendor: str) -> str:
    """SQL for the window in days of a compensatory day earned on ``l.effective_date``, from the dated values of
    ``holidays.comp_day_window_days`` (NULL before the first: no such day)."""
    from .services import tree

    hist = sorted(tree().history("holidays.comp_day_window_days"), key=lambda p: p.since, reverse=True)
    whens = " ".join(f"WHEN e.effective_date >= '{p.since.isoformat()}' THEN {int(p.value)}" for p in hist)
    return f"(CASE {whens} ELSE NULL END)"


def _last_day_expr(vendor: str) -> str:
    days = _days_expr(vendor)
    if vendor == "postgresql":
        return f"(e.effective_date + {days})"
    return f"date(e.effective_date, '+' || {days} || ' days')"


def due_sql(vendor: str) -> str:
    """Every compensatory day whose last day is on or before %(bound)s (and, when %(emp)s is not NULL, of that
    employee only): id, employee, hours, earned on, last day, the hours that expire at the end of the last day
    unless used first (the closed form of ``rules.comp``), the hours already expired by a posted entry, its
    vintage and citation, and the employee's pay-calendar anchor."""
    greatest, least = ("GREATEST", "LEAST") if vendor == "postgresql" else ("MAX", "MIN")
    order = "PARTITION BY employee_id ORDER BY last_day, earned_on, id"
    return f"""
    WITH lots AS (
        SELECT e.id, e.employee_id, e.micro AS amount, e.effective_date AS earned_on, {_last_day_expr(vendor)} AS last_day,
               e.vintage, e.cite
        FROM ledger_ledgerentry e
        WHERE e.leave = {int(Leave.HOLIDAY)} AND e.kind = {int(Kind.EARNED)} AND e.micro > 0
          AND (%(emp)s IS NULL OR e.employee_id = %(emp)s)
    ), used AS (
        SELECT l.*, SUM(l.amount) OVER (
                   {order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum,
               COALESCE((SELECT -SUM(u.micro) FROM ledger_ledgerentry u
                         WHERE u.employee_id = l.employee_id AND u.leave = {int(Leave.HOLIDAY)}
                           AND u.effective_date <= l.last_day AND u.kind <> {int(Kind.EXPIRY)}
                           AND NOT (u.kind = {int(Kind.EARNED)} AND u.micro > 0)), 0) AS used
        FROM lots l
        WHERE l.last_day IS NOT NULL AND l.last_day <= %(bound)s
    ), running AS (
        SELECT x.*, MAX(x.cum - x.used) OVER ({order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS tmax
        FROM used x
    ), due AS (
        SELECT r.*, {least}(r.amount, {greatest}(r.tmax, 0)
                   - {greatest}(COALESCE(LAG(r.tmax) OVER ({order}), 0), 0)) AS expire
        FROM running r
    )
    SELECT d.id, d.employee_id, d.amount, d.earned_on, d.last_day, {greatest}(d.expire, 0) AS expire,
           COALESCE((SELECT -SUM(p.micro) FROM ledger_ledgerentry p WHERE p.key = '{EXPIRY_KEY}' || d.id), 0) AS posted,
           d.vintage, d.cite, c.anchor
    FROM due d
    JOIN people_employee emp ON emp.id = d.employee_id
    JOIN people_paycalendar c ON c.id = emp.pay_calendar_id
    ORDER BY d.employee_id, d.last_day, d.id
    """  # noqa: S608 — built from integer codes and the parameter files' dates, never user input


@dataclass(frozen=True)
class DueRow:
    entry_id: int
    employee_id: int
    micro: int
    earned_on: dt.date
    last_day: dt.date
    expire: int
    posted: int
    vintage: int | None
    cite: str
    anchor: dt.date


def _as_date(v) -> dt.date:
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])


def due_rows(bound: dt.date, employee_id: int | None = None) -> list[DueRow]:
    """``due_sql`` run: every compensatory day with its last day on or before ``bound``."""
    with connection.cursor() as c:
        c.execute(due_sql(connection.vendor), {"bound": bound, "emp": employee_id})
        return [DueRow(int(r[0]), int(r[1]), int(r[2]), _as_date(r[3]), _as_date(r[4]), int(r[5] or 0), int(r[6] or 0),
                       None if r[7] is None else int(r[7]), r[8] or "Sec. 10.3", _as_date(r[9]))
                for r in c.fetchall()]


@dataclass
class ExpiryResult:
    on: dt.date
    dry_run: bool
    days_checked: int = 0
    expired_days: int = 0
    employees: int = 0
    micro: int = 0
    already_posted: int = 0
    fully_used: int = 0
    differs: list[tuple[int, int, int]] = field(default_factory=list)  # (entry id, posted, computed now)
    entries: list[LedgerEntry] = field(default_factory=list)

    def summary(self) -> dict:
        return {"on": self.on.isoformat(), "dry_run": self.dry_run, "compensatory days past their last day":
                self.days_checked, "expired now": self.expired_days, "employees": self.employees,
                "hours expired now": hours_str(self.micro), "expired by an earlier run": self.already_posted,
                "used in full (nothing expires)": self.fully_used,
                "posted before a later correction (check them)": len(self.differs)}


def _reason(row: DueRow, amount: int) -> str:
    days, _ = rules.comp_day_window(row.earned_on)
    used = row.micro - amount
    text = (f"compensatory day for the holiday of {row.earned_on} not taken by {row.last_day}, the last of the "
            f"{days} days following the holiday: {hours_str(amount)} of {hours_str(row.micro)} h expired")
    if used:
        text += f" ({hours_str(used)} h of it used, oldest first)"
    return text + ("; if the agency could not grant the day (shortage of personnel or other reason) a day's pay is "
                   "due instead — the Appointing Authority records it")


def comp_day_expiry_run(*, on: dt.date, dry_run: bool = False, by=None, system: str = "manage.py expire_comp_days",
                        progress=None) -> ExpiryResult:
    """Expire, as of the start of ``on``, what is left of every compensatory day whose last day is before ``on``.
    One transaction: the entries (one per day, keyed — a second run writes nothing) and one access-log row per
    employee concerned. ``dry_run``: the same figures, nothing written."""
    from openleave.audit.access import COMMAND, UI, Access, System, record_many
    from openleave.audit.models import AccessLog

    from .services import _drop_checkpoints_from

    result = ExpiryResult(on=on, dry_run=dry_run)
    with transaction.atomic():
        if connection.vendor == "postgresql" and not dry_run:
            with connection.cursor() as c:  # one run at a time; a second waits, then finds everything posted
                c.execute("SELECT pg_advisory_xact_lock(hashtext('openleave.comp_day_expiry'))")
        rows = due_rows(on - dt.timedelta(days=1))
        if progress:
            progress("computed", len(rows))
        now = timezone.now()
        result.days_checked = len(rows)
        new: list[LedgerEntry] = []
        for r in rows:
            if r.posted:
                result.already_posted += 1
                if r.posted != r.expire:
                    result.differs.append((r.entry_id, r.posted, r.expire))
                continue
            if r.expire <= 0:
                result.fully_used += 1
                continue
            new.append(LedgerEntry(
                employee_id=r.employee_id, leave=Leave.HOLIDAY, kind=Kind.EXPIRY, micro=-r.expire,
                effective_date=r.last_day, period_start=period_containing(r.last_day, r.anchor).start,
                cite=r.cite[:120], reason=_reason(r, r.expire)[:500], key=expiry_key(r.entry_id), recorded_at=now,
                vintage=r.vintage, by=by))
        result.expired_days = len(new)
        result.micro = sum(-e.micro for e in new)
        result.employees = len({e.employee_id for e in new})
        result.entries = new
        if dry_run or not new:
            return result
        LedgerEntry.objects.bulk_create(new, batch_size=5000)
        _drop_checkpoints_from(min(e.effective_date for e in new), (int(Leave.HOLIDAY),))
        from openleave.people.models import Employee

        per: dict[int, list[LedgerEntry]] = {}
        for e in new:
            per.setdefault(e.employee_id, []).append(e)
        subjects = Employee.objects.in_bulk(list(per))
        record_many(actor=by if by is not None else System(system), channel=UI if by is not None else COMMAND,
                    accesses=[Access(subject=subjects[emp], object_type="ledger_entry", object_id=es[0].key,
                                     category="leave", action=AccessLog.Action.CHANGE,
                                     fields=f"compensatory day expiry: {len(es)} day(s), "
                                            f"{hours_str(sum(-e.micro for e in es))} h (Art. 10)")
                              for emp, es in per.items()])
        if progress:
            progress("written", len(new))
    return result
