"""The parameter loader and successor agreements (issue 15, item 5): the hand-over on the successor's
``effective_from``, the agreement in force on a date, and the folders it refuses — each with a message
naming the file and the parameter. The successor is the made-up fixture (tests/fixtures/contract_successor,
NOT the real next contract) or a copy of it altered per test."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from openleave.rules.params import CONTRACT_ROOT, ParameterError, load_tree

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "contract_successor"
START = dt.date(2027, 7, 1)  # the fixture's effective_from


@pytest.fixture(scope="module")
def tree():
    return load_tree(extra=[FIXTURE])


@pytest.fixture
def successor(tmp_path):
    """A copy of the fixture to alter."""
    dst = tmp_path / "successor"
    shutil.copytree(FIXTURE, dst)
    return dst


def test_the_agreement_in_force_is_the_latest_started(tree):
    assert tree.agreement_on(START - dt.timedelta(days=1))["folder"] == "nage_unit3_2017"
    assert tree.agreement_on(START)["folder"] == "contract_successor"
    assert tree.agreement_on(dt.date(2017, 7, 1))["folder"] == "nage_unit3_2017"  # Art. 30 start
    assert tree.agreements[0]["until"] == START - dt.timedelta(days=1)
    with pytest.raises(ParameterError, match="no agreement is in force on 2017-06-30"):
        tree.agreement_on(dt.date(2017, 6, 30))


def test_the_old_value_stops_the_day_the_successor_starts(tree):
    # Sec. 9.2.A second band, 80 h: 4.61544 h under the 2017 agreement; 5.11544 h in the fixture
    day_before = tree.get("vacation.bands", START - dt.timedelta(days=1))
    first_day = tree.get("vacation.bands", START)
    assert (day_before.value[1][80], day_before.cite, day_before.agreement) == (
        Decimal("4.61544"), "Sec. 9.2.A", "nage_unit3_2017")
    assert (first_day.value[1][80], first_day.cite, first_day.agreement) == (
        Decimal("5.11544"), "Sec. 9.2.A (made-up successor)", "contract_successor")


def test_a_parameter_not_restated_carries_on(tree):
    # Sec. 8.1.A sick credit, not in the fixture: 4.61544 h (80 h bi-weekly), still cited to the 2017 agreement
    p = tree.get("sick.accrual_full_time", START + dt.timedelta(days=400))
    assert (p.value[80], p.cite, p.agreement) == (Decimal("4.61544"), "Sec. 8.1.A", "nage_unit3_2017")
    assert "sick.accrual_full_time" not in tree.restated("contract_successor")
    assert tree.restated("contract_successor") == ["holidays.days", "use.comp_time.max_balance_hours",
                                                   "vacation.bands"]


def test_refuses_a_value_without_a_citation(successor):
    f = successor / "use" / "comp_time" / "max_balance_hours.yaml"
    f.write_text(f.read_text().replace("    cite: Sec. 7.2.G (made-up successor)\n", ""))
    with pytest.raises(ParameterError, match=r"max_balance_hours\.yaml: parameter 'use\.comp_time\.max_balance_hours'"
                                             r": value dated 2027-07-01 has no citation"):
        load_tree(extra=[successor])


def test_refuses_an_empty_citation(successor):
    f = successor / "use" / "comp_time" / "max_balance_hours.yaml"
    f.write_text(f.read_text().replace("cite: Sec. 7.2.G (made-up successor)", "cite: '  '"))
    with pytest.raises(ParameterError, match="has no citation"):
        load_tree(extra=[successor])


def test_refuses_a_successor_value_reaching_back_over_the_old_agreement(successor):
    f = successor / "vacation" / "bands.yaml"
    f.write_text(f.read_text().replace("  2027-07-01:", "  2027-01-01:"))
    with pytest.raises(ParameterError, match=r"bands\.yaml: parameter 'vacation\.bands' is dated 2027-01-01, "
                                             r"before this agreement takes effect \(2027-07-01\)"):
        load_tree(extra=[successor])


def test_refuses_an_old_value_dated_into_the_successor(successor, tmp_path):
    root = tmp_path / "contract"
    shutil.copytree(CONTRACT_ROOT, root)
    f = root / "nage_unit3_2017" / "use" / "comp_time" / "max_balance_hours.yaml"
    f.write_text(f.read_text() + "  2028-01-01:\n    value: 130\n    cite: Sec. 7.2.G\n")
    with pytest.raises(ParameterError, match=r"max_balance_hours\.yaml: parameter 'use\.comp_time\.max_balance_hours'"
                                             r" is dated 2028-01-01, on or after 'successor' takes effect"):
        load_tree(root, extra=[successor])


def test_refuses_two_agreements_starting_the_same_day(successor):
    idx = successor / "index.yaml"
    idx.write_text(idx.read_text().replace("effective_from: 2027-07-01", "effective_from: 2017-07-01"))
    with pytest.raises(ParameterError, match="both take effect on 2017-07-01 — which one is in force is ambiguous"):
        load_tree(extra=[successor])


def test_refuses_a_successor_that_names_another_predecessor(successor):
    idx = successor / "index.yaml"
    idx.write_text(idx.read_text().replace("succeeds: nage_unit3_2017", "succeeds: nage_unit3_2014"))
    with pytest.raises(ParameterError, match="'succeeds' must name the agreement in force before 2027-07-01"):
        load_tree(extra=[successor])


def test_refuses_a_parameter_dated_twice(successor):
    f = successor / "vacation" / "bands.yaml"
    f.write_text(f.read_text().replace("  2027-07-01:", "  '2027-07-01':", 1) + f.read_text().split("values:\n")[1])
    with pytest.raises(ParameterError, match="bands.yaml"):
        load_tree(extra=[successor])


def test_refuses_an_unknown_folder(tmp_path):
    with pytest.raises(ParameterError, match="no_such: no such agreement folder"):
        load_tree(extra=[tmp_path / "no_such"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(ParameterError, match="not an agreement folder"):
        load_tree(extra=[tmp_path / "empty"])


def test_refuses_an_index_without_a_start(successor):
    idx = successor / "index.yaml"
    idx.write_text(idx.read_text().replace("effective_from: 2027-07-01\n", ""))
    with pytest.raises(ParameterError, match=r"index\.yaml: 'effective_from'"):
        load_tree(extra=[successor])
