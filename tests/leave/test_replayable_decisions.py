"""Replayable decisions (issue 15, item 4): every finding keeps the facts it used, the contract parameters' content
hash and the code version; "Check this yourself" downloads a scenario file that the scenario command answers with
the same findings; ``replay_decisions`` re-derives every stored decision and catches a changed parameter.

Erin Doyle (demo): 37.5-hour title, 7.5 h Monday–Friday; opening balances sick 150 h, vacation 75 h, personal
15 h (tests/leave/conftest.py), comp time 15 h, emergency day 7.5 h. The clock is frozen at 2026-12-01.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from openleave.audit.models import AccessLog
from openleave.leave import replay
from openleave.leave import services as svc
from openleave.leave.errors import LeaveError
from openleave.leave.models import LeaveRequest
from openleave.rules.params import CONTRACT_ROOT, default_tree, load_tree, use_contract_root
from openleave.rules.provenance import MissingInputs, code_version
from openleave.rules.requests import KINDS
from openleave.scenario.runner import run_text

pytestmark = pytest.mark.django_db

# One request of each kind the declarations know, with facts that the contract allows (at least in part) on
# Mon 7 – Tue 8 December 2026 (work days, no holiday).
FACTS = {
    "sick": {"purpose": "own_illness"},
    "personal": {},
    "vacation": {},
    "bereavement": {"relation": "parent", "date_of_death": "2026-12-04"},
    "voting": {"election_date": "2026-12-07", "hours_preclude_voting": True},
    "civic": {"purpose": "jury", "summons_presented": True, "summoned_by": "commonwealth"},
    "military": {"military_service": "annual_tour"},
    "family_paid": {"event": "birth", "event_date": "2026-11-30"},
    "family_unpaid": {"relation": "child", "intends_to_return": True, "written_request": True},
    "fmla_family": {"event": "birth", "event_date": "2026-11-30"},
    "fmla_medical": {"relation": "self", "mode": "continuous", "certified": True},
    "educational": {"purpose": "conference"},
    "lwop": {"purpose": "personal", "written_request": True},
    "domestic_violence": {},
    "comp_time": {},
    "union_paid": {"purpose": "grievance"},
    "union_unpaid": {"purpose": "legislative_hearing"},
    "emergency": {"purpose": "emergency_day", "documented_hardship": True},
}
HOURS = {"voting": "2"}


def test_every_declared_kind_has_a_request_here():
    assert sorted(FACTS) == sorted(KINDS)


@pytest.fixture
def erin_all(erin, post_opening_balance):
    post_opening_balance(erin, comp_time="15", emergency_day="7.5")
    return erin


def _decider(users, req):
    return users["medical"] if req.kind.startswith("fmla") else users["hr"]


def _submit_and_decide(erin, users, ask, kind):
    extra = {"hours": HOURS[kind]} if kind in HOURS else {}
    req = svc.leave_request_submit(employee=erin, user=users["employee"],
                                   data=ask(kind, "2026-12-07", "2026-12-08", facts=FACTS[kind], **extra))
    req.refresh_from_db()
    if req.status != LeaveRequest.Status.SUBMITTED:  # decided automatically
        return req
    f = req.finding_at_submission
    grounds = [g["code"] for g in f.get("grounds", [])]
    if f["allowed_micro"] == f["requested_micro"]:
        svc.leave_request_decide(request_id=req.pk, user=_decider(users, req), outcome="approved",
                                 text="Approved as the contract allows it.")
    elif f["allowed_micro"] and grounds:
        svc.leave_request_decide(request_id=req.pk, user=_decider(users, req), outcome="partly_approved",
                                 approved_hours=f["allowed"], grounds=grounds[:1],
                                 text="Partly approved as the contract allows it.")
    elif grounds:
        svc.leave_request_decide(request_id=req.pk, user=_decider(users, req), outcome="denied", grounds=grounds[:1],
                                 text="Denied on the contract's ground.")
    req.refresh_from_db()
    return req


@pytest.mark.parametrize("kind", KINDS)
def test_check_this_yourself_reproduces_the_decision_for_every_kind(kind, erin_all, users, ask, client_for):
    if kind == "emergency":  # MOU State of Emergency: designated emergency personnel, a declared emergency
        erin_all.emergency_personnel = True
        erin_all.save(update_fields=["emergency_personnel"])
        svc.emergency_declare(agency=erin_all.agency, start_date="2026-12-07", end_date="2026-12-08",
                              reason="Governor's declaration: blizzard", user=users["hr"])
    req = _submit_and_decide(erin_all, users, ask, kind)
    moment = replay.moment_of(req)
    inputs = req.replay_inputs[moment]
    assert inputs["param_hash"] == default_tree().content_hash() and inputs["code_version"] == code_version()
    assert set(inputs) >= {"facts", "ask", "context"}
    # The member downloads the file from the decision page.
    client = client_for(users["employee"])
    page = client.get(f"/leave/requests/{req.pk}/").content.decode()
    assert "Check this yourself" in page
    resp = client.get(f"/leave/requests/{req.pk}/scenario.yaml")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/yaml")
    text = resp.content.decode()
    assert "Erin" not in text and "Doyle" not in text and erin_all.employee_number not in text  # no name, no number
    # The scenario command, in process, answers with the same findings and citations.
    out, _, failures = run_text(text)
    assert failures == [], failures
    answer = out["answers"][moment]
    stored = req.finding_at_decision if moment == "decision" else req.finding_at_submission
    assert answer["outcome"] == stored["outcome"]
    assert answer["allowed_hours"] == stored["allowed"] and answer["requested_hours"] == stored["requested"]
    totals: dict[str, Decimal] = {}
    for c in answer["charges"]:
        totals[c["leave"]] = totals.get(c["leave"], Decimal(0)) + Decimal(c["hours"])
    assert totals == {t: Decimal(m) / 1_000_000 for t, m in stored["charges"].items()}
    assert answer["citations"] == stored["citations"]
    # And the stored decision replays the same with today's code.
    assert replay.replay(req, moment).same
    assert AccessLog.objects.filter(object_type="leave_scenario", object_id=str(req.pk), subject=erin_all).exists()


def test_the_api_gives_the_same_file(erin_all, users, ask, client_for):
    req = _submit_and_decide(erin_all, users, ask, "vacation")
    client = client_for(users["employee"])
    web = client.get(f"/leave/requests/{req.pk}/scenario.yaml").content
    from openleave.accounts.models import ApiToken

    _, raw = ApiToken.issue(user=users["employee"], name="test")
    hdr = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for path in (f"/api/leave-requests/{req.pk}/scenario.yaml", f"/api/leave/requests/{req.pk}/scenario.yaml"):
        r = client.get(path, **hdr)
        assert r.status_code == 200, r.content
        assert r.content == web


def test_who_may_have_the_file(erin_all, users, ask, client_for):
    vac = _submit_and_decide(erin_all, users, ask, "vacation")
    # HR sees the request in full: the file. The supervisor may see a vacation decision: the file too.
    assert client_for(users["hr"]).get(f"/leave/requests/{vac.pk}/scenario.yaml").status_code == 200
    assert client_for(users["supervisor"]).get(f"/leave/requests/{vac.pk}/scenario.yaml").status_code == 200
    # Someone who may not see Erin's requests: 404, nothing logged about her.
    assert client_for(users["steward"]).get(f"/leave/requests/{vac.pk}/scenario.yaml").status_code == 404


def test_protected_kind_file_is_not_for_the_supervisor(erin_all, users, ask, client_for):
    req = svc.leave_request_submit(employee=erin_all, user=users["employee"],
                                   data=ask("sick", "2026-12-07", facts={"purpose": "family_care", "relation": "parent"}))
    assert req.protected
    assert client_for(users["supervisor"]).get(f"/leave/requests/{req.pk}/scenario.yaml").status_code == 404
    assert client_for(users["employee"]).get(f"/leave/requests/{req.pk}/scenario.yaml").status_code == 200


def test_a_decision_stored_without_its_facts_is_named_not_a_crash(erin_all, users, ask, client_for):
    req = _submit_and_decide(erin_all, users, ask, "vacation")
    LeaveRequest.objects.filter(pk=req.pk).update(replay_inputs={})  # as stored before this change
    req.refresh_from_db()
    with pytest.raises(MissingInputs, match=f"decision {req.decision.pk} \\(request {req.pk}\\)"):
        replay.replay(req)
    out = io.StringIO()
    call_command("replay_decisions", stdout=out)  # exit 0: nothing differs, one cannot be replayed
    assert f"CANNOT REPLAY decision {req.decision.pk} (request {req.pk})" in out.getvalue()
    assert "1 cannot be replayed" in out.getvalue()
    client = client_for(users["employee"])
    assert "cannot be offered as a scenario file" in client.get(f"/leave/requests/{req.pk}/").content.decode()
    r = client.get(f"/leave/requests/{req.pk}/scenario.yaml", follow=True)
    assert r.status_code == 200 and "stored without the facts it used" in r.content.decode()
    with pytest.raises(LeaveError):
        replay.scenario_for(users["employee"], req)


def test_replay_decisions_runs_clean_then_catches_a_changed_figure(erin_all, users, ask, tmp_path):
    req = _submit_and_decide(erin_all, users, ask, "bereavement")
    assert req.decision is not None
    out = io.StringIO()
    call_command("replay_decisions", stdout=out)
    assert "0 differ" in out.getvalue(), out.getvalue()
    # A copy of the contract with one figure changed: bereavement days for a parent (Sec. 8.3).
    root = tmp_path / "contract"
    shutil.copytree(CONTRACT_ROOT, root)
    changed = _change_one_figure(root / "nage_unit3_2017" / "use" / "bereavement")
    assert load_tree(root).content_hash() != default_tree().content_hash()
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("replay_decisions", "--contract", str(root), stdout=out)
    assert exit_.value.code == 1
    text = out.getvalue()
    assert f"DIFFERS decision {req.decision.pk} (request {req.pk}" in text, (changed, text)
    assert "allowed_micro: stored 15000000, now 7500000" in text
    assert f"Parameters stored {default_tree().content_hash()}, now {load_tree(root).content_hash()}" in text
    # Back on the shipped contract, the same decision replays the same again; --since after it skips it.
    out = io.StringIO()
    call_command("replay_decisions", "--since", "2026-12-02", stdout=out)
    assert "0 decision(s) replayed" in out.getvalue()


def _change_one_figure(folder: Path) -> str:
    """Sec. 8.3.B: a parent's death gives 4 days (group B); the copy says 1 day. The stored decision allowed the
    2 days asked (Mon 7 – Tue 8 Dec, 2 × 7.5 h = 15 h); with 1 day it would allow 7.5 h: it now differs."""
    path = folder / "days.yaml"
    text = path.read_text(encoding="utf-8")
    assert "      B: 4\n" in text
    path.write_text(text.replace("      B: 4\n", "      B: 1\n"), encoding="utf-8")
    return "use/bereavement/days.yaml: B 4 → 1"


def test_replay_decisions_refuses_a_bad_since():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--since"):
        call_command("replay_decisions", "--since", "yesterday")


def test_use_contract_root_points_the_loader_and_comes_back(tmp_path):
    shipped = default_tree().content_hash()
    root = tmp_path / "contract"
    shutil.copytree(CONTRACT_ROOT, root)
    with use_contract_root(root) as tree:
        assert tree.content_hash() == shipped  # the same content wherever it lies
        assert default_tree() is tree
    assert default_tree().content_hash() == shipped


def test_submission_and_decision_each_keep_their_inputs(erin_all, users, ask):
    req = _submit_and_decide(erin_all, users, ask, "vacation")
    sub, dec = req.replay_inputs["submission"], req.replay_inputs["decision"]
    # Asked Mon 7 – Tue 8 Dec = 2 × 7.5 h = 15 h of vacation, against 75 h (Sec. 9.10).
    assert sub["ask"]["kind"] == "vacation" and sub["ask"]["start_date"] == "2026-12-07"
    assert sub["context"]["balances"]["vacation"] == 75_000_000
    assert sub["context"]["submitted_at"] is not None and dec["context"]["submitted_at"] is None
    assert sub["facts"]["service_start"] == erin_all.service_start.isoformat()
    assert dt.date.fromisoformat(sub["facts"]["service_start"]) == erin_all.service_start


def test_replay_decisions_runs_clean_on_the_demo_data(people, client_for, users):
    # load_demo (the `people` fixture), load_demo_leave, load_demo_requests: every demo decision replays the same.
    call_command("load_demo_leave", verbosity=0)
    call_command("load_demo_requests", verbosity=0)
    decided = LeaveRequest.objects.filter(decisions__isnull=False).distinct()  # no reconsideration in the demo
    assert decided.count() >= 4
    out = io.StringIO()
    call_command("replay_decisions", stdout=out)  # no SystemExit: nothing differs
    text = out.getvalue()
    assert f"{decided.count()} decision(s) replayed: {decided.count()} the same, 0 differ, 0 cannot be replayed" in text
    rows = AccessLog.objects.filter(object_type="leave_request", fields="replayed decision")
    assert rows.count() == decided.count() and rows.filter(actor__isnull=True).count() == decided.count()
    # And each demo decision's own file reproduces it.
    for req in decided.filter(employee=people["erin"]):
        out_, _, failures = run_text(client_for(users["employee"]).get(f"/leave/requests/{req.pk}/scenario.yaml")
                                     .content.decode())
        assert failures == [], (req.pk, failures)


def test_fmla_leave_already_taken_goes_in_the_file_as_events(erin_all, users, ask, client_for):
    # FMLA leave already taken counts against the entitlement (Sec. 8.7.2.B.1): one continuous period (Mon 7 –
    # Fri 18 Sep 2026) and one intermittent half day, both approved earlier; the file states them as events.
    for start, end, mode, days in ((dt.date(2026, 9, 7), dt.date(2026, 9, 18), "continuous", None),
                                   (dt.date(2026, 10, 5), dt.date(2026, 10, 5), "intermittent", {"2026-10-05": 3.75})):
        micro = days or {(start + dt.timedelta(days=i)).isoformat(): 7.5
                         for i in range((end - start).days + 1) if (start + dt.timedelta(days=i)).weekday() < 5}
        micro = {k: int(Decimal(str(v)) * 1_000_000) for k, v in micro.items()}
        LeaveRequest.objects.create(employee=erin_all, kind="fmla_medical", start_date=start, end_date=end,
                                    facts={"relation": "self", "mode": mode}, status=LeaveRequest.Status.APPROVED,
                                    requested_micro=sum(micro.values()), allowed_micro=sum(micro.values()),
                                    approved_micro=sum(micro.values()), days=micro)
    req = _submit_and_decide(erin_all, users, ask, "fmla_medical")
    taken = req.replay_inputs[replay.moment_of(req)]["context"]["fmla_taken"]
    assert taken, "the earlier FMLA leave is among the inputs"
    text = client_for(users["employee"]).get(f"/leave/requests/{req.pk}/scenario.yaml").content.decode()
    assert "fmla_leave:" in text or "fmla_intermittent:" in text
    out, _, failures = run_text(text)
    assert failures == [], failures


def test_union_wide_usage_goes_in_the_file_as_counts_only(erin_all, people, users, ask, client_for):
    # Sec. 5.3: convention leave is counted across every member. Sean already holds 2 convention days (Mon 7 –
    # Tue 8 Dec 2026); Erin asks for Wed 9 Dec: the file states 2 days used across the unit, never whose.
    sean = people["sean"]
    LeaveRequest.objects.create(employee=sean, kind="union_paid", start_date=dt.date(2026, 12, 7),
                                end_date=dt.date(2026, 12, 8), facts={"purpose": "convention"},
                                status=LeaveRequest.Status.APPROVED, requested_micro=15_000_000,
                                allowed_micro=15_000_000, approved_micro=15_000_000,
                                days={"2026-12-07": 7_500_000, "2026-12-08": 7_500_000})
    req = svc.leave_request_submit(employee=erin_all, user=users["employee"],
                                   data=ask("union_paid", "2026-12-09", facts={"purpose": "convention"}))
    usage = req.replay_inputs["submission"]["context"]["union_usage"]
    assert usage["convention_days"] == {"2026": 2}
    text = client_for(users["employee"]).get(f"/leave/requests/{req.pk}/scenario.yaml").content.decode()
    assert "convention_days: 2" in text and "McCarthy" not in text and sean.employee_number not in text
    out, _, failures = run_text(text)
    assert failures == [], failures
