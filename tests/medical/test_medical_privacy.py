"""Nobody but the employee and the medical (FMLA) coordinator of their agency reads a medical document, its file
name, its note (a diagnosis, a family member's condition) or a case's reason — through the pages, the API, the
Django admin or an export. Each role that must NOT see them is tried on every channel; a refusal is the same 404
as for a document that does not exist (RefusalLooksTheSame)."""

from __future__ import annotations

import difflib
import io
import json
import re
import zipfile

import pytest
from django.utils import timezone

from openleave.medical import services
from openleave.medical.models import FmlaCase
from openleave.privacy.models import StewardConsent

from .conftest import SECRET, pdf_bytes, upload_file

pytestmark = pytest.mark.django_db

NAME = "lupus-rheumatology-letter"
REFUSED = ("supervisor", "hr", "steward_with_consent", "steward_without_consent", "auditor", "other_employee",
           "sysadmin")


def _same(response) -> str:
    """The page without what differs on every request anyway (the CSRF token)."""
    return re.sub(r'(csrfmiddlewaretoken" value=")[^"]+', r"\1", response.content.decode())


@pytest.fixture
def sealed(users, people):
    from openleave.accounts.models import User

    erin = people["erin"]
    other = User.objects.create(username="other", first_name="Olga", last_name="Other")
    other.groups.set(users["employee"].groups.all())
    people["dmh_other"].user = other
    people["dmh_other"].save()
    case = services.fmla_case_open(employee=erin, reason="care_parent", expected_start="2026-12-07",
                                   by=users["employee"])
    doc = services.medical_document_upload(employee=erin, kind="d2", case=case, note=f"mother: {SECRET}",
                                           file=upload_file(pdf_bytes(), f"{NAME}.pdf"), by=users["employee"])
    actors = {"supervisor": users["supervisor"], "hr": users["hr"], "steward_with_consent": users["steward"],
              "steward_without_consent": users["steward"], "auditor": users["auditor"], "other_employee": other,
              "sysadmin": users["admin"], "employee": users["employee"], "medical": users["medical"]}
    return {"erin": erin, "case": case, "doc": doc, "actors": actors}


def _grant(sealed, actor):
    if actor == "steward_with_consent":
        StewardConsent.objects.create(employee=sealed["erin"], steward=sealed["actors"][actor], purpose="grievance",
                                      valid_until=timezone.now() + timezone.timedelta(days=5))


def _bodies(c, sealed) -> dict[str, tuple[int, str]]:
    n, case, doc = sealed["erin"].employee_number, sealed["case"], sealed["doc"]
    urls = {
        "ui cases": f"/employees/{n}/fmla/",
        "ui case": f"/employees/{n}/fmla/{case.pk}/",
        "ui documents": f"/employees/{n}/medical/",
        "ui download": f"/medical/documents/{doc.ref}/",
        "api cases": f"/api/employees/{n}/fmla-cases",
        "api case": f"/api/employees/{n}/fmla-cases/{case.pk}",
        "api documents": f"/api/employees/{n}/medical-documents",
        "api content": f"/api/medical-documents/{doc.ref}/content",
        "admin index": "/admin/",
        "admin documents": "/admin/medical/medicaldocument/",
        "admin blobs": "/admin/medical/medicalblob/",
        "admin cases": "/admin/medical/fmlacase/",
        "admin access log": "/admin/audit/accesslog/",
    }
    out = {}
    for what, url in urls.items():
        r = c.get(url)
        out[what] = (r.status_code, r.content.decode(errors="replace"))
    r = c.post("/me/export/")
    text = ""
    if r.get("Content-Type") == "application/zip":
        z = zipfile.ZipFile(io.BytesIO(r.content))
        text = " ".join(z.read(name).decode() for name in z.namelist())
    out["export"] = (r.status_code, text)
    return out


@pytest.mark.parametrize("actor", REFUSED)
def test_no_other_role_reads_a_medical_document_or_a_condition(sealed, client_for, actor):
    _grant(sealed, actor)
    c = client_for(sealed["actors"][actor])
    bodies = _bodies(c, sealed)
    for what, (_status, body) in bodies.items():  # never the content, the name, the note or the reason
        assert SECRET not in body and NAME not in body and "%PDF" not in body, (actor, what)
        shown = re.sub(r"<select.*?</select>", "", body, flags=re.S)  # the open-a-case form lists every reason
        assert "Care of a parent" not in shown and "care_parent" not in shown, (actor, what)
    for what in ("ui documents", "ui download", "api documents", "api content"):
        assert bodies[what][0] == 404, (actor, what, bodies[what][0])
    assert bodies["admin documents"][0] in (302, 404) and bodies["admin blobs"][0] in (302, 404)
    assert bodies["admin cases"][0] in (302, 404)
    if actor == "sysadmin":  # a superuser: the admin has no page for any medical model
        assert bodies["admin index"][0] == 200 and "medicaldocument" not in bodies["admin index"][1].lower()
        assert "Medical document" not in bodies["admin index"][1]
        assert bodies["admin documents"][0] == 404 and bodies["admin blobs"][0] == 404
    # the refusal looks like "not found": the same answer as for a document that does not exist
    missing = c.get("/medical/documents/0123456789abcdef0123456789abcdef/")
    real = c.get(f"/medical/documents/{sealed['doc'].ref}/")
    assert (missing.status_code, _same(missing)) == (404, _same(real)), "\n".join(difflib.unified_diff(
        _same(missing).splitlines(), _same(real).splitlines(), lineterm=""))
    missing = c.get("/api/medical-documents/0123456789abcdef0123456789abcdef/content")
    assert missing.json() == c.get(f"/api/medical-documents/{sealed['doc'].ref}/content").json()
    # nor may they upload one
    r = c.post(f"/employees/{sealed['erin'].employee_number}/medical/upload/",
               {"kind": "d1", "file": upload_file(pdf_bytes(), "x.pdf")})
    assert r.status_code == 404
    # no export of theirs holds erin's documents or cases
    assert sealed["doc"].ref not in bodies["export"][1]


@pytest.mark.parametrize("actor", ("supervisor", "hr", "steward_with_consent", "auditor"))
def test_leave_readers_see_the_case_status_dates_and_certification_only(sealed, client_for, actor):
    _grant(sealed, actor)
    c = client_for(sealed["actors"][actor])
    n, case = sealed["erin"].employee_number, sealed["case"]
    body = c.get(f"/api/employees/{n}/fmla-cases/{case.pk}").json()
    assert body["status"] == "open" and body["expected_start"] == "2026-12-07"
    assert body["certification"] == "certification received on 2026-12-01"  # the frozen clock's day
    assert body["sealed"] is True and body["reason"] == "" and body["leave_type"] == ""
    page = c.get(f"/employees/{n}/fmla/{case.pk}/").content.decode()
    assert "Certification received on 2026-12-01" in page and "Medical documents" not in page


@pytest.mark.parametrize("actor", ("employee", "medical"))
def test_the_employee_and_the_coordinator_read_it(sealed, client_for, actor):
    c = client_for(sealed["actors"][actor])
    bodies = _bodies(c, sealed)
    assert bodies["ui download"][0] == 200 and bodies["api content"][0] == 200
    assert SECRET in bodies["ui download"][1]  # the PDF's own text
    assert bodies["api documents"][0] == 200 and sealed["doc"].ref in bodies["api documents"][1]
    assert json.loads(bodies["api case"][1])["reason"] == "Care of a parent with a serious health condition"


def test_the_members_own_export_lists_their_documents_without_their_content(sealed, client_for):
    r = client_for(sealed["actors"]["employee"]).post("/me/export/")
    data = json.loads(zipfile.ZipFile(io.BytesIO(r.content)).read("openleave-export.json"))["data"]["medical"]
    assert [d["kind"] for d in data["medical_documents"]] == ["d2"]
    assert data["medical_documents"][0]["document"] == sealed["doc"].ref
    assert data["fmla_cases"][0]["reason"] == "care_parent"
    text = json.dumps(data)
    assert SECRET not in text and NAME not in text


def test_a_coordinator_of_another_agency_does_not_read_it(sealed, client_for, users):
    from openleave.people.models import Agency

    coord = users["medical"]
    coord.agency = Agency.objects.exclude(pk=sealed["erin"].agency_id).first()
    coord.save()
    c = client_for(coord)
    assert c.get(f"/medical/documents/{sealed['doc'].ref}/").status_code == 404
    assert c.get(f"/api/employees/{sealed['erin'].employee_number}/medical-documents").status_code == 404


def test_no_case_column_holds_a_diagnosis():
    names = {f.name for f in FmlaCase._meta.get_fields()}
    assert not names & {"diagnosis", "condition", "note", "notes", "description", "details"}
