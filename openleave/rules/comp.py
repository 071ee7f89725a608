"""Compensatory days for holidays (Sec. 10.3, 10.4, 10.5) over the ledger: their last day, what is left of
each, what expires and when — pure arithmetic on ``rules.ledger.Entry`` rows of the leave type ``holiday``.

The contract (Art. 10): an employee required to work a holiday "shall receive compensatory day off with pay
within sixty (60) days following the holiday" (Sec. 10.3 ¶2; the same words in Sec. 10.4 and 10.5).

Readings (the ones a steward would defend; also in the README):

1. **Days are calendar days, counted from the day after the holiday as observed** (Sec. 10.2 — for a
   Sunday holiday the Monday it is observed on). The contract says "days", not "working days", and
   "following the holiday": the first of the sixty is the day after, so the **last day a compensatory
   day can be taken is the holiday + ``holidays.comp_day_window_days``** (``comp_day_last_day``).
2. **Oldest first.** A compensatory day taken uses the day with the earliest last day still open; a day
   that has been used is never expired, a day partly used expires only the rest.
3. **What is left at the end of the last day expires** (an ``expiry`` entry dated that last day). The
   contract gives pay instead only "if a compensatory day cannot be granted by the Agency/Department
   because of a shortage of personnel or other reason" (Sec. 10.3, 10.5): that is a human decision
   recorded by the Appointing Authority; the expiry's reason says so.

The arithmetic, per employee, lots ``1..n`` in the order of their last day (then the date earned and the
entry): ``a_i`` the hours of lot i, ``C_i = a_1 + … + a_i``, ``U(t)`` the hours used (every other entry of
the leave type except the expiries, negated) dated on or before ``t``, ``X_i`` the last day of lot i. The
total expired through lot i is ``T_i = max(0, max over k ≤ i of (C_k − U(X_k)))`` and lot i expires
``T_i − T_(i−1)`` — exactly what taking credits oldest first and expiring the rest of each lot at the end of
its last day gives (``comp_day_lots`` does it step by step; the set-based run in
``openleave.ledger.comp_days`` uses the closed form in SQL; tests/comp check they agree).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .params import ParameterTree, default_tree
from .units import hours_str

LEAVE = "holiday"


def comp_day_window(day: dt.date, tree: ParameterTree | None = None) -> tuple[int, str]:
    """(days, citation) of the window for a compensatory day earned for the holiday ``day``."""
    p = (tree or default_tree()).get("holidays.comp_day_window_days", day)
    return int(p.value), p.cite


def comp_day_last_day(day: dt.date, tree: ParameterTree | None = None) -> dt.date:
    """The last day a compensatory day for the holiday observed on ``day`` can be taken (reading 1)."""
    return day + dt.timedelta(days=comp_day_window(day, tree)[0])


@dataclass(frozen=True)
class CompDayLot:
    """One compensatory day earned: ``amount`` micro-hours earned on ``earned_on`` (the holiday), open through
    ``last_day``; ``used`` and ``expired`` so far (as of the day asked)."""

    key: str
    earned_on: dt.date
    last_day: dt.date
    amount: int
    used: int = 0
    expired: int = 0
    cite: str = ""

    @property
    def remaining(self) -> int:
        return self.amount - self.used - self.expired

    def as_dict(self) -> dict:
        return {"earned_on": self.earned_on.isoformat(), "last_day": self.last_day.isoformat(),
                "hours": hours_str(self.amount), "used": hours_str(self.used), "expired": hours_str(self.expired),
                "remaining": hours_str(self.remaining)}


def comp_day_lots(entries: Iterable, on: dt.date, tree: ParameterTree | None = None) -> list[CompDayLot]:
    """The compensatory days of one employee as of the end of ``on``, oldest first.

    ``entries``: ``rules.ledger.Entry`` rows (any leave type; only ``holiday`` ones count). A lot is an
    ``earned`` credit; every other entry except ``expiry`` uses (debit) or gives back (credit) hours, oldest
    lot first; at the end of each lot's last day before ``on`` its rest expires (posted ``expiry`` entries
    are the record of exactly that, so they are not counted twice)."""
    tree = tree or default_tree()
    rows = sorted((e for e in entries if e.leave == LEAVE and e.effective <= on), key=lambda e: (e.effective, e.key))
    lots = [[e.key, e.effective, comp_day_last_day(e.effective, tree), e.amount, 0, 0, e.citations]
            for e in rows if e.kind == "earned" and e.amount > 0]
    lots.sort(key=lambda lot: (lot[2], lot[1], lot[0]))
    debits = [e for e in rows if not (e.kind == "earned" and e.amount > 0) and e.kind != "expiry"]
    deficit = 0  # hours used beyond the open lots: taken from the next lot earned

    def take(amount: int, day: dt.date) -> int:
        for lot in lots:
            if amount <= 0:
                break
            if lot[1] > day or lot[2] < day or lot[5]:
                continue  # not yet earned, or already closed
            room = lot[3] - lot[4]
            got = min(room, amount)
            lot[4] += got
            amount -= got
        return amount

    def give_back(amount: int, day: dt.date) -> None:
        for lot in sorted((lot for lot in lots if lot[1] <= day and not lot[5]), key=lambda lot: lot[2], reverse=True):
            back = min(lot[4], amount)
            lot[4] -= back
            amount -= back

    events = sorted([(e.effective, 0, i) for i, e in enumerate(debits)] +
                    [(lot[2], 1, i) for i, lot in enumerate(lots) if lot[2] < on] +
                    [(lot[1], -1, i) for i, lot in enumerate(lots)])
    for day, what, i in events:
        if what == -1:  # a lot earned: it first covers hours used beyond the open lots
            lot = lots[i]
            got = min(deficit, lot[3])
            lot[4] += got
            deficit -= got
        elif what == 0:
            amount = debits[i].amount
            if amount < 0:
                deficit += take(-amount, day)
            else:
                repay = min(deficit, amount)
                deficit -= repay
                give_back(amount - repay, day)
        else:  # the end of a lot's last day: the rest expires
            lot = lots[i]
            lot[5] = lot[3] - lot[4]
    return [CompDayLot(key, earned, last, amount, used, expired, ", ".join(cites))
            for key, earned, last, amount, used, expired, cites in lots]


def expiries_due(lots: Iterable[CompDayLot], posted: dict[str, int]) -> list[tuple[CompDayLot, int]]:
    """(lot, micro-hours still to post as expired) for each lot whose computed expiry exceeds what is posted
    (``posted``: lot key → micro-hours already expired by earlier runs)."""
    return [(lot, lot.expired - posted.get(lot.key, 0)) for lot in lots if lot.expired - posted.get(lot.key, 0) > 0]
