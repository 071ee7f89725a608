"""Art. 23 time limits (openleave.rules.grievance), figures worked by hand from the contract text.

Sec. 23.2 counts calendar days at every step; Art. 23 says nothing of a limit falling on a weekend or a holiday,
so none is moved (a Saturday or Sunday limit stays where the count puts it)."""

from __future__ import annotations

import datetime as dt

import pytest

from openleave.rules.grievance import GrievanceError, grievance_deadlines

D = dt.date


def steps(event, replies=None, on=None):
    return grievance_deadlines(event, replies or {}, on=on).value


def test_step_one_is_filed_within_twenty_one_calendar_days_of_the_act():
    t = steps(D(2026, 3, 2))
    # Sec. 23.2 Step I: "not later than twenty-one (21) calendar days after" Mon 2026-03-02 → 2 + 21 = 2026-03-23.
    s = t.step("step1_filing")
    assert s.due == D(2026, 3, 23)
    assert s.citations == ("Sec. 23.2 Step I",)
    assert s.status == "open"
    # nothing else runs before the filing is recorded
    assert all(x.due is None for x in t.steps if x.key != "step1_filing")


def test_a_full_track_every_date_follows_the_recorded_ones():
    t = steps(D(2026, 3, 2), {
        "step1_filed": D(2026, 3, 10), "step1_reply": D(2026, 3, 18),
        "step2_filed": D(2026, 3, 27), "step2_reply": D(2026, 4, 20),
        "step3_filed": D(2026, 4, 29), "step3_reply": D(2026, 5, 20),
        "step4_filed": D(2026, 6, 10)})
    # Step I reply, no meeting: "by the end of ten (10) calendar days following the date of submission":
    # 2026-03-10 + 10 = 2026-03-20 (Sec. 23.2 Step I). It came on 03-18: done.
    assert (t.step("step1_reply").due, t.step("step1_reply").status) == (D(2026, 3, 20), "done")
    # Step II appeal: "within ten (10) calendar days following the receipt of the Step I decision":
    # 2026-03-18 + 10 = 2026-03-28, a Saturday — not moved (Art. 23 counts calendar days) (Sec. 23.2 Step II).
    s = t.step("step2_appeal")
    assert s.due == D(2026, 3, 28) and D(2026, 3, 28).weekday() == 5
    assert s.citations == ("Sec. 23.2 Step II",)
    assert any("Saturday" in r for r in s.reasons)
    # Step II reply: 30 calendar days following the filing: 2026-03-27 + 30 = 03-31 (+4) then April 26 (+26),
    # a Sunday (Sec. 23.2 Step II).
    assert t.step("step2_reply").due == D(2026, 4, 26)
    # Step III to HRD: within 10 calendar days of the receipt of the Step II decision: 04-20 + 10 = 2026-04-30.
    assert (t.step("step3_appeal").due, t.step("step3_appeal").citations) == (D(2026, 4, 30), ("Sec. 23.2 Step III",))
    # HRD's reply: 30 calendar days following the filing: 04-29 + 30 = 2026-05-29 (Sec. 23.2 Step III).
    assert t.step("step3_reply").due == D(2026, 5, 29)
    # Step IV, the Union alone: within 30 calendar days of the receipt of the Step III response: 05-20 + 30 =
    # 2026-06-19 (Sec. 23.2 Step IV).
    s4 = t.step("step4_request")
    assert (s4.due, s4.party, s4.citations) == (D(2026, 6, 19), "union", ("Sec. 23.2 Step IV",))
    # Sec. 23.4: the hearing no later than twelve (12) months from the request: 2026-06-10 → 2027-06-10.
    assert (t.step("arbitration_hearing").due, t.step("arbitration_hearing").citations) == (D(2027, 6, 10), ("Sec. 23.4",))
    # Sec. 23.5: thirty (30) days of HRD's receipt of the request: 06-10 + 30 = 2026-07-10.
    assert t.step("arbitrator_aaa").due == D(2026, 7, 10)


def test_a_meeting_at_step_one_gives_twenty_one_days_from_the_submission():
    t = steps(D(2026, 3, 2), {"step1_filed": D(2026, 3, 10), "step1_meeting": D(2026, 3, 17)})
    # Sec. 23.2 Step I: "if a meeting is held ... by the end of twenty-one (21) calendar days following the date of
    # the submission": 2026-03-10 + 21 = 2026-03-31 (counted from the submission, not the meeting).
    assert t.step("step1_reply").due == D(2026, 3, 31)


def test_a_conference_at_step_two_counts_from_its_close():
    t = steps(D(2026, 3, 2), {"step1_filed": D(2026, 3, 10), "step1_reply": D(2026, 3, 18),
                              "step2_filed": D(2026, 3, 27), "step2_conference_closed": D(2026, 4, 10)})
    # Sec. 23.2 Step II: "if a conference is held by the end of the twenty-one (21) calendar days following the
    # close of conference": 2026-04-10 + 21 = 2026-05-01.
    assert t.step("step2_reply").due == D(2026, 5, 1)


def test_the_step_one_limit_across_the_year_end_falls_on_a_sunday():
    # Sec. 23.2 Step I: 2026-12-20 + 21: December 31 is +11, ten more → 2027-01-10, a Sunday; not moved.
    s = steps(D(2026, 12, 20)).step("step1_filing")
    assert s.due == D(2027, 1, 10) and s.due.weekday() == 6
    assert any("Sunday" in r for r in s.reasons)


def test_an_employer_past_its_limit_lets_the_grievant_move_on_the_next_day():
    t = steps(D(2026, 11, 25), {"step1_filed": D(2026, 11, 30)}, on=D(2026, 12, 15))
    # Step I reply due 2026-11-30 + 10 = 2026-12-10 (Sec. 23.2 Step I); none by 12-15: passed.
    r1 = t.step("step1_reply")
    assert (r1.due, r1.status) == (D(2026, 12, 10), "passed")
    # Sec. 23.9: the grievant may assume the grievance denied and invoke Step II once the limit is exceeded: from
    # 2026-12-11; "no deadline shall be binding on the grievant ... until a required response is given": no last day.
    assert r1.may_invoke_next_from == D(2026, 12, 11)
    s2 = t.step("step2_appeal")
    assert (s2.due, s2.may_file_from) == (None, D(2026, 12, 11))
    assert "Sec. 23.9" in s2.citations


def test_a_late_reply_starts_the_appeal_limit_on_its_receipt():
    t = steps(D(2026, 11, 25), {"step1_filed": D(2026, 11, 30), "step1_reply": D(2026, 12, 14)}, on=D(2026, 12, 15))
    # The reply of 12-14 is after its 12-10 limit: late (Sec. 23.9); the Step II appeal runs from its receipt:
    # 2026-12-14 + 10 = 2026-12-24 (Sec. 23.2 Step II).
    assert t.step("step1_reply").status == "late"
    assert t.step("step2_appeal").due == D(2026, 12, 24)
    assert t.next_step.key == "step2_appeal"


def test_only_the_union_moves_to_arbitration_when_hrd_is_late():
    t = steps(D(2026, 1, 5), {"step1_filed": D(2026, 1, 6), "step1_reply": D(2026, 1, 8),
                              "step2_filed": D(2026, 1, 9), "step2_reply": D(2026, 1, 20),
                              "step3_filed": D(2026, 1, 21)}, on=D(2026, 3, 1))
    # HRD's reply: 2026-01-21 + 30 = 2026-02-20 (Sec. 23.2 Step III); none by 03-01: from 02-21 the Union alone
    # may request arbitration (Sec. 23.9 "only the Union may request impartial arbitration under Step IV").
    r3 = t.step("step3_reply")
    assert (r3.due, r3.status, r3.may_invoke_next_from) == (D(2026, 2, 20), "passed", D(2026, 2, 21))
    assert any("the Union (alone)" in r for r in r3.reasons)


def test_a_filing_after_the_limit_is_marked_late():
    # 2026-03-02 + 21 = 03-23 (Sec. 23.2 Step I); filed 03-24.
    assert steps(D(2026, 3, 2), {"step1_filed": D(2026, 3, 24)}).step("step1_filing").status == "late"


@pytest.mark.parametrize(("event", "replies", "on", "field", "words"), [
    (D(2026, 12, 2), {}, D(2026, 12, 1), "event_date", "after today"),
    (D(2026, 3, 2), {"step1_filed": D(2026, 3, 10), "step1_reply": D(2026, 3, 9)}, None, "step1_reply",
     "before step1_filed"),
    (D(2026, 3, 2), {"step1_filed": D(2026, 3, 1)}, None, "step1_filed", "before event_date"),
    (D(2026, 3, 2), {"step1_filed": D(2026, 3, 3), "step2_reply": D(2026, 3, 9)}, None, "step2_reply",
     "step2_filed is not"),
    (D(2026, 3, 2), {"step1_filed": D(2026, 3, 20)}, D(2026, 3, 10), "step1_filed", "after today"),
    (D(2026, 3, 2), {"step5_filed": D(2026, 3, 3)}, None, "step5_filed", "unknown"),
])
def test_impossible_tracks_are_refused_naming_the_field(event, replies, on, field, words):
    with pytest.raises(GrievanceError) as exc:
        grievance_deadlines(event, replies, on=on)
    assert exc.value.field == field and words in str(exc.value)


def test_citations_are_grouped_by_article_for_the_report():
    from openleave.rules.grievance import articles_of

    assert articles_of(["Sec. 9.8", "Sec. 9.10", "Sec. 9.8", "Art. 10", "Sec. 8.1.C.2", "MOU State of Emergency"]) == [
        ("Article 8", ["Sec. 8.1.C.2"]), ("Article 9", ["Sec. 9.8", "Sec. 9.10"]), ("Article 10", []),
        ("MOU State of Emergency", [])]
