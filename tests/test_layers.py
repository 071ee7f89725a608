"""The import layers (issue 11, item 5): each area imports only its own layer and the layers below it.

    rules  →  clock, inputs, documents (PDFs from the page templates)  →  kinds (forms, parsing and schemas derived from the declarations)
           →  audit (the access log)  →  accounts, people, policy  →  ledger
           →  leave, holidays, privacy, separation, comp, medical  →  planner, statements, grievance  →  steward  →  web, api, scenario  →  the project (urls, settings, wsgi)

Every ``import`` counts, at module level and inside functions. Areas of one layer may use each other (the
directory, its accounts and who may see whom belong together), but never in a circle: no module of one area
imports itself back through a module of another. (Inside one area a registry and its entries may import each
other — e.g. the scenario ``asks`` registering themselves.)
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "openleave"

LAYERS = [
    ["rules"],
    ["clock", "inputs", "documents", "csv_rows"],
    ["kinds"],
    ["audit"],
    ["accounts", "people", "policy"],
    ["ledger"],
    ["leave", "holidays", "privacy", "separation", "comp", "medical"],  # medical: FMLA cases, sealed documents
    ["planner", "statements", "grievance", "contract", "payroll"],  # contract: a successor's impact (reads statements); payroll export batches; the planner's projection; Sec. 9.8 statements and warnings; Art. 23
    # grievance tracks (all read ledger + leave)
    ["steward"],  # the steward's workspace and denial statistics (read consents, decisions, grievance deadlines)
    ["web", "api", "scenario"],
    ["urls", "settings", "wsgi", "__main__", ""],
]
LAYER_OF = {area: n for n, areas in enumerate(LAYERS) for area in areas}


def module_name(path: Path) -> str:
    parts = ("openleave", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def imports_of(name: str, path: Path, known: set[str]) -> set[tuple[str, int]]:
    """The openleave modules ``name`` imports (wherever the import statement is), with their line."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            # ``from openleave.x import y``: y may be a module (openleave.x.y) or a name in openleave.x
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        found.update((t, node.lineno) for t in targets if t == "openleave" or t.startswith("openleave."))
    return found


def area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def graph() -> dict[str, set[tuple[str, int]]]:
    mods = all_modules()
    return {name: imports_of(name, path, set(mods)) for name, path in mods.items()}


def test_every_area_has_a_layer():
    assert sorted({area(m) for m in all_modules()} - set(LAYER_OF)) == []


def test_no_module_imports_a_layer_above_its_own():
    upward = sorted(
        f"{src}:{line} imports {dst} ({area(dst)} is above {area(src)})"
        for src, targets in graph().items()
        for dst, line in targets
        if LAYER_OF[area(dst)] > LAYER_OF[area(src)]
    )
    assert not upward, "\n".join(upward)


def test_no_import_cycle_across_areas():
    g = graph()
    edges = {src: {dst for dst, _ in targets if dst != src and dst in g} for src, targets in g.items()}
    # Tarjan's strongly connected components: any component of more than one module is a cycle.
    index, low, stack, on_stack, cycles, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len({area(m) for m in comp}) > 1:
                cycles.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    assert not cycles, "\n".join(" ↔ ".join(c) for c in cycles)


def test_the_api_imports_no_html_view():
    """The JSON API shares services and selectors with the pages, never a page's view module."""
    views = sorted(f"{src}:{line} imports {dst}" for src, targets in graph().items() if area(src) == "api"
                   for dst, line in targets if dst.rpartition(".")[2] == "views" or ".views." in dst)
    assert not views, "\n".join(views)


def test_every_ninja_router_is_mounted_in_api_py_only():
    """One place lists the API: ``openleave/api/api.py`` creates the NinjaAPI and mounts every router; the
    endpoint modules only declare theirs (``router = Router(...)``) and never register on ``api`` directly."""
    mounts, direct = set(), []
    for name, path in all_modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr == "add_router":
                    mounts.add(name)
                if isinstance(node.func.value, ast.Name) and node.func.value.id == "api" and node.func.attr in (
                        "get", "post", "put", "patch", "delete", "api_operation") and name != "openleave.api.api":
                    direct.append(f"{name}:{node.lineno}")
    assert mounts == {"openleave.api.api"}
    assert direct == []
    from openleave.api import endpoints, leave_endpoints, ledger_endpoints, privacy_endpoints

    assert all(hasattr(m, "router") for m in (endpoints, leave_endpoints, ledger_endpoints, privacy_endpoints))


def test_the_checker_sees_relative_and_function_level_imports():
    """The rules above hold only if the parser finds every kind of import: check it on known lines."""
    g = {src: {dst for dst, _ in targets} for src, targets in graph().items()}
    assert "openleave.audit.models" in g["openleave.audit.access"]  # ``from .models import …``
    assert "openleave.audit.access" in g["openleave.privacy.retention"]  # inside a function
    assert "openleave.audit.checkpoint" in g["openleave.ledger.apps"]  # ``from openleave.audit import checkpoint``
    assert "openleave.policy" in g["openleave.ledger.templatetags.ledger_tags"]  # ``from openleave import policy``
