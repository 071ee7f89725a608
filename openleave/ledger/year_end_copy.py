# ruff: noqa: S608  — SQL is built only from integers and dates this module computes, never user input.
"""PostgreSQL: the year-end rows read with a binary ``COPY … TO`` and written with a binary ``COPY … FROM``,
pipelined over the two cores (as ``accrual_copy`` does for the biweekly credits).

The arithmetic is ``year_end_sql``'s, unchanged (it documents why it is the rules core's figure), done in int64
numpy instead of SQL: the reader COPYs out, per chunk of employee ids, the raw rows ``cte`` aggregates (employee,
leave type, µh, date, vintage of a credit) and ``aggregate`` computes ``agg``, ``amt`` and ``out`` from them — the
per-row conditional NUMERIC sums were most of the read. numpy turns each leg's rows (employee id, signed µh, in
employee order, so the lookup index grows in one sweep per leg) into the ledger rows' binary COPY stream (one
fixed layout per leg: its leave type, kind, dates and citation text are the leg's) and sums the run's totals
from the very arrays written. The reader is a second connection sharing the run transaction's snapshot
(``pg_export_snapshot``); only the run's own connection writes, so the run stays one transaction — killed
anywhere, nothing is written. Measured in docs/benchmarks.md.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from . import year_end_sql as S
from .accrual_copy import HEADER, PG_EPOCH, TRAILER, read_binary
from .models import Kind, Leave

COLUMNS = ("employee_id", "leave", "kind", "micro", "effective_date", "period_start", "cite", "reason", "run_id",
           "vintage")
# one ledger row of the leave types forfeited, as read: employee, leave type, signed µh, date (days since
# 2000-01-01, PostgreSQL's binary date) and the vintage of a credit (−1: a debit, or a credit of unknown vintage)
RAW_DTYPE = np.dtype([("n", ">i2"), ("id_len", ">i4"), ("id", ">i8"), ("leave_len", ">i4"), ("leave", ">i2"),
                      ("micro_len", ">i4"), ("micro", ">i8"), ("date_len", ">i4"), ("date", ">i4"),
                      ("v_len", ">i4"), ("v", ">i2")])
IDS_DTYPE = np.dtype([("n", ">i2"), ("id_len", ">i4"), ("id", ">i8")])
_NONE = np.iinfo(np.int64).max  # no such date (the MIN of nothing); its negation is the MAX of nothing


def legs(p: S.Plan) -> list[tuple[int, int, dt.date, dt.date, str]]:
    """(leave, kind, effective date, period start, cite) of each leg, in ``year_end_sql.LEGS`` order."""
    out = []
    for src, dst, kind, _sign, _ia in S.LEGS:
        if kind == int(Kind.FORFEITURE):
            out.append((dst, kind, p.last_day, p.last_period_start, S.CITES[src]))
        else:
            out.append((dst, kind, p.conversion_day, p.conversion_day, S.CONVERSION_CITES[dst]))
    return out


def raw_copy_sql(p: S.Plan, lo: int, hi: int) -> str:
    """The rows ``year_end_sql.cte`` aggregates (``rows``), for employee ids lo ≤ id < hi, as they are: no
    aggregate in SQL (it evaluated ~40 conditional NUMERIC sums per row: 2/3 of the read, docs/benchmarks.md)."""
    d = S.Dialect("postgresql")
    vint = (f"COALESCE(l.vintage, CASE l.kind WHEN {int(Kind.ACCRUAL)} THEN {S._year(d, 'l.period_start')} "
            f"WHEN {int(Kind.REVERSAL)} THEN {S._year(d, 'l.effective_date')} END)")
    return (f"COPY (SELECT l.employee_id::bigint, l.leave::smallint, l.micro::bigint, l.effective_date, "
            f"COALESCE(CASE WHEN l.micro > 0 THEN {vint} END, -1)::smallint "
            f"FROM ledger_ledgerentry l WHERE l.leave IN ({', '.join(map(str, S.FORFEITED))}) "
            f"AND l.effective_date <= {S._date(p.last_day)} AND l.employee_id >= {int(lo)} "
            f"AND l.employee_id < {int(hi)}) TO STDOUT (FORMAT BINARY)")


def ids_copy_sql(sql: str) -> str:
    return f"COPY ({sql}) TO STDOUT (FORMAT BINARY)"


def side_sets(cursor, calendar_id: int, p: S.Plan) -> tuple[np.ndarray, np.ndarray]:
    """The employees on industrial accident leave on D (Sec. 9.15) and those with a Sec. 8.2.B carry-over of the
    year (left to the rules core): ``year_end_sql.cte``'s two small sets, read once per run."""
    D = S._date(p.last_day)
    ia = read_binary(cursor, ids_copy_sql(
        "SELECT employee_id::bigint FROM people_industrialaccidentleave "
        f"WHERE started <= {D} AND (ended IS NULL OR ended >= {D})"), IDS_DTYPE, "employee ids")
    carry = read_binary(cursor, ids_copy_sql(
        f"SELECT employee_id::bigint FROM ledger_personalcarryover WHERE year = {int(p.year)}"), IDS_DTYPE,
        "employee ids")
    return np.unique(ia["id"].astype(np.int64)), np.unique(carry["id"].astype(np.int64))


def members(cursor, calendar_id: int, lo: int, hi: int) -> np.ndarray:
    """The employee ids of the calendar in lo ≤ id < hi (read only when another calendar exists)."""
    got = read_binary(cursor, ids_copy_sql(
        f"SELECT id::bigint FROM people_employee WHERE pay_calendar_id = {int(calendar_id)} "
        f"AND id >= {int(lo)} AND id < {int(hi)}"), IDS_DTYPE, "employee ids")
    return got["id"].astype(np.int64)


def aggregate(raw: np.ndarray, p: S.Plan, lo: int, hi: int, ia: np.ndarray, carry: np.ndarray,
              on_calendar: np.ndarray | None) -> tuple[list[tuple[np.ndarray, np.ndarray]], list[int]]:
    """``year_end_sql.cte``'s ``agg``, ``amt`` and ``out`` in int64 numpy over the chunk's raw rows (the same
    arithmetic, which that module documents): per leg, the employee ids (ascending) and signed µh to write; and
    the ids left to the rules core."""
    size = hi - lo
    emp = raw["id"].astype(np.int64) - lo
    leave = raw["leave"].astype(np.int64)
    micro = raw["micro"].astype(np.int64)
    date = raw["date"].astype(np.int64)
    v = raw["v"].astype(np.int64)
    li = np.full(int(max(S.FORFEITED)) + 1, -1, dtype=np.int64)
    for i, lv in enumerate(S.FORFEITED):
        li[lv] = i
    L = len(S.FORFEITED)
    key = emp * L + li[leave]
    cut = np.where(leave == int(Leave.VACATION), int(p.vacation_cut), int(p.year))
    known = micro > 0
    new_m = known & (v >= 0) & (v > cut)
    old_m = known & (v >= 0) & (v <= cut)
    window = (p.window_after - PG_EPOCH).days
    unknown = np.bincount(emp[known & (v < 0) & (date > window)], minlength=size)[:size] > 0
    bal = np.zeros(size * L, dtype=np.int64)
    np.add.at(bal, key, micro)
    new = np.zeros(size * L, dtype=np.int64)
    np.add.at(new, key[new_m], micro[new_m])
    min_new = np.full(size * L, _NONE, dtype=np.int64)
    np.minimum.at(min_new, key[new_m], date[new_m])
    max_old = np.full(size * L, -_NONE, dtype=np.int64)
    np.maximum.at(max_old, key[old_m], date[old_m])
    # the proviso fails when an old credit is dated after a newer one, or on the same day as a debit
    fails = max_old > min_new
    same = np.flatnonzero(max_old == min_new)
    if same.size:
        debit = micro < 0
        days = _NONE // (size * L + 1)
        fails[same] = np.isin(same * days + min_new[same], key[debit] * days + date[debit])
    has = np.bincount(emp, minlength=size)[:size] > 0
    if on_calendar is not None:
        cal = np.zeros(size, dtype=bool)
        cal[on_calendar - lo] = True
        has &= cal
    ids = np.arange(lo, hi, dtype=np.int64)
    exc = has & (unknown | fails.reshape(size, L).any(axis=1) | np.isin(ids, carry))
    on_ia = np.isin(ids, ia)
    r = (bal - new).reshape(size, L)
    ok = has & ~exc
    out = []
    for src, _dst, _kind, sign, ia_leg in S.LEGS:
        amount = r[:, li[src]]
        sel = ok & (amount > 0)
        if ia_leg != -1:
            sel &= on_ia == bool(ia_leg)
        out.append((ids[sel], sign * amount[sel]))
    return out, ids[exc].tolist()


def _row_dtype(cite: bytes) -> np.dtype:
    fields = [("n", ">i2")]
    for name, t in (("employee_id", ">i8"), ("leave", ">i2"), ("kind", ">i2"), ("micro", ">i8"),
                    ("effective_date", ">i4"), ("period_start", ">i4"), ("cite", f"S{len(cite)}" if cite else None),
                    ("reason", None), ("run_id", ">i8"), ("vintage", ">i2")):
        fields.append((name + "_len", ">i4"))
        if t is not None:
            fields.append((name, t))
    return np.dtype(fields)


def chunk(legs_out: list[tuple[np.ndarray, np.ndarray]], p: S.Plan,
          run_id: int) -> tuple[bytes, dict[int, list[int]], int]:
    """The COPY stream of one chunk's rows (each leg's in employee order: the lookup index grows in one sweep per
    leg), its totals per leg (rows, µh) and its employees written."""
    parts, totals = [HEADER], {}
    written = [ids for ids, _ in legs_out if ids.size]
    employees = int(np.unique(np.concatenate(written)).size) if written else 0
    for i, ((leave, kind, day, start, cite), (ids, micro)) in enumerate(zip(legs(p), legs_out, strict=True)):
        n = int(ids.size)
        if not n:
            continue
        text = cite.encode()
        rows = np.zeros(n, dtype=_row_dtype(text))
        rows["n"] = len(COLUMNS)
        for name, size in (("employee_id", 8), ("leave", 2), ("kind", 2), ("micro", 8), ("effective_date", 4),
                           ("period_start", 4), ("cite", len(text)), ("reason", 0), ("run_id", 8), ("vintage", 2)):
            rows[name + "_len"] = size
        rows["employee_id"] = ids
        rows["leave"], rows["kind"] = leave, kind
        rows["micro"] = micro
        rows["effective_date"], rows["period_start"] = (day - PG_EPOCH).days, (start - PG_EPOCH).days
        if text:
            rows["cite"] = text
        rows["run_id"], rows["vintage"] = run_id, p.year
        parts.append(rows.tobytes())
        totals[i] = [n, int(micro.sum())]
    parts.append(TRAILER)
    return b"".join(parts), totals, employees


def write(cursor, buf: bytes) -> None:
    with cursor.copy(f"COPY ledger_ledgerentry ({', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
        view = memoryview(buf)
        for i in range(0, len(view), 1 << 22):
            copy.write(view[i:i + (1 << 22)])


def run(connection, calendar_id: int, p: S.Plan, run_id: int, ranges: list[tuple[int, int]], dry_run: bool,
        after_chunk=None, progress=None, every_employee: bool = False,
        timings: dict[str, float] | None = None) -> tuple[dict[tuple[int, int], list[int]], int, set[int]]:
    """Read (and, unless ``dry_run``, write) the chunks ``ranges``; reading chunk k+1 on a second connection
    while chunk k is written when the run is the outermost transaction (otherwise one after the other on the run's
    connection: a test's outer ``atomic`` may hold rows another connection cannot see). Returns the totals per
    (leave, kind), the employees written and the ids left to the rules core."""
    import queue
    import threading
    import time

    raw = connection.connection
    pipelined = len(connection.atomic_blocks) <= 1 and not dry_run
    snapshot = raw.execute("SELECT pg_export_snapshot()").fetchone()[0] if pipelined else None
    q: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    spent = {"read": 0.0, "compute": 0.0, "waiting for the reader": 0.0, "write": 0.0}

    side: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def one(conn, a: int, b: int):
        t0 = time.perf_counter()
        cur = conn.cursor()
        if id(conn) not in side:
            side[id(conn)] = side_sets(cur, calendar_id, p)
        rows = read_binary(cur, raw_copy_sql(p, a, b), RAW_DTYPE, "year-end rows")
        on_calendar = None if every_employee else members(cur, calendar_id, a, b)
        t1 = time.perf_counter()
        legs_out, exc = aggregate(rows, p, a, b, *side[id(conn)], on_calendar)
        buf, part, n = chunk(legs_out, p, run_id)
        spent["read"] += t1 - t0
        spent["compute"] += time.perf_counter() - t1
        return buf, part, n, exc

    def reader() -> None:
        try:
            with connection.get_new_connection(connection.get_connection_params()) as other:
                other.rollback()
                other.autocommit = True
                other.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                other.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
                other.execute("SET LOCAL jit = off")
                other.execute("SET LOCAL work_mem = '128MB'")
                for a, b in ranges:
                    if stop.is_set():
                        return
                    q.put(one(other, a, b))
                other.execute("ROLLBACK")
            q.put(None)
        except BaseException as exc:  # noqa: BLE001 — handed to the run's thread, which re-raises it
            q.put(exc)

    thread = threading.Thread(target=reader, name="year-end-reader", daemon=True) if pipelined else None
    if thread is not None:
        thread.start()
    ll = legs(p)
    out: dict[tuple[int, int], list[int]] = {}
    employees, exc_ids = 0, set()
    lo, hi = ranges[0][0], ranges[-1][1]
    try:
        with raw.cursor() as cur:
            for i, (a, b) in enumerate(ranges):
                t0 = time.perf_counter()
                item = one(raw, a, b) if thread is None else q.get()
                if thread is not None:
                    spent["waiting for the reader"] += time.perf_counter() - t0
                if isinstance(item, BaseException):
                    raise item
                buf, part, n, exc = item
                t0 = time.perf_counter()
                if not dry_run:
                    write(cur, buf)
                spent["write"] += time.perf_counter() - t0
                for leg, (rows, micro) in part.items():
                    tot = out.setdefault((ll[leg][0], ll[leg][1]), [0, 0])
                    tot[0] += rows
                    tot[1] += micro
                employees += n
                exc_ids.update(exc)
                if progress:
                    progress(min(b, hi) - lo, hi - lo)
                if after_chunk:
                    after_chunk(i)
        if thread is not None:
            item = q.get()
            if isinstance(item, BaseException):
                raise item
    finally:
        stop.set()
        while thread is not None and thread.is_alive():
            try:
                q.get(timeout=0.1)
            except queue.Empty:
                pass
    if timings is not None:
        timings.update(spent)
    return out, employees, exc_ids
