"""What the payroll app holds about people — registered with ``openleave.privacy`` from ``PayrollConfig.ready()``.
Least data: a line names the employee by number and holds hours and a citation, never a reason or a diagnosis."""

from __future__ import annotations

from openleave.privacy.registry import register


def register_all() -> None:
    register("payroll.PayrollBatch", category="leave", retention="leave",
             why="the record of an export to payroll: who exported which pay period, when, and the checksum",
             fields={"by": {"why": "who exported the batch (accountability)"}})
    register("payroll.PayrollLine", category="leave", retention="leave",
             why="the hours of leave used and unpaid per employee sent to payroll for a pay period, kept so the "
                 "batch downloads again identically and reconciles with the ledger")
