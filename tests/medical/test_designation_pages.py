"""The designation on the pages and in the API: the counters on the case page (figures from the parameters), the
coordinator's forms, the notice as a page and a PDF (the same template), and who sees what: the outcome, dates and
figures for everyone who may see the case; the reasons and citations for the employee and the coordinator only.

Erin Doyle (demo): 37.5 h a week, 7.5 h a day. Sec. 8.7.2.B.1: 26 weeks in the previous 52; B.4.a: 60 intermittent
days. The clock is frozen at Tue 2026-12-01.
"""

from __future__ import annotations

import datetime as dt

import pytest

from openleave.documents import pdf_text
from openleave.medical import services
from openleave.medical.models import FmlaDesignation

from .test_fmla_usage import fmla_request

pytestmark = pytest.mark.django_db
REASONS = "MARKER-REASONS the D-1 shows a qualifying condition"


@pytest.fixture
def case(users, people):
    return services.fmla_case_open(employee=people["erin"], reason="own_condition", schedule="intermittent",
                                   expected_start="2026-12-07", expected_end="2027-03-05", by=users["employee"])


@pytest.fixture
def designated(users, people, case):
    erin = people["erin"]
    # 3 intermittent days of 7.5 h in September: 22.5 h = 3 days of the 60 (B.4.a); 22.5 / 37.5 = 0.6 week of 26
    fmla_request(erin, dt.date(2026, 9, 7), dt.date(2026, 9, 9), mode="intermittent")
    services.fmla_certification_request(case=case, by=users["medical"], on="2026-12-01")
    services.fmla_case_designate(case=case, by=users["medical"], outcome="designated", reasons=REASONS)
    return case


def page(client_for, user, erin, case, suffix=""):
    return client_for(user).get(f"/employees/{erin.employee_number}/fmla/{case.pk}/{suffix}")


def test_the_case_page_shows_the_counters_to_the_employee_and_the_coordinator(users, people, designated, client_for):
    erin = people["erin"]
    for who in ("employee", "medical"):
        body = page(client_for, users[who], erin, designated).content.decode()
        # today 2026-12-01: 0.6 of 26 weeks (B.1), 3 of 60 intermittent days (B.4.a)
        assert "FMLA weeks used in the last 52 weeks: 0.6 of 26 (Sec. 8.7.2.B.1)" in body
        assert "Intermittent days used: 3 of 60 (Sec. 8.7.2.B.4.a)" in body
        assert REASONS in body
    coordinator = page(client_for, users["medical"], erin, designated).content.decode()
    assert "Record the designation" in coordinator and "Request the certification" in coordinator
    assert "Record the designation" not in page(client_for, users["employee"], erin, designated).content.decode()


@pytest.mark.parametrize("who", ["supervisor", "hr", "auditor"])
def test_others_see_the_outcome_and_figures_never_the_reasons(users, people, designated, client_for, who):
    erin = people["erin"]
    r = page(client_for, users[who], erin, designated)
    body = r.content.decode()
    assert r.status_code == 200 and "Designated as family and medical leave" in body
    assert "0.6 of 26 weeks used" in body  # the figures at designation
    assert REASONS not in body and "own serious health condition" not in body
    assert "Record the designation" not in body and "notice" not in body.lower().split("<main")[-1].split("</main")[0]
    api = client_for(users[who]).get(f"/api/employees/{erin.employee_number}/fmla-cases/{designated.pk}").json()
    assert api["designation"]["outcome"] == "designated" and api["designation"]["sealed"]
    assert api["designation"]["reasons"] == "" and api["designation"]["citations"] == []
    assert REASONS not in str(api)
    for suffix in ("notice/", "notice.pdf"):
        assert page(client_for, users[who], erin, designated, suffix).status_code == 404


@pytest.mark.parametrize("who", ["steward", "admin"])
def test_the_steward_without_consent_and_the_sysadmin_see_no_case(users, people, designated, client_for, who):
    erin = people["erin"]
    assert page(client_for, users[who], erin, designated).status_code == 404
    assert page(client_for, users[who], erin, designated, "notice/").status_code == 404
    r = client_for(users[who]).get(f"/api/employees/{erin.employee_number}/fmla-cases/{designated.pk}")
    assert r.status_code == 404 and REASONS not in r.content.decode()


def test_the_notice_page_and_pdf_carry_the_figures_and_citations(users, people, designated, client_for):
    erin = people["erin"]
    html = page(client_for, users["employee"], erin, designated, "notice/").content.decode()
    pdf = page(client_for, users["medical"], erin, designated, "notice.pdf")
    assert pdf["Content-Type"] == "application/pdf" and "no-store" in pdf["Cache-Control"]
    text = " ".join(pdf_text(pdf.content).split())
    for body in (" ".join(html.split()), text):
        assert REASONS in body
        # at designation (as of the case's first day 2026-12-07): 0.6 of 26 weeks used, 25.4 left; 3 of 60 days, 57 left
        assert "25.4" in body and "57" in body
        assert "Sec. 8.7.2.B.1" in body and "Sec. 8.7.2.B.4.a" in body and "Sec. 8.1.M" in body
        # the certification was requested (received by the employee) 2026-12-01: due within 15 calendar days → 2026-12-16 (Sec. 8.1.M, App. D-1)
        assert "2026-12-16" in body
        # the advance notice: 30 days before 2026-12-07 → 2026-11-07 (Sec. 8.7.2.B.3)
        assert "2026-11-07" in body
        assert "Sec. 8.7.2.B.8" in body and "health insurance" in body.lower()  # A.7/B.8


def test_the_coordinator_designates_through_the_page(users, people, case, client_for):
    erin = people["erin"]
    url = f"/employees/{erin.employee_number}/fmla/{case.pk}/designate/"
    assert client_for(users["hr"]).post(url, {"outcome": "designated", "reasons": "HR decides."}).status_code == 403
    bad = client_for(users["medical"]).post(url, {"outcome": "designated", "reasons": ""})
    assert bad.status_code == 400 and not FmlaDesignation.objects.exists()
    ok = client_for(users["medical"]).post(url, {"outcome": "designated", "reasons": "Certified."})
    assert ok.status_code == 302 and FmlaDesignation.objects.get().reasons == "Certified."
    cert = client_for(users["medical"]).post(f"/employees/{erin.employee_number}/fmla/{case.pk}/certification/",
                                             {"on": "2026-12-02"})
    case.refresh_from_db()
    assert cert.status_code == 302 and case.certification_due == dt.date(2026, 12, 17)  # 2 Dec + 15 days


def test_the_api_designates_and_requests_certification(users, people, case, client_for):
    erin = people["erin"]
    base = f"/api/employees/{erin.employee_number}/fmla-cases/{case.pk}"
    body = {"outcome": "designated", "reasons": "Certified.", "citations": ["Appendix D-1"]}
    for who in ("hr", "supervisor", "employee", "auditor"):
        r = client_for(users[who]).post(f"{base}/designation", body, content_type="application/json")
        assert r.status_code == 403, (who, r.status_code)
    for who in ("steward", "admin"):  # who may not even see the case: the 404 of nothing
        r = client_for(users[who]).post(f"{base}/designation", body, content_type="application/json")
        assert r.status_code == 404
    c = client_for(users["medical"])
    bad = c.post(f"{base}/designation", {**body, "reasons": " "}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["field"] == "reasons"
    bad = c.post(f"{base}/designation", {**body, "outcome": "perhaps"}, content_type="application/json")
    assert bad.status_code == 422 and "outcome" in bad.content.decode()
    r = c.post(f"{base}/designation", body, content_type="application/json")
    assert r.status_code == 201, r.content
    d = r.json()["designation"]
    assert (d["outcome"], d["weeks_remaining"], d["intermittent_days_remaining"]) == ("designated", "26", "60")
    assert "Appendix D-1" in d["citations"] and r.json()["counters"]["weeks_cite"] == "Sec. 8.7.2.B.1"
    r = c.post(f"{base}/certification-request", {"on": "2026-12-01"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["certification_due"] == "2026-12-16"  # 1 Dec + 15 calendar days
    pdf = client_for(users["employee"]).get(f"{base}/notice.pdf")
    assert pdf.status_code == 200 and "Certified." in pdf_text(pdf.content)
    assert client_for(users["hr"]).get(f"{base}/notice.pdf").status_code == 404
