"""What the two commands share: checked arguments, a rich progress bar over the workforce."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.core.management.base import CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from openleave import inputs


def fail(message: str) -> CommandError:
    """One line on stderr, exit code 2."""
    return CommandError(message, returncode=2)


def day(value: str | None, option: str) -> dt.date | None:
    try:
        return inputs.day(value, option)
    except inputs.BadInput as exc:
        raise fail(str(exc)) from None


def year(value: str, option: str) -> int:
    try:
        return inputs.year(value, option)
    except inputs.BadInput as exc:
        raise fail(str(exc)) from None


@contextlib.contextmanager
def progress_bar(console: Console, label: str, total: int):
    """A rich progress bar; yields ``advance(n)``."""
    with Progress(TextColumn(f"[bold]{label}[/]"), BarColumn(), MofNCompleteColumn(), TextColumn("employees"),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)
