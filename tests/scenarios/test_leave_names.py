"""One name per leave type: the rules' names (``emergency_day``); the older spelling ``emergency`` of a ledger
leave type is still accepted and means the same, while ``request: {leave: emergency}`` stays the MOU kind."""

from openleave.scenario.runner import run_text

# A 37.5-hour title, designated emergency personnel: one emergency day = 7.5 h each January (MOU Regarding
# State of Emergency, Sec. 8.9).
DOC = """employee:
  service_start: 2005-04-04
  title_full_time_hours_per_week: 37.5
  emergency_personnel: true
events:
  - {date: 2019-02-04, leave_taken: {leave: %s, hours: 7.5}}
questions:
  - id: credited
    credited: {leave: %s, year: 2019}
  - id: balance
    balance: {leave: %s, on: 2019-03-01}
"""


def test_the_older_spelling_of_the_emergency_day_means_the_same():
    new, _, _ = run_text(DOC % (("emergency_day",) * 3))
    old, _, _ = run_text(DOC % (("emergency",) * 3))
    assert new == old
    assert new["answers"]["credited"]["value"] == "7.5"  # one day of 7.5 h (Sec. 8.9)
    assert new["answers"]["balance"]["value"] == "0"  # 7.5 credited − 7.5 taken
