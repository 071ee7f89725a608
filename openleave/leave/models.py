"""Leave requests, their findings and decisions, the charges fixed at decision, notifications,
absences without approved leave, and the organisation's auto-approval settings.

* A request keeps the rule finding at submission and at decision (JSON snapshots: outcome, hours,
  charges, citations, reasons, grounds) — what the employee and the decider saw.
* ``replay_inputs`` keeps, beside each finding, the inputs the rules core got and the contract's content hash and
  code version (``rules.provenance``): the decision page's "Check this yourself" scenario file and
  ``manage.py replay_decisions`` are built from it (``leave.replay``).
* Kind-specific facts are categories only (purpose, relation, dates) — never a diagnosis: each kind
  declares its facts (``rules/requests/<kind>.py``) and anything else is refused (``openleave.kinds``).
* Charges are fixed when the request is decided (``RequestCharge``); a later change to the holiday
  calendar, the schedule or the parameters never rewrites them. Credits that live in the ledger
  (sick, vacation, personal, comp time, emergency day) are posted there with an idempotency key; a
  cancellation or correction is an explicit, cited reversal.
* A request is decided once (the service moves the status with a conditional UPDATE); a decision may
  then be reconsidered (Art. 23): a new ``Decision`` that ``reconsiders`` the one before, which stays
  exactly as it was. The chain has one current decision — the one nothing reconsiders
  (``LeaveRequest.decision``). A ``GrievanceOutcome`` recorded by HR may order a correction through the
  same machinery, or a cited ledger entry (restored credits, a reversal). Both are append-only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from openleave.kinds import LABELS
from openleave.rules.requests import KINDS

KIND_LABELS = LABELS  # derived from the kinds' declarations (openleave.kinds)


class LeaveRequest(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted — awaiting a decision"
        APPROVED = "approved", "Approved"
        PARTLY_APPROVED = "partly_approved", "Partly approved"
        DENIED = "denied", "Denied"
        TAKEN = "taken", "Taken"
        CANCELLED = "cancelled", "Cancelled"
        AMENDED = "amended", "Replaced by an amended request"
        CORRECTED = "corrected", "Corrected after the fact (reversed)"

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="leave_requests")
    kind = models.CharField(max_length=20, choices=[(k, KIND_LABELS[k]) for k in KINDS])
    start_date = models.DateField()
    end_date = models.DateField()
    start_time = models.TimeField(null=True, blank=True, help_text="For a partial day: the time the leave starts.")
    end_time = models.TimeField(null=True, blank=True, help_text="For a partial day: the time the leave ends.")
    hours = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True,
                                help_text="Time off asked when less than the scheduled hours of the range.")
    facts = models.JSONField(default=dict, blank=True, help_text="Kind-specific facts: categories and dates, never a diagnosis.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    requested_micro = models.BigIntegerField(default=0)
    allowed_micro = models.BigIntegerField(default=0, help_text="What the contract allows, at submission.")
    approved_micro = models.BigIntegerField(default=0, help_text="What the decider approved (fixed at decision).")
    protected = models.BooleanField(default=False, help_text="Protected kind: a supervisor sees only the category.")
    visible_kind = models.CharField(max_length=60, blank=True, help_text="The kind as a supervisor may see it.")
    finding_at_submission = models.JSONField(default=dict, blank=True)
    finding_at_decision = models.JSONField(default=dict, blank=True)
    replay_inputs = models.JSONField(
        default=dict, blank=True,
        help_text="What each finding relied on, by moment (submission, decision): the employee's facts, the ask and "
                  "the RequestContext the rules got, the contract parameters' content hash and the code version "
                  "(rules.provenance). Only this member's data.")
    reserved = models.JSONField(default=dict, blank=True,
                                help_text="Charges held while the request awaits a decision: leave type → micro-hours.")
    days = models.JSONField(default=dict, blank=True, help_text="Approved hours per date (fixed at decision).")
    amends = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="amended_by")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, help_text="Cancelled, amended or corrected at.")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    close_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["employee", "status", "start_date"], name="leave_req_emp_status"),
            models.Index(fields=["status", "start_date"], name="leave_req_status_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="leave_req_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.start_date}..{self.end_date} ({self.get_status_display()})"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def decision(self) -> Decision | None:
        """The current decision: the last of the chain (a reconsideration always comes after the decision it
        reconsiders, and a decision is reconsidered at most once). Uses ``prefetch_related("decisions")``."""
        chain = list(self.decisions.all())
        return max(chain, key=lambda d: d.pk) if chain else None


class Decision(models.Model):
    """Who decided a request, when, and why. The first decision of a request, then any reconsiderations,
    each linked to the one it reconsiders (``reconsiders``); a decision is never changed afterwards."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        PARTLY_APPROVED = "partly_approved", "Partly approved"
        DENIED = "denied", "Denied"

    class As(models.TextChoices):
        SUPERVISOR = "supervisor", "Supervisor"
        APPOINTING_AUTHORITY = "appointing_authority", "Appointing Authority / HR"
        AUTO = "auto", "Automatic, by an organisation setting"
        GRIEVANCE = "grievance_outcome", "Grievance outcome, recorded by HR / the Appointing Authority"

    request = models.ForeignKey(LeaveRequest, on_delete=models.PROTECT, related_name="decisions")
    reconsiders = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="reconsidered_by",
                                       help_text="The decision this one reconsiders (Art. 23); it stays as it was.")
    finding_at_reconsideration = models.JSONField(
        default=dict, blank=True, help_text="A reconsideration: the contract's finding re-run at that time.")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    approved_micro = models.BigIntegerField()
    grounds = models.JSONField(default=list, blank=True, help_text="Codes of the contract's grounds (with text and cite).")
    text = models.TextField(blank=True, help_text="The decider's reasons in their own words.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_by_label = models.CharField(max_length=200)
    decided_as = models.CharField(max_length=24, choices=As.choices)
    auto_setting = models.ForeignKey("AutoApproval", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    auto_rule = models.CharField(max_length=300, blank=True)
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["request"], condition=Q(reconsiders__isnull=True),
                                               name="leave_decision_one_first")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} by {self.decided_by_label} at {self.decided_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("A decision is never changed: reconsider it (a new decision).")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A decision is never deleted.")


class RequestCharge(models.Model):
    """A charge fixed at decision: leave type and micro-hours, in the contract's charging units."""

    request = models.ForeignKey(LeaveRequest, on_delete=models.PROTECT, related_name="charges")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="charges",
                                 help_text="The decision that fixed this charge (a reconsideration adds its own).")
    leave_type = models.CharField(max_length=30, help_text="The rules' name: sick, vacation, bereavement, …")
    micro = models.BigIntegerField()
    ledger_key = models.CharField(max_length=120, blank=True, help_text="Idempotency key of the ledger debit, if any.")
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversal_key = models.CharField(max_length=120, blank=True)
    reversal_cite = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["decision", "leave_type"], name="leave_charge_once_per_decision")]

    def __str__(self) -> str:
        return f"{self.leave_type} {self.micro} µh for request {self.request_id}"


class AutoApproval(models.Model):
    """The organisation's switch for automatic approval of one named leave kind (off unless a row says on)."""

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=[(k, KIND_LABELS[k]) for k in KINDS])
    enabled = models.BooleanField(default=False)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "kind"], name="leave_auto_once_per_kind")]

    def __str__(self) -> str:
        return f"Auto-approval of {self.kind} in {self.agency.code}: {'on' if self.enabled else 'off'}"


class Absence(models.Model):
    """An absence without approved leave, recorded by the supervisor and shown to the employee."""

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="absences")
    date = models.DateField()
    micro = models.BigIntegerField(help_text="Hours absent, in micro-hours.")
    note = models.CharField(max_length=300, help_text="What happened (no medical details).")
    cite = models.CharField(max_length=80, default="Sec. 8.1.K.3, Sec. 8.11")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [models.UniqueConstraint(fields=["employee", "date"], name="leave_absence_once_a_day")]

    def __str__(self) -> str:
        return f"Absence {self.date} ({self.micro} µh)"


class Notification(models.Model):
    """An in-app message (also e-mailed after commit when the user has an address)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leave_notifications")
    request = models.ForeignKey(LeaveRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="leave_notif_user_unread")]

    def __str__(self) -> str:
        return self.subject


class StateOfEmergency(models.Model):
    """A declared state of emergency for an agency and dates, recorded by HR / the Appointing Authority
    (MOU Regarding State of Emergency). While it covers every date of a request, emergency personnel
    with a documented hardship may use their leave balances (personal leave first)."""

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField()
    reason = models.CharField(max_length=300, help_text="The declaration: by whom, what (e.g. Governor's declaration, blizzard).")
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["agency", "start_date"], name="leave_soe_agency_start")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="leave_soe_end_after_start"),
        ]
        verbose_name = "state of emergency"
        verbose_name_plural = "states of emergency"

    def __str__(self) -> str:
        return f"State of emergency in {self.agency.code}: {self.start_date}..{self.end_date}"


class GrievanceOutcome(models.Model):
    """The outcome of a grievance (Art. 23), recorded by HR / the Appointing Authority: the act grieved (a
    decision, a ledger entry such as a forfeiture or an adjustment, or another act named in words), the step,
    the result, the date, the reference and the text. A sustained or modified outcome may order a correction:
    the denied hours approved (``correction_decision``, a reconsideration decided as the grievance outcome)
    or a cited ledger entry (``correction_entry``: credits restored, or a reversal). Append-only."""

    class Result(models.TextChoices):
        SUSTAINED = "sustained", "Sustained"
        MODIFIED = "modified", "Modified"
        DENIED = "denied", "Denied"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Step(models.TextChoices):
        I = "I", "Step I"  # noqa: E741 — the contract's name of the step
        II = "II", "Step II"
        III = "III", "Step III (HRD)"
        IV = "IV", "Step IV (arbitration)"

    class Correction(models.TextChoices):
        NONE = "none", "No correction"
        APPROVE = "approve", "Approve the denied hours"
        RESTORE = "restore", "Restore the forfeited credits"
        REVERSE = "reverse", "Reverse the adjustment"

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="grievance_outcomes", help_text="The decision grieved, if one.")
    ledger_entry = models.ForeignKey("ledger.LedgerEntry", null=True, blank=True, on_delete=models.DO_NOTHING,
                                     db_constraint=False, related_name="+",
                                     help_text="The ledger entry grieved (a forfeiture, an adjustment), if one.")
    act = models.CharField(max_length=300, blank=True, help_text="Another act grieved, in words.")
    result = models.CharField(max_length=12, choices=Result.choices)
    step = models.CharField(max_length=4, choices=Step.choices)
    decided_on = models.DateField(help_text="The date of the outcome.")
    reference = models.CharField(max_length=80, help_text="The grievance's reference (number, docket).")
    text = models.TextField(help_text="The outcome in its own words.")
    correction = models.CharField(max_length=10, choices=Correction.choices, default=Correction.NONE)
    correction_micro = models.BigIntegerField(default=0, help_text="Hours ordered (micro-hours), if any.")
    correction_decision = models.OneToOneField(Decision, null=True, blank=True, on_delete=models.PROTECT,
                                               related_name="ordered_by")
    correction_entry = models.ForeignKey("ledger.LedgerEntry", null=True, blank=True, on_delete=models.DO_NOTHING,
                                         db_constraint=False, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "step"], condition=Q(decision__isnull=False),
                                    name="leave_outcome_once_per_decision_step"),
            models.UniqueConstraint(fields=["ledger_entry", "step"], condition=Q(ledger_entry__isnull=False),
                                    name="leave_outcome_once_per_entry_step"),
            models.UniqueConstraint(fields=["employee", "reference", "step"], name="leave_outcome_once_per_reference"),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.get_result_display()} ({self.reference})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("A grievance outcome is never changed: record the next step's outcome.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A grievance outcome is never deleted.")
