"""Read a scenario (YAML, or JSON — a subset of YAML) keeping the line of every key and item.

Dates stay strings (they are checked and parsed with their line by ``parse``); decimals become
``Decimal`` from their text, never floats; a key repeated in one mapping is an error.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import yaml

from .errors import ScenarioError


class _Loader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver, with exact decimals and YAML 1.2 booleans."""


_DROPPED = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# YAML 1.2 / JSON booleans only: `on:` and `yes` stay strings (a question asks `balance: {on: …}`).
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


class _NotANumber(ValueError):
    """A YAML float that is not a finite decimal (.inf, .nan)."""


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise _NotANumber(text) from None
    if not d.is_finite():
        raise _NotANumber(text)
    return d


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)


def load(text: str) -> tuple[object, dict[tuple, int]]:
    """The document and a map from key path to its 1-based line."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise ScenarioError((), f"not valid YAML/JSON: {getattr(exc, 'problem', exc)}", line=line) from None
    lines: dict[tuple, int] = {(): 1}
    if node is None:
        return None, lines
    loader = _Loader("")
    return _build(node, (), lines, loader), lines


def _build(node: yaml.Node, path: tuple, lines: dict[tuple, int], loader: _Loader) -> object:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int)):
                raise ScenarioError(path, f"key {key!r} is not a name")
            key = str(key) if not isinstance(key, str) else key
            child = (*path, key)
            lines[child] = key_node.start_mark.line + 1
            if key in out:
                raise ScenarioError(child, f"key {key!r} appears twice", line=lines[child])
            out[key] = _build(value_node, child, lines, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), lines, loader) for i, item in enumerate(node.value)]
    try:
        return loader.construct_object(node, deep=True)
    except _NotANumber as exc:
        raise ScenarioError(path, f"{exc} is not a finite decimal number", line=node.start_mark.line + 1) from None


def line_of(path: tuple, lines: dict[tuple, int]) -> int:
    """The line of ``path``, or of its nearest ancestor that has one."""
    path = tuple(path)
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path, 1)
