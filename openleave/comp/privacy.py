"""The comp app's part of the record of processing and of the member's export (Sec. 24.1)."""

from __future__ import annotations

from openleave.privacy.exports import register_exporter
from openleave.privacy.registry import register
from openleave.rules.units import hours_str


def export_rows(employee) -> dict[str, list[dict]]:
    """The employee's holiday occasions, comp time earned and the warnings sent, as their page shows them."""
    from .models import CompDayWarning, CompTimeEarning, HolidayOccasion

    occasions = [{"holiday": o.holiday_date, "holiday_name": o.holiday_name, "section": f"Sec. {o.section}",
                  "occasion": o.occasion, "outcome": o.get_outcome_display(), "chosen_by": o.get_chosen_by_display(),
                  "decided_by": o.decided_by.display_name() if o.decided_by_id else "", "reasons": o.reasons,
                  "hours": hours_str(o.micro), "last_day": o.last_day, "cite": o.cite, "explanation": o.explanation,
                  "recorded_at": o.recorded_at}
                 for o in HolidayOccasion.objects.filter(employee=employee).select_related("decided_by").order_by("id")]
    earnings = [{"worked_on": r.worked_on, "overtime_hours": hours_str(r.overtime_micro),
                 "earned": hours_str(r.earned_micro), "credited": hours_str(r.credited_micro),
                 "not_credited": hours_str(r.not_credited_micro), "overtime_paid": hours_str(r.overtime_paid_micro),
                 "balance_before": hours_str(r.balance_before_micro), "overtime_form": r.overtime_form,
                 "note": r.note, "cite": r.cite, "explanation": r.explanation, "recorded_at": r.recorded_at}
                for r in CompTimeEarning.objects.filter(employee=employee).order_by("id")]
    warnings = [{"last_day": w.last_day, "hours": hours_str(w.micro), "sent_on": w.sent_on}
                for w in CompDayWarning.objects.filter(employee=employee).order_by("id")]
    return {"holiday_occasions": occasions, "comp_time_earned": earnings, "comp_day_warnings": warnings}


def register_all() -> None:
    register("comp.HolidayOccasion", category="leave", retention="leave",
             why="a holiday worked or on a day off and what the employee received for it (Sec. 10.3-10.5)",
             fields={"decided_by": {"why": "the named person who decided or recorded the choice (accountability)"},
                     "recorded_by": {"why": "who recorded it (accountability)"}})
    register("comp.CompTimeEarning", category="leave", retention="leave",
             why="overtime taken as comp time: hours credited and, above the cap, overtime paid (Sec. 7.2.G)",
             fields={"recorded_by": {"why": "who recorded it (accountability)"}})
    register("comp.CompDayWarning", category="leave", retention="leave",
             why="the one warning sent before a compensatory day expires (Art. 10)")
    register_exporter("comp")(export_rows)
