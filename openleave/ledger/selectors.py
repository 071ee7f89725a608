"""Reads of the ledger. ``balance_parts`` is the one balance read — every page, the API, the request form
and the export call it: the latest Sec. 9.1 checkpoint on or before the date plus the entries after it (at
most one vacation year, on the (employee, leave, effective_date) index), in named parts. ``forfeits`` gives
the year-end forfeitures by the rules core's own arithmetic over the ledger's rows and vintages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from openleave.rules import ledger as core
from openleave.rules.accrual import by_hours
from openleave.rules.calendar import annual_forfeiture_date, fiscal_year_start_day, vacation_year
from openleave.rules.params import ParameterError, default_tree, figure
from openleave.rules.service import bands
from openleave.rules.units import hours_str

from .models import (
    KIND_SLUGS,
    LEAVE_BY_SLUG,
    LEAVE_SLUGS,
    AccrualRun,
    Kind,
    Leave,
    LedgerCheckpoint,
    LedgerEntry,
    citation_texts,
)


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


# What each leave type's balance is (the article that credits it); the year-end carry is Sec. 9.1.
LEAVE_CITES = {Leave.SICK: "Sec. 8.1.A", Leave.VACATION: "Sec. 9.2.A", Leave.PERSONAL: "Sec. 8.2.A",
               Leave.EMERGENCY: "MOU Regarding State of Emergency", Leave.COMP: "Sec. 7.2.G", Leave.HOLIDAY: "Art. 10"}
CHARGED = (Kind.USAGE, Kind.REVERSAL)  # leave charged, net of its reversals


@dataclass(frozen=True)
class BalanceParts:
    """One leave type's balance as of a day, in named parts (micro-hours; ``used``, ``booked`` and
    ``pending`` are positive amounts of leave):

    * ``carried`` — the balance at the latest Sec. 9.1 year end on or before ``as_of`` (its checkpoint), else 0;
    * ``credited`` — every other entry since then dated on or before ``as_of``: accruals, January credits,
      openings, transfers, adjustments and forfeitures (net);
    * ``used`` — leave charged since then, dated on or before ``as_of`` (net of reversals);
    * ``booked`` — leave already granted for days after ``as_of``: charged already (Sec. 8.1.N);
    * ``pending`` — held by requests awaiting a decision (the leave app's reservations).

    ``balance`` = carried + credited − used: the ledger at the end of ``as_of`` (the rules core's
    ``rules.ledger.balance``). ``available`` = balance − booked − pending: what a new request may draw."""

    leave: int
    slug: str
    label: str
    as_of: dt.date
    carried: int = 0
    carried_from: dt.date | None = None
    credited: int = 0
    used: int = 0
    booked: int = 0
    pending: int = 0

    @property
    def balance(self) -> int:
        return self.carried + self.credited - self.used

    @property
    def available(self) -> int:
        return self.balance - self.booked - self.pending

    @property
    def citations(self) -> tuple[str, ...]:
        out = [LEAVE_CITES[Leave(self.leave)]]
        if self.carried_from is not None:
            out.append("Sec. 9.1")
        if self.booked or self.pending:
            out.append("Sec. 8.1.N")
        return tuple(out)

    def hours(self) -> dict[str, str]:
        """Every part in exact decimal hours (for pages, the API and the export)."""
        return {k: hours_str(getattr(self, k)) for k in
                ("carried", "credited", "used", "booked", "pending", "balance", "available")}


# Where the ``pending`` part comes from: sources registered by the apps above the ledger (the leave app's
# reservations, ``LeaveConfig.ready``) — the ledger imports no app above it. A source takes
# (employee, exclude_request) and gives {Leave: micro-hours held}.
PENDING_SOURCES: list[Callable[[object, int | None], dict[int, int]]] = []


def register_pending(source: Callable[[object, int | None], dict[int, int]]) -> None:
    if source not in PENDING_SOURCES:
        PENDING_SOURCES.append(source)


def balance_parts(employee, on: dt.date | None = None, *, pending: bool = True,
                  exclude_request: int | None = None) -> dict[str, BalanceParts]:
    """The one balance read: every leave type the employee has a ledger line, a checkpoint or a pending hold
    of, by slug (``LEAVE_SLUGS``, in leave order), as of the end of ``on`` (default today).

    Two queries whatever the length of the history — the latest Sec. 9.1 checkpoint of each leave type on or
    before ``on``, and the entries after it (at most about one year, on the (employee, leave,
    effective_date) index) summed per part — plus one per pending source. A checkpoint sums exactly the
    entries dated on or before it (one is dropped when an entry dated on or before it is written).
    ``pending=False``: no holds read (the ledger's own reads); ``exclude_request``: a request whose hold is
    given back (the one being amended or decided)."""
    on = on or timezone.localdate()
    cps = (LedgerCheckpoint.objects.filter(employee_id=employee.pk, as_of__lte=on)
           .order_by("leave", "-as_of").values_list("leave", "as_of", "micro"))
    latest: dict[int, tuple[dt.date, int]] = {}
    for leave, day, micro in cps:
        latest.setdefault(int(leave), (day, int(micro)))
    since = Q(leave__in=[int(v) for v in Leave.values if int(v) not in latest])
    for leave, (day, _) in latest.items():
        since |= Q(leave=leave, effective_date__gt=day)
    rows = (LedgerEntry.objects.filter(employee_id=employee.pk).filter(since)
            .filter(Q(effective_date__lte=on) | Q(kind__in=CHARGED)).order_by().values("leave")
            .annotate(credited=Sum("micro", filter=~Q(kind__in=CHARGED)),
                      used=Sum("micro", filter=Q(kind__in=CHARGED, effective_date__lte=on)),
                      booked=Sum("micro", filter=Q(kind__in=CHARGED, effective_date__gt=on))))
    parts: dict[int, dict] = {leave: {"carried": micro, "carried_from": day} for leave, (day, micro) in latest.items()}
    for r in rows:
        parts.setdefault(int(r["leave"]), {}).update(
            credited=int(r["credited"] or 0), used=-int(r["used"] or 0), booked=-int(r["booked"] or 0))
    if pending:
        for source in PENDING_SOURCES:
            for leave, micro in source(employee, exclude_request).items():
                if micro:
                    p = parts.setdefault(int(leave), {})
                    p["pending"] = p.get("pending", 0) + int(micro)
    return {LEAVE_SLUGS[Leave(leave)]: BalanceParts(leave=leave, slug=LEAVE_SLUGS[Leave(leave)],
                                                    label=Leave(leave).label, as_of=on, **parts[leave])
            for leave in sorted(parts)}


def no_balance(leave: int, on: dt.date) -> BalanceParts:
    """The parts of a leave type the employee has nothing of."""
    return BalanceParts(leave=int(leave), slug=LEAVE_SLUGS[Leave(leave)], label=Leave(leave).label, as_of=on)


def lowest_balance_from(employee, leave: int, day: dt.date) -> int:
    """The lowest end-of-day balance of ``leave`` on ``day`` or any later day (micro-hours): what a debit
    dated ``day`` lowers on every day after it, future-dated entries included."""
    slug = LEAVE_SLUGS[Leave(leave)]
    low = running = balance_parts(employee, day, pending=False).get(slug, no_balance(leave, day)).balance
    later = (LedgerEntry.objects.filter(employee_id=employee.pk, leave=leave, effective_date__gt=day)
             .values("effective_date").annotate(s=Sum("micro")).order_by("effective_date").values_list("s", flat=True))
    for day_sum in later:
        running += int(day_sum)
        low = min(low, running)
    return low


# --- the rules core over the ledger's rows ---------------------------------------------------------


def core_entries(employee, until: dt.date) -> list[core.Entry]:
    """The employee's ledger rows dated on or before ``until`` as the rules core's entries (the same kinds,
    leave names and vintages, ``rules.ledger.Entry``), for the leave types the core knows."""
    leaves = [LEAVE_BY_SLUG[s] for s in core.LEAVE_TYPES]
    qs = (LedgerEntry.objects.filter(employee_id=employee.pk, leave__in=leaves, effective_date__lte=until)
          .order_by("effective_date", "id"))
    return [core.Entry(KIND_SLUGS[Kind(e.kind)], LEAVE_SLUGS[Leave(e.leave)], int(e.micro), e.effective_date,
                       e.period_start, e.reason, (e.cite,) if e.cite else (), f"db:{e.pk:012d}", e.effective_vintage())
            for e in qs]


def _tree(tree):
    if tree is not None:
        return tree
    from .services import tree as loaded  # the parameter tree the runs use (loaded once)

    return loaded()


def forfeitures(employee, until: dt.date, tree=None) -> list[core.Entry]:
    """The year-end forfeitures (Sec. 9.8 vacation; Sec. 8.2.B personal leave; the MOU emergency day) the
    employee's ledger rows give, through ``until``: the rules core's own ``with_forfeitures`` over them —
    credits kept by vintage, debits oldest first. Forfeitures already posted are counted, not recomputed."""
    rows = core_entries(employee, until)
    posted = [e for e in rows if e.kind == "forfeiture"]
    # A Sec. 9.15 conversion (the year-end run's vacation debit, vintage = the year it closes) takes the place
    # of that year's vacation forfeiture: neither projected again nor debited a second time from the credits.
    # It is dated the day after the year end, so it is looked up by its vintage as well as among the rows.
    converted = {int(y) for y in LedgerEntry.objects.filter(
        employee_id=employee.pk, leave=Leave.VACATION, kind=Kind.CONVERSION, micro__lt=0, vintage__isnull=False)
        .values_list("vintage", flat=True) if vacation_year(int(y))[1] <= until}
    rest = [e for e in rows if e.kind != "forfeiture"
            and not (e.kind == "conversion" and e.leave == "vacation" and e.amount < 0 and e.vintage in converted)]
    if not rest:
        return posted
    begin = min(rest[0].effective, employee.service_start)
    done = {(e.leave, e.vintage) for e in posted} | {("vacation", y) for y in converted}
    computed = [e for e in core.with_forfeitures(employee.facts(), carry_overs(employee), rest, begin, until,
                                                 _tree(tree))
                if e.kind == "forfeiture" and (e.leave, e.vintage) not in done]
    return sorted(posted + computed, key=core.sort_key)


def carry_overs(employee) -> list[core.PersonalCarryOver]:
    """The employee's recorded Sec. 8.2.B carry-overs as the rules core's events."""
    from .models import PersonalCarryOver

    return [core.PersonalCarryOver(year=int(y), reason=r) for y, r in
            PersonalCarryOver.objects.filter(employee_id=employee.pk).values_list("year", "reasons")]


def forfeits(employee, year: int, tree=None) -> dict[str, int]:
    """What is forfeited at the end of ``year`` (positive micro-hours by leave slug): vacation at the end of
    vacation year ``year`` (Sec. 9.8), personal leave and the emergency day credited for ``year`` (Sec. 8.2.B,
    MOU) — the same question as the scenario's ``forfeits``. Posted forfeitures count once (``forfeitures``).

    ``vacation_to_sick``: the vacation converted to sick leave instead of forfeited (Sec. 9.15) — for an employee
    on industrial accident leave on the last day of vacation year ``year`` (as the year-end run decides), the
    vacation that would be forfeited is projected as that conversion, not as a forfeiture; once the run has
    posted it, the posted conversion. A forfeiture already posted stays one."""
    from openleave.people.models import IndustrialAccidentLeave

    last = vacation_year(year)[1]
    days = {"vacation": last, "personal": annual_forfeiture_date(year), "emergency_day": annual_forfeiture_date(year)}
    out = dict.fromkeys(days, 0)
    on_ia = IndustrialAccidentLeave.objects.filter(employee_id=employee.pk, started__lte=last).exclude(
        ended__lt=last).exists()
    converted = -sum(LedgerEntry.objects.filter(employee_id=employee.pk, leave=Leave.VACATION, kind=Kind.CONVERSION,
                                                micro__lt=0, vintage=year).values_list("micro", flat=True))
    for e in forfeitures(employee, max(days.values()), tree):
        if e.effective == days[e.leave]:
            if e.leave == "vacation" and on_ia and not e.key.startswith("db:"):
                converted += -e.amount  # projected: Sec. 9.15 converts it in the first full pay period of January
            else:
                out[e.leave] += -e.amount
    out["vacation_to_sick"] = converted
    return out


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
    if not e.reason and run is not None and e.kind in (Kind.FORFEITURE, Kind.CONVERSION):  # a year-end run's row
        reasons = (run.rate_plan or {}).get("reasons", {})
        why = reasons.get("conversion" if e.kind == Kind.CONVERSION else str(int(e.leave)), "")
        if why:
            return why, f"{e.get_kind_display()} by the year-end run {run.pk}: {e.hours_display()} h, {why} ({cite})."
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
        elif "Sec. 8.7.2.A.6" in cite:
            text += (" Unpaid family or medical leave counts as hours paid only for the first weeks of the unpaid "
                     "leave (Sec. 8.7.2.A.6); after them it is leave without pay (Sec. 8.1.D, Sec. 9.3).")
        if run is not None:
            text += f" Credited by run {run.pk}."
        return short, text
    label = e.get_kind_display()
    if e.kind == Kind.ADJUSTMENT and (e.key or "").startswith("reaccrue:"):  # a payroll correction (reaccrue)
        return "Correction of hours paid", f"{label}: {e.hours_display()} h — {e.reason} ({cite})."
    return label, f"{label}: {e.hours_display()} h ({cite})."


def ledger_lines(employee, leave: int, limit: int | None = 200) -> list[Line]:
    """The most recent ``limit`` lines of one leave type (``None``: all of them), newest first, with a running
    balance."""
    entries = list(LedgerEntry.objects.filter(employee_id=employee.pk, leave=leave)
                   .order_by("-effective_date", "-id")[:limit])
    runs = {r.pk: r for r in AccrualRun.objects.filter(pk__in={e.run_id for e in entries if e.run_id})}
    sets = citation_texts(entries)
    title_hours = format(employee.title.full_time_weekly_hours.normalize(), "f")
    running = 0
    if entries:
        day = entries[0].effective_date
        running = balance_parts(employee, day, pending=False).get(LEAVE_SLUGS[Leave(leave)], no_balance(leave, day)).balance
    # Entries on the same date as the newest one but not in the slice are impossible (we took newest first).
    out = []
    for e in entries:
        cite = e.citations(sets)
        short, text = explain(e, runs.get(e.run_id), title_hours, cite)
        out.append(Line(e.pk, e.effective_date, e.leave, e.get_kind_display(), e.micro, hours_str(e.micro), short,
                        cite, text, running))
        running -= e.micro
    return out
