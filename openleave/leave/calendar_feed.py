"""The iCalendar (RFC 5545) feed of one's own approved leave, written by the ``icalendar`` library (it escapes
text and folds lines longer than 75 octets). A protected kind appears as its category only: a calendar is
often shared (Sec. 8.12, 8.1.C.2 family care)."""

from __future__ import annotations

import datetime as dt

import icalendar

from openleave.rules.units import hours_str

from . import selectors as sel


def my_calendar_events(own) -> list[dict]:
    """Approved leave of one's own, as dicts of id, start, end (inclusive) and summary."""
    out = []
    for r in sel.my_requests(own).filter(status__in=sel.DECIDED_WITH_LEAVE):
        summary = (r.visible_kind or "protected leave") if r.protected else r.kind_label
        out.append({"id": r.pk, "start": r.start_date, "end": r.end_date,
                    "summary": f"Leave: {summary} ({hours_str(r.approved_micro)} h)"})
    return out


def ics(events: list[dict], name: str, now: dt.datetime) -> bytes:
    """The feed: all-day events, each ending (exclusively) the day after its last day."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//openleave//leave//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for e in events:
        ev = icalendar.Event()
        ev.add("uid", f"leave-request-{e['id']}@openleave")
        ev.add("dtstamp", now)
        ev.add("dtstart", e["start"])
        ev.add("dtend", e["end"] + dt.timedelta(days=1))
        ev.add("summary", e["summary"])
        ev.add("transp", "OPAQUE")
        cal.add_component(ev)
    return cal.to_ical()
