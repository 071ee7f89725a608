"""One docs/examples/request_<kind>.yaml per leave kind, each asking a request of that kind and stating its
outcome and allowed hours in its ``expect:`` block (worked by hand in the comment beside it; the files are
run and their expectations checked by tests/scenarios/test_every_file.py)."""

from pathlib import Path

import pytest

from openleave.rules.requests import KINDS
from openleave.scenario.loader import load

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def test_one_example_per_kind():
    assert {p.stem.removeprefix("request_") for p in EXAMPLES.glob("request_*.yaml")} == set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_example_asks_its_kind_and_expects_an_outcome_and_hours(kind):
    doc, _ = load((EXAMPLES / f"request_{kind}.yaml").read_text(encoding="utf-8"))
    asked = [q for q in doc["questions"] if "request" in q]
    assert asked and all(q["request"]["leave"] == kind for q in asked)
    for q in asked:
        assert {"value", "outcome"} <= set(q["expect"]), q["id"]
        assert q["expect"]["outcome"] in ("allowed", "partly_allowed", "not_allowed", "needs_decision")
