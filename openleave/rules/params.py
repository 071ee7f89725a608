"""Contract parameters as data (OpenFisca style), each dated value carrying its own citation.

Layout: ``contract/<agreement>/index.yaml`` names an agreement; every other ``*.yaml`` below it
is one parameter, reached by its folder path (``sick/accrual_full_time.yaml`` →
``params.at(d).sick.accrual_full_time``). A parameter file looks like::

    description: Sick leave credit per biweekly pay period, full-time employee
    unit: hours                       # hours | days | count | date | text | table
    values:
      2017-07-01:
        value: {75: 4.326975, 80: 4.61544}
        cite: Sec. 8.1.A

A lookup returns the newest value dated on or before the date asked. A successor contract is
a new agreement folder whose dated values are merged in — not a code change. The loader is
strict: unknown keys, a value without ``cite``, or the same parameter dated twice is an error
naming the file.

Successor agreements (issue 15). Every ``index.yaml`` has an ``effective_from`` date; the agreements are
ordered by it, and the one in force on a date is the latest that starts on or before it
(``ParameterTree.agreement_on``). A later agreement names the one it follows (``succeeds: <folder>``) and
hands over on its own ``effective_from``:

* the old agreement's values stop there — an old value dated on or after the successor's start is refused
  (two agreements would both give that date's value);
* the successor's values start there — a successor value dated before its own start is refused (it would
  reach back over the old agreement's dates);
* a parameter the successor does not restate continues with the old agreement's last value and citation
  (what is not renegotiated carries on; ``contract_impact`` lists it as unchanged);
* two agreements starting on the same day, a ``succeeds`` that is not the agreement before it, a value
  without a citation, or an agreement folder without ``index.yaml`` are refused, naming the file and the
  parameter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CONTRACT_ROOT = Path(__file__).resolve().parents[2] / "contract"
FILE_KEYS = {"description", "unit", "values", "reference", "note"}
VALUE_KEYS = {"value", "cite", "note"}
INDEX_KEYS = {"agreement", "parties", "effective_from", "effective_to", "source", "note", "succeeds"}


class ParameterError(ValueError):
    """A malformed parameter file or an unknown parameter."""


PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)(?:\[([^\]]+)\])?\}")


def figure(value: Any) -> str:
    """A parameter's figure as prose prints it: 4.61544, 60, 2011-09-01 (never 6E+1)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def long_date(day: dt.date) -> str:
    """A date as the contract writes it: September 1, 2011."""
    return f"{day:%B} {day.day}, {day.year}"


def month_day(text: str) -> tuple[int, int]:
    """A month-day parameter ("07-01") → (7, 1)."""
    try:
        month, day = (int(x) for x in str(text).split("-"))
        dt.date(2000, month, day)
    except ValueError:
        raise ParameterError(f"{text!r} is not a month-day (MM-DD)") from None
    return month, day


@dataclass(frozen=True)
class Param:
    """One dated value: the figure and the section that gives it."""

    value: Any
    cite: str
    since: dt.date
    path: str
    description: str = ""
    unit: str = ""
    note: str = ""
    agreement: str = ""  # the folder of the agreement that gives it


def _exact(value: Any) -> Any:
    """Numbers become Decimal (from their YAML text, so 4.326975 stays 4.326975); recurse."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _exact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_exact(v) for v in value]
    return value


class _UniqueKeyLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise ParameterError(f"duplicate key {key!r} at line {key_node.start_mark.line + 1}")
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506
    except ParameterError as exc:
        raise ParameterError(f"{path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML: {exc}") from None


def _as_date(key: Any, path: Path) -> dt.date:
    if isinstance(key, dt.date):
        return key
    try:
        return dt.date.fromisoformat(str(key))
    except ValueError:
        raise ParameterError(f"{path}: value key {key!r} is not a date (YYYY-MM-DD)") from None


class ParameterTree:
    """All parameters of all agreements, merged by date."""

    def __init__(self, series: dict[str, list[Param]], agreements: list[dict]):
        self._series = {k: sorted(v, key=lambda p: p.since) for k, v in series.items()}
        self.agreements = agreements
        self._hash: str | None = None

    def names(self) -> list[str]:
        return sorted(self._series)

    def agreement_on(self, on: dt.date) -> dict:
        """The agreement in force on ``on``: the latest whose ``effective_from`` is on or before it."""
        found = None
        for a in self.agreements:  # ordered by effective_from
            if a["effective_from"] <= on:
                found = a
        if found is None:
            raise ParameterError(f"no agreement is in force on {on.isoformat()} "
                                 f"(the first starts {self.agreements[0]['effective_from'].isoformat()})")
        return found

    def restated(self, folder: str) -> list[str]:
        """The parameters agreement ``folder`` itself gives a value for."""
        return sorted(n for n, ps in self._series.items() if any(p.agreement == folder for p in ps))

    def content_hash(self) -> str:
        """``sha256:<hex>`` over the tree's canonical content: every agreement's index and every parameter's dated
        values with their citations, keys sorted, numbers as their exact decimal text. The same folder always
        gives the same hash, wherever it lies and however its YAML is spaced; one changed figure or citation
        changes it. A decision stores it, so a replay can tell whether the contract data it used has changed."""
        if self._hash is None:
            doc = {
                "agreements": sorted((_canonical({k: v for k, v in a.items() if k != "path"})  # not where it lies
                                      for a in self.agreements), key=lambda a: json.dumps(a, sort_keys=True)),
                "parameters": {name: [[p.since.isoformat(), _canonical(p.value), p.cite, p.unit, p.note]
                                      for p in series] for name, series in sorted(self._series.items())},
            }
            text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            self._hash = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
        return self._hash

    def get(self, name: str, on: dt.date) -> Param:
        """The value of parameter ``name`` (dotted path) in force on ``on``."""
        try:
            series = self._series[name]
        except KeyError:
            raise ParameterError(f"unknown contract parameter {name!r}") from None
        found = None
        for p in series:
            if p.since <= on:
                found = p
            else:
                break
        if found is None:
            raise ParameterError(f"parameter {name!r} has no value in force on {on.isoformat()}")
        return found

    def fill(self, text: str, on: dt.date) -> str:
        """``text`` with each ``{parameter.name}`` (or ``{parameter.name[key]}``) replaced by the figure
        in force on ``on`` — prose kept in a parameter file names its figures, never repeats them."""

        def one(m: re.Match) -> str:
            value = self.get(m.group(1), on).value
            if m.group(2) is not None:
                matches = [v for k, v in value.items() if str(k) == m.group(2)]
                if not matches:
                    raise ParameterError(f"parameter {m.group(1)!r} has no entry {m.group(2)!r}")
                value = matches[0]
            return figure(value)

        return PLACEHOLDER.sub(one, text)

    def history(self, name: str) -> list[Param]:
        return list(self._series[name])

    def at(self, on: dt.date) -> _Node:
        """Attribute access: ``tree.at(d).sick.accrual_full_time`` → Param."""
        return _Node(self, "", on)


class _Node:
    def __init__(self, tree: ParameterTree, prefix: str, on: dt.date):
        self._tree, self._prefix, self._on = tree, prefix, on

    def __getattr__(self, part: str) -> Any:
        if part.startswith("_"):
            raise AttributeError(part)
        name = f"{self._prefix}.{part}" if self._prefix else part
        if name in self._tree._series:
            return self._tree.get(name, self._on)
        if any(n.startswith(name + ".") for n in self._tree._series):
            return _Node(self._tree, name, self._on)
        raise ParameterError(f"unknown contract parameter {name!r}")


def _agreement_folders(root: Path, extra: Iterable[Path | str]) -> list[Path]:
    folders = [index.parent for index in sorted(root.glob("*/index.yaml"))]
    for f in extra:
        folder = Path(f)
        if not folder.is_dir():
            raise ParameterError(f"{folder}: no such agreement folder")
        if not (folder / "index.yaml").is_file():
            raise ParameterError(f"{folder}: not an agreement folder (it has no index.yaml)")
        if any(folder.resolve() == g.resolve() for g in folders):
            continue
        if any(folder.name == g.name for g in folders):
            raise ParameterError(f"{folder}: an agreement folder named {folder.name!r} is already loaded")
        folders.append(folder)
    return folders


def _read_agreement(folder: Path) -> tuple[dict, dict[str, list[tuple[Param, Path]]]]:
    index = folder / "index.yaml"
    meta = _read_yaml(index) or {}
    if not isinstance(meta, dict):
        raise ParameterError(f"{index}: an agreement index must be a mapping")
    unknown = set(meta) - INDEX_KEYS
    if unknown:
        raise ParameterError(f"{index}: unknown key(s) {sorted(unknown)}")
    start = meta.get("effective_from")
    if start is None:
        raise ParameterError(f"{index}: 'effective_from' (the day the agreement takes effect) is required")
    meta = {**meta, "effective_from": _as_date(start, index), "folder": folder.name, "path": str(folder)}
    own: dict[str, list[tuple[Param, Path]]] = {}
    for path in sorted(folder.rglob("*.yaml")):
        if path.name == "index.yaml":
            continue
        name = ".".join(path.relative_to(folder).with_suffix("").parts)
        doc = _read_yaml(path)
        if not isinstance(doc, dict) or "values" not in doc:
            raise ParameterError(f"{path}: a parameter file needs a 'values' mapping")
        unknown = set(doc) - FILE_KEYS
        if unknown:
            raise ParameterError(f"{path}: unknown key(s) {sorted(unknown)}")
        if not isinstance(doc["values"], dict) or not doc["values"]:
            raise ParameterError(f"{path}: 'values' must map dates to {{value, cite}}")
        for key, entry in doc["values"].items():
            since = _as_date(key, path)
            if not isinstance(entry, dict) or "value" not in entry:
                raise ParameterError(f"{path}: parameter {name!r}: value dated {since} needs 'value' and 'cite'")
            unknown = set(entry) - VALUE_KEYS
            if unknown:
                raise ParameterError(f"{path}: value dated {since}: unknown key(s) {sorted(unknown)}")
            cite = entry.get("cite")
            if not cite or not isinstance(cite, str) or not cite.strip():
                raise ParameterError(f"{path}: parameter {name!r}: value dated {since} has no citation ('cite')")
            mine = own.setdefault(name, [])
            if any(p.since == since for p, _ in mine):
                raise ParameterError(f"{path}: parameter {name!r} is dated {since} twice")
            mine.append((Param(value=_exact(entry["value"]), cite=cite, since=since, path=name,
                               description=str(doc.get("description", "")), unit=str(doc.get("unit", "")),
                               note=str(entry.get("note", "")), agreement=folder.name), path))
    return meta, own


def load_tree(root: Path = CONTRACT_ROOT, extra: Iterable[Path | str] = ()) -> ParameterTree:
    """Read every agreement folder under ``root`` (and the folders ``extra``, e.g. a successor being
    assessed) and merge their dated values, handing over from each agreement to the next on the
    successor's ``effective_from`` (see the module docstring)."""
    read = [_read_agreement(f) for f in _agreement_folders(root, extra)]
    if not read:
        raise ParameterError(f"no agreement (index.yaml) found under {root}")
    read.sort(key=lambda r: r[0]["effective_from"])
    for (a, _), (b, _) in zip(read, read[1:], strict=False):
        if a["effective_from"] == b["effective_from"]:
            raise ParameterError(
                f"{b['path']}/index.yaml: agreements {a['folder']!r} and {b['folder']!r} both take effect on "
                f"{b['effective_from']} — which one is in force is ambiguous")
        if b.get("succeeds") != a["folder"]:
            raise ParameterError(
                f"{b['path']}/index.yaml: 'succeeds' must name the agreement in force before "
                f"{b['effective_from']} ({a['folder']!r}), not {b.get('succeeds')!r}")
    if read[0][0].get("succeeds") is not None:
        raise ParameterError(f"{read[0][0]['path']}/index.yaml: succeeds {read[0][0]['succeeds']!r}, which is not loaded")
    series: dict[str, list[Param]] = {}
    for k, (meta, own) in enumerate(read):
        start = meta["effective_from"]
        nxt = read[k + 1][0] if k + 1 < len(read) else None
        for name, values in own.items():
            for p, path in values:
                if k > 0 and p.since < start:
                    raise ParameterError(
                        f"{path}: parameter {name!r} is dated {p.since}, before this agreement takes effect "
                        f"({start}): it would overlap the values of {read[k - 1][0]['folder']!r}")
                if nxt is not None and p.since >= nxt["effective_from"]:
                    raise ParameterError(
                        f"{path}: parameter {name!r} is dated {p.since}, on or after {nxt['folder']!r} takes "
                        f"effect ({nxt['effective_from']}): two agreements would give its value on that date")
                series.setdefault(name, []).append(p)
    agreements = [meta for meta, _ in read]
    for i, a in enumerate(agreements):
        a["until"] = agreements[i + 1]["effective_from"] - dt.timedelta(days=1) if i + 1 < len(agreements) else None
    return ParameterTree(series, agreements)


def _canonical(value: Any) -> Any:
    """A parameter value (or an agreement's index) as plain JSON: decimals and dates as text, mapping keys as text."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (int, float)):
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(_canonical(k)): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return str(value)


_root: list[Path] = [CONTRACT_ROOT]  # the folder ``default_tree`` reads (``use_contract_root`` points it elsewhere)


@lru_cache(maxsize=1)
def default_tree() -> ParameterTree:
    """The parameters shipped with openleave — or those of the folder ``use_contract_root`` names (cached; files
    are read once per process)."""
    return load_tree(_root[0])


def contract_root() -> Path:
    return _root[0]


@contextmanager
def use_contract_root(root: Path) -> Iterator[ParameterTree]:
    """Point ``default_tree`` at another contract folder (e.g. a copy with one figure changed) while the block
    runs, then back; the tree read from it is yielded. Used by ``replay_decisions --contract`` and its tests."""
    before = _root[0]
    _root[0] = Path(root)
    default_tree.cache_clear()
    try:
        yield default_tree()
    finally:
        _root[0] = before
        default_tree.cache_clear()
