# ruff: noqa: S608  — SQL is built only from integers and dates this module computes, never user input.
"""PostgreSQL: the year-end rows read with a binary ``COPY … TO`` and written with a binary ``COPY … FROM``,
pipelined over the two cores (as ``accrual_copy`` does for the biweekly credits).

The arithmetic is ``year_end_sql``'s, unchanged (it documents why it is the rules core's figure): the reader
runs the same ``cte`` and sends, per chunk of employee ids, one fixed-width binary row per leg to write
(employee id, leg, signed µh) and one per employee left to the rules core (leg −1). numpy turns them into the
ledger rows' binary COPY stream (one fixed layout per leg: its leave type, kind, dates and citation text are the
leg's) and sums the run's totals from the very arrays written. The reader is a second connection sharing the run
transaction's snapshot (``pg_export_snapshot``); only the run's own connection writes, so the run stays one
transaction — killed anywhere, nothing is written. Measured in docs/benchmarks.md.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from . import year_end_sql as S
from .accrual_copy import HEADER, PG_EPOCH, TRAILER, read_binary
from .models import Kind

COLUMNS = ("employee_id", "leave", "kind", "micro", "effective_date", "period_start", "cite", "reason", "run_id",
           "vintage")
SRC_DTYPE = np.dtype([("n", ">i2"), ("id_len", ">i4"), ("id", ">i8"), ("leg_len", ">i4"), ("leg", ">i2"),
                      ("micro_len", ">i4"), ("micro", ">i8")])


def legs(p: S.Plan) -> list[tuple[int, int, dt.date, dt.date, str]]:
    """(leave, kind, effective date, period start, cite) of each leg, in ``year_end_sql.LEGS`` order."""
    out = []
    for src, dst, kind, _sign, _ia in S.LEGS:
        if kind == int(Kind.FORFEITURE):
            out.append((dst, kind, p.last_day, p.last_period_start, S.CITES[src]))
        else:
            out.append((dst, kind, p.conversion_day, p.conversion_day, S.CONVERSION_CITES[dst]))
    return out


def source_copy_sql(calendar_id: int, p: S.Plan, lo: int, hi: int, every_employee: bool = False) -> str:
    sql = (S.cte(calendar_id, p, S.Dialect("postgresql"), True, every_employee) +
           "\n        SELECT employee_id::bigint, leg::smallint, micro::bigint FROM out"
           "\n        UNION ALL SELECT employee_id::bigint, -1::smallint, 0::bigint FROM amt WHERE exc = 1")
    sql = sql.replace("%(lo)s", str(int(lo))).replace("%(hi)s", str(int(hi)))
    return f"COPY ({sql}) TO STDOUT (FORMAT BINARY)"


def read_source(cursor, sql: str) -> np.ndarray:
    return read_binary(cursor, sql, SRC_DTYPE, "year-end rows")


def _row_dtype(cite: bytes) -> np.dtype:
    fields = [("n", ">i2")]
    for name, t in (("employee_id", ">i8"), ("leave", ">i2"), ("kind", ">i2"), ("micro", ">i8"),
                    ("effective_date", ">i4"), ("period_start", ">i4"), ("cite", f"S{len(cite)}" if cite else None),
                    ("reason", None), ("run_id", ">i8"), ("vintage", ">i2")):
        fields.append((name + "_len", ">i4"))
        if t is not None:
            fields.append((name, t))
    return np.dtype(fields)


def chunk(src: np.ndarray, p: S.Plan, run_id: int) -> tuple[bytes, dict[int, list[int]], int, list[int]]:
    """The COPY stream of one chunk's rows, its totals per leg (rows, µh), its employees written, and the ids
    left to the rules core."""
    leg = src["leg"].astype(np.int64)
    exc = src["id"][leg < 0].astype(np.int64).tolist()
    parts, totals = [HEADER], {}
    w = leg >= 0
    employees = int(np.unique(src["id"][w]).size)
    for i, (leave, kind, day, start, cite) in enumerate(legs(p)):
        sel = leg == i
        n = int(sel.sum())
        if not n:
            continue
        text = cite.encode()
        rows = np.zeros(n, dtype=_row_dtype(text))
        rows["n"] = len(COLUMNS)
        for name, size in (("employee_id", 8), ("leave", 2), ("kind", 2), ("micro", 8), ("effective_date", 4),
                           ("period_start", 4), ("cite", len(text)), ("reason", 0), ("run_id", 8), ("vintage", 2)):
            rows[name + "_len"] = size
        rows["employee_id"] = src["id"][sel]
        rows["leave"], rows["kind"] = leave, kind
        micro = src["micro"][sel].astype(np.int64)
        rows["micro"] = micro
        rows["effective_date"], rows["period_start"] = (day - PG_EPOCH).days, (start - PG_EPOCH).days
        if text:
            rows["cite"] = text
        rows["run_id"], rows["vintage"] = run_id, p.year
        parts.append(rows.tobytes())
        totals[i] = [n, int(micro.sum())]
    parts.append(TRAILER)
    return b"".join(parts), totals, employees, exc


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

    def one(conn, a: int, b: int):
        t0 = time.perf_counter()
        src = read_source(conn.cursor(), source_copy_sql(calendar_id, p, a, b, every_employee))
        t1 = time.perf_counter()
        out = chunk(src, p, run_id)
        spent["read"] += t1 - t0
        spent["compute"] += time.perf_counter() - t1
        return out

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
