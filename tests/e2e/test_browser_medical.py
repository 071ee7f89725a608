"""In Debian's chromium, at phone width: the employee opens an FMLA case, uploads a D-1 photo to it (its EXIF GPS is
removed), the supervisor sees the case with "certification received" and nothing more, and the employee sees the
coordinator's opening of the document on "who looked at my data"."""

from __future__ import annotations

import io

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_case_upload_and_who_looked(sign_in, live_server, tmp_path):
    from PIL import Image

    from openleave.medical import crypto
    from openleave.medical.models import MedicalDocument
    from openleave.people.demo import load_demo

    load_demo()
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (42.0, 21.0, 30.0)}
    buf = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 10)).save(buf, "JPEG", exif=exif.tobytes())
    photo = tmp_path / "neurology-note.jpg"
    photo.write_bytes(buf.getvalue())

    page = sign_in(live_server.url, "employee")
    page.goto(live_server.url + "/employees/100002/fmla/")
    page.get_by_label("Reason for the leave").select_option("own_condition")
    page.get_by_label("Schedule").select_option("intermittent")
    page.get_by_label("Expected first day").fill("2026-12-14")
    page.get_by_role("button", name="Open the case").click()
    page.get_by_role("heading", name="FMLA case no.").wait_for()
    page.get_by_role("link", name="Medical documents (sealed): view or upload").click()
    page.get_by_label("Kind of document").select_option("d1")
    page.get_by_label("FMLA case (optional)").select_option(index=1)
    page.get_by_label("File (PDF, JPEG or PNG)").set_input_files(str(photo))
    page.get_by_role("button", name="Upload and seal").click()
    page.get_by_text("Uploaded and sealed (D-1).").wait_for()

    doc = MedicalDocument.objects.get()
    opened = crypto.unpack(crypto.open_sealed(doc.blob.data, key_id=doc.blob.key_id,
                                              aad=crypto.associated_data(doc.ref, doc.employee_id)))
    assert opened.name == "neurology-note.jpg" and not Image.open(io.BytesIO(opened.content)).getexif()

    sup = sign_in(live_server.url, "supervisor")
    sup.goto(live_server.url + f"/employees/100002/fmla/{doc.case_id}/")
    text = sup.locator("main").inner_text()
    assert "Certification received on 2026-12-01" in text and "Intermittent" in text
    assert "serious health condition" not in text and "neurology" not in text and "Medical documents" not in text

    coord = sign_in(live_server.url, "medical")
    coord.goto(live_server.url + "/employees/100002/medical/")
    with coord.expect_download() as got:
        coord.get_by_role("link", name="Download").click()
    assert got.value.suggested_filename == "neurology-note.jpg"

    page.goto(live_server.url + "/me/access/")
    log = page.locator("main").inner_text()
    assert "Maya Chen" in log and "medical document read: D-1" in log
