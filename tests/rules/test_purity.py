"""The rules core and the scenario interface import no framework (the domain is free of Django)."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "openleave"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("django"):
            names.add(node.value)  # importlib.import_module("django…")
    return names


def test_rules_and_scenario_sources_import_no_django():
    offenders = {
        str(p): sorted(m for m in imported_modules(p) if m.split(".")[0] == "django")
        for folder in ("rules", "scenario")
        for p in (PACKAGE / folder).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_rules_and_running_a_scenario_loads_no_django():
    code = (
        "import sys, pkgutil, importlib, openleave.rules, openleave.scenario.runner\n"
        "for m in pkgutil.walk_packages(openleave.rules.__path__, 'openleave.rules.'): importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] == 'django'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PACKAGE.parent)
    assert out.stdout.strip() == "[]"


def test_rules_and_scenario_read_no_clock():
    """Dates come in as arguments: the core never asks the machine what day it is (its zone is not the
    organisation's, and a rule that reads the clock gives a different answer tomorrow)."""
    clock_calls = {"date.today", "dt.date.today", "datetime.date.today", "datetime.now", "dt.datetime.now",
                   "datetime.datetime.now", "datetime.utcnow", "dt.datetime.utcnow", "datetime.today",
                   "dt.datetime.today", "time.time", "time.localtime", "time.gmtime", "timezone.now",
                   "timezone.localdate"}
    offenders = []
    for folder in ("rules", "scenario"):
        for p in (PACKAGE / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and ast.unparse(node.func) in clock_calls:
                    offenders.append(f"{p.name}:{node.lineno}: {ast.unparse(node.func)}()")
    assert offenders == []
