"""``openleave scenario FILE`` — print the cited answers of a scenario as JSON (exit 0), or one
error line naming the key and its line on stderr (exit 2). When a question's ``expect:`` is not
met, the JSON is printed, then one line per failed expectation on stderr (exit 1).
``--schema`` prints the JSON Schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import ScenarioError, dotted
from .loader import line_of
from .runner import run_text
from .schema import build_schema

EXIT_EXPECTATION_FAILED = 1
EXIT_BAD_SCENARIO = 2


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("scenario", help="answer the questions of a scenario file (YAML or JSON)",
                              description=__doc__)
    p.add_argument("file", nargs="?", help="scenario file (.yaml, .yml or .json); - for stdin")
    p.add_argument("--schema", action="store_true", help="print the scenario JSON Schema and exit")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.schema:
        print(json.dumps(build_schema(), indent=2, ensure_ascii=False))
        return 0
    if not args.file:
        print("openleave scenario: error: a scenario FILE is required", file=sys.stderr)
        return EXIT_BAD_SCENARIO
    name = args.file
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except OSError as exc:
        print(f"{name}: error: cannot read: {exc.strerror}", file=sys.stderr)
        return EXIT_BAD_SCENARIO
    try:
        output, lines, failures = run_text(text)
    except ScenarioError as exc:
        line = exc.line or line_of(exc.path, getattr(exc, "lines", {}))
        where = f"{dotted(exc.path)}: " if exc.path else ""
        print(f"{name}:{line}: error: {where}{exc.message}", file=sys.stderr)
        return EXIT_BAD_SCENARIO
    print(json.dumps(output, indent=2, ensure_ascii=False))
    for qid, failure in failures:
        print(f"{name}:{line_of(failure.path, lines)}: question {qid}: {failure.line_text()}", file=sys.stderr)
    return EXIT_EXPECTATION_FAILED if failures else 0
