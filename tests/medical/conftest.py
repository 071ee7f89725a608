"""Helpers for the medical tests: small real files made here (a PDF with pypdf, images with Pillow), the demo
organisation's erin as the employee, and a fixed pair of AES-256 keys in the settings."""

from __future__ import annotations

import base64
import io

import pytest

K1 = base64.urlsafe_b64encode(bytes(range(32))).decode()
K2 = base64.urlsafe_b64encode(bytes(range(100, 132))).decode()
SECRET = "MARKER-diagnosis-lupus-flare"  # a condition written inside the documents: nobody else may ever see it


@pytest.fixture(autouse=True)
def medical_keys(settings):
    settings.OPENLEAVE_MEDICAL_KEYS = {"k1": K1}
    settings.OPENLEAVE_MEDICAL_KEY_ID = "k1"
    return settings


def pdf_bytes(text: str = SECRET) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    w = PdfWriter()
    page = w.add_blank_page(width=200, height=200)
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 10 100 Td ({text}) Tj ET".encode())
    page[NameObject("/Contents")] = w._add_object(stream)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    from PIL import Image

    img = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "MARKER-CameraMaker"  # Make
    exif[0x0110] = "MARKER-CameraModel"  # Model
    gps = {1: "N", 2: (42.0, 21.0, 30.0), 3: "W", 4: (71.0, 3.0, 36.0)}  # Boston
    exif[0x8825] = gps
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_with_text() -> bytes:
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "MARKER-png-text")
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 0, 255)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def upload_file(data: bytes, name: str = "scan.pdf", content_type: str = "application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)
