"""Sealed medical documents: checked by content, images stripped of their metadata, AES-256-GCM at rest bound to
their row, every read logged and shown on the member's "who looked at my data" page, key rotation."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from openleave.audit.models import AccessLog
from openleave.medical import crypto, services
from openleave.medical.errors import MedicalError
from openleave.medical.models import MedicalBlob, MedicalDocument

from .conftest import K1, K2, SECRET, jpeg_with_gps, pdf_bytes, png_with_text, upload_file

pytestmark = pytest.mark.django_db


def _upload(user, employee, data=None, name="lupus-rheumatology-letter.pdf", kind="d1", **kw):
    return services.medical_document_upload(employee=employee, kind=kind, file=upload_file(data or pdf_bytes(), name),
                                            by=user, note=kw.pop("note", "note: " + SECRET), **kw)


def test_the_column_holds_ciphertext_not_the_plaintext(users, people):
    data = pdf_bytes()
    doc = _upload(users["employee"], people["erin"], data)
    with connection.cursor() as cur:  # the raw column, not through the model
        cur.execute("SELECT key_id, data FROM medical_medicalblob WHERE document_id = %s", [doc.pk])
        key_id, raw = cur.fetchone()
    raw = bytes(raw)
    assert key_id == "k1"
    assert SECRET.encode() not in raw and b"lupus" not in raw and b"%PDF" not in raw
    assert data not in raw
    assert len(raw) == len(crypto.pack("lupus-rheumatology-letter.pdf", "note: " + SECRET, data)) + 12 + 16
    # and no other column of the document row holds the name or the note either
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM medical_medicaldocument WHERE id = %s", [doc.pk])
        row = " ".join(str(v) for v in cur.fetchone())
    assert "lupus" not in row and SECRET not in row


def test_the_employee_opens_their_document_and_the_read_is_logged(users, people, client_for):
    erin = people["erin"]
    doc = _upload(users["employee"], erin)
    c = client_for(users["medical"])
    r = c.get(f"/medical/documents/{doc.ref}/")
    assert r.status_code == 200 and r.content == pdf_bytes()
    assert r["Content-Disposition"] == 'attachment; filename="lupus-rheumatology-letter.pdf"'
    assert "no-store" in r["Cache-Control"]
    row = AccessLog.objects.filter(subject=erin, object_type="medical_document", action="read").latest("id")
    assert row.actor == users["medical"] and row.category == "medical" and str(row.object_id) == str(doc.pk)
    assert "lupus" not in row.fields and SECRET not in row.fields
    # the member sees it on "who looked at my data"
    page = client_for(users["employee"]).get("/me/access/").content.decode()
    assert users["medical"].display_name() in page and "medical document read: D-1" in page


def test_a_blob_moved_to_another_row_does_not_open(users, people):
    a = _upload(users["employee"], people["erin"])
    b = _upload(users["employee"], people["erin"], pdf_bytes("other"), name="b.pdf")
    MedicalBlob.objects.filter(pk=b.pk).update(data=MedicalBlob.objects.get(pk=a.pk).data)
    b.refresh_from_db()
    with pytest.raises(crypto.SealBroken):
        crypto.open_sealed(b.blob.data, key_id=b.blob.key_id, aad=crypto.associated_data(b.ref, b.employee_id))


def test_a_jpeg_loses_its_exif_gps_and_camera(users, people):
    from PIL import Image

    data = jpeg_with_gps()
    assert b"MARKER-CameraMaker" in data and Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # it had them
    doc = _upload(users["employee"], people["erin"], data, name="photo.jpg", kind="other")
    opened = crypto.unpack(crypto.open_sealed(doc.blob.data, key_id="k1",
                                              aad=crypto.associated_data(doc.ref, doc.employee_id)))
    assert doc.content_type == "image/jpeg" and opened.content.startswith(b"\xff\xd8\xff")
    img = Image.open(io.BytesIO(opened.content))
    assert img.size == (40, 30)
    assert not img.getexif() and not img.getexif().get_ifd(0x8825)
    assert b"MARKER-Camera" not in opened.content and b"Exif" not in opened.content


def test_a_png_loses_its_text_chunks(users, people):
    doc = _upload(users["employee"], people["erin"], png_with_text(), name="x.png", kind="other")
    opened = crypto.unpack(crypto.open_sealed(doc.blob.data, key_id="k1",
                                              aad=crypto.associated_data(doc.ref, doc.employee_id)))
    assert opened.content.startswith(b"\x89PNG") and b"MARKER-png-text" not in opened.content


@pytest.mark.parametrize("data, name, expected", [
    (b"MZ\x90\x00 an executable", "certificate.pdf", "not a PDF, a JPEG or a PNG"),
    (b"<html><script>alert(1)</script>", "note.png", "not a PDF, a JPEG or a PNG"),
    (b"%PDF-1.7\n garbage that is no PDF", "d1.pdf", "not a readable PDF"),
    (b"\xff\xd8\xff\xe0 truncated jpeg", "x.jpg", "not a readable JPEG"),
    (b"\x89PNG\r\n\x1a\n broken", "x.png", "not a readable PNG"),
    (b"", "empty.pdf", "empty"),
])
def test_a_bad_file_is_refused_by_content_and_nothing_is_stored(users, people, data, name, expected):
    before = (MedicalDocument.objects.count(), MedicalBlob.objects.count(), AccessLog.objects.count())
    with pytest.raises(MedicalError) as exc:
        services.medical_document_upload(employee=people["erin"], kind="d1", file=upload_file(data, name),
                                         by=users["employee"])
    assert expected in exc.value.message and exc.value.field == "file"
    assert (MedicalDocument.objects.count(), MedicalBlob.objects.count(), AccessLog.objects.count()) == before


def test_a_png_named_pdf_is_judged_by_its_content(users, people):
    doc = _upload(users["employee"], people["erin"], png_with_text(), name="looks-like.pdf", kind="other")
    assert doc.content_type == "image/png"


def test_the_size_limit(users, people, settings, client_for):
    settings.OPENLEAVE_MEDICAL_MAX_BYTES = 3_000_000
    erin = people["erin"]
    big = pdf_bytes() + b"%" + b"x" * 2_800_000  # a valid PDF with a trailing comment: 2.8 MB, over 2.5 MB
    c = client_for(users["employee"])
    url = f"/employees/{erin.employee_number}/medical/upload/"
    r = c.post(url, {"kind": "d1", "file": upload_file(big, "big.pdf")})
    assert r.status_code == 302, r.content.decode()[:500]  # allowed size passes the request guard
    too_big = pdf_bytes() + b"%" + b"x" * 3_100_000
    r = c.post(url, {"kind": "d1", "file": upload_file(too_big, "huge.pdf")})
    assert r.status_code == 413 and "at most 3 MB" in r.content.decode()
    way_too_big = b"%PDF-" + b"x" * 3_400_000  # beyond the body limit: refused before it is read
    r = c.post(url, {"kind": "d1", "file": upload_file(way_too_big, "huger.pdf")})
    assert r.status_code == 413 and "The upload is too large" in r.content.decode()
    r = client_for(users["employee"]).post(f"/api/employees/{erin.employee_number}/medical-documents",
                                           {"kind": "d1", "file": upload_file(way_too_big, "huger.pdf")})
    assert r.status_code == 413 and "at most 3 MB" in r.json()["detail"]
    assert MedicalDocument.objects.filter(employee=erin).count() == 1


def test_upload_page_and_api_by_the_coordinator(users, people, client_for):
    erin = people["erin"]
    c = client_for(users["medical"])
    r = c.post(f"/api/employees/{erin.employee_number}/medical-documents",
               {"kind": "d2", "note": "mother's condition", "file": upload_file(pdf_bytes(), "d2.pdf")})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["kind"] == "d2" and body["content_type"] == "application/pdf" and "d2.pdf" not in r.content.decode()
    r = c.get(body["content_url"])
    assert r.status_code == 200 and r.content == pdf_bytes()
    listing = c.get(f"/api/employees/{erin.employee_number}/medical-documents").json()
    assert [d["ref"] for d in listing] == [body["ref"]]
    r = c.post(f"/api/employees/{erin.employee_number}/medical-documents",
               {"kind": "d1", "file": upload_file(b"not a pdf at all", "d1.pdf")})
    assert r.status_code == 415 and r.json()["field"] == "file", r.content
    page = c.get(f"/employees/{erin.employee_number}/medical/").content.decode()
    assert "D-2" in page and "Download" in page and "d2.pdf" not in page


def test_rotation_reencrypts_and_the_old_key_no_longer_opens(users, people, settings):
    docs = [_upload(users["employee"], people["erin"], pdf_bytes(f"doc {n}"), name=f"{n}.pdf") for n in range(5)]
    old_raw = {d.pk: bytes(MedicalBlob.objects.get(pk=d.pk).data) for d in docs}
    settings.OPENLEAVE_MEDICAL_KEYS = {"k1": K1, "k2": K2}
    settings.OPENLEAVE_MEDICAL_KEY_ID = "k2"
    out = io.StringIO()
    call_command("rotate_medical_key", "--batch", "2", stdout=out)
    assert "Re-encrypted 5 document(s) under key k2" in out.getvalue()
    again = io.StringIO()
    call_command("rotate_medical_key", stdout=again)  # idempotent
    assert "Re-encrypted 0 document(s) under key k2 (5 already were); 0 left" in again.getvalue()
    settings.OPENLEAVE_MEDICAL_KEYS = {"k2": K2}  # the old key removed from the settings
    for n, d in enumerate(docs):
        blob = MedicalBlob.objects.get(pk=d.pk)
        aad = crypto.associated_data(d.ref, d.employee_id)
        assert blob.key_id == "k2" and bytes(blob.data) != old_raw[d.pk]
        assert crypto.unpack(crypto.open_sealed(blob.data, key_id="k2", aad=aad)).content == pdf_bytes(f"doc {n}")
        with pytest.raises(crypto.SealBroken):  # the raw blob no longer decrypts with the old key
            crypto.open_sealed(blob.data, key_id="k1", aad=aad, key=crypto.base64.urlsafe_b64decode(K1))
    rows = AccessLog.objects.filter(object_type="medical_document", actor_label__contains="rotate_medical_key")
    assert rows.count() == 5 and all(r.subject_id == people["erin"].pk for r in rows)


def test_rotation_is_resumable_after_an_interruption(users, people, settings, monkeypatch):
    from openleave.medical import rotation

    docs = [_upload(users["employee"], people["erin"], pdf_bytes(f"doc {n}"), name=f"{n}.pdf") for n in range(4)]
    settings.OPENLEAVE_MEDICAL_KEYS = {"k1": K1, "k2": K2}
    settings.OPENLEAVE_MEDICAL_KEY_ID = "k2"
    real_seal, calls = crypto.seal, []

    def failing_seal(*a, **kw):
        calls.append(1)
        if len(calls) == 3:
            raise crypto.SealBroken("interrupted")
        return real_seal(*a, **kw)

    monkeypatch.setattr(crypto, "seal", failing_seal)
    with pytest.raises(crypto.SealBroken):
        rotation.rotate(batch=2)
    assert rotation.pending("k2") == 2  # the first batch is done, the second rolled back whole
    monkeypatch.setattr(crypto, "seal", real_seal)
    assert rotation.rotate(batch=2).done == 2 and rotation.pending("k2") == 0
    assert {MedicalBlob.objects.get(pk=d.pk).key_id for d in docs} == {"k2"}


def test_rotation_refuses_when_an_old_key_is_missing(users, people, settings):
    from django.core.management.base import CommandError

    _upload(users["employee"], people["erin"])
    settings.OPENLEAVE_MEDICAL_KEYS = {"k2": K2}
    settings.OPENLEAVE_MEDICAL_KEY_ID = "k2"
    with pytest.raises(CommandError) as exc:  # manage.py prints it as one line on stderr, exit code 2
        call_command("rotate_medical_key")
    assert exc.value.returncode == 2
    assert "\n" not in str(exc.value) and "k1" in str(exc.value) and "nothing written" in str(exc.value)
    assert MedicalBlob.objects.get().key_id == "k1"


@pytest.mark.clock("2030-06-01T12:00:00-04:00")
def test_retention_purges_documents_three_years_after_their_case_closed(users, people):
    """29 CFR 825.500: at least 3 years. A case closed 2026-12-01 (the upload day) is due on 2029-12-01; on
    2030-06-01 its documents (and their sealed blobs) go first, then the case itself."""
    import datetime as dt

    from openleave.medical.models import FmlaCase
    from openleave.privacy import retention

    erin = people["erin"]
    at = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
    case = FmlaCase.objects.create(employee=erin, leave_type="medical", reason="own_condition", schedule="continuous",
                                   expected_start=dt.date(2026, 12, 7), opened_by_role="employee",
                                   opened_by=users["employee"], opened_at=at)
    doc = _upload(users["employee"], erin, case=case)
    FmlaCase.objects.filter(pk=case.pk).update(status="closed", closed_at=at)
    recent = FmlaCase.objects.create(employee=erin, leave_type="family", reason="birth", schedule="continuous",
                                     expected_start=dt.date(2030, 5, 1), opened_by_role="employee",
                                     opened_by=users["employee"], status="closed",
                                     closed_at=dt.datetime(2030, 5, 1, tzinfo=dt.UTC))
    retention.apply(dry_run=False)
    assert not MedicalDocument.objects.filter(pk=doc.pk).exists() and not MedicalBlob.objects.filter(pk=doc.pk).exists()
    assert not FmlaCase.objects.filter(pk=case.pk).exists()
    assert FmlaCase.objects.filter(pk=recent.pk).exists()  # closed a month ago: kept
    assert AccessLog.objects.filter(subject=erin, action="purge", object_type="medicaldocument").count() == 1
