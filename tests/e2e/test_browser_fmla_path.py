"""The whole family-and-medical-leave path in Debian's chromium, at phone width, by label and role:

the employee opens an intermittent medical-leave case and uploads the certification (a PNG) → the coordinator requests
the certification, designates the case with reasons, and the employee reads the notice with the counters → with the
60 intermittent days already used (Sec. 8.7.2.B.4.a) the employee requests one more intermittent day → it lands in
the coordinator's queue, not the supervisor's → the coordinator approves it with reasons (B.4.c) → HR closes the case.

Erin Doyle (demo): 37.5 h a week, 7.5 h a day; Sec. 8.7.2.B.1: 26 weeks in the previous 52. The clock is the suite's
frozen Tue 2026-12-01 (tests/conftest.py); the leave day asked is Mon 2026-12-07.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.e2e.page_checks import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sixty_days(erin):
    """60 intermittent days of 7.5 h approved earlier: the 60 weekdays from Mon 2026-06-01 to Fri 2026-08-21."""
    from openleave.leave.models import LeaveRequest

    days, d = {}, dt.date(2026, 6, 1)
    while len(days) < 60:
        if d.weekday() < 5:
            days[d.isoformat()] = 7_500_000
        d += dt.timedelta(days=1)
    LeaveRequest.objects.create(employee=erin, kind="fmla_medical", start_date=dt.date(2026, 6, 1),
                                end_date=dt.date(2026, 8, 21), facts={"relation": "self", "mode": "intermittent"},
                                status="approved", requested_micro=450_000_000, allowed_micro=450_000_000,
                                approved_micro=450_000_000, days=days)


def test_the_whole_fmla_path(sign_in, live_server, tmp_path, settings):
    import base64

    from PIL import Image

    from openleave.leave.models import LeaveRequest
    from openleave.medical.models import FmlaCase, FmlaDesignation, MedicalDocument
    from openleave.people.demo import load_demo
    from openleave.people.models import Employee

    settings.OPENLEAVE_MEDICAL_KEYS = {"k1": base64.urlsafe_b64encode(bytes(range(32))).decode()}
    settings.OPENLEAVE_MEDICAL_KEY_ID = "k1"
    load_demo()
    erin = Employee.objects.get(employee_number="100002")
    sixty_days(erin)
    scan = tmp_path / "d1-scan.png"
    buf = io.BytesIO()
    Image.new("RGB", (40, 40), (250, 250, 250)).save(buf, "PNG")
    scan.write_bytes(buf.getvalue())

    # 1. The employee opens the case and uploads the D-1.
    page = sign_in(live_server.url, "employee")
    page.goto(live_server.url + "/employees/100002/fmla/")
    page.get_by_label("Reason for the leave").select_option("own_condition")
    page.get_by_label("Schedule").select_option("intermittent")
    page.get_by_label("Expected first day").fill("2026-12-07")
    page.get_by_role("button", name="Open the case").click()
    page.get_by_role("heading", name="FMLA case no.").wait_for()
    case = FmlaCase.objects.get()
    main = page.get_by_role("main").inner_text()
    # 60 × 7.5 h = 450 h = 12 weeks of 26 (B.1); all 60 intermittent days used (B.4.a)
    assert "FMLA weeks used in the last 52 weeks: 12 of 26 (Sec. 8.7.2.B.1)" in main
    assert "Intermittent days used: 60 of 60 (Sec. 8.7.2.B.4.a)" in main
    page.get_by_role("link", name="Medical documents (sealed): view or upload").click()
    page.get_by_label("Kind of document").select_option("d1")
    page.get_by_label("FMLA case (optional)").select_option(str(case.pk))
    page.get_by_label("File (PDF, JPEG or PNG)").set_input_files(str(scan))
    page.get_by_role("button", name="Upload and seal").click()
    page.get_by_text("Uploaded and sealed (D-1).").wait_for()
    assert MedicalDocument.objects.filter(case=case, kind="d1").exists()

    # 2. The coordinator requests the certification and designates, with reasons.
    coord = sign_in(live_server.url, "medical")
    coord.goto(live_server.url + f"/employees/100002/fmla/{case.pk}/")
    look(coord)
    coord.get_by_label("The employee receives the form on (empty: today)").fill("2026-12-01")
    coord.get_by_role("button", name="Request the certification").click()
    coord.get_by_text("Certification requested: due on 2026-12-16.").wait_for()  # 1 Dec + 15 days (Sec. 8.1.M)
    coord.get_by_role("button", name="Record the designation").click()  # nothing chosen: the browser asks
    coord.get_by_label("Designated as family and medical leave").check()
    coord.get_by_label("Your reasons, in your own words (the employee reads them)").fill(
        "The D-1 is complete and shows a qualifying serious health condition.")
    coord.get_by_role("button", name="Record the designation").click()
    coord.get_by_text("designation recorded; the employee was told").wait_for()
    assert FmlaDesignation.objects.get(case=case).weeks_remaining == 14  # 26 − 12 (B.1)

    # 3. The employee reads the notice (and its PDF link).
    page.goto(live_server.url + f"/employees/100002/fmla/{case.pk}/notice/")
    page.get_by_role("heading", name="FMLA designation notice").wait_for()
    look(page)
    notice = page.get_by_role("main").inner_text()
    assert "The D-1 is complete" in notice and "Sec. 8.1.M" in notice and "2026-12-16" in notice
    with page.expect_download() as got:
        page.get_by_role("link", name="Download the notice as a PDF").click()
    assert got.value.suggested_filename == f"fmla-designation-{case.pk}-100002.pdf"

    # 4. One more intermittent day, past the 60: a person decides (B.4.c).
    page.goto(live_server.url + "/leave/new/")
    page.get_by_label("Kind of leave").select_option("fmla_medical")
    page.get_by_label("How the leave is taken").select_option("intermittent")
    page.get_by_label("Whose serious health condition").select_option("self")
    page.get_by_label("Satisfactory medical documentation (D-1 or D-2) was provided").select_option("yes")
    page.get_by_label("First day", exact=True).fill("2026-12-07")
    page.get_by_label("Last day", exact=True).fill("2026-12-07")
    # the form checks itself on change (htmx): wait for that check rather than asking a second one at once
    page.locator("#preview").get_by_text("A named person must decide").wait_for()
    page.wait_for_load_state("networkidle")
    assert "Sec. 8.7.2.B.4.c" in page.locator("#preview").inner_text()
    page.get_by_role("button", name="Submit request").click()
    page.get_by_role("heading", name="Leave request").wait_for()
    req = LeaveRequest.objects.get(status="submitted")

    sup = sign_in(live_server.url, "supervisor")
    sup.goto(live_server.url + "/leave/queue/")
    assert "Erin Doyle" not in sup.get_by_role("main").inner_text()  # not the supervisor's decision
    sup.goto(live_server.url + f"/leave/requests/{req.pk}/")
    shown = sup.get_by_role("main").inner_text()
    assert "family and medical leave" in shown and "serious health condition" not in shown

    coord.goto(live_server.url + "/leave/queue/")
    coord.get_by_role("link", name="Decide Erin Doyle's request").click()
    coord.get_by_label("Approve", exact=True).check()
    coord.get_by_role("button", name="Record the decision").click()
    coord.get_by_role("alert").wait_for()
    assert "explain the approval in your own words" in coord.get_by_role("alert").inner_text()
    coord.get_by_label("Approve", exact=True).check()
    coord.get_by_label("Reasons in your own words").fill("Operations allow this day: the unit is fully staffed.")
    coord.get_by_role("button", name="Record the decision").click()
    coord.get_by_role("heading", name="Requests to decide").wait_for()
    req.refresh_from_db()
    assert req.status == "approved" and "Sec. 8.7.2.B.4.c" in req.finding_at_decision["citations"]
    assert req.decision.text.startswith("Operations allow")

    # 5. HR closes the case; the counters now hold the 61st day.
    hr = sign_in(live_server.url, "hr")
    hr.goto(live_server.url + f"/employees/100002/fmla/{case.pk}/")
    hr_main = hr.get_by_role("main").inner_text()
    assert "Designated as family and medical leave" in hr_main and "The D-1 is complete" not in hr_main
    hr.get_by_role("button", name="Close the case").click()
    hr.get_by_text(f"FMLA case no. {case.pk} closed.").wait_for()
    case.refresh_from_db()
    assert case.status == "closed"
