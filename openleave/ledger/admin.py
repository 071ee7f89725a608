"""Opening balances by vintage in the admin (issue 12, item 1). The ledger is append-only: the admin lists the
opening entries read-only and adds one only through the same service as the CSV import
(``openings.import_opening_balances``: every check, the vintage, the citation, the idempotency key and the
access-log row) — never a ``save()`` of a ledger row."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from openleave.audit.access import ADMIN
from openleave.audit.admin import AuditedAdmin, ReadOnlyAdmin

from . import openings
from .models import Kind, OpeningBalance, PersonalCarryOver


class OpeningBalanceForm(forms.ModelForm):
    employee_number = forms.CharField(max_length=20, label="Employee number")
    leave_type = forms.ChoiceField(choices=[(s, s) for s in openings.OPENABLE], label="Leave type")
    earned_year = forms.CharField(max_length=4, required=False, label="Vintage (year earned)",
                                  help_text="For vacation the vacation year it was earned (Sec. 9.1); empty: the year "
                                            "of the date. Vacation earned more than two vacation years before is "
                                            "already forfeited (Sec. 9.8).")
    hours = forms.CharField(max_length=24, label="Hours", help_text="Exact decimal hours, more than zero.")
    as_of = forms.CharField(max_length=10, label="As of (YYYY-MM-DD)", help_text="The balance at the start of that day.")
    note = forms.CharField(max_length=openings.NOTE_MAX, required=False, label="Note")

    class Meta:
        model = OpeningBalance
        fields: list[str] = []

    user = None  # set by the admin (get_form)
    report = None

    def row(self) -> list[tuple[int, dict]]:
        d = self.cleaned_data
        return [(1, {"employee_number": d.get("employee_number", ""), "leave": d.get("leave_type", ""),
                     "vintage": d.get("earned_year", ""), "hours": d.get("hours", ""), "as_of": d.get("as_of", ""),
                     "note": d.get("note", "")})]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        report = openings.import_opening_balances(rows=self.row(), by=self.user, channel=ADMIN, dry_run=True,
                                                  source="the admin")
        fields = {"employee_number": "employee_number", "leave": "leave_type", "vintage": "earned_year",
                  "hours": "hours", "as_of": "as_of", "note": "note"}
        for p in report.problems:
            self.add_error(fields.get(p.column), p.message)
        if report.ok and not report.new:
            self.add_error(None, "This opening balance is already entered with the same hours: nothing to do.")
        return data


@admin.register(OpeningBalance)
class OpeningBalanceAdmin(AuditedAdmin):
    audit_category = "leave"
    form = OpeningBalanceForm
    list_display = ("employee", "leave", "vintage", "hours_display", "effective_date", "cite", "recorded_at")
    list_filter = ("leave", "vintage")
    fields = ("employee_number", "leave_type", "earned_year", "hours", "as_of", "note")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=Kind.OPENING).select_related("employee")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def get_fields(self, request, obj=None):
        if obj is not None:
            return ("employee", "leave", "vintage", "micro", "effective_date", "cite", "reason", "key", "recorded_at")
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj is not None else ()

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Through the service, never ``obj.save()``: checked again, posted with its vintage, key and log row."""
        report = openings.import_opening_balances(rows=form.row(), by=request.user, channel=ADMIN, dry_run=False,
                                                  source="the admin")
        if not report.ok or not report.new:  # raced with another entry since the form was checked
            raise ValueError(report.summary())
        saved = OpeningBalance.objects.get(key=report.new[0].key)
        obj.pk, obj._state.adding = saved.pk, False


@admin.register(PersonalCarryOver)
class PersonalCarryOverAdmin(AuditedAdmin, ReadOnlyAdmin):
    """Sec. 8.2.B carry-over records, read only (recorded by HR on /ledger/year-end/ or the API, through
    ``year_end.personal_carry_over_record``); every list and record read is logged naming the employee."""

    audit_category = "leave"
    list_display = ("employee", "year", "cite", "recorded_by", "recorded_at")
    list_filter = ("year",)
    search_fields = ("employee__employee_number",)
