"""Reads of the ledger. A balance is a query: the latest Sec. 9.1 checkpoint on or before the date plus
the entries after it (at most one vacation year), served by the (employee, leave, effective_date) index."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from openleave.rules.accrual import by_hours
from openleave.rules.calendar import fiscal_year_start_day
from openleave.rules.params import ParameterError, default_tree, figure
from openleave.rules.service import bands
from openleave.rules.units import hours_str

from .models import AccrualRun, Kind, Leave, LedgerCheckpoint, LedgerEntry, citation_texts


def band_label(band: int | None, on: dt.date) -> str:
    """The Sec. 9.2.A band's years as the contract table in force on ``on`` gives them."""
    try:
        table = bands(default_tree(), on)
    except ParameterError:
        return "your band"
    return table[band].label(table) if band is not None and 0 <= band < len(table) else "your band"


def sick_rate_text(title_hours: Decimal, on: dt.date) -> str:
    """Sec. 8.1.A's biweekly sick rate for the title's full-time period, from the parameter in force."""
    try:
        return figure(by_hours(default_tree().get("sick.accrual_full_time", on).value, title_hours * 2)) + " h"
    except (ParameterError, KeyError):
        return "the contract's rate"


def balance(employee_id: int, leave: int, on: dt.date | None = None) -> int:
    """Balance in micro-hours of ``leave`` at the end of ``on`` (default today)."""
    on = on or timezone.localdate()
    cp = (LedgerCheckpoint.objects.filter(employee_id=employee_id, leave=leave, as_of__lte=on)
          .order_by("-as_of").values_list("as_of", "micro").first())
    qs = LedgerEntry.objects.filter(employee_id=employee_id, leave=leave, effective_date__lte=on)
    base = 0
    if cp is not None:
        qs = qs.filter(effective_date__gt=cp[0])
        base = cp[1]
    return base + int(qs.aggregate(s=Sum("micro"))["s"] or 0)


def lowest_balance_from(employee_id: int, leave: int, day: dt.date) -> int:
    """The lowest end-of-day balance of ``leave`` on ``day`` or any later day (micro-hours): what a debit
    dated ``day`` lowers on every day after it, future-dated entries included."""
    low = running = balance(employee_id, leave, day)
    later = (LedgerEntry.objects.filter(employee_id=employee_id, leave=leave, effective_date__gt=day)
             .values("effective_date").annotate(s=Sum("micro")).order_by("effective_date").values_list("s", flat=True))
    for day_sum in later:
        running += int(day_sum)
        low = min(low, running)
    return low


def balances(employee_id: int, on: dt.date | None = None) -> dict[int, int]:
    """Balance per leave type that has any entry (micro-hours)."""
    leaves = set(LedgerEntry.objects.filter(employee_id=employee_id).values_list("leave", flat=True).distinct())
    leaves |= set(LedgerCheckpoint.objects.filter(employee_id=employee_id).values_list("leave", flat=True).distinct())
    return {leave: balance(employee_id, leave, on) for leave in sorted(leaves)}


@dataclass(frozen=True)
class Line:
    id: int
    date: dt.date
    leave: int
    kind: str
    micro: int
    hours: str
    reason: str
    cite: str
    explanation: str
    running_micro: int

    @property
    def running_hours(self) -> str:
        return hours_str(self.running_micro)


def explain(e: LedgerEntry, run: AccrualRun | None, title_hours: str, cite: str | None = None) -> tuple[str, str]:
    """(short reason, plain-language explanation) for one entry (``cite``: its resolved citations)."""
    cite = e.citations() if cite is None else cite
    if e.reason and e.kind != Kind.ACCRUAL:
        return e.reason, f"{e.get_kind_display()} by {'HR' if e.by_id else 'the system'}: {e.reason} ({cite})."
    if e.kind == Kind.ACCRUAL:
        week = Decimal(title_hours)
        full = figure(week * 2)
        paid = hours_str(e.paid_micro) if e.paid_micro is not None else full
        period = f"the pay period {e.period_start}..{e.effective_date}"
        if e.leave == Leave.SICK:
            short = f"Sick leave earned in {period}"
            text = (f"Full-time employees earn sick leave for each bi-weekly pay period (Sec. 8.1.A): "
                    f"{sick_rate_text(week, e.effective_date)} for {full} scheduled hours. You were paid "
                    f"{paid} of {full} full-time hours, so you earned {paid}/{full} of it: {e.hours_display()} h "
                    f"({cite}).")
        else:
            month, day = fiscal_year_start_day(default_tree(), e.effective_date)
            fy_start = dt.date(2000, month, day)
            short = f"Vacation earned in {period}"
            text = (f"Vacation is credited at the end of each pay period by total years of service (Sec. 9.2.A). "
                    f"Your band this period: {band_label(e.band, e.effective_date)} (a higher band starts in the "
                    f"pay period that includes {fy_start:%B} {fy_start.day} "
                    f"of the fiscal year you reach it, Sec. 9.4). Paid {paid} of {full} full-time hours "
                    f"→ {e.hours_display()} h ({cite}).")
        if e.reason:  # computed by the rules core (mid-period start etc.): its own reasons
            text += " " + e.reason
        if run is not None:
            text += f" Credited by run {run.pk}."
        return short, text
    label = e.get_kind_display()
    return label, f"{label}: {e.hours_display()} h ({cite})."


def ledger_lines(employee, leave: int, limit: int | None = 200) -> list[Line]:
    """The most recent ``limit`` lines of one leave type (``None``: all of them), newest first, with a running
    balance."""
    entries = list(LedgerEntry.objects.filter(employee_id=employee.pk, leave=leave)
                   .order_by("-effective_date", "-id")[:limit])
    runs = {r.pk: r for r in AccrualRun.objects.filter(pk__in={e.run_id for e in entries if e.run_id})}
    sets = citation_texts(entries)
    title_hours = format(employee.title.full_time_weekly_hours.normalize(), "f")
    running = balance(employee.pk, leave, entries[0].effective_date) if entries else 0
    # Entries on the same date as the newest one but not in the slice are impossible (we took newest first).
    out = []
    for e in entries:
        cite = e.citations(sets)
        short, text = explain(e, runs.get(e.run_id), title_hours, cite)
        out.append(Line(e.pk, e.effective_date, e.leave, e.get_kind_display(), e.micro, hours_str(e.micro), short,
                        cite, text, running))
        running -= e.micro
    return out
