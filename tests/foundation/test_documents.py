"""PDFs come from the page templates and are tagged (openleave.documents)."""

import io

from pypdf import PdfReader

from openleave import documents


def test_a_pdf_is_tagged_has_a_language_and_reads_back_as_text():
    data = documents.render_pdf("web/print.html", {}, title="Preliminary vacation statement")
    assert data.startswith(b"%PDF-")
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # tagged: structure for screen readers
    assert root["/Lang"] == "en"
    text = documents.pdf_text(data)
    assert "openleave applies the NAGE Unit 3 Agreement" in text


def test_the_page_context_uses_the_site_base():
    assert documents.page_context({"x": 1}) == {"x": 1, "base_template": "web/base.html", "pdf": False}
