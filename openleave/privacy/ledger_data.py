"""What the ledger holds about people, what a member's export contains, and how long it is kept —
registered from ``PrivacyConfig.ready()`` (here in ``privacy``, above the ledger: the ledger knows nothing of
the member-facing privacy features).

* Ledger entries, checkpoints and unpaid hours are ``leave`` data; accrual runs and citation texts are
  organisation data (a run names who started it).
* The export holds **every** ledger line of the employee — the lines their ledger page shows (the newest
  200 of each leave type) and all the older ones — with the page's reason, citation, explanation and
  running balance, and the balance of each leave type in the named parts every page shows
  (``selectors.balance_parts``). Who posted an adjustment is not named there
  (the page says "HR"), so neither is it in the export.
* A ledger is a career-long record (sick leave accumulates without limit, Sec. 8.1.A) and append-only down
  to the database (a PostgreSQL trigger refuses DELETE): it has no automatic purge yet. Purging the closed
  ledger of people who left long ago needs a deliberate, logged way past that trigger.
"""

from __future__ import annotations

from .exports import register_exporter
from .registry import not_personal, register

LEDGER_WHY = "the employee's leave balances and the cited entries behind them (Art. 8, 9, 10, Sec. 7.2.G)"


def register_all() -> None:
    register("ledger.LedgerEntry", category="leave", why=LEDGER_WHY, retention="career",
             fields={"by": {"why": "who posted a manual entry (HR), for accountability"}},
             exclude=("run", "cite_set", "reverses"))
    register("ledger.OpeningBalance", category="leave", why="the ledger's opening entries by vintage (a proxy of the "
             "ledger entries, no table of its own), entered in the admin (Sec. 9.1, 9.8)", retention="career",
             fields={"by": {"why": "who entered the opening balance, for accountability"}},
             exclude=("run", "cite_set", "reverses"))
    register("ledger.LedgerCheckpoint", category="leave", retention="career",
             why="derived: the balance at the end of each vacation year (Sec. 9.1), recomputable from the entries")
    register("ledger.PeriodUnpaidHours", category="leave", retention="career",
             why="hours not paid in a pay period, which reduce the credits earned (Sec. 8.1.D, 9.3)",
             fields={"loaded_by": {"why": "who loaded the figures (accountability)"}})
    register("ledger.PayrollHours", category="leave", retention="career",
             why="hours paid and without pay in a pay period as payroll reported them, by version: the accrual's "
                 "input (Sec. 8.1.D/I, 9.3, 9.6)", exclude=("batch",))
    register("ledger.PayrollHoursBatch", category="none", retention="kept",
             why="organisation data: one import of payroll hours (file name, checksum, row count)",
             fields={"loaded_by": {"category": "directory", "retention": "account",
                                   "why": "the named person who loaded the file (accountability)"}})
    register("ledger.AccrualCorrection", category="none", retention="kept",
             why="organisation data: one application of corrected payroll hours to a closed pay period",
             fields={"by": {"category": "directory", "retention": "account",
                            "why": "the named person who posted the correction (accountability)"}})
    register("ledger.AccrualCorrectionLine", category="leave", retention="career",
             why="an employee's before/after of a correction of hours paid (hours paid, credit, difference)",
             exclude=("correction", "entry"))
    register("ledger.AccrualRun", category="none", why="organisation data: a bulk accrual run and its figures",
             retention="kept", fields={"by": {"category": "directory", "retention": "account",
                                              "why": "the named person who started the run (accountability)"}})
    register("ledger.PersonalCarryOver", category="leave", retention="career",
             why="the finding that operational needs prevented use of personal leave in November and December, "
                 "so one day carries over (Sec. 8.2.B)",
             fields={"recorded_by": {"category": "directory", "retention": "account",
                                     "why": "the named person who recorded the finding (accountability)"}})
    not_personal("ledger.LedgerCitation", "citation texts shared by bulk entries")
    not_personal("ledger.LedgerSeal", "hash-chain seals of blocks of ledger entries (ids, counts, hashes)")
    not_personal("ledger.LedgerChainHead", "the newest sealed ledger entry id and hash")
    register_exporter("ledger")(export_rows)


def export_rows(employee) -> dict[str, list[dict]]:
    from openleave import clock
    from openleave.ledger.selectors import balance_parts, ledger_lines

    balance_rows, lines = [], []
    for p in balance_parts(employee, clock.today()).values():
        label = p.label
        h = p.hours()
        balance_rows.append({"leave": label, "on": p.as_of, "balance_hours": h["balance"],
                             **{f"{k}_hours": h[k] for k in ("carried", "credited", "used", "booked", "pending",
                                                              "available")}})
        for line in reversed(ledger_lines(employee, p.leave, limit=None)):
            lines.append({"entry": line.id, "date": line.date, "leave": label, "kind": line.kind,
                          "hours": line.hours, "reason": line.reason, "cite": line.cite,
                          "explanation": line.explanation, "balance_after_hours": line.running_hours})
    return {"balances": balance_rows, "ledger_entries": lines}
