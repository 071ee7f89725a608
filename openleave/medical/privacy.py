"""What the medical app holds about people, how long, and what a member's export contains — registered with
``openleave.privacy`` from ``MedicalConfig.ready()``.

The member's own export lists their FMLA cases in full and their medical documents as a list (kind, case, type,
size, who uploaded it, when) — not the files: each opens from their "medical documents" page, one logged read at
a time. Only the member downloads their export (``policy.can_export``), so no steward's or HR's export holds them.
"""

from __future__ import annotations

from django.db.models import Q

from openleave.privacy.exports import register_exporter
from openleave.privacy.registry import register
from openleave.privacy.retention import register_rule

SEALED = "the employee and the medical (FMLA) coordinator of their agency only"
CASE_WHO = ("status, schedule, dates and certification received / due: the employee; their supervisor; HR and the "
            "medical coordinator of their agency; auditors (read only); a steward the employee authorised")


def register_all() -> None:
    register("medical.FmlaCase", category="leave", retention="medical", who=CASE_WHO,
             why="the FMLA case: family or medical leave, its schedule and expected dates (Sec. 8.7.2, 8.1.M) — no "
                 "diagnosis and no condition",
             fields={"leave_type": {"category": "medical", "who": SEALED,
                                    "why": "family (Sec. 8.7.2.A) or medical (8.7.2.B) leave"},
                     "reason": {"category": "medical", "who": SEALED,
                                "why": "birth, adoption, placement; the employee's own serious health condition, or "
                                       "care of a spouse, child or parent — never the condition itself"},
                     "opened_by": {"category": "audit", "why": "who opened the case (accountability)"},
                     "closed_by": {"category": "audit", "why": "who closed the case (accountability)"}})
    register("medical.FmlaDesignation", category="leave", retention="medical", who=CASE_WHO,
             why="the coordinator's designation of an FMLA case, or the refusal (Sec. 8.1.M, 8.7.2): outcome, when, "
                 "by whom, and the entitlement used and remaining at designation",
             fields={"reasons": {"category": "medical", "who": SEALED,
                                 "why": "the coordinator's reasons in their own words (they may touch on the "
                                        "certification)"},
                     "waiver_reasons": {"category": "medical", "who": SEALED,
                                        "why": "why the eligibility wait was waived (Sec. 8.7.2.A.2 / B.2: "
                                               "catastrophic illness or problematic pregnancy)"},
                     "citations": {"category": "medical", "who": SEALED, "why": "the sections the designation rests on"},
                     "decided_by": {"category": "audit", "why": "who designated (accountability)"},
                     "decided_by_label": {"category": "audit", "why": "who designated, as named at the time"}},
             exclude=("supersedes",))
    register("medical.MedicalDocument", category="medical", retention="medical", who=SEALED,
             why="the metadata of a sealed D-1 / D-2 certification or other medical evidence (Sec. 8.7.2.B, 8.1.K, "
                 "8.1.M): kind, type, size, who uploaded it and when — never its name or content",
             fields={"uploaded_by": {"why": "who uploaded the document (accountability)"}},
             exclude=("ref",))
    register("medical.MedicalBlob", category="medical", retention="medical", who=SEALED,
             why="the document itself, its original file name and note: AES-256-GCM ciphertext only, bound to its "
                 "row; the key is outside the database (OPENLEAVE_MEDICAL_KEYS)",
             exclude=("key_id",))
    register("medical.FmlaReminder", category="leave", retention="medical",
             who="the system (manage.py fmla_reminders); the medical coordinator of the employee's agency",
             why="which reminder was sent for an FMLA case and when — certification due or overdue (Sec. 8.1.M), "
                 "entitlement ending, intermittent days (Sec. 8.7.2.B.4.a) — so none goes twice; no medical detail; "
                 "deleted with its case")
    register_rule(
        key="medical_documents", period="medical", action="delete",
        description="medical documents (and their sealed content) of cases closed, or uploaded without a case, "
                    "before the period",
        due=_documents_due, subject_of=lambda d: d.employee,
        label=lambda d: f"medical document {d.pk} (employee {d.employee.employee_number}, {d.uploaded_at:%Y-%m-%d})")
    register_rule(
        key="fmla_cases", period="medical", action="delete",
        description="FMLA cases closed before the period (once their documents are gone)",
        due=lambda cutoff: _cases().filter(closed_at__lt=cutoff, documents__isnull=True).select_related("employee")
        .order_by("id"),
        subject_of=lambda c: c.employee,
        label=lambda c: f"FMLA case {c.pk} (employee {c.employee.employee_number}, closed {c.closed_at:%Y-%m-%d})")
    register_exporter("medical")(export_rows)


def _cases():
    from .models import FmlaCase

    return FmlaCase.objects.all()


def _documents_due(cutoff):
    from .models import MedicalDocument

    return (MedicalDocument.objects.filter(Q(case__closed_at__lt=cutoff) | Q(case__isnull=True, uploaded_at__lt=cutoff))
            .select_related("employee").order_by("id"))


def export_rows(employee) -> dict[str, list[dict]]:
    from .models import FmlaCase, FmlaDesignation, MedicalDocument

    cases = [{"case": c.pk, "leave_type": c.leave_type, "reason": c.reason, "schedule": c.schedule,
              "expected_start": c.expected_start, "expected_end": c.expected_end, "opened_by": c.opened_by_role,
              "opened_at": c.opened_at, "certification_requested_on": c.certification_requested_on,
              "certification_due": c.certification_due, "status": c.status,
              "closed_at": c.closed_at}
             for c in FmlaCase.objects.filter(employee=employee).order_by("id")]
    docs = [{"document": d.ref, "kind": d.kind, "case": d.case_id, "content_type": d.content_type, "size_bytes": d.size,
             "uploaded_by": d.uploaded_by.display_name(), "uploaded_at": d.uploaded_at,
             "content": "sealed: open it from your medical documents page (/me/medical/)"}
            for d in MedicalDocument.objects.filter(employee=employee).select_related("uploaded_by").order_by("id")]
    designations = [{"designation": d.pk, "case": d.case_id, "supersedes": d.supersedes_id, "outcome": d.outcome,
                     "reasons": d.reasons, "citations": d.citations, "waiver_granted": d.waiver_granted,
                     "waiver_reasons": d.waiver_reasons, "as_of": d.as_of, "weeks_allowed": str(d.weeks_allowed),
                     "weeks_used": str(d.weeks_used), "weeks_remaining": str(d.weeks_remaining),
                     "intermittent_days_used": str(d.intermittent_days_used),
                     "intermittent_days_remaining": str(d.intermittent_days_remaining),
                     "decided_by": d.decided_by_label, "decided_at": d.decided_at}
                    for d in FmlaDesignation.objects.filter(case__employee=employee).order_by("id")]
    return {"fmla_cases": cases, "fmla_designations": designations, "medical_documents": docs}
