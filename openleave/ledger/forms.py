"""The HR adjustment form: hours as an exact decimal string (to 0.000001 h), citation and reason required;
below zero only with a stated reason (``services.ledger_adjust``)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from openleave import inputs
from openleave.rules.units import InexactHours, to_micro

from .models import Leave


class AdjustmentForm(forms.Form):
    leave = forms.TypedChoiceField(choices=Leave.choices, coerce=int, label="Leave type")
    hours = forms.CharField(max_length=20, label="Hours (+ credit, − debit)",
                            help_text="Exact decimal hours, e.g. 7.5 or -0.125 (at most 6 decimals).")
    cite = forms.CharField(max_length=120, label="Citation", help_text='The contract section, e.g. "Sec. 9.2.A".')
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}), label="Reason")
    effective_date = forms.DateField(required=False, label="Effective date", help_text="Default: today.")
    below_zero = forms.CharField(
        max_length=300, required=False, label="Allow below zero",
        help_text="Only if this debit must take the balance below zero: why, with its citation. "
                  "Otherwise leave empty — a balance does not go below zero.")

    def clean_hours(self) -> int:
        raw = self.cleaned_data["hours"].strip().replace("−", "-")
        try:
            micro = to_micro(raw)
        except (InexactHours, TypeError):
            raise forms.ValidationError("Give hours as a decimal number with at most 6 decimals (0.000001 h).") from None
        if micro == 0:
            raise forms.ValidationError("An adjustment of zero hours changes nothing.")
        if abs(micro) > 10_000 * 1_000_000:
            raise forms.ValidationError("More than 10,000 hours: check the figure.")
        return micro

    def clean_cite(self) -> str:
        cite = self.cleaned_data["cite"].strip()
        if not cite:
            raise forms.ValidationError("A citation is required.")
        return cite

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("A reason is required.")
        return reason

    def clean_effective_date(self) -> dt.date | None:
        d = self.cleaned_data.get("effective_date")
        try:
            inputs.day(d, "effective_date")
        except inputs.BadInput as exc:
            raise forms.ValidationError(exc.message) from None
        if d and d > timezone.localdate():
            raise forms.ValidationError("An adjustment cannot take effect in the future.")
        return d


class CarryOverForm(forms.Form):
    """HR's Sec. 8.2.B finding: the operational needs of the Department/Agency prevented the employee's use of
    personal leave in November and December of ``year`` — one day carries over (``year_end.personal_carry_over_record``)."""

    employee_number = forms.CharField(max_length=20, label="Employee number")
    year = forms.IntegerField(label="Year", help_text="The year whose November and December personal leave could "
                                                      "not be used.")
    reasons = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}), label="Operational needs",
                              help_text="Required: what prevented the use of personal leave (Sec. 8.2.B). "
                                        "No medical detail.")

    def clean_year(self) -> int:
        try:
            return inputs.year(self.cleaned_data["year"], "year")
        except inputs.BadInput as exc:
            raise forms.ValidationError(exc.message) from None
