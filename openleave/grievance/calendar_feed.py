"""The Art. 23 dates of one grievance as iCalendar (RFC 5545), written by the ``icalendar`` library as the leave
feed is (``openleave.leave.calendar_feed``): one all-day event per step that has a date, its citation in the text."""

from __future__ import annotations

import datetime as dt

import icalendar


def ics(steps, name: str, uid_prefix: str, now: dt.datetime) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//openleave//grievance//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for s in steps:
        day = s.due or s.may_invoke_next_from
        if day is None:
            continue
        ev = icalendar.Event()
        ev.add("uid", f"{uid_prefix}-{s.key}@openleave")
        ev.add("dtstamp", now)
        ev.add("dtstart", day)
        ev.add("dtend", day + dt.timedelta(days=1))
        last = "last day" if s.due else "may move on from"
        ev.add("summary", f"Grievance: {s.title} — {last} ({', '.join(s.citations)})")
        ev.add("description", " ".join(s.reasons))
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)
    return cal.to_ical()
