"""The access MATRIX: every role × every kind of sensitive object × every channel (UI, API, admin).

Expectations are written out by hand below (not derived from ``openleave.policy``), so a change in the
policy that widens access fails here. A refusal must not leak existence: UI and API refusals are 404 (the
same answer as for a missing person) and never contain the person's name or number; anonymous callers are
sent to sign in (UI/admin) or get 401 (API). Where a channel has no page for an object (there is no admin
page for exports, no admin for the ledger, none for medical documents), the cell asserts that nobody — not even
the system administrator — reaches one. The medical cells open a real sealed medical document (a D-1 in
``openleave.medical``): its download page and its API content, and ask the policy too.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.utils import timezone

from openleave import policy
from openleave.audit.access import record_access
from openleave.privacy.models import StewardConsent

pytestmark = pytest.mark.django_db

ACTORS = ("employee_self", "other_employee", "supervisor_of", "supervisor_not_of", "hr_same_agency",
          "hr_other_agency", "medical", "steward_with_consent", "steward_without_consent", "auditor", "sysadmin",
          "anonymous")
OBJECTS = ("employee_record", "leave_ledger", "access_log", "consent_list", "export", "medical", "designation")
CHANNELS = ("ui", "api", "admin")

LEAVE_READERS = {"employee_self", "supervisor_of", "hr_same_agency", "medical", "steward_with_consent", "auditor"}
ALLOWED = {
    ("employee_record", "ui"): LEAVE_READERS | {"sysadmin"},  # sysadmin: directory data only
    ("employee_record", "api"): LEAVE_READERS | {"sysadmin"},
    ("employee_record", "admin"): {"sysadmin"},
    ("leave_ledger", "ui"): LEAVE_READERS,
    ("leave_ledger", "api"): LEAVE_READERS,
    ("leave_ledger", "admin"): set(),  # the ledger has no admin pages
    ("access_log", "ui"): {"employee_self", "auditor"},
    ("access_log", "api"): {"employee_self", "auditor"},
    ("access_log", "admin"): {"sysadmin"},  # read only, and the read is itself logged
    ("consent_list", "ui"): {"employee_self"},
    ("consent_list", "api"): {"employee_self"},
    ("consent_list", "admin"): {"sysadmin"},
    ("export", "ui"): {"employee_self"},
    ("export", "api"): {"employee_self"},
    ("export", "admin"): set(),
    ("medical", "ui"): {"employee_self", "medical"},
    ("medical", "api"): {"employee_self", "medical"},
    ("medical", "admin"): set(),
    # the FMLA designation notice: the coordinator's reasons (Sec. 8.1.M) — the employee and the coordinator only
    ("designation", "ui"): {"employee_self", "medical"},
    ("designation", "api"): {"employee_self", "medical"},
    ("designation", "admin"): set(),  # no admin pages for designations
}
MARKER = "MATRIX-CONSENT-MARKER"


@pytest.fixture
def world(users, people):
    from openleave.accounts.models import User

    other_user = User.objects.create(username="other", first_name="Olga", last_name="Other")
    other_user.groups.set(users["employee"].groups.all())
    people["dmh_other"].user = other_user
    people["dmh_other"].save()
    erin = people["erin"]
    subject = {"supervisor_not_of": people["dcr_report"], "hr_other_agency": people["dcr_report"]}
    user = {"employee_self": users["employee"], "other_employee": other_user, "supervisor_of": users["supervisor"],
            "supervisor_not_of": users["supervisor"], "hr_same_agency": users["hr"], "hr_other_agency": users["hr"],
            "medical": users["medical"], "steward_with_consent": users["steward"],
            "steward_without_consent": users["steward"], "auditor": users["auditor"], "sysadmin": users["admin"],
            "anonymous": None}
    return {"user": user, "subject": subject, "erin": erin}


def _setup(actor, obj, world):
    erin = world["erin"]
    target = world["subject"].get(actor, erin)
    steward = world["user"]["steward_with_consent"]
    if actor == "steward_with_consent":
        StewardConsent.objects.create(employee=target, steward=steward, purpose=MARKER,
                                      valid_until=timezone.now() + timezone.timedelta(days=5))
    else:  # a revoked consent: visible in the member's own list, authorises nobody
        StewardConsent.objects.create(employee=target, steward=steward, purpose=MARKER, revoked_at=timezone.now())
    row = record_access(actor=None, subject=target, object_type="employee", category="directory", channel="command")
    consent = StewardConsent.objects.filter(employee=target).first()
    if obj == "medical":
        row = _sealed_document(target, world["user"]["employee_self"])
    if obj == "designation":
        row = _designation(target, world["user"]["medical"])
    return target, row, consent


def _designation(employee, coordinator):
    """A designated case of ``employee`` whose reasons carry the marker (made directly, as for the document)."""
    from openleave.medical.models import FmlaCase, FmlaDesignation

    case = FmlaCase.objects.create(employee=employee, leave_type="medical", reason="own_condition",
                                   schedule="intermittent", expected_start=timezone.localdate(),
                                   opened_by_role="employee", opened_by=coordinator)
    return FmlaDesignation.objects.create(
        case=case, outcome="designated", reasons=MARKER, citations=["Sec. 8.1.M"], eligibility="eligible",
        as_of=timezone.localdate(), weeks_allowed=26, weeks_used=0, weeks_remaining=26, hours_remaining_micro=0,
        intermittent_days_allowed=60, intermittent_days_used=0, intermittent_days_remaining=60,
        decided_by=coordinator, decided_by_label="coordinator")


def _sealed_document(employee, uploader):
    """A D-1 of ``employee``, sealed as the upload service seals one (made directly: the target may be someone no
    demo user may upload for)."""
    from openleave.medical import crypto
    from openleave.medical.models import MedicalBlob, MedicalDocument

    doc = MedicalDocument.objects.create(employee=employee, kind="d1", content_type="application/pdf", size=9,
                                         uploaded_by=uploader)
    key_id, data = crypto.seal(crypto.pack("d1.pdf", MARKER, b"%PDF-1.4\n"),
                               aad=crypto.associated_data(doc.ref, employee.pk))
    MedicalBlob.objects.create(document=doc, key_id=key_id, data=data)
    return doc


def _request(client, actor, obj, channel, target, row, consent):
    n = target.employee_number
    if channel == "admin":
        url = {
            "employee_record": f"/admin/people/employee/{target.pk}/change/",
            "leave_ledger": "/admin/ledger/ledgerentry/",
            "access_log": f"/admin/audit/accesslog/{row.pk}/change/",
            "consent_list": f"/admin/privacy/stewardconsent/{consent.pk}/change/",
            "export": f"/admin/people/employee/{target.pk}/export/",
            "medical": f"/admin/medical/medicaldocument/{row.pk}/change/",
            "designation": f"/admin/medical/fmladesignation/{row.pk}/change/",
        }[obj]
        return client.get(url)
    if obj == "employee_record":
        return client.get(f"/employees/{n}/" if channel == "ui" else f"/api/employees/{n}")
    if obj == "leave_ledger":
        return client.get(f"/employees/{n}/ledger/" if channel == "ui" else f"/api/employees/{n}/balances")
    if obj == "access_log":
        return client.get(f"/privacy/access/{n}/" if channel == "ui" else f"/api/employees/{n}/access")
    if obj == "consent_list":
        return client.get("/me/consents/" if channel == "ui" else "/api/me/consents")
    if obj == "export":
        return client.post("/me/export/") if channel == "ui" else client.get("/api/me/export")
    if obj == "medical":
        return client.get(f"/medical/documents/{row.ref}/" if channel == "ui"
                          else f"/api/medical-documents/{row.ref}/content")
    if obj == "designation":
        return client.get(f"/employees/{n}/fmla/{row.case_id}/notice/" if channel == "ui"
                          else f"/api/employees/{n}/fmla-cases/{row.case_id}/notice.pdf")
    raise AssertionError(obj)


def _reached(response, obj, target) -> bool:
    """Did the caller get the object (not merely some page of their own)?"""
    if response.status_code != 200:
        return False
    if obj == "medical":
        return response.content == b"%PDF-1.4\n"
    if obj == "consent_list":
        return MARKER in response.content.decode()
    if obj == "designation":
        if response.get("Content-Type") == "application/pdf":
            from openleave.documents import pdf_text

            return MARKER in pdf_text(response.content)
        return MARKER in response.content.decode()
    if obj == "export":
        if response.get("Content-Type") != "application/zip":
            return False
        z = zipfile.ZipFile(io.BytesIO(response.content))
        return target.employee_number in z.read("openleave-export.json").decode()
    return True


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("obj", OBJECTS)
@pytest.mark.parametrize("actor", ACTORS)
def test_matrix(world, client, actor, obj, channel):
    target, row, consent = _setup(actor, obj, world)
    user = world["user"][actor]
    allowed = actor in ALLOWED[(obj, channel)]
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    if obj == "medical":  # the pages and endpoints ask the policy: it must agree with the matrix
        may = actor in ALLOWED[("medical", "ui")]
        assert (policy.can_read_medical(user, target) if user else False) == may

    response = _request(client, actor, obj, channel, target, row, consent)
    assert _reached(response, obj, target) == allowed, (actor, obj, channel, response.status_code)
    if allowed:
        return
    body = response.content.decode(errors="replace")
    if user is None:
        assert response.status_code == (401 if channel == "api" else 302)
    elif channel == "admin":
        assert response.status_code in (302, 403, 404)  # non-sysadmin: sent to the admin sign-in
    elif obj in ("consent_list", "export"):
        assert response.status_code in (200, 404)  # their own (empty) list, or 404 if they have no record
    else:
        assert response.status_code == 404
    if response.status_code == 404 or channel == "api":
        assert target.family_name not in body and target.employee_number not in body
    if obj == "medical":
        assert MARKER not in body and "d1.pdf" not in body and "%PDF" not in body
    if obj == "designation":
        assert MARKER not in body and "%PDF" not in body


def test_matrix_size():
    assert len(ACTORS) * len(OBJECTS) * len(CHANNELS) == 252
