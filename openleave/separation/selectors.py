"""Reads: an employee's separations and the separation statement (page, PDF, payroll CSV, API). Each read of a
person's data records its own access-log row naming them (``statement_for``, ``separations_of``).

The statement shows the figures computed when the separation was recorded (``Separation.lines``: the balances
at the end of the separation date through ``balance_parts``) and the ledger entries posted for it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from openleave import policy
from openleave.audit.access import record_access
from openleave.ledger.models import LEAVE_BY_SLUG, Leave, LedgerEntry
from openleave.rules import separation as core
from openleave.rules.params import default_tree, figure
from openleave.rules.units import hours_str

from .models import Return, Separation

LABELS = {"vacation": "Vacation", "comp_time": "Compensatory time", "sick": "Sick leave"}
PAYOUT_NAMES = {"vacation": "vacation_payout", "comp_time": "comp_time_payout", "sick": "sick_leave_share"}


def money_str(cents: int | None) -> str:
    """Integer cents as dollars: 123456 → '$1,234.56'; '' when not known."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    d, c = divmod(abs(int(cents)), 100)
    return f"{sign}${d:,}.{c:02d}"


@dataclass
class StatementLine:
    leave: str
    label: str
    balance: str
    paid: str
    kept: str
    paid_micro: int
    kept_micro: int
    cents: int | None
    amount: str
    cites: list[str]
    reasons: list[str]
    payee: str = ""


@dataclass
class Statement:
    separation: Separation
    employee: object
    reason_label: str
    lines: list[StatementLine]
    others: list[StatementLine]
    rate: str
    total_cents: int | None
    total_amount: str
    death_note: list[str] = field(default_factory=list)
    kept_note: str = ""
    sick_percent: str = ""
    return_record: Return | None = None
    entries: list = field(default_factory=list)


def _payee(sep: Separation, leave: str) -> str:
    if sep.reason != "death":
        return ""
    if leave == "comp_time":
        return "the Agreement sets no order of precedence for compensatory time (Sec. 7.2.G)"
    return f"{sep.get_death_payee_display()} (Sec. 9.11, 8.1.O)" if leave == "vacation" else (
        f"{sep.get_death_payee_display()} (Sec. 8.1.O)")


def statement(sep: Separation) -> Statement:
    """The statement of one separation (no access-log row: the callers record the read)."""
    rate = sep.hourly_rate_cents
    lines, others, total = [], [], 0 if rate is not None else None
    for raw in sep.lines:
        slug = raw["leave"]
        c = core.cents(raw["paid"], rate) if raw["paid"] else (0 if rate is not None else None)
        label = LABELS.get(slug) or Leave(LEAVE_BY_SLUG[slug]).label
        ln = StatementLine(slug, label, hours_str(raw["balance"]), hours_str(raw["paid"]), hours_str(raw["kept"]),
                           raw["paid"], raw["kept"], c, money_str(c), list(raw["cites"]), list(raw["reasons"]),
                           _payee(sep, slug) if raw["paid"] else "")
        if slug in core.PAID_LEAVES:
            lines.append(ln)
            if total is not None and c is not None:
                total += c
        else:
            others.append(ln)
    tree = default_tree()
    pct = core.sick_percent(tree, sep.separation_date)
    death_note = []
    if sep.reason == "death":
        death_note = [
            "On the death of an employee, payment of the vacation credited but not used (Sec. 9.11) and of "
            f"{figure(pct.value)}% of the value of the unused sick leave the employee personally earned and accrued "
            f"({pct.cite}) is authorized by the Chief Human Resources Officer upon request of the Appointing "
            "Authority of the deceased employee, in the following order of precedence:",
            "First: to the surviving beneficiary or beneficiaries, if any, lawfully designated by the employee under "
            "the state employees' retirement system;",
            "Second: if there be no such designated beneficiary, to the estate of the deceased.",
            f"Any such payment will not change the employee's pension benefit ({pct.cite}).",
            f"Recorded payee: {sep.get_death_payee_display()} — a role only; no name is stored.",
        ]
    sick = sep.line("sick")
    kept_note = ""
    if sick.get("kept") and sep.reason != "death":
        years = figure(tree.get("separation.sick_reinstatement_years", sep.separation_date).value)
        kept_note = (f"{hours_str(sick['kept'])} h of sick leave credits are not paid ({pct.cite}) and are kept: an "
                     f"employee reinstated or re-employed after an absence of less than {years} years is credited "
                     f"with the sick leave credits held at termination; after {years} years or more, if the Chief "
                     "Human Resources Officer approves, where the absence was caused by illness, a dismissal through "
                     "no fault attributable solely to the employee, or an injury in the line of duty (Sec. 8.1.H). "
                     "Vacation status (total years of service) is kept on the same terms (Sec. 9.7, 9.12).")
    entries = list(LedgerEntry.objects.filter(key__startswith=f"separation:{sep.pk}:").order_by("id"))
    ret = Return.objects.filter(separation=sep).first()
    return Statement(sep, sep.employee, sep.get_reason_display(), lines, others, money_str(rate),
                     total, money_str(total), death_note, kept_note, figure(pct.value), ret, entries)


def _log(user, employee, sep_id, channel: str, what: str) -> None:
    record_access(actor=user, subject=employee, object_type="separation", object_id=sep_id, category=policy.LEAVE,
                  channel=channel, fields=what)


def separations_of(user, employee, channel: str = "ui") -> list[Separation]:
    """The employee's separations, newest first (the caller has checked the user may see their leave data)."""
    _log(user, employee, employee.pk, channel, "separations and returns")
    return list(Separation.objects.filter(employee=employee).select_related("recorded_by", "return_record"))


def separation_of(employee, separation_id: int) -> Separation | None:
    return (Separation.objects.filter(employee=employee, pk=separation_id)
            .select_related("employee__agency", "employee__title", "recorded_by").first())


def statement_for(user, sep: Separation, channel: str = "ui", what: str = "separation statement") -> Statement:
    _log(user, sep.employee, sep.pk, channel, what)
    return statement(sep)


CSV_FIELDS = ["employee_number", "separation_date", "reason", "payout", "leave", "hours", "micro_hours",
              "hourly_rate_cents", "amount_cents", "payee", "citations"]


def payroll_rows(st: Statement) -> list[dict]:
    """One row per kind of payout (hours exact; money in integer cents only when the rate is known)."""
    sep = st.separation
    return [{"employee_number": sep.employee.employee_number, "separation_date": sep.separation_date.isoformat(),
             "reason": sep.reason, "payout": PAYOUT_NAMES[ln.leave], "leave": ln.leave, "hours": ln.paid,
             "micro_hours": ln.paid_micro, "hourly_rate_cents": "" if sep.hourly_rate_cents is None else
             sep.hourly_rate_cents, "amount_cents": "" if ln.cents is None else ln.cents,
             "payee": sep.death_payee if sep.reason == "death" and ln.leave != "comp_time" else "",
             "citations": ln.cites[0]} for ln in st.lines]  # the payout's own section


def payroll_csv(st: Statement) -> str:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    w.writeheader()
    w.writerows(payroll_rows(st))
    return out.getvalue()
