"""Each kind of leave is declared once (``rules/requests/<kind>.py`` ends with its KindDeclaration) and the
shell's forms, parser, labels, usage keys and the scenario schema are derived from the declarations."""

from __future__ import annotations

import ast
import datetime as dt
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from openleave import kinds
from openleave.inputs import BadInput
from openleave.rules.facts import EmployeeFacts
from openleave.rules.params import Param, ParameterTree, default_tree
from openleave.rules.requests import (
    CHECKS,
    DECLARATIONS,
    KINDS,
    USED_DAYS_KEYS,
    USED_HOURS_KEYS,
    KindDeclaration,
    LeaveAsk,
    RequestContext,
    check_request,
    declaration,
    registry,
)
from openleave.rules.units import MICRO

PACKAGE = Path(__file__).resolve().parents[3] / "openleave"
REQUESTS = PACKAGE / "rules" / "requests"
H = MICRO
ON = dt.date(2024, 3, 4)


def _declared_in(path: Path) -> list[str]:
    """Names bound at module level to a KindDeclaration(...) call (or a tuple of them) in one source file."""
    out = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign):
            calls = [c for c in ast.walk(node.value) if isinstance(c, ast.Call)
                     and getattr(c.func, "id", "") == "KindDeclaration"]
            out += [next(k.value.value for k in c.keywords if k.arg == "code") for c in calls]
    return out


def test_every_kind_is_declared_once_at_the_end_of_its_module():
    by_file = {p.stem: _declared_in(p) for p in REQUESTS.glob("*.py")}
    declared = [code for codes in by_file.values() for code in codes]
    assert sorted(declared) == sorted(KINDS) and len(set(declared)) == len(declared)
    assert {k for k, v in by_file.items() if v} == {d.check.__module__.rsplit(".", 1)[1] for d in DECLARATIONS}
    assert set(CHECKS) == set(KINDS) and all(isinstance(d, KindDeclaration) for d in DECLARATIONS)
    for d in DECLARATIONS:  # a label with its citation, and facts that are LeaveAsk fields (checked on creation)
        assert d.cite and d.label and len({f.name for f in d.all_facts()}) == len(d.all_facts())


def test_usage_keys_of_the_context_are_derived_from_the_declarations():
    keys = {u.key for d in DECLARATIONS for u in d.usage if u.measure != "event"}
    assert keys == set(USED_HOURS_KEYS) | set(USED_DAYS_KEYS)
    assert all(USED_HOURS_KEYS.values()) and all(USED_DAYS_KEYS.values())


def test_the_form_fields_are_the_declared_facts():
    for d in DECLARATIONS:
        fields = kinds.form_fields(d.code)
        assert [f.name for f in fields] == [f.name for f in d.all_facts()]
        assert [f.label for f in fields] == [f.label for f in d.all_facts()]
        for field, fact in zip(fields, d.all_facts(), strict=True):
            assert field.type == kinds.FORM_TYPES[fact.type]
            if fact.type == "choice":
                assert field.choices, (d.code, fact.name)
    assert kinds.LABELS["sick"] == "Sick leave (Sec. 8.1)" and set(kinds.LABELS) == set(KINDS)


def test_the_scenario_schema_takes_every_declared_fact():
    from openleave.scenario.asks.request import SCHEMA

    props = SCHEMA["properties"]
    names = {f.name for d in DECLARATIONS for f in d.all_facts()}
    assert names <= set(props)
    assert props["military_service"]["enum"] == [c for c, _ in declaration("military").fact("military_service").choices]
    assert props["leave"]["enum"] == list(KINDS)


# A valid example of each fact type, as a form or the API gives it, and its JSON form.
EXAMPLES = {"bool": ("yes", True), "date": ("2024-03-01", "2024-03-01"), "money": ("120.50", "120.50")}


def test_the_parser_takes_each_declared_fact_of_each_kind():
    for d in DECLARATIONS:
        for f in d.all_facts():
            if f.type in EXAMPLES:
                given, want = EXAMPLES[f.type]
            else:
                want = kinds.choices(f, ON)[0][0]
                given = [want] if f.type == "credits" else want
                want = [want] if f.type == "credits" else want
            assert kinds.parse_facts(d.code, {f.name: given}, ON) == {f.name: want}, (d.code, f.name)


def test_allowed_values_come_from_the_contract_parameters():
    tree = default_tree()
    relation = declaration("sick").fact("relation")
    assert [c for c, _ in kinds.choices(relation, ON)] == list(tree.get("use.sick.family_care_relations", ON).value)
    bereavement = declaration("bereavement").fact("relation")
    assert [c for c, _ in kinds.choices(bereavement, ON)] == list(tree.get("use.bereavement.relations", ON).value)
    unpaid = declaration("family_unpaid").fact("relation")
    assert [c for c, _ in kinds.choices(unpaid, ON)] == (list(tree.get("use.family_unpaid.child_relations", ON).value)
                                                         + list(tree.get("use.family_unpaid.household_relations",
                                                                         ON).value))
    # a later agreement that lists other relations changes the form and the parser, not the code
    later = ParameterTree({"use.sick.family_care_relations": [
        Param(["spouse", "child"], "Sec. 8.1.C.2.a", dt.date(2017, 7, 1), "x"),
        Param(["spouse", "child", "domestic_partner"], "Sec. 8.1.C.2.a", dt.date(2030, 7, 1), "x")]}, [])
    assert [c for c, _ in kinds.choices(relation, dt.date(2031, 1, 1), later)] == ["spouse", "child", "domestic_partner"]
    assert [c for c, _ in kinds.choices(relation, dt.date(2029, 1, 1), later)] == ["spouse", "child"]


@pytest.mark.parametrize(("kind", "facts", "field", "needle"), [
    ("sick", {"purpose": "the flu and a fever"}, "purpose", "not free text"),
    ("sick", {"purpose": "jury"}, "purpose", "is not a purpose of sick leave"),
    ("military", {"military_service": "navy"}, "military_service", "state, annual_tour"),
    ("civic", {"summoned_by": "court"}, "summoned_by", "commonwealth"),
    ("sick", {"diagnosis": "x"}, "diagnosis", "is not a fact a sick leave request takes"),
    ("vacation", {"relation": "parent"}, "relation", "it takes: charge_excess_to"),
    ("vacation", {"charge_excess_to": ["sick"]}, "charge_excess_to", "'sick' is not a credit"),
    ("sick", {"household": "maybe"}, "household", "not yes or no"),
    ("bereavement", {"date_of_death": "2024-02-30"}, "date_of_death", "not a date"),
    ("civic", {"jury_fees": "12.345"}, "jury_fees", "2 decimals"),
    ("bereavement", {"relation": "Aunt Mary"}, "relation", "not free text"),
])
def test_an_unknown_fact_or_value_is_refused_naming_the_field(kind, facts, field, needle):
    with pytest.raises(BadInput) as exc:
        kinds.parse_facts(kind, facts, ON)
    assert exc.value.field == field
    assert needle in exc.value.message


def test_an_open_category_is_left_to_the_check():
    # Sec. 8.1.C.2.a: a relative living in the household counts, whatever the relation
    assert kinds.parse_facts("sick", {"purpose": "family_care", "relation": "aunt", "household": True}, ON) == {
        "purpose": "family_care", "relation": "aunt", "household": True}


def test_ask_facts_turns_the_json_form_back_into_leave_ask_fields():
    facts = kinds.parse_facts("civic", {"purpose": "jury", "jury_fees": "60", "regular_pay": "200.5"}, ON)
    assert kinds.ask_facts("civic", facts) == {"purpose": "jury", "jury_fees": Decimal("60"),
                                               "regular_pay": Decimal("200.5")}
    assert kinds.ask_facts("sick", {"charge_excess_to": ["vacation"], "stale_key": 1}) == {
        "charge_excess_to": ("vacation",)}


# --- usage counting, from the declarations ------------------------------------------------------

def test_usage_counts_as_the_kinds_declare():
    earlier = [
        registry.Earlier({"purpose": "family_care"}, {"sick": 15 * H}, dt.date(2024, 2, 1)),
        registry.Earlier({"purpose": "parental", "event": "adoption"}, {"sick": 7 * H}, dt.date(2024, 2, 5)),
        registry.Earlier({"purpose": "adoption_prep"}, {"sick": 2 * H}, dt.date(2024, 2, 6)),
        registry.Earlier({"purpose": "own_illness"}, {"sick": 40 * H}, dt.date(2024, 2, 7)),
        registry.Earlier({"purpose": "family_care"}, {"sick": 9 * H}, dt.date(2023, 6, 1)),  # another year
    ]
    hours, days, event = registry.usage("sick", 2024, {}, earlier)
    # 8.1.C.2: family care + parental = 15 + 7; 8.1.C.3: adoption prep 2; adoption total: 7 + 2
    assert hours == {"sick.family_care": 22 * H, "sick.adoption_total": 9 * H, "sick.adoption_prep": 2 * H}
    assert (days, event) == ({}, 0)
    tour = [registry.Earlier({"military_service": "annual_tour"}, {}, dt.date(2024, 12, 30),
                             (dt.date(2024, 12, 30), dt.date(2024, 12, 31), dt.date(2025, 1, 2)))]
    assert registry.usage("military", 2024, {}, tour)[1] == {"military.annual_tour": 2}  # Sec. 8.6.B, this year
    death = {"relation": "parent", "date_of_death": "2024-03-01"}
    same = [registry.Earlier(death, {"bereavement": 15 * H}, dt.date(2024, 3, 4)),
            registry.Earlier({**death, "relation": "sister"}, {"bereavement": 30 * H}, dt.date(2024, 3, 4))]
    assert registry.usage("bereavement", 2024, death, same)[2] == 15 * H  # Sec. 8.3: per death


# --- the finding carries the hours per day and one JSON form ------------------------------------

def test_the_finding_carries_the_hours_per_day_and_one_json_form():
    emp = EmployeeFacts(service_start=dt.date(2010, 1, 4), title_full_time_hours_per_week=Decimal("37.5"))
    ctx = RequestContext(balances={"sick": 500 * H}, used_hours={"sick.family_care": 435 * H})
    f = check_request(emp, LeaveAsk("sick", dt.date(2024, 3, 4), dt.date(2024, 3, 6), purpose="family_care",
                                    relation="parent"), ctx)
    # 60 × 7.5 = 450 h a year, 435 used → 15 h of 22.5 (Sec. 8.1.C.2): the first two days, 7.5 h each
    assert f.requested_days == ((dt.date(2024, 3, 4), 7_500_000), (dt.date(2024, 3, 5), 7_500_000),
                                (dt.date(2024, 3, 6), 7_500_000))
    assert f.days == ((dt.date(2024, 3, 4), 7_500_000), (dt.date(2024, 3, 5), 7_500_000))
    j = f.as_json()
    assert j["days"] == {"2024-03-04": 7_500_000, "2024-03-05": 7_500_000}
    assert (j["allowed"], j["requested"], j["charges"]) == ("15", "22.5", {"sick": 15 * H})
    assert sum(m for _, m in f.days) == f.allowed_micro


def test_family_care_is_named_in_at_most_two_files():
    out = subprocess.run(["grep", "-rl", "--exclude-dir=__pycache__", "family_care", str(PACKAGE)],
                         capture_output=True, text=True)
    files = [line for line in out.stdout.splitlines() if "__pycache__" not in line]
    assert len(files) <= 2, files


def test_a_declared_fact_without_a_field_of_its_own_is_read_with_fact():
    ask = LeaveAsk("sick", ON, ON, purpose="own_illness", facts={"certified": True})
    assert (ask.fact("certified"), ask.fact("purpose"), ask.fact("unknown", "-")) == (True, "own_illness", "-")


def test_the_allowed_days_are_the_days_the_leave_covers_not_merely_the_first():
    emp = EmployeeFacts(service_start=dt.date(2010, 1, 4), title_full_time_hours_per_week=Decimal("37.5"))
    # Sec. 8.1.C.2: 60 days × 7.5 = 450 h per calendar year, all used in 2024; Tue 31 Dec 2024 – Thu 2 Jan 2025
    # (1 Jan a holiday): the 2024 day is refused, the 2025 day allowed — 7.5 h on 2 January
    ctx = RequestContext(balances={"sick": 500 * H}, used_hours={"sick.family_care": 450 * H},
                         holidays=frozenset({dt.date(2025, 1, 1)}))
    f = check_request(emp, LeaveAsk("sick", dt.date(2024, 12, 31), dt.date(2025, 1, 2), purpose="family_care",
                                    relation="child"), ctx)
    assert f.days == ((dt.date(2025, 1, 2), 7_500_000),)
    # Sec. 8.3.B: a parent, 4 days within 30 calendar days from the death (Wed 28 Feb 2024); Mon 26 Feb – Fri
    # 1 Mar asked: Mon and Tue are before the death — 3 × 7.5 = 22.5 h allowed on Wed, Thu, Fri
    f = check_request(emp, LeaveAsk("bereavement", dt.date(2024, 2, 26), dt.date(2024, 3, 1), relation="parent",
                                    date_of_death=dt.date(2024, 2, 28)), RequestContext())
    assert f.allowed_micro == 22_500_000
    assert [d for d, _ in f.days] == [dt.date(2024, 2, 28), dt.date(2024, 2, 29), dt.date(2024, 3, 1)]
    # the rest charged to vacation at the employee's request (Sec. 9.9) falls on the other days asked
    f = check_request(emp, LeaveAsk("bereavement", dt.date(2024, 2, 26), dt.date(2024, 3, 1), relation="parent",
                                    date_of_death=dt.date(2024, 2, 28), charge_excess_to=("vacation",)),
                      RequestContext(balances={"vacation": 100 * H}))
    assert f.days == f.requested_days and f.allowed_micro == 37_500_000
