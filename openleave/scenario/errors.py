"""One error type for every problem in a scenario file: it names the key path and the line."""

from __future__ import annotations


class ScenarioError(Exception):
    """A problem in the scenario at ``path`` (a tuple of keys / list indexes)."""

    def __init__(self, path: tuple, message: str, line: int | None = None):
        super().__init__(message)
        self.path = tuple(path)
        self.message = message
        self.line = line  # when known without the path (e.g. a YAML syntax error)


def dotted(path: tuple) -> str:
    """('questions', 0, 'balance', 'on') → 'questions[0].balance.on'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"
