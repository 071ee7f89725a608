"""FMLA cases and sealed medical documents.

``FmlaCase`` is the case record every role that may see the employee's leave data may see in part: the kind of
leave (Sec. 8.7.2.A family / 8.7.2.B medical), the reason, the schedule (continuous, intermittent, a modified
schedule), the expected dates, who opened it (the employee, or HR on the employer's knowledge — Sec. 8.1.M) and
its status. It holds NO diagnosis and no condition: those live only inside the encrypted documents. The values
match the rules core's (``openleave.rules.fmla``: REASONS family/medical as ``leave_type``, MODES as ``schedule``,
EVENTS birth/adoption/foster_placement among the reasons).

``MedicalDocument`` (its own table, apart from the leave records) is the metadata of one uploaded D-1, D-2 or other
medical evidence (Sec. 8.1.K): whose, which case, its kind, type and size, who uploaded it and when. Its content —
the file, its original name and any note — is ONE AES-256-GCM ciphertext in ``MedicalBlob`` (another table), with
the id of the key that sealed it; the key itself is never in the database (settings ``OPENLEAVE_MEDICAL_KEYS``).
The ciphertext's associated data binds it to its document's random ``ref`` and employee, so a blob copied onto
another row does not open (``openleave.medical.crypto``).

``FmlaDesignation`` is the coordinator's designation of a case as FMLA leave, or the refusal to (Sec. 8.1.M,
8.7.2): append-only — a new designation supersedes the current one (``supersedes``), never edits it, so a case has
exactly one current designation (the one nobody supersedes). It keeps the coordinator's reasons in their own words,
the citations, a waiver of the eligibility wait when one was granted (A.2/B.2, with its reasons), and the
entitlement as computed at designation (``rules.fmla.fmla_entitlement``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

LEAVE_TYPES = {
    "family": "Family leave (Sec. 8.7.2.A)",
    "medical": "Medical leave (Sec. 8.7.2.B)",
}
REASONS = {  # reason → (leave type, label)
    "birth": ("family", "Birth of a child"),
    "adoption": ("family", "Adoption of a child"),
    "foster_placement": ("family", "Placement of a foster child"),
    "own_condition": ("medical", "The employee's own serious health condition"),
    "care_spouse": ("medical", "Care of a spouse with a serious health condition"),
    "care_child": ("medical", "Care of a child with a serious health condition"),
    "care_parent": ("medical", "Care of a parent with a serious health condition"),
}
SCHEDULES = {
    "continuous": "Continuous",
    "intermittent": "Intermittent",
    "modified_schedule": "Modified (reduced) schedule",
}
OPENERS = {
    "employee": "The employee's request",
    "hr": "The employer's knowledge (HR, Sec. 8.1.M)",
}
DOCUMENT_KINDS = {
    "d1": "D-1: certification of the employee's own serious health condition",
    "d2": "D-2: certification of a family member's serious health condition",
    "other": "Other medical evidence (Sec. 8.1.K)",
}
CERTIFICATIONS = ("d1", "d2")


class FmlaCase(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="fmla_cases")
    leave_type = models.CharField(max_length=8, choices=list(LEAVE_TYPES.items()))
    reason = models.CharField(max_length=16, choices=[(k, v[1]) for k, v in REASONS.items()])
    schedule = models.CharField(max_length=17, choices=list(SCHEDULES.items()))
    expected_start = models.DateField()
    expected_end = models.DateField(null=True, blank=True, help_text="Empty: not yet known.")
    opened_by_role = models.CharField(max_length=8, choices=list(OPENERS.items()))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    certification_due = models.DateField(null=True, blank=True,
                                         help_text="When the certification (D-1/D-2) is due (Sec. 8.1.M), once "
                                                   "requested; empty: not requested.")
    certification_requested_on = models.DateField(null=True, blank=True,
                                                  help_text="When the coordinator requested the certification "
                                                            "(Sec. 8.7.2.B.1); empty: not requested.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        ordering = ["-expected_start", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(expected_end__isnull=True)
                                   | models.Q(expected_end__gte=models.F("expected_start")),
                                   name="fmla_case_end_not_before_start"),
            models.CheckConstraint(condition=models.Q(status="open", closed_at__isnull=True)
                                   | models.Q(status="closed", closed_at__isnull=False),
                                   name="fmla_case_closed_has_time"),
        ]

    def __str__(self) -> str:
        return f"FMLA case {self.pk} ({self.get_status_display().lower()}, from {self.expected_start})"


def _ref() -> str:
    return uuid.uuid4().hex


class MedicalDocument(models.Model):
    """The metadata of one sealed document; the content is in ``MedicalBlob`` (encrypted)."""

    ref = models.CharField(max_length=32, unique=True, default=_ref, editable=False,
                           help_text="Random: the document's address and part of its ciphertext's associated data.")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="medical_documents")
    case = models.ForeignKey(FmlaCase, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=8, choices=list(DOCUMENT_KINDS.items()))
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField(help_text="Bytes of the stored (re-encoded) file.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:  # never the file name or the content
        return f"medical document {self.pk}"


class MedicalBlob(models.Model):
    """One document's content, AES-256-GCM: nonce (12 bytes) ‖ ciphertext ‖ tag, under the key ``key_id``."""

    document = models.OneToOneField(MedicalDocument, on_delete=models.CASCADE, related_name="blob", primary_key=True)
    key_id = models.CharField(max_length=40, db_index=True)
    data = models.BinaryField()

    def __str__(self) -> str:
        return f"sealed blob of document {self.document_id} (key {self.key_id})"


OUTCOMES = {
    "designated": "Designated as family and medical leave",
    "declined": "Not designated",
}


class FmlaDesignation(models.Model):
    """One designation (or refusal) of a case; append-only. The current one is the one no other supersedes."""

    class Outcome(models.TextChoices):
        DESIGNATED = "designated", OUTCOMES["designated"]
        DECLINED = "declined", OUTCOMES["declined"]

    # CASCADE: only the retention run deletes a case (``privacy.py``), and its designations go with it; RESTRICT: a
    # designation another supersedes is never deleted alone.
    case = models.ForeignKey(FmlaCase, on_delete=models.CASCADE, related_name="designations")
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.RESTRICT,
                                      related_name="superseded_by",
                                      help_text="The designation this one replaces (never edited).")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reasons = models.TextField(help_text="The coordinator's reasons, in their own words (seen by the coordinator and "
                                         "the employee only).")
    citations = models.JSONField(default=list, blank=True)
    waiver_granted = models.BooleanField(default=False, help_text="The remaining eligibility wait was waived "
                                                                  "(Sec. 8.7.2.A.2 / B.2).")
    waiver_reasons = models.TextField(blank=True)
    eligibility = models.CharField(max_length=16, help_text="rules.fmla.fmla_eligibility at designation.")
    as_of = models.DateField(help_text="The day the entitlement was computed for.")
    weeks_allowed = models.DecimalField(max_digits=9, decimal_places=4)
    weeks_used = models.DecimalField(max_digits=9, decimal_places=4)
    weeks_remaining = models.DecimalField(max_digits=9, decimal_places=4)
    hours_remaining_micro = models.BigIntegerField()
    intermittent_days_allowed = models.DecimalField(max_digits=9, decimal_places=4)
    intermittent_days_used = models.DecimalField(max_digits=9, decimal_places=4)
    intermittent_days_remaining = models.DecimalField(max_digits=9, decimal_places=4)
    entitlement = models.JSONField(default=dict, blank=True, help_text="The whole Entitlement (as_json) and its reasons.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by_label = models.CharField(max_length=200)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            # Only the first designation of a case supersedes nothing: with ``supersedes`` one-to-one, the
            # designations of a case form one chain and exactly one of them is current.
            models.UniqueConstraint(fields=["case"], condition=models.Q(supersedes__isnull=True),
                                    name="fmla_designation_one_first_per_case"),
            models.CheckConstraint(condition=~models.Q(reasons=""), name="fmla_designation_has_reasons"),
            models.CheckConstraint(condition=models.Q(waiver_granted=False) | ~models.Q(waiver_reasons=""),
                                   name="fmla_designation_waiver_has_reasons"),
        ]

    def __str__(self) -> str:  # never the reasons
        return f"FMLA designation {self.pk} of case {self.case_id} ({self.outcome})"

    @property
    def is_designated(self) -> bool:
        return self.outcome == self.Outcome.DESIGNATED


REMINDER_KINDS = {
    "certification_due": "Certification (D-1/D-2) due soon (Sec. 8.1.M)",
    "certification_overdue": "Certification (D-1/D-2) overdue (Sec. 8.1.M)",
    "entitlement_ending": "FMLA entitlement ending (Sec. 8.7.2.A.1, B.1)",
    "intermittent_near": "Intermittent days nearly used (Sec. 8.7.2.B.4.a)",
    "intermittent_reached": "Intermittent days used (Sec. 8.7.2.B.4.a, B.4.c)",
}


class FmlaReminder(models.Model):
    """One reminder sent for a case (``manage.py fmla_reminders``): its kind and the date it is about. Unique, so
    no reminder goes out twice — a certification reminder names the certification's due date (a new due date is a
    new reminder); the entitlement and intermittent reminders name the case's expected start (once per case).
    Holds no medical detail: the kind, two dates, when it was sent and to how many people."""

    case = models.ForeignKey(FmlaCase, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=24, choices=list(REMINDER_KINDS.items()))
    due = models.DateField(help_text="The date the reminder is about (the certification's due date; the case's "
                                     "expected start for the once-per-case reminders).")
    sent_on = models.DateField(help_text="The day of the run that sent it (--today).")
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["case", "kind", "due"], name="fmla_reminder_once")]

    def __str__(self) -> str:
        return f"FMLA reminder {self.kind} for case {self.case_id} ({self.due})"
