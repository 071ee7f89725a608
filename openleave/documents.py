"""PDFs from the same templates as the pages (WeasyPrint), tagged for screen readers (PDF/UA-1).

A document template extends ``{{ base_template }}``: the page view passes ``"web/base.html"`` (``PAGE_BASE``),
``render_pdf`` passes ``"web/print.html"`` (``PRINT_BASE``), so the figures, words and citations of a
statement are written once. ``pdf_text`` reads a PDF back (pypdf) — for the tests that look for the figures.
"""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.template.loader import render_to_string

PAGE_BASE = "web/base.html"
PRINT_BASE = "web/print.html"
PDF_VARIANT = "pdf/ua-1"  # tagged PDF: structure, language and reading order for assistive technology


def page_context(context: dict) -> dict:
    """The context of the page (web) rendering of a document template."""
    return {**context, "base_template": PAGE_BASE, "pdf": False}


def render_pdf(template_name: str, context: dict, *, title: str, request=None) -> bytes:
    """The PDF of ``template_name`` rendered with the print base; ``title`` becomes the document title."""
    from weasyprint import HTML  # imported here: the pages must not pay WeasyPrint's import time

    html = render_to_string(template_name, {**context, "base_template": PRINT_BASE, "pdf": True,
                                            "document_title": title}, request=request)
    return HTML(string=html, base_url=None).write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False,
                                                       custom_metadata=True)


def pdf_response(template_name: str, context: dict, *, title: str, filename: str, request=None) -> HttpResponse:
    """A download of the document (``attachment``; personal data, so never cached)."""
    body = render_pdf(template_name, context, title=title, request=request)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def pdf_text(data: bytes) -> str:
    """All the text of a PDF, page after page (for tests and checks)."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
