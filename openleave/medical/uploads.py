"""What an upload must be: a PDF, a JPEG or a PNG — judged by its content (its first bytes and a real parse:
pypdf for a PDF, Pillow for an image), never by its name or the browser's content type — and at most
``OPENLEAVE_MEDICAL_MAX_BYTES``. Images are re-encoded, which drops their metadata (EXIF: the camera, the time,
GPS coordinates; PNG text chunks); the pixels keep their orientation.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings

from .errors import MedicalError

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
MAGIC = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
MAX_PIXELS = 60_000_000  # a decompression bomb is refused, not decoded


@dataclass(frozen=True)
class Checked:
    content_type: str
    data: bytes


def limit_text() -> str:
    return f"{settings.OPENLEAVE_MEDICAL_MAX_BYTES / 1_000_000:g} MB"


def read_upload(f) -> bytes:
    """The upload's bytes, refusing one over the limit without reading further than one byte past it."""
    limit = settings.OPENLEAVE_MEDICAL_MAX_BYTES
    if f is None:
        raise MedicalError("choose a file to upload (PDF, JPEG or PNG).", field="file")
    if getattr(f, "size", None) is not None and f.size > limit:
        raise MedicalError(f"the file is too large: at most {limit_text()}.", field="file", status=413)
    data = f.read(limit + 1)
    if len(data) > limit:
        raise MedicalError(f"the file is too large: at most {limit_text()}.", field="file", status=413)
    if not data:
        raise MedicalError("the file is empty.", field="file")
    return data


def check(data: bytes) -> Checked:
    kind = next((ctype for magic, ctype in MAGIC if data.startswith(magic)), None)
    if kind is None:
        raise MedicalError("the file is not a PDF, a JPEG or a PNG (judged by its content, not its name): "
                           "upload one of those.", field="file", status=415)
    if kind == PDF:
        return Checked(PDF, _check_pdf(data))
    return Checked(kind, _reencode(data, kind))


def _check_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise MedicalError("the PDF is password-protected: the coordinator could not read it; upload it "
                                   "without a password.", field="file")
            pages = len(reader.pages)
            if pages:
                reader.pages[0].extract_text()  # parse the first page's content stream
    except MedicalError:
        raise
    except Exception:  # pypdf raises many kinds on a broken file
        raise MedicalError("the file starts like a PDF but is not a readable PDF.", field="file") from None
    if not pages:
        raise MedicalError("the PDF has no pages.", field="file")
    return data


def _reencode(data: bytes, kind: str) -> bytes:
    from PIL import Image, ImageOps

    fmt = "JPEG" if kind == JPEG else "PNG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != fmt:
                    raise ValueError("format")
                if probe.width * probe.height > MAX_PIXELS:
                    raise MedicalError(f"the image is too large: at most {MAX_PIXELS:,} pixels.", field="file")
                probe.verify()
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                img = ImageOps.exif_transpose(img)  # keep the orientation the EXIF tag gave, then drop the tag
                out = io.BytesIO()
                if fmt == "JPEG":
                    if img.mode not in ("RGB", "L", "CMYK"):
                        img = img.convert("RGB")
                    img.save(out, "JPEG", quality=90, optimize=True)  # no exif=, no icc/xmp: metadata dropped
                else:
                    img.save(out, "PNG", optimize=True)  # no pnginfo: text chunks dropped
    except MedicalError:
        raise
    except Exception:
        raise MedicalError(f"the file starts like a {fmt} but is not a readable {fmt} image.", field="file") from None
    return out.getvalue()
