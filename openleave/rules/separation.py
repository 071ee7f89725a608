"""Separation and return: what is paid when an employee leaves, retires or dies, and what a reinstatement
credits again. Pure arithmetic over balances given as arguments — no Django, no clock.

Readings of the contract (the figures are parameters: ``separation.sick_payout_percent``,
``separation.sick_reinstatement_years``, ``vacation.service_break_years``):

* **Vacation, Sec. 9.11.** "Employees who are eligible for vacation under this Article whose services are
  terminated shall be paid an amount equal to the vacation leave which has been credited but not used by
  the employee up to the time of separation, provided that no monetary or other allowance has already been
  made therefor." Every reason of separation; the hours are the vacation balance at the end of the
  separation date (a payout already posted has brought it to zero, so nothing is ever paid twice). On death
  the Chief Human Resources Officer may, upon request of the Appointing Authority, authorize the payment in
  the order of precedence: first the beneficiaries designated under the state employees' retirement
  system, second, if none, the estate.
* **Compensatory time, Sec. 7.2.G.** "Upon termination an employee shall be paid for all unused
  compensatory time at the final regular rate of pay." Every reason (the Agreement sets no payee order for
  it on death).
* **Sick leave, Sec. 8.1.O.** On any termination "no compensation in lieu of accumulated sick leave
  credits" — except on retirement ("the value of their unused accrued sick leave at the time of their
  retirement") and on death in the employ of the Commonwealth (the unused sick leave "personally earned and
  accrued as of the time of death", paid in the order of precedence as authorized by the CHRO upon request
  of the Appointing Authority): the parameter's percent of its *value*, i.e. that share of the hours at the
  final rate. The ledger holds no donated or sick-bank hours, so every sick credit is personally earned.
  The credits not paid are not compensated: they are set aside at separation and credited again when the
  employee is reinstated or re-employed (Sec. 8.1.H) — never paid, never lost while a return may come.
* **Other balances** (personal leave, the emergency day, holiday compensatory days) are not paid by this
  statement: the Agreement provides no payment on separation for the first two, and a holiday
  compensatory day's payment instead of the day (Sec. 10.3–10.5) is the Appointing Authority's finding.
* **A balance at or below zero** pays nothing (and nothing is recovered here).
* **Return, Sec. 8.1.H, 9.7, 9.12.** After an absence of less than the parameter's years the employee is
  credited with the sick leave credits held at termination (8.1.H) and keeps the prior service for
  vacation status (9.7, 9.12); after that many years or more, only with the CHRO's approval for one of the
  three listed causes (illness; dismissal through no fault attributable solely to the employee; injury in
  the line of duty with Workers' Compensation). The absence is three years "or more" on the day three
  calendar years after the separation date (``rules.service.reaches``, as for a service break).
* **Money** is integer cents: hours × the hourly rate in cents, rounded half up to the cent, in integers —
  and only when a rate is known; no pay figure is invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .params import ParameterTree, figure
from .service import reaches
from .units import MICRO, div_half_up, hours_str

REASONS = {
    "resignation": "Resignation",
    "retirement": "Retirement",
    "death": "Death in the employ of the Commonwealth",
    "layoff": "Layoff",
    "dismissal": "Dismissal",
    "other": "Other termination",
}
SICK_PAID_ON = frozenset({"retirement", "death"})  # Sec. 8.1.O: only these are paid a share of sick leave

# On death (Sec. 9.11, 8.1.O): the payee as a role, never a name — the statement needs no more.
PAYEES = {
    "order_of_precedence": "In the order of precedence (not yet determined)",
    "designated_beneficiary": "First: the beneficiary or beneficiaries designated under the state employees' "
                              "retirement system",
    "estate": "Second (no designated beneficiary): the estate of the deceased",
}

# The causes for which the CHRO may approve credits after a long absence (Sec. 8.1.H.1–3, 9.12.1–3).
APPROVAL_CAUSES = {
    "illness": "Illness of the employee",
    "dismissal_no_fault": "Dismissal through no fault or delinquency attributable solely to the employee",
    "injury_line_of_duty": "Injury in the line of duty, for which the employee would be entitled to "
                           "Workers' Compensation benefits",
}

RETURN_KINDS = {"reinstated": "Reinstated", "re_employed": "Re-employed", "recalled": "Recalled from layoff"}

PAID_LEAVES = ("vacation", "comp_time", "sick")


@dataclass(frozen=True)
class Line:
    """One leave type at separation: the balance at the end of the separation date, the hours paid and the
    hours set aside for a reinstatement (micro-hours), with the citations and the reasons."""

    leave: str
    balance: int
    paid: int
    kept: int
    cites: tuple[str, ...]
    reasons: tuple[str, ...]


def sick_percent(tree: ParameterTree, on: dt.date):
    return tree.get("separation.sick_payout_percent", on)


def percent_of(micro: int, percent: Decimal) -> int:
    """``percent`` % of ``micro`` micro-hours, rounded half up to the micro-hour."""
    return int((Decimal(micro) * Decimal(percent) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cents(micro: int, rate_cents: int | None) -> int | None:
    """Hours (micro-hours) × the hourly rate (integer cents per hour) in integer cents, rounded half up; None
    without a rate."""
    if rate_cents is None:
        return None
    return div_half_up(int(micro) * int(rate_cents), MICRO)


def separation_lines(reason: str, balances: Mapping[str, int], on: dt.date, tree: ParameterTree) -> list[Line]:
    """What a separation for ``reason`` on ``on`` pays and sets aside, for the balances (micro-hours by leave
    name, as of the end of ``on``). Every paid leave type gets a line, even at zero; the others a line when
    they hold something."""
    if reason not in REASONS:
        raise ValueError(f"unknown reason {reason!r}; use one of {', '.join(REASONS)}")
    out = []
    for leave in PAID_LEAVES:
        bal = int(balances.get(leave, 0))
        pos = max(bal, 0)
        if leave == "vacation":
            why = [f"vacation credited but not used up to the time of separation: {hours_str(pos)} h paid (Sec. 9.11)"]
            if reason == "death":
                why.append("on death, payment as authorized by the Chief Human Resources Officer upon request of "
                           "the Appointing Authority, in the order of precedence (Sec. 9.11)")
            out.append(Line(leave, bal, pos, 0, ("Sec. 9.11",), tuple(why)))
        elif leave == "comp_time":
            out.append(Line(leave, bal, pos, 0, ("Sec. 7.2.G",),
                            (f"all unused compensatory time paid at the final regular rate of pay: {hours_str(pos)} h "
                             "(Sec. 7.2.G)",)))
        else:
            p = sick_percent(tree, on)
            if reason in SICK_PAID_ON:
                paid = percent_of(pos, p.value)
                what = ("the value of the unused accrued sick leave at the time of retirement" if reason == "retirement"
                        else "the value of the unused sick leave personally earned and accrued as of the time of "
                             "death, in the order of precedence as authorized by the Chief Human Resources Officer")
                why = [f"{figure(p.value)}% of {what}: {figure(p.value)}% × {hours_str(pos)} h = {hours_str(paid)} h "
                       f"({p.cite})"]
            else:
                paid = 0
                why = [f"{REASONS[reason].lower()}: no compensation in lieu of accumulated sick leave credits ({p.cite})"]
            kept = pos - paid
            cites = (p.cite,)
            if kept and reason != "death":
                why.append(f"{hours_str(kept)} h not paid: set aside and credited again on reinstatement or "
                           "re-employment (Sec. 8.1.H)")
                cites = (p.cite, "Sec. 8.1.H")
            elif kept:
                why.append(f"{hours_str(kept)} h not paid ({p.cite})")
            out.append(Line(leave, bal, paid, kept, cites, tuple(why)))
    return out


@dataclass(frozen=True)
class ReturnRule:
    """Whether a return on ``returned`` after a separation on ``left`` credits the prior sick leave credits
    (Sec. 8.1.H) and the prior service for vacation status (Sec. 9.7, 9.12)."""

    long_absence: bool  # three years or more
    credited: bool  # with the CHRO's approval when the absence is long
    sick_years: Decimal
    service_years: Decimal
    cites: tuple[str, ...]
    reasons: tuple[str, ...]


def return_rule(left: dt.date, returned: dt.date, chro_approved: bool, tree: ParameterTree) -> ReturnRule:
    sick = tree.get("separation.sick_reinstatement_years", returned)
    service = tree.get("vacation.service_break_years", returned)
    long_sick = reaches(left, sick.value) <= returned
    long_service = reaches(left, service.value) <= returned
    long_absence = long_sick or long_service
    if not long_absence:
        reasons = (f"absence {left}..{returned}: less than {figure(sick.value)} years → credited with the sick "
                   f"leave credits held at termination ({sick.cite})",
                   f"less than {figure(service.value)} years → prior service kept for vacation status "
                   f"(Sec. 9.7, {service.cite})")
        return ReturnRule(False, True, sick.value, service.value, (sick.cite, "Sec. 9.7", service.cite), reasons)
    if chro_approved:
        reasons = (f"absence {left}..{returned}: {figure(sick.value)} years or more; prior sick leave credits and "
                   f"prior service credited with the approval of the Chief Human Resources Officer "
                   f"({sick.cite}, {service.cite})",)
    else:
        reasons = (f"absence {left}..{returned}: {figure(sick.value)} years or more; prior sick leave credits and "
                   f"prior service are credited only with the approval of the Chief Human Resources Officer "
                   f"({sick.cite}, {service.cite})",)
    return ReturnRule(True, chro_approved, sick.value, service.value, (sick.cite, service.cite), reasons)
