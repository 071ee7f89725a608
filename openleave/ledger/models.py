"""The leave ledger: exact, append-only, cited.

* A balance is the sum of entries (never a stored counter). Amounts are integer micro-hours
  (1 h = 1,000,000 µh, ``openleave.rules.units``), never floats.
* Entries are never edited or deleted: a correction is a ``REVERSAL`` of the wrong entry plus a new
  entry. ``save()`` refuses an existing row, ``delete()`` and queryset ``update()``/``delete()``
  refuse, the admin is read-only, and on PostgreSQL/SQLite a trigger refuses ``UPDATE``
  (PostgreSQL also ``DELETE``). Past those (a superuser, the owner, anyone with the SQLite file), the
  entries' hash chain shows a changed, deleted or forged line: ``LedgerSeal`` blocks written by a separate
  streaming pass (``openleave.ledger.chain``), anchored by signed checkpoints; in production the app's
  database role has only SELECT and INSERT here (docs/tamper-evidence.md).
* Idempotency. A bulk run (biweekly accrual, January annual credits) writes one ``AccrualRun``
  row — unique per (pay calendar, period start, leave set) — in the SAME transaction as its
  INSERT…SELECT of entries, so a repeated or killed-and-repeated run can never credit twice and the
  bulk rows need no per-row unique key (a per-row key would triple the write cost, see
  docs/benchmarks.md). Every other entry carries an idempotency ``key``, unique where not NULL
  (a partial index the bulk rows never touch).
* Scale (1,000,000 employees × 10 years ≈ 520 M accrual rows): the one index on the hot table is
  (employee, leave, effective_date), which serves "balance as of D" from the latest
  ``LedgerCheckpoint`` (a derived, cited year-end balance, Sec. 9.1) plus at most one vacation
  year of entries. The FK to the employee is kept in Django but has no database constraint and
  no index of its own: the composite index already starts with ``employee_id``, and the FK check
  would cost one employee-PK lookup per inserted row (2,000,000 per run). Employees are never
  deleted (``Employee.delete`` and the admin refuse, and ``on_delete=PROTECT`` here), so the constraint
  protects nothing the application does not already guarantee.
* Citations. Every entry records its contract citations: in ``cite`` (single entries), or — bulk
  accrual rows — as a 2-byte ``cite_set`` id of a ``LedgerCitation`` row holding the full text, written
  once; ``LedgerEntry.citations()`` gives the text either way. The reason of a bulk row is derived
  from its run, ``band`` and ``paid_micro`` (``selectors.explain``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Leave(models.IntegerChoices):
    """Leave types as small integer codes (keeps 2,000,000-row runs lean)."""

    SICK = 1, "Sick leave"  # Sec. 8.1
    VACATION = 2, "Vacation"  # Art. 9
    PERSONAL = 3, "Personal leave"  # Sec. 8.2
    EMERGENCY = 4, "State of Emergency day"  # MOU Regarding State of Emergency
    COMP = 5, "Compensatory time"  # Art. 7
    HOLIDAY = 6, "Holiday compensatory time"  # Art. 10


# The leave types by the rules' names (one name each: rules/requests' credits); the codes in the database do not change.
LEAVE_SLUGS = {Leave.SICK: "sick", Leave.VACATION: "vacation", Leave.PERSONAL: "personal",
               Leave.EMERGENCY: "emergency_day", Leave.COMP: "comp_time", Leave.HOLIDAY: "holiday"}
OLD_SLUGS = {"emergency": Leave.EMERGENCY, "comp": Leave.COMP}  # the older spellings, still accepted in a path
LEAVE_BY_SLUG = {**{v: k for k, v in LEAVE_SLUGS.items()}, **OLD_SLUGS}
# The slugs are the pure core's leave names (``openleave.rules.ledger.LEAVE_TYPES``) plus holiday.


class Kind(models.IntegerChoices):
    """What an entry records (named like the events they are)."""

    ACCRUAL = 1, "Accrued"
    ANNUAL_CREDIT = 2, "Annual credit"
    USAGE = 3, "Charged"
    FORFEITURE = 4, "Forfeited"
    ADJUSTMENT = 5, "Adjusted"
    TRANSFER_IN = 6, "Transferred in"
    REVERSAL = 7, "Reversed"
    OPENING = 8, "Opening balance"
    EXPIRY = 9, "Expired"  # a compensatory day not taken within its window (Sec. 10.3-10.5)
    CONVERSION = 10, "Converted"  # one leave type into another, e.g. vacation to sick on industrial accident (Sec. 9.15)
    PAYOUT = 11, "Paid out"  # credits paid on separation (Sec. 9.11, 7.2.G, 8.1.O)
    EARNED = 12, "Earned"  # a compensatory day or comp time earned by work (Sec. 10.3-10.5, 7.2.G)
    RESTORED = 13, "Restored"  # credits restored on reinstatement (Sec. 8.1.H, 9.7, 9.12)


# The pure core's entry kinds (``openleave.rules.ledger.KINDS``), one to one.
KIND_SLUGS = {Kind.ACCRUAL: "accrual", Kind.ANNUAL_CREDIT: "annual_credit", Kind.USAGE: "usage",
              Kind.FORFEITURE: "forfeiture", Kind.ADJUSTMENT: "adjustment", Kind.TRANSFER_IN: "transfer_in",
              Kind.REVERSAL: "reversal", Kind.OPENING: "opening", Kind.EXPIRY: "expiry",
              Kind.CONVERSION: "conversion", Kind.PAYOUT: "payout", Kind.EARNED: "earned", Kind.RESTORED: "restored"}
KIND_BY_SLUG = {v: k for k, v in KIND_SLUGS.items()}


class AppendOnly(Exception):
    """Ledger entries are never changed or deleted; post a reversal and a new entry."""


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("ledger entries are never updated; post a reversal and a new entry")

    def delete(self):
        raise AppendOnly("ledger entries are never deleted; post a reversal")


class AccrualRun(models.Model):
    """One bulk run for one pay period and one set of leave types, written in the same transaction
    as its entries: its unique constraint is the run's idempotency key."""

    class LeaveSet(models.TextChoices):
        BIWEEKLY = "biweekly", "Biweekly accrual: sick (Sec. 8.1.A/B/D) and vacation (Sec. 9.2–9.6)"
        ANNUAL = "annual", "January credits: personal leave (Sec. 8.2) and the emergency day (MOU)"
        YEAR_END = "year_end", ("Year end: forfeitures (Sec. 9.8, 8.2.B, MOU) and the Sec. 9.15 conversion; "
                                "period = the last pay period of the vacation year (Sec. 9.1)")

    pay_calendar = models.ForeignKey("people.PayCalendar", on_delete=models.PROTECT, related_name="accrual_runs")
    period_start = models.DateField()
    period_end = models.DateField()
    leave_set = models.CharField(max_length=16, choices=LeaveSet.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    by_label = models.CharField(max_length=200, help_text="Who or what started the run (user, command, host).")
    rate_plan = models.JSONField(default=dict, help_text="The contract figures used, each with its citation.")
    summary = models.JSONField(default=dict, help_text="Credited, skipped by reason, totals per leave type.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pay_calendar", "period_start", "leave_set"], name="ledger_run_once_per_period")
        ]
        ordering = ["-period_start", "leave_set"]

    def __str__(self) -> str:
        return f"{self.get_leave_set_display()} {self.period_start}..{self.period_end}"


class PersonalCarryOver(models.Model):
    """Sec. 8.2.B: "An employee who cannot utilize his/her personal leave in the months of November and
    December, due to the operational needs of the Department/Agency shall be permitted to carry-over one day
    of personal leave credit not utilized, to the next calendar year." The record of that finding — who made
    it, when, for which employee and year, and why — which the year-end run reads (the rules core's
    ``PersonalCarryOver`` event). Recorded at the latest on the day the personal leave would be forfeited (the
    last Saturday prior to the first full pay period in January), never after (``services_year_end``)."""

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    year = models.SmallIntegerField(help_text="The calendar year whose November and December the leave could not be used.")
    reasons = models.CharField(max_length=500, help_text="The operational needs that prevented its use.")
    cite = models.CharField(max_length=40, default="Sec. 8.2.B")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "year"], name="ledger_personal_carry_over_once")]
        ordering = ["-year", "employee_id"]

    def __str__(self) -> str:
        return f"Personal leave carry-over {self.year} — {self.employee_id} (Sec. 8.2.B)"


class LedgerCitation(models.Model):
    """A set of contract citations written once and referred to by a 2-byte id from bulk ledger rows.

    A biweekly run writes ~2,000,000 rows but only a few dozen distinct citation sets (e.g.
    "Sec. 9.2.A, Sec. 9.2.B, Sec. 9.4, Sec. 9.5"); storing each set once and a small integer per row
    keeps the hot rows narrow (docs/benchmarks.md). Rows are only ever added (``ON CONFLICT DO
    NOTHING``), never changed: an entry's citations are ``entry.cite`` or, when that is empty,
    ``entry.cite_set.cite``."""

    id = models.SmallAutoField(primary_key=True)
    cite = models.CharField(max_length=200, unique=True)

    def __str__(self) -> str:
        return self.cite


class LedgerEntry(models.Model):
    """One append-only line of an employee's leave ledger, in micro-hours (credit > 0, debit < 0)."""

    employee = models.ForeignKey(  # PROTECT: an employee with ledger lines cannot be deleted (never orphans)
        "people.Employee", on_delete=models.PROTECT, db_constraint=False, db_index=False, related_name="ledger_entries"
    )
    leave = models.SmallIntegerField(choices=Leave.choices)
    kind = models.SmallIntegerField(choices=Kind.choices)
    micro = models.BigIntegerField(help_text="Micro-hours: 1 h = 1,000,000. Credits positive, debits negative.")
    effective_date = models.DateField()
    period_start = models.DateField(help_text="Start of the pay period the entry belongs to.")
    cite = models.CharField(max_length=120, blank=True,
                            help_text='Contract citation(s), e.g. "Sec. 9.2.A, Sec. 9.4"; empty on bulk rows, which '
                                      'carry ``cite_set`` instead (see ``citations``).')
    reason = models.CharField(max_length=500, blank=True, help_text="Why; for bulk accruals derived from the run.")
    # The basis of a bulk accrual, kept so the line can explain itself without recomputation.
    band = models.SmallIntegerField(null=True, blank=True, help_text="Vacation band index (Sec. 9.2.A), 0-based.")
    paid_micro = models.BigIntegerField(null=True, blank=True, help_text="Hours paid in the period (µh), Sec. 8.1.D/9.3.")
    vintage = models.SmallIntegerField(
        null=True, blank=True,
        help_text="The vacation year a credit was earned (Sec. 9.1, 9.8), or the year credited for the other leave "
                  "types; on a forfeiture, the year it closes. Empty on a debit.")
    run = models.ForeignKey(AccrualRun, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
                            db_index=False, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
                           db_constraint=False, db_index=False, related_name="+")
    reverses = models.ForeignKey("self", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
                                 db_index=False, related_name="+")
    key = models.CharField(max_length=120, null=True, blank=True, help_text="Idempotency key of a non-bulk entry.")
    recorded_at = models.DateTimeField(null=True, blank=True, help_text="Set for non-bulk entries; bulk: the run's time.")
    cite_set = models.ForeignKey(LedgerCitation, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
                                 db_index=False, related_name="+",
                                 help_text="Bulk rows: the citation set (2-byte id) instead of the text in ``cite``.")

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["employee", "leave", "effective_date"], name="ledger_emp_leave_date")]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=Q(key__isnull=False), name="ledger_entry_key_once"),
        ]
        ordering = ["effective_date", "id"]
        verbose_name_plural = "ledger entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.micro} µh {self.get_leave_display()} {self.effective_date}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnly("ledger entries are never updated; post a reversal and a new entry")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("ledger entries are never deleted; post a reversal")

    def effective_vintage(self) -> int | None:
        """``vintage``, or for a credit written before the column the core's reading (``rules.ledger.vintage_of``:
        an accrual's pay-period year, a vacation credit's vacation year, otherwise the calendar year)."""
        if self.vintage is not None or self.micro < 0 or self.kind == Kind.REVERSAL:
            return self.vintage
        from openleave.rules.ledger import vintage_of

        if self.kind == Kind.ACCRUAL:
            return self.period_start.year
        return vintage_of(LEAVE_SLUGS.get(Leave(self.leave), "other"), self.effective_date, None)

    def hours_display(self) -> str:
        from openleave.rules.units import hours_str

        return hours_str(self.micro)

    def citations(self, sets: dict[int, str] | None = None) -> str:
        """The entry's full citation text: its own ``cite`` or, for a bulk row, its citation set's
        (``sets``: id → text, to resolve many lines with one query; see ``citation_texts``)."""
        if self.cite or self.cite_set_id is None:
            return self.cite
        if sets is not None and self.cite_set_id in sets:
            return sets[self.cite_set_id]
        return LedgerCitation.objects.get(pk=self.cite_set_id).cite


def citation_texts(entries) -> dict[int, str]:
    """id → text of the citation sets the given entries refer to (one query)."""
    ids = {e.cite_set_id for e in entries if e.cite_set_id is not None}
    return dict(LedgerCitation.objects.filter(pk__in=ids).values_list("id", "cite")) if ids else {}


class LedgerCheckpoint(models.Model):
    """Derived: the balance of one leave type for one employee at the end of a vacation year (Sec. 9.1).

    Never a source of truth: recomputable from entries (``manage.py ledger_checkpoint --verify``),
    and dropped for an employee/leave whenever an entry dated on or before it is written.
    """

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, db_constraint=False, db_index=False,
                                 related_name="+")
    leave = models.SmallIntegerField(choices=Leave.choices)
    year = models.SmallIntegerField(help_text="Vacation year (Sec. 9.1) this closes.")
    as_of = models.DateField(help_text="Last day of the vacation year: the last pay period including December 31.")
    micro = models.BigIntegerField()
    entries = models.IntegerField(help_text="Entries summed since the previous checkpoint (for verification).")
    cite = models.CharField(max_length=40, default="Sec. 9.1")
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employee", "leave", "as_of"], name="ledger_checkpoint_once"),
        ]
        indexes = [models.Index(fields=["as_of"], name="ledger_checkpoint_as_of")]

    def __str__(self) -> str:
        return f"{self.get_leave_display()} balance {self.micro} µh at {self.as_of} (Sec. 9.1)"


class PeriodUnpaidHours(models.Model):
    """Hours not paid in a pay period (leave/absence without pay), loaded by HR/payroll.

    The biweekly accrual credits on hours paid: Sec. 8.1.D (sick), 9.3 and 9.6 (vacation)."""

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    unpaid_micro = models.BigIntegerField()
    cite = models.CharField(max_length=80, default="Sec. 8.1.D, Sec. 9.3")
    note = models.CharField(max_length=200, blank=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employee", "period_start"], name="ledger_unpaid_once"),
            models.CheckConstraint(condition=Q(unpaid_micro__gte=0), name="ledger_unpaid_not_negative"),
        ]
        verbose_name_plural = "period unpaid hours"

    def __str__(self) -> str:
        return f"{self.unpaid_micro} µh unpaid in the period from {self.period_start}"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("payroll hours are never updated; a later file for the period is a new version")

    def delete(self):
        raise AppendOnly("payroll hours are never deleted; a later file for the period is a new version")


class PayrollHoursBatch(models.Model):
    """One import of hours from payroll (``manage.py import_payroll_hours``, the API): who, when, which file and
    its checksum. Its rows are ``PayrollHours`` versions; the accrual run records the newest batch it read
    (``AccrualRun.summary['payroll_hours_upto']``), so a later batch for a closed period is a correction that
    ``manage.py reaccrue`` applies (``AccrualCorrection``)."""

    source = models.CharField(max_length=200, blank=True, help_text="The file's name, or \"the API\".")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the rows as read.")
    rows = models.IntegerField(default=0)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    loaded_label = models.CharField(max_length=200, blank=True, help_text="Who or what loaded it (user or command).")
    loaded_at = models.DateTimeField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "payroll hours batches"

    def __str__(self) -> str:
        return f"payroll hours batch {self.pk} ({self.rows} rows, {self.source})"


class PayrollHours(models.Model):
    """Hours paid and hours without pay of one employee in one pay period, as payroll reported them: the
    biweekly accrual's input (Sec. 8.1.D/I, 9.3, 9.6: credits "based on the hours paid within the bi-weekly
    pay period"). Append-only with versions: a later file for the same period is version n + 1, never an edit;
    the accrual reads the newest version (falling back to ``PeriodUnpaidHours``)."""

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    version = models.PositiveIntegerField()
    paid_micro = models.BigIntegerField(help_text="Hours paid in the period (µh), as payroll reported them.")
    unpaid_micro = models.BigIntegerField(help_text="Hours without pay in the period (µh).")
    batch = models.ForeignKey(PayrollHoursBatch, on_delete=models.PROTECT, related_name="hours")
    note = models.CharField(max_length=200, blank=True)
    cite = models.CharField(max_length=80, default="Sec. 8.1.D, Sec. 9.3")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employee", "period_start", "version"], name="ledger_payroll_hours_version"),
            models.CheckConstraint(condition=Q(unpaid_micro__gte=0) & Q(paid_micro__gte=0),
                                   name="ledger_payroll_hours_not_negative"),
        ]
        indexes = [models.Index(fields=["period_start", "employee", "version"], name="ledger_payroll_hours_period")]
        verbose_name_plural = "payroll hours"

    def __str__(self) -> str:
        return f"payroll hours v{self.version} of the period from {self.period_start}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnly("payroll hours are never updated; a later file for the period is a new version")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("payroll hours are never deleted")


class AccrualCorrection(models.Model):
    """One application of corrected payroll hours to a closed pay period (``manage.py reaccrue``): the biweekly
    run corrected, the newest payroll batch applied (``upto_batch``) — unique together, so a correction batch is
    applied once — and the cited ADJUSTMENT entries posted (their key ``reaccrue:<run>:<batch>:…``)."""

    run = models.ForeignKey(AccrualRun, on_delete=models.PROTECT, related_name="corrections")
    upto_batch = models.ForeignKey(PayrollHoursBatch, on_delete=models.PROTECT, related_name="+")
    from_batch_id = models.BigIntegerField(default=0, help_text="The newest batch already applied before this one.")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    by_label = models.CharField(max_length=200)
    summary = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "upto_batch"], name="ledger_correction_once")]
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"correction of run {self.run_id} by payroll batch {self.upto_batch_id}"


class AccrualCorrectionLine(models.Model):
    """One employee's before/after of a correction (``reaccrue``): hours paid, the credit of the period and the
    difference posted (``entry``), with its citation — shown on the member's ledger page."""

    correction = models.ForeignKey(AccrualCorrection, on_delete=models.PROTECT, related_name="lines")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, db_constraint=False, related_name="+")
    leave = models.SmallIntegerField(choices=Leave.choices)
    paid_before = models.BigIntegerField()
    paid_after = models.BigIntegerField()
    credit_before = models.BigIntegerField()
    credit_after = models.BigIntegerField()
    difference = models.BigIntegerField()
    cite = models.CharField(max_length=120)
    entry = models.ForeignKey(LedgerEntry, null=True, on_delete=models.DO_NOTHING, db_constraint=False,
                              related_name="+")

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"correction {self.correction_id}: {self.difference} µh {self.get_leave_display()}"


class LedgerSeal(models.Model):
    """One sealed block of ledger entries (consecutive ids ``first_id..last_id``), hash-chained to the block
    before (``openleave.ledger.chain``). Written by the sealing pass only, never changed: the entries
    themselves carry no hash column, so the bulk accrual writes exactly what it wrote before."""

    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField(unique=True)
    entries = models.IntegerField(help_text="How many entries the block holds (ids may have gaps).")
    micro_sum = models.BigIntegerField(help_text="Sum of the block's amounts (µh), for the report.")
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField()

    class Meta:
        ordering = ["last_id"]

    def __str__(self) -> str:
        return f"ledger entries {self.first_id}..{self.last_id} sealed"


class LedgerChainHead(models.Model):
    """The single row the sealing pass locks: the newest sealed entry id and block hash."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)
    blocks = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"ledger sealed up to entry {self.last_id}"


class OpeningBalance(LedgerEntry):
    """The ledger's ``OPENING`` entries, for the admin's "opening balance by vintage" form (a proxy: no table of its
    own). Entered through ``openings.import_opening_balances``, like the CSV import — validated and logged."""

    class Meta:
        proxy = True
        verbose_name = "opening balance"
        verbose_name_plural = "opening balances by vintage"
