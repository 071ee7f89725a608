"""The contract parameter set's content hash and the code version (issue 15, item 4), and the JSON form of the
inputs a check got: deterministic, the same wherever the folder lies, changed by one figure."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal

from openleave.rules import provenance
from openleave.rules.facts import EmployeeFacts, ServiceBreak
from openleave.rules.fmla import ContinuousFmla, IntermittentFmla
from openleave.rules.params import CONTRACT_ROOT, default_tree, load_tree
from openleave.rules.requests.model import RequestContext, UnionUsage


def test_the_content_hash_is_deterministic_and_located_nowhere(tmp_path):
    a, b = load_tree().content_hash(), load_tree().content_hash()
    assert a == b == default_tree().content_hash()
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", a)
    shutil.copytree(CONTRACT_ROOT, tmp_path / "contract")
    assert load_tree(tmp_path / "contract").content_hash() == a  # another folder, the same content


def test_spacing_and_comments_do_not_change_it_one_figure_does(tmp_path):
    root = tmp_path / "contract"
    shutil.copytree(CONTRACT_ROOT, root)
    days = root / "nage_unit3_2017" / "use" / "bereavement" / "days.yaml"
    text = days.read_text(encoding="utf-8")
    days.write_text("# a comment\n" + text.replace("unit: table", "unit:   table"), encoding="utf-8")
    assert load_tree(root).content_hash() == default_tree().content_hash()
    days.write_text(text.replace("      B: 4\n", "      B: 5\n"), encoding="utf-8")  # Sec. 8.3.B: 4 days → 5
    assert load_tree(root).content_hash() != default_tree().content_hash()
    days.write_text(text.replace("cite: Sec. 8.3", "cite: Sec. 8.3.A"), encoding="utf-8")  # a citation too
    assert load_tree(root).content_hash() != default_tree().content_hash()


def test_the_code_version_names_the_package_and_the_commit_or_a_stamp():
    v = provenance.code_version()
    assert v.startswith("openleave ")
    assert re.fullmatch(r"openleave [\w.\-]+(\+g[0-9a-f]{12}|\+[\w.\-:]+)?", v)


def test_the_git_commit_is_read_from_the_files(tmp_path):
    git = tmp_path / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs" / "heads" / "main").write_text("0123456789abcdef0123456789abcdef01234567\n")
    assert provenance._git_commit(tmp_path) == "0123456789abcdef0123456789abcdef01234567"
    (git / "refs" / "heads" / "main").unlink()
    (git / "packed-refs").write_text("# pack-refs\nfedcba9876543210fedcba9876543210fedcba98 refs/heads/main\n")
    assert provenance._git_commit(tmp_path) == "fedcba9876543210fedcba9876543210fedcba98"
    assert provenance._git_commit(tmp_path / "nowhere") is None


def test_facts_and_context_round_trip_exactly():
    facts = EmployeeFacts(service_start=dt.date(2014, 10, 6), title_full_time_hours_per_week=Decimal("37.5"),
                          schedule_hours_per_week=Decimal("22.5"), status="part_time",
                          service_breaks=(ServiceBreak(dt.date(2016, 1, 1), dt.date(2017, 1, 1), True),),
                          work_schedule={"mon": Decimal("7.5"), "tue": Decimal("7.5"), "wed": Decimal("7.5")},
                          service_adjustment_days=-3, probation_end=dt.date(2015, 4, 6))
    ctx = RequestContext(
        balances={"sick": 150_000_000, "vacation": -1}, used_hours={"sick.family_care": 7_500_000},
        used_days={"domestic_violence": 2}, used_for_event=3, submitted_at=dt.datetime(2026, 12, 1, 12, 0, 1, 5),
        holidays=frozenset({dt.date(2026, 12, 25)}), shift_starts={"mon": dt.time(7, 0)}, single_shift_agency=True,
        auto_approve=frozenset({"vacation"}), state_of_emergency=True,
        fmla_taken=(ContinuousFmla(dt.date(2026, 9, 7), dt.date(2026, 9, 18)),
                    IntermittentFmla(dt.date(2026, 10, 1), days=Decimal("0.5")),
                    IntermittentFmla(dt.date(2026, 10, 2), micro=1_250_000)),
        union_usage=UnionUsage(convention_days={2026: 4}, exec_board_dates=frozenset({dt.date(2026, 3, 2)}),
                               president_assist_hours={dt.date(2026, 11, 30): 8_000_000},
                               full_time_leaves=((dt.date(2026, 1, 5), dt.date(2026, 6, 30)),), unit_employees=900))
    assert provenance.facts_from_json(provenance.facts_json(facts)) == facts
    assert provenance.context_from_json(provenance.context_json(ctx)) == ctx
    stamped = provenance.inputs(facts, {"kind": "sick"}, ctx, default_tree())
    assert stamped["param_hash"] == default_tree().content_hash() and stamped["code_version"]


def test_differences_name_what_changed():
    a = {"outcome": "allowed", "allowed_micro": 15, "requested_micro": 15, "charges": {"sick": 15},
         "citations": ["Sec. 8.1.F"], "days": {"2026-12-07": 15}}
    assert provenance.differences(a, dict(a)) == []
    b = {**a, "allowed_micro": 7, "citations": ["Sec. 8.1.F", "Sec. 8.1.N"]}
    assert [d["key"] for d in provenance.differences(a, b)] == ["allowed_micro", "citations"]
