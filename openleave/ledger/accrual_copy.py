# ruff: noqa: S608  — SQL is built only from integers and dates this module computes, never user input.
"""PostgreSQL: the biweekly credits computed in numpy and written with one binary ``COPY``.

The same arithmetic as ``accrual_sql`` (which documents it) and as the pure functions
``sick_accrual``/``vacation_accrual``, on the same per-employee inputs, which PostgreSQL computes and
sends with ``COPY (SELECT …) TO STDOUT (FORMAT BINARY)``: title week, part-time flag, scheduled and
unpaid micro-hours (with the unpaid FMLA hours beyond Sec. 8.7.2.A.6, ``accrual_fmla``), band, cited enhanced
rule, the A.6 flag. Everything is 64-bit integer arithmetic
(``(rate × paid + F div 2) div F`` for non-negative integers), exact. The rows go back with
``COPY … FROM STDIN (FORMAT BINARY)``, in (employee, leave) order — COPY inserts in batches
(``heap_multi_insert``), which an INSERT…SELECT cannot — and the run's totals are summed from the
very arrays written, so there is no second pass. Measured in docs/benchmarks.md.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from openleave.rules.accrual import PeriodRatePlan

from . import accrual_sql as S
from .models import Kind, Leave

PG_EPOCH = dt.date(2000, 1, 1)
HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
TRAILER = b"\xff\xff"

# (name, big-endian type) of the per-employee inputs, in the order of ``source_copy_sql``
SRC = (("id", ">i8"), ("h40", ">i4"), ("pt", ">i4"), ("sched", ">i8"), ("unpaid", ">i8"), ("band", ">i4"),
       ("enh", ">i4"), ("hif", ">i4"), ("a6", ">i4"))
COLUMNS = ("employee_id", "leave", "kind", "micro", "effective_date", "period_start", "cite", "reason", "band",
           "paid_micro", "run_id", "cite_set_id", "vintage")
# the binary layout of one ledger row; ``cite``/``reason`` are empty (the run and ``cite_set`` say it)
_ROW = (("employee_id", ">i8"), ("leave", ">i2"), ("kind", ">i2"), ("micro", ">i8"), ("effective_date", ">i4"),
        ("period_start", ">i4"), ("cite", None), ("reason", None), ("band", ">i2"), ("paid_micro", ">i8"),
        ("run_id", ">i8"), ("cite_set_id", ">i2"), ("vintage", ">i2"))


def _record(fields, prefix: str = "", null: tuple[str, ...] = ()) -> list:
    out = [(prefix + "n", ">i2")]
    for name, t in fields:
        out.append((prefix + name + "_len", ">i4"))
        if t is not None and name not in null:
            out.append((prefix + name, t))
    return out


SRC_DTYPE = np.dtype(_record(SRC))
VAC_ROW = _record(_ROW)
SICK_ROW = _record(_ROW, null=("band",))  # band is NULL on a sick row


def source_copy_sql(calendar_id: int, plan: PeriodRatePlan, exclude: tuple[int, ...], lo: int, hi: int) -> str:
    """The per-employee inputs of employee ids lo ≤ id < hi, as a binary COPY."""
    src = (S.source_sql(calendar_id, plan, S.Dialect("postgresql"), True, exclude)
           .replace("%(lo)s", str(int(lo))).replace("%(hi)s", str(int(hi))))
    return (f"COPY (SELECT employee_id::bigint, h40::int, pt::int, sched::bigint, unpaid::bigint, band::int, "
            f"enh::int, hif::int, a6::int FROM ({src}) s) TO STDOUT (FORMAT BINARY)")


def read_binary(cursor, sql: str, dtype: np.dtype, what: str) -> np.ndarray:
    """The rows of a ``COPY … TO STDOUT (FORMAT BINARY)`` of fixed-width columns, as a numpy array of ``dtype``
    (``what`` names the rows in the error a NULL or another layout gives)."""
    buf = bytearray()
    with cursor.copy(sql) as copy:
        for chunk in copy:
            buf += chunk
    body = len(buf) - len(HEADER) - len(TRAILER)
    if body % dtype.itemsize:
        raise ValueError(f"unexpected COPY layout (a NULL in the {what}?)")
    return np.frombuffer(buf, dtype=dtype, offset=len(HEADER), count=body // dtype.itemsize)


def read_source(cursor, sql: str) -> np.ndarray:
    return read_binary(cursor, sql, SRC_DTYPE, "accrual inputs")


def compute(src: np.ndarray, plan: PeriodRatePlan, cite_ids: dict[tuple[int, int], int]) -> dict[str, np.ndarray]:
    """Per employee: sick and vacation micro-hours, band, paid and citation-set ids (int64 arrays)."""
    h40 = src["h40"].astype(bool)
    sched, unpaid = src["sched"].astype(np.int64), src["unpaid"].astype(np.int64)
    band = src["band"].astype(np.int64)
    f40, f75 = plan.full_time_period_micro[S.H40], plan.full_time_period_micro[S.H375]
    full = np.where(h40, f40, f75).astype(np.int64)
    half = full // 2
    paid = np.maximum(sched - unpaid, 0)
    sick_rate = np.where(h40, plan.sick_rate_micro[S.H40], plan.sick_rate_micro[S.H375]).astype(np.int64)
    nb = max(b.index for b in plan.vacation_bands) + 1
    rates = np.zeros((nb, 2), dtype=np.int64)
    for b in plan.vacation_bands:
        rates[b.index] = (b.rate_micro[S.H375], b.rate_micro[S.H40])
    vac_rate = rates[band, h40.astype(np.int64)]
    ptf = ((src["pt"] == 1) | (sched < full)).astype(np.int64)
    upf = ((unpaid > 0) & (sched > 0)).astype(np.int64)
    sick_code = ptf + 2 * upf + S.A6_BIT * src["a6"].astype(np.int64)  # Sec. 8.7.2.A.6 (accrual_fmla)
    vac_code = sick_code + 4 * src["hif"].astype(np.int64) + 8 * src["enh"].astype(np.int64)
    size = max(c for _, c in cite_ids) + 1
    sick_ids, vac_ids = np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64)
    for (leave, code), i in cite_ids.items():
        (sick_ids if leave == Leave.SICK else vac_ids)[code] = i
    return {
        "employee_id": src["id"].astype(np.int64), "paid": paid, "band": band,
        "sick": (sick_rate * paid + half) // full, "vacation": (vac_rate * paid + half) // full,
        "sick_cite": sick_ids[sick_code], "vac_cite": vac_ids[vac_code],
    }


def _fill(rows: np.ndarray, prefix: str, a: dict[str, np.ndarray], sel, leave: int, run_id: int,
          dates: tuple[int, int], vintage: int) -> None:
    sick = leave == Leave.SICK
    for name, t in _ROW:  # field lengths: -1 NULL, 0 empty text
        rows[prefix + name + "_len"] = -1 if (sick and name == "band") else (0 if t is None else np.dtype(t).itemsize)
    rows[prefix + "n"] = len(_ROW)
    rows[prefix + "employee_id"] = a["employee_id"][sel]
    rows[prefix + "leave"] = leave
    rows[prefix + "kind"] = int(Kind.ACCRUAL)
    rows[prefix + "micro"] = a["sick" if sick else "vacation"][sel]
    rows[prefix + "effective_date"], rows[prefix + "period_start"] = dates
    if not sick:
        rows[prefix + "band"] = a["band"][sel]
    rows[prefix + "paid_micro"] = a["paid"][sel]
    rows[prefix + "run_id"] = run_id
    rows[prefix + "cite_set_id"] = a["sick_cite" if sick else "vac_cite"][sel]
    rows[prefix + "vintage"] = vintage  # the period's vacation year (Sec. 9.1): one value, broadcast


def copy_buffer(a: dict[str, np.ndarray], plan: PeriodRatePlan, run_id: int) -> bytes:
    """The binary COPY stream of every credit (micro > 0): sick then vacation of each employee."""
    dates = ((plan.period_end - PG_EPOCH).days, (plan.period_start - PG_EPOCH).days)
    vintage = S.vintage(plan)
    s_pos, v_pos = a["sick"] > 0, a["vacation"] > 0
    both = s_pos & v_pos
    pair = np.zeros(int(both.sum()), dtype=np.dtype([(f"s{n}", t) for n, t in SICK_ROW] +
                                                     [(f"v{n}", t) for n, t in VAC_ROW]))
    _fill(pair, "s", a, both, Leave.SICK, run_id, dates, vintage)
    _fill(pair, "v", a, both, Leave.VACATION, run_id, dates, vintage)
    parts = [HEADER, pair.tobytes()]
    for leave, sel, layout in ((Leave.SICK, s_pos & ~v_pos, SICK_ROW), (Leave.VACATION, v_pos & ~s_pos, VAC_ROW)):
        if sel.any():  # the rare employee credited one leave type only
            one = np.zeros(int(sel.sum()), dtype=np.dtype(layout))
            _fill(one, "", a, sel, leave, run_id, dates, vintage)
            parts.append(one.tobytes())
    parts.append(TRAILER)
    return b"".join(parts)


def write(cursor, buf: bytes) -> None:
    with cursor.copy(f"COPY ledger_ledgerentry ({', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
        view = memoryview(buf)
        for i in range(0, len(view), 1 << 22):
            copy.write(view[i:i + (1 << 22)])


def totals(a: dict[str, np.ndarray]) -> dict[int, list[int]]:
    """(rows, micro-hours) per leave type of exactly what ``copy_buffer`` wrote."""
    out = {}
    for leave, key in ((Leave.SICK, "sick"), (Leave.VACATION, "vacation")):
        m = a[key][a[key] > 0]
        out[leave] = [int(m.size), int(m.sum())]
    return out


def run(connection, calendar_id: int, plan: PeriodRatePlan, breaks: tuple[int, ...],
        cite_ids: dict[tuple[int, int], int], run_id: int, lo: int, hi: int, chunks: int,
        after_chunk=None, progress=None, timings: dict[str, float] | None = None,
        census_sql: str | None = None) -> tuple[dict[int, list[int]], list[tuple]]:
    """Write the credits of employee ids ``lo..hi`` in ``chunks`` id ranges, pipelined over the 2 cores:
    a reader thread, on a second connection that shares the run transaction's snapshot
    (``pg_export_snapshot``, REPEATABLE READ), reads and computes chunk k+1 while the run's own
    connection COPYs chunk k. Only the run's connection writes, so the run stays one transaction
    (killed or failed anywhere: nothing is written). Returns the totals of the rows written.

    When the run is nested in an outer transaction (``atomic`` around the call, as in the tests) that
    may hold uncommitted employees a second connection cannot see, the chunks are read on the run's
    own connection instead, one after the other (same code, no overlap).

    ``census_sql`` (the run's census, ``accrual_sql.census_sql``) is run by the reader once it has read
    every chunk — on the same snapshot as the inputs, while the run's connection is still writing —
    and its rows are returned with the totals."""
    import queue
    import threading
    import time

    raw = connection.connection  # the run's psycopg connection, inside its transaction
    pipelined = len(connection.atomic_blocks) <= 1
    snapshot = raw.execute("SELECT pg_export_snapshot()").fetchone()[0] if pipelined else None
    step = max(1, (hi - lo + chunks) // chunks)
    ranges = [(s, s + step) for s in range(lo, hi + 1, step)]
    q: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()
    spent = {"read": 0.0, "compute": 0.0}
    census: list[tuple] = []

    def chunk(conn, a: int, b: int):
        t0 = time.perf_counter()
        src = read_source(conn.cursor(), source_copy_sql(calendar_id, plan, breaks, a, b))
        t1 = time.perf_counter()
        arrays = compute(src, plan, cite_ids)
        buf = copy_buffer(arrays, plan, run_id)
        spent["read"] += t1 - t0
        spent["compute"] += time.perf_counter() - t1
        return totals(arrays), buf

    def reader() -> None:
        try:
            with connection.get_new_connection(connection.get_connection_params()) as other:
                other.rollback()
                other.autocommit = True  # so that BEGIN below is the transaction's first statement
                other.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                other.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
                for a, b in ranges:
                    if stop.is_set():
                        return
                    q.put(chunk(other, a, b))
                if census_sql:
                    t0 = time.perf_counter()
                    census.extend(other.execute(census_sql).fetchall())
                    spent["census"] = time.perf_counter() - t0
                other.execute("ROLLBACK")
            q.put(None)
        except BaseException as exc:  # noqa: BLE001 — handed to the run's thread, which re-raises it
            q.put(exc)

    thread = threading.Thread(target=reader, name="accrual-reader", daemon=True) if pipelined else None
    if thread is not None:
        thread.start()
    out = {int(Leave.SICK): [0, 0], int(Leave.VACATION): [0, 0]}
    waited = 0.0
    try:
        with raw.cursor() as cur:
            for i, (a, b) in enumerate(ranges):
                if thread is None:
                    item = chunk(raw, a, b)
                else:
                    t0 = time.perf_counter()
                    item = q.get()
                    waited += time.perf_counter() - t0
                if isinstance(item, BaseException):
                    raise item
                part, buf = item
                write(cur, buf)
                for leave, (n, m) in part.items():
                    out[int(leave)][0] += n
                    out[int(leave)][1] += m
                if progress:
                    progress(min(b, hi + 1) - lo, hi + 1 - lo)
                if after_chunk:
                    after_chunk(i)
        if thread is not None:  # the reader's last word: None (done, census taken) or its exception
            t0 = time.perf_counter()
            item = q.get()
            waited += time.perf_counter() - t0
            if isinstance(item, BaseException):
                raise item
        elif census_sql:
            t0 = time.perf_counter()
            census.extend(raw.execute(census_sql).fetchall())
            spent["census"] = time.perf_counter() - t0
    finally:
        stop.set()
        while thread is not None and thread.is_alive():  # unblock a reader waiting on a full queue
            try:
                q.get(timeout=0.1)
            except queue.Empty:
                pass
    if timings is not None:
        tag = " (overlapped)" if pipelined else ""
        timings.update({f"read{tag}": spent["read"], f"compute{tag}": spent["compute"],
                        f"census{tag}": spent.get("census", 0.0)})
        if pipelined:
            timings["waiting for the reader"] = waited
    return out, census
