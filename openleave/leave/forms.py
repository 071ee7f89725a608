"""The request form's kind-specific fields, and turning a posted form into the service's input dict.

The fields are derived from the kinds' declarations (``openleave.kinds.form_fields``): a category, a date,
a yes/no, a number or the credits for the rest — never free text about health."""

from __future__ import annotations

from openleave.kinds import HELP as KIND_HELP  # noqa: F401  (the form's hint per kind)
from openleave.kinds import Field, form_fields

__all__ = ["KIND_HELP", "Field", "data_from_post", "fields_for"]


def fields_for(kind: str) -> list[Field]:
    return form_fields(kind)


def data_from_post(post) -> dict:
    """A posted request form → the dict ``services.parse_input`` takes (only the kind's own fields)."""
    kind = post.get("kind", "")
    facts: dict = {}
    for f in fields_for(kind):
        if f.type == "credits":
            v = [c for c in post.getlist(f.name) if c]
        else:
            v = (post.get(f.name) or "").strip()
        if v:
            facts[f.name] = v
    return {
        "kind": kind, "start_date": post.get("start_date"), "end_date": post.get("end_date") or post.get("start_date"),
        "start_time": post.get("start_time"), "end_time": post.get("end_time"), "hours": post.get("hours"),
        "facts": facts,
    }
