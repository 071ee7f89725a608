"""Reading an HR or payroll CSV file the same way everywhere: UTF-8 (a spreadsheet's byte-order mark allowed), a
header line naming known columns, one dict per data row with its line number, and the two shapes of a refusal —
``ImportRefused`` for the file as a whole (nothing is stored) and ``Problem`` for one row and column, reported as
``FILE:ROW: error: COLUMN: what to fix``. Used by the opening-balance import (Sec. 9.1, 9.8), the payroll-hours
import (Sec. 8.1.D/I, 9.3, 9.6) and the people import."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from openleave import inputs

MAX_ROWS = 2_000_000


class ImportRefused(ValueError):
    """The file as a whole cannot be used (encoding, header, a missing or unknown column, too many rows): nothing
    is stored."""


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def as_json(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        return f"row {self.row}, {self.column or 'row'}: {self.message}"

    def report_line(self, name: str) -> str:
        """The command line's report of it: ``FILE:ROW: error: COLUMN: what to fix``."""
        return f"{name}:{self.row}: error: {self.column or 'row'}: {self.message}"


def read_csv(text: str, *, columns: Sequence[str], required: Sequence[str], one_row_per: str,
             max_rows: int = MAX_ROWS) -> list[tuple[int, dict[str, str]]]:
    """The data rows of a CSV text as (line number, {column: value}); the header is line 1. A row with more values
    than the header has comes back as ``{"__extra__": "<count>"}`` for the caller to report on its line."""
    if text.startswith("\ufeff"):
        text = text[1:]  # a spreadsheet's byte-order mark
    problem = inputs.text_problem(text)
    if problem:
        raise ImportRefused(f"The file {problem}; save it as plain UTF-8 CSV.")
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRefused(f"The file is empty: give a header line ({','.join(columns)}) and one row per "
                            f"{one_row_per}.") from None
    except csv.Error as exc:
        raise ImportRefused(f"row 1: not a CSV header ({exc}).") from None
    names = [h.strip().lower() for h in header]
    unknown = [n for n in names if n not in columns]
    if unknown:
        raise ImportRefused(f"row 1, {unknown[0] or '(empty)'}: unknown column; the columns are {', '.join(columns)}.")
    missing = [c for c in required if c not in names]
    if missing:
        raise ImportRefused(f"row 1: the column {missing[0]} is missing; the columns are {', '.join(columns)}.")
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise ImportRefused(f"row 1, {dup}: the column appears twice.")
    out = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue  # a blank line
            if len(values) > len(names):
                out.append((line, {"__extra__": str(len(values))}))
                continue
            out.append((line, {n: (values[i] if i < len(values) else "") for i, n in enumerate(names)}))
            if len(out) > max_rows:
                raise ImportRefused(f"More than {max_rows:,} rows: split the file.")
    except csv.Error as exc:
        raise ImportRefused(f"row {reader.line_num}: not valid CSV ({exc}).") from None
    return out


def too_many_values(line: int, values: dict, columns: Sequence[str]) -> list[Problem]:
    """The problem of a row that has more values than the header has columns (``read_csv``'s ``__extra__``)."""
    if "__extra__" not in values:
        return []
    return [Problem(line, "", f"{values['__extra__']} values in a row of {len(columns)} columns at most; "
                              "quote a value that contains a comma.")]


def row_employee(values: dict, employees: dict, fail):
    """The employee a row names in ``employee_number``, from ``employees`` (number → employee); ``fail(column,
    message)`` when the number is missing or names nobody the importer may manage."""
    number = str(values.get("employee_number", "")).strip()
    employee = employees.get(number)
    if not number:
        fail("employee_number", "required.")
    elif employee is None:
        fail("employee_number", f"unknown employee {number[:20]!r} (not found, or not one you may manage).")
    return employee


def command_text(name: str) -> str:
    """The UTF-8 text of the file a command was given (``-``: standard input); a ``CommandError`` line that says what
    to fix when it cannot be read."""
    from django.core.management.base import CommandError

    try:
        return sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"{name}: cannot read the file ({exc.__class__.__name__}: {exc}); give a UTF-8 CSV file.",
                           returncode=2) from None


@contextmanager
def row_progress(stream) -> Iterator[tuple[object, Callable[[str, int, int], None]]]:
    """A rich progress bar for an import's steps ("check", then "write") on ``stream``: yields the console and the
    ``progress(step, done, total)`` callback the import services take."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(file=stream, highlight=False)
    with Progress(TextColumn("[bold]{task.description}[/]"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("rows"), TimeElapsedColumn(), console=console, transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task("checking" if step == "check" else "writing", total=total)
            bar.update(tasks[step], completed=done, total=total)

        yield console, progress
