"""What every rule returns: a result plus the citations and reasons that produced it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Decision:
    """A cited result. ``value`` is an int of micro-hours when ``unit == 'hours'``."""

    value: Any
    citations: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    unit: str = "hours"
    extra: dict[str, Any] = field(default_factory=dict)

    def cited(self, *more: str) -> tuple[str, ...]:
        """Citations with duplicates removed, order kept."""
        return tuple(dict.fromkeys((*self.citations, *more)))


def merge_citations(*groups: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Concatenate citation lists, keeping first occurrence order."""
    out: dict[str, None] = {}
    for g in groups:
        for c in g:
            out[c] = None
    return tuple(out)
