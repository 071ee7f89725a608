"""The grievance app's part of the record of processing and of the member's export (Sec. 24.1)."""

from __future__ import annotations

from openleave.privacy.exports import register_exporter
from openleave.privacy.registry import register


def export_rows(employee) -> dict[str, list[dict]]:
    """The member's grievance tracks and the dates they recorded."""
    from .models import GrievanceDate, GrievanceTrack

    tracks = [{"track": t.pk, "act": t.get_act_display(), "decision": t.decision_id or "",
               "ledger_entry": t.ledger_entry_id or "", "event_date": t.event_date, "created_at": t.created_at}
              for t in GrievanceTrack.objects.filter(employee=employee).order_by("id")]
    dates = [{"track": d.track_id, "step": d.get_key_display(), "date": d.day, "recorded_at": d.recorded_at}
             for d in GrievanceDate.objects.filter(track__employee=employee).order_by("id")]
    return {"grievance_tracks": tracks, "grievance_dates": dates}


def register_all() -> None:
    register("grievance.GrievanceTrack", category="grievance", retention="leave",
             why="the act a member grieves and its date, so the Art. 23 time limits can be shown (Sec. 23.2)",
             fields={"created_by": {"why": "who opened the track (the member)"}})
    register("grievance.GrievanceDate", category="grievance", retention="leave",
             why="when each grievance step was filed and each reply arrived, as the member recorded it (Sec. 23.2, "
                 "23.9)",
             fields={"recorded_by": {"why": "who recorded the date (the member)"}})
    register_exporter("grievance")(export_rows)
