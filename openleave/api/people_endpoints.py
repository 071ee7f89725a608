"""The HR import from the system of record (issue 15, item 1): ``POST /api/people/import`` — the same checks and
writes as ``manage.py import_people`` and the HR page (``openleave.people.importing``)."""

from __future__ import annotations

from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from openleave import policy

from .schemas import BODY_ERRORS, BodyIn, answers

router = Router()

CSV_MAX = 5_000_000  # characters of CSV in one request (larger files: manage.py import_people)


class PeopleImportIn(BodyIn):
    csv: str = Field(max_length=CSV_MAX, description="the CSV text (UTF-8), header first: docs/people-import.md")
    mapping: dict[str, str] | None = Field(default=None, description="source column → our column ('-' leaves it out), "
                                                                     "for a feed whose column names differ")
    dry_run: bool = Field(default=True, description="check every row and write nothing (the default)")
    partial: bool = Field(default=False, description="write only the valid rows (and not those depending on an "
                                                     "invalid one); the answer lists the rows left out")


class PeopleRowOut(Schema):
    row: int
    employee_number: str
    status: str = Field(description="new, update, unchanged, invalid or left_out")
    changes: dict[str, list[str]] = Field(description="field → [before, after] for an update")
    service_events_added: int
    left_out: str


class ProblemOut(Schema):
    row: int
    column: str
    message: str


class PeopleImportOut(Schema):
    dry_run: bool
    partial: bool
    summary: str
    written: int
    new: int
    update: int
    unchanged: int
    invalid: int
    left_out: int
    agencies_created: list[str]
    titles_created: list[str]
    left_out_rows: list[int]
    errors: list[ProblemOut]
    rows: list[PeopleRowOut]


@router.post("/people/import", response=answers({200: PeopleImportOut}, *BODY_ERRORS, 400), tags=["people"],
             summary="HR: import people from the HR system of record (dry run by default)")
def people_import(request, payload: PeopleImportIn):
    """Agencies, titles, employees, schedules, supervisors and service history, matched on the employee number.
    A column that looks like an SSN or a date of birth: 400, the whole file refused, nothing stored. Any invalid
    row: 422 with each ``errors[i]`` naming the row and column, nothing written — unless ``partial``, when the valid
    rows are written and the rest listed. The same file twice changes nothing. HR only (others: 403)."""
    from openleave.accounts import roles as R
    from openleave.people import importing

    user = request.auth
    if not user.has_role(R.HR) or policy.is_read_only(user):
        raise HttpError(403, "Only HR imports people from the HR system of record.")
    try:
        mapping = importing.mapping_pairs(payload.mapping.items(), "mapping") if payload.mapping else None
        rows = importing.read_csv(payload.csv, mapping=mapping, name="the file")
    except importing.ImportRefused as exc:
        return Status(400, {"detail": str(exc)})
    report = importing.import_people(rows=rows, by=user, channel="api", dry_run=payload.dry_run,
                                     partial=payload.partial, source="the API")
    body = report.as_json()
    if not report.ok and not payload.partial:
        errors = [{"field": f"row {p.row}.{p.column}" if p.column else f"row {p.row}",
                   "message": f"row {p.row}, {p.column or 'row'}: {p.message}"} for p in report.problems]
        return Status(422, {"detail": report.summary(), "field": errors[0]["field"], "errors": errors})
    return body
