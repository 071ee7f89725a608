"""``openleave`` / ``python -m openleave``: the command line.

Subcommands are modules with ``add_parser(subparsers)`` that register a parser whose default
``func(args) -> int`` runs it. To add one, append its module path to ``SUBCOMMANDS``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

SUBCOMMANDS = [
    "openleave.scenario.cli",  # openleave scenario FILE.yaml
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="openleave", description="openleave — NAGE Unit 3 leave, exactly by the contract")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in SUBCOMMANDS:
        importlib.import_module(module).add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
