"""The request form's kind-specific fields, and turning a posted form into the service's input dict.

Every field is a category, a date, a yes/no or a number — never free text about health."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openleave.rules.params import default_tree
from openleave.rules.requests.sick import PURPOSES as SICK_PURPOSES


def _label(code: str) -> str:
    return code.replace("_", " ").capitalize()


def _relations(name: str) -> list[tuple[str, str]]:
    value = default_tree().get(name, dt.date(2026, 1, 1)).value
    return [(k, _label(k)) for k in value]


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str  # select | date | bool | number
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""


def fields_for(kind: str) -> list[Field]:
    F = Field
    sick_relations = tuple(_relations("use.sick.family_care_relations"))
    events = (("birth", "Birth"), ("adoption", "Adoption"), ("foster_placement", "Foster placement"))
    table = {
        "sick": [
            F("purpose", "Purpose", "select", tuple((k, f"{v[0][:1].upper()}{v[0][1:]} ({v[1]})") for k, v in SICK_PURPOSES.items()),
              "Choose the category only. Never write a diagnosis."),
            F("relation", "Family member (family care)", "select", sick_relations),
            F("household", "The family member lives in my household", "bool"),
            F("event", "Event (parental leave)", "select", events[:2]),
            F("event_date", "Date of the birth or adoption", "date"),
            F("in_counselling_program", "I take part in an approved counselling program (Sec. 8.1.C.6)", "bool"),
        ],
        "bereavement": [
            F("relation", "Relationship to the person who died", "select", tuple(_relations("use.bereavement.relations"))),
            F("household", "The person lived in my household", "bool"),
            F("date_of_death", "Date of death", "date"),
            F("funeral_date", "Date of the funeral (in-law leave, Sec. 8.3.C)", "date"),
        ],
        "voting": [
            F("election_date", "Election day", "date"),
            F("hours_preclude_voting", "My hours of work prevent me from voting", "bool"),
        ],
        "civic": [
            F("purpose", "Civic duty", "select", (("jury", "Jury duty"), ("witness", "Witness"))),
            F("summons_presented", "I have presented the summons or notice of service", "bool"),
            F("summoned_by", "Summoned by", "select", (("commonwealth", "The Commonwealth"), ("municipal", "A town or city"),
                                                     ("county", "A county"), ("federal", "The Federal Government"),
                                                     ("private", "A private party"))),
            F("arises_from_other_employment", "The matter arises from my other employment", "bool"),
            F("defendant_or_personal_litigation", "I am the defendant or this is my personal litigation", "bool"),
            F("jury_fees", "Jury fees for the period, without expenses ($)", "number"),
            F("regular_pay", "My regular pay for the same period ($)", "number"),
        ],
        "military": [
            F("military_service", "Service", "select", (("state", "Commonwealth armed forces (Sec. 8.6.A)"),
                                                        ("annual_tour", "Reserve annual tour of duty (Sec. 8.6.B)"),
                                                        ("reserve_other", "Other reserve duty (Sec. 8.6.C)"),
                                                        ("resigned_for_service", "Resigning to serve (Sec. 8.6.D)"))),
        ],
        "family_paid": [
            F("event", "Event", "select", events),
            F("event_date", "Date of the birth, adoption or placement", "date"),
            F("placement_end", "End of a foster placement shorter than 10 days", "date"),
        ],
        "family_unpaid": [
            F("relation", "Family member", "select", tuple((k, _label(k)) for k in (
                "child", "foster_child", "step_child", "legal_ward", "grandparent", "grandchild", "brother", "sister"))),
            F("household", "The family member lives in my household", "bool"),
            F("intends_to_return", "I intend to return to work", "bool"),
            F("intermittent", "Intermittent days (Sec. 8.8.B)", "bool"),
            F("written_request", "I have made a written request with reasons", "bool"),
        ],
        "educational": [
            F("purpose", "Purpose", "select", (("conference", "Conference, seminar or briefing (paid)"),
                                               ("degree_coursework", "Degree course work (unpaid)"))),
        ],
        "lwop": [
            F("purpose", "Reason category", "select", (("personal", "Personal"), ("illness", "Illness"),
                                                       ("illness_no_sick_credits", "Illness, with no sick credits left (Sec. 8.1.G)"))),
            F("written_request", "I have made a written request with a detailed statement", "bool"),
            F("physician_certificate", "I have a physician's certificate", "bool"),
        ],
        "domestic_violence": [],
        "union_paid": [
            F("purpose", "Union business", "select", tuple((k, _label(k)) for k in (
                "grievance", "convention", "negotiations", "labor_management", "president_assist", "exec_board",
                "steward_training"))),
        ],
        "union_unpaid": [
            F("purpose", "Union business", "select", (("full_time_union", "Full-time union position (Sec. 5.4)"),
                                                      ("legislative_hearing", "Legislative hearing (Sec. 5.4)"))),
        ],
        "emergency": [
            F("purpose", "Situation", "select", (("hardship", "Documented hardship getting to work"),
                                                 ("late_arrival", "Cannot arrive on time (told at least 1 hour ahead)"),
                                                 ("emergency_day", "The January emergency day"))),
            F("documented_hardship", "The hardship is documented", "bool"),
        ],
    }
    return table.get(kind, [])


KIND_HELP = {
    "domestic_violence": "Your supervisor sees only \"protected leave\" and the hours, never the reason (Sec. 8.12).",
    "sick": "Family-care and parental purposes are shown to your supervisor only as \"sick leave (family)\".",
    "vacation": "Your supervisor schedules vacation; conflicting requests in the same title go by seniority (Sec. 9.8).",
}

EXCESS = (("sick", "Sick leave"), ("vacation", "Vacation"), ("personal", "Personal leave"), ("comp_time", "Compensatory time"))


def data_from_post(post) -> dict:
    """A posted request form → the dict ``services.parse_input`` takes."""
    kind = post.get("kind", "")
    facts: dict = {}
    for f in fields_for(kind):
        if f.type == "bool":
            v = (post.get(f.name) or "").strip()
            if v in ("yes", "no"):
                facts[f.name] = v == "yes"
        else:
            v = (post.get(f.name) or "").strip()
            if v:
                facts[f.name] = v
    excess = [c for c in post.getlist("charge_excess_to") if c]
    if excess:
        facts["charge_excess_to"] = excess
    return {
        "kind": kind, "start_date": post.get("start_date"), "end_date": post.get("end_date") or post.get("start_date"),
        "start_time": post.get("start_time"), "end_time": post.get("end_time"), "hours": post.get("hours"),
        "facts": facts,
    }
