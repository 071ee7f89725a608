# ruff: noqa: S608  — SQL is built only from integers, the module's constants and codes checked by ``codes.CODE``.
"""The set-based SELECTs of a batch, shared by the export (``INSERT … SELECT``) and the reconciliation (``SUM``).

Leave used = the ledger's ``USAGE`` debits (Kind 3) and the ``REVERSAL`` entries (Kind 7) of usage debits, by
employee and leave type; a debit belongs to the period of its ``effective_date`` (the decision dates a request's
debit on its first day, ``leave.ledger_posting.post_usage``), a reversal to the period of the debit it reverses —
so a leave cancelled after its period was exported corrects that period (an adjustment), not the later one.

Unpaid hours = the unpaid charges of decided requests (``leave.RequestCharge``, ``codes.UNPAID_KINDS``), dated like
the debits by the request's first day, as of an instant (a charge reversed after it still counts for it).

Every query reads up to a high-water mark (``e.id <= H``, ``c.id <= CH``, ``reversed_at > T``), so the same batch
is re-derived exactly, later, whatever was posted since."""

from __future__ import annotations

from django.db import connection

from openleave.ledger.models import LEAVE_SLUGS, Kind

from .codes import UNPAID_KINDS

USAGE, REVERSAL = int(Kind.USAGE), int(Kind.REVERSAL)
UNPAID_CITES = {"fmla": "Sec. 8.7.2", "lwop": "Sec. 8.11", "family_unpaid": "Sec. 8.8",
                "educational_unpaid": "Sec. 8.10"}
_UNPAID_IN = "(" + ", ".join(f"'{k}'" for k in UNPAID_KINDS) + ")"


def _slug_case(col: str) -> str:
    return "CASE " + col + " " + " ".join(f"WHEN {int(k)} THEN '{v}'" for k, v in LEAVE_SLUGS.items()) + " END"


def code_case(col: str, codes: dict[str, str]) -> str:
    """SQL: the code of the kind in ``col`` ('' when the mapping has none — refused by the export)."""
    if not codes:
        return "''"
    return "CASE " + col + " " + " ".join(f"WHEN '{k}' THEN '{c}'" for k, c in sorted(codes.items())) + " ELSE '' END"


def d(value):
    return connection.ops.adapt_datefield_value(value)


def ts(value):
    return connection.ops.adapt_datetimefield_value(value)


# The charged date of a usage-related entry: its own date, or, for a reversal, the date of the debit it reverses.
_LEDGER_FROM = f"""
    FROM ledger_ledgerentry e
    LEFT JOIN ledger_ledgerentry o ON o.id = e.reverses_id AND e.kind = {REVERSAL}
    JOIN people_employee p ON p.id = e.employee_id AND p.pay_calendar_id = %s"""
_LEDGER_USED = f"(e.kind = {USAGE} OR (e.kind = {REVERSAL} AND o.kind = {USAGE}))"
_CHARGED = f"(CASE WHEN e.kind = {REVERSAL} THEN o.effective_date ELSE e.effective_date END)"


def ledger_regular(cal: int, start, end, hwm: int, codes: dict[str, str]) -> tuple[str, list]:
    """employee_id, employee_number, kind, code, micro (hours used > 0 = −Σ debits), one row per employee and leave."""
    slug = _slug_case("e.leave")
    return (f"""SELECT e.employee_id AS employee_id, p.employee_number AS employee_number, {slug} AS kind,
           {code_case(slug, codes)} AS code, CAST(-SUM(e.micro) AS BIGINT) AS micro
    {_LEDGER_FROM}
    WHERE e.id <= %s AND {_LEDGER_USED} AND {_CHARGED} >= %s AND {_CHARGED} <= %s
    GROUP BY e.employee_id, p.employee_number, e.leave
    HAVING SUM(e.micro) <> 0""", [cal, hwm, d(start), d(end)])


def unpaid_regular(cal: int, start, end, charge_hwm: int, at, codes: dict[str, str]) -> tuple[str, list]:
    """The same columns for the unpaid charges of requests beginning in the period, as of ``at``."""
    return (f"""SELECT r.employee_id AS employee_id, p.employee_number AS employee_number, c.leave_type AS kind,
           {code_case('c.leave_type', codes)} AS code, CAST(SUM(c.micro) AS BIGINT) AS micro
    FROM leave_requestcharge c
    JOIN leave_leaverequest r ON r.id = c.request_id
    JOIN people_employee p ON p.id = r.employee_id AND p.pay_calendar_id = %s
    WHERE c.id <= %s AND c.leave_type IN {_UNPAID_IN} AND c.micro > 0
      AND (c.reversed_at IS NULL OR c.reversed_at > %s) AND r.start_date >= %s AND r.start_date <= %s
    GROUP BY r.employee_id, p.employee_number, c.leave_type""", [cal, charge_hwm, ts(at), d(start), d(end)])


def _exported(batch_id: int, date_sql: str) -> str:
    """Join the earlier batch of the same calendar whose period holds ``date_sql`` (an exported period)."""
    return (f"JOIN payroll_payrollbatch b ON b.pay_calendar_id = p.pay_calendar_id AND b.id < {int(batch_id)} "
            f"AND {date_sql} >= b.period_start AND {date_sql} <= b.period_end")


def ledger_adjustments(cal: int, batch_id: int, prev_hwm: int, hwm: int, codes: dict[str, str]) -> tuple[str, list]:
    """One row per usage debit or reversal posted after the batch before (``prev_hwm < e.id <= hwm``) and charged to
    a period an earlier batch exported: employee_id, employee_number, kind, code, micro, original start, original
    end, entry id, citation."""
    slug = _slug_case("e.leave")
    return (f"""SELECT e.employee_id AS employee_id, p.employee_number AS employee_number, {slug} AS kind,
           {code_case(slug, codes)} AS code, CAST(-e.micro AS BIGINT) AS micro,
           b.period_start AS original_start, b.period_end AS original_end, e.id AS source_id,
           COALESCE(NULLIF(e.cite, ''), s.cite, '') AS cite
    {_LEDGER_FROM}
    LEFT JOIN ledger_ledgercitation s ON s.id = e.cite_set_id
    {_exported(batch_id, _CHARGED)}
    WHERE e.id > %s AND e.id <= %s AND {_LEDGER_USED}""", [cal, prev_hwm, hwm])


def unpaid_adjustments(cal: int, batch_id: int, prev_charge_hwm: int, charge_hwm: int, prev_at, at,
                       codes: dict[str, str]) -> tuple[str, list]:
    """Charges for an exported period decided after the batch before (+), and charges that batch had counted,
    reversed since (−). Same columns as ``ledger_adjustments``."""
    cite = "CASE c.leave_type " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in UNPAID_CITES.items()) + " END"
    return (f"""SELECT r.employee_id AS employee_id, p.employee_number AS employee_number, c.leave_type AS kind,
           {code_case('c.leave_type', codes)} AS code,
           CAST(CASE WHEN c.id > %s THEN c.micro ELSE -c.micro END AS BIGINT) AS micro,
           b.period_start AS original_start, b.period_end AS original_end, c.id AS source_id,
           CASE WHEN c.id > %s THEN {cite} ELSE COALESCE(NULLIF(c.reversal_cite, ''), {cite}) END AS cite
    FROM leave_requestcharge c
    JOIN leave_leaverequest r ON r.id = c.request_id
    JOIN people_employee p ON p.id = r.employee_id AND p.pay_calendar_id = %s
    {_exported(batch_id, 'r.start_date')}
    WHERE c.leave_type IN {_UNPAID_IN} AND c.micro > 0
      AND ((c.id > %s AND c.id <= %s AND (c.reversed_at IS NULL OR c.reversed_at > %s))
           OR (c.id <= %s AND c.reversed_at > %s AND c.reversed_at <= %s))""",
            [prev_charge_hwm, prev_charge_hwm, cal, prev_charge_hwm, charge_hwm, ts(at), prev_charge_hwm,
             ts(prev_at), ts(at)])


def sum_by_kind(sql: str, params: list) -> dict[str, int]:
    """Σ micro by kind of one of the SELECTs above (the reconciliation's side of the ledger)."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT q.kind, CAST(SUM(q.micro) AS BIGINT) FROM ({sql}) q GROUP BY q.kind", params)
        return {k: int(m) for k, m in cur.fetchall() if m}
