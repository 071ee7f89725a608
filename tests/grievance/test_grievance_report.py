"""The pre-filled grievance report (Appendix B) as a page and a tagged PDF from one template: the Article(s) from the
decision's grounds and finding, the statement with the decider's words and the dates, the Soc. Sec. # blank."""

from __future__ import annotations

import pytest

from openleave.documents import pdf_text

pytestmark = pytest.mark.django_db


def test_the_pdf_has_the_articles_the_dates_and_no_ssn(denied, client_for, users):
    r = client_for(users["employee"]).get(f"/grievance/decision/{denied.pk}/report.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    import io

    from pypdf import PdfReader

    root = PdfReader(io.BytesIO(r.content)).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "en"  # tagged (PDF/UA-1), with its language
    assert "no-store" in r["Cache-Control"] and r["Content-Disposition"].startswith("attachment")
    text = " ".join(pdf_text(r.content).split())
    # The ground "vacation_impracticable" cites Sec. 9.8; the finding at decision cites Sec. 9.8 and 9.10: Article 9.
    assert "Article 9" in text and "Sec. 9.8" in text and "Sec. 9.10" in text
    # the denial of 2026-12-01, the leave of 2026-12-07, the Step I limit 2026-12-01 + 21 = 2026-12-22 (Sec. 23.2)
    assert "2026-12-01" in text and "2026-12-07" in text and "2026-12-22" in text
    assert "We are short-staffed that week." in text
    # the balances at the decision: the fixture's openings, vacation 75 h and sick 150 h (nothing used yet)
    assert "Vacation: 75 h" in text and "Sick leave: 150 h" in text
    assert "Erin Doyle" in text and "Unit 3" in text and "NAGE" in text and "Sean McCarthy" in text
    assert "Soc. Sec. #" in text and "never holds a Social Security number" in text
    assert "Relief or remedy sought".lower() in text.lower() and "Grievant's Signature" in text


def test_the_page_is_the_same_template(denied, client_for, users):
    body = client_for(users["employee"]).get(f"/grievance/decision/{denied.pk}/report/").content.decode()
    assert "Grievance Report" in body and "Article 9" in body and "Step #" in body
    assert "Download this report (PDF)" in body
