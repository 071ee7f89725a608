"""HR's forms: a separation and a return. Values are checked again by the services (the one input layer)."""

from __future__ import annotations

from django import forms

from openleave.rules.separation import APPROVAL_CAUSES, PAYEES, REASONS, RETURN_KINDS


class SeparationForm(forms.Form):
    separation_date = forms.CharField(max_length=10, label="Date of separation (last day of employment)",
                                      widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(choices=list(REASONS.items()), label="Reason")
    death_payee = forms.ChoiceField(
        choices=[("", "—")] + list(PAYEES.items()), required=False, label="On death: who is paid",
        help_text="A role in the order of precedence only (Sec. 9.11, 8.1.O) — never a name.")
    hourly_rate = forms.CharField(max_length=14, required=False, label="Final regular hourly rate of pay ($, optional)",
                                  help_text="Optional. Without it the statement gives hours only.")
    note = forms.CharField(max_length=500, required=False, label="Note", widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    return_date = forms.CharField(max_length=10, label="Date of return", widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(choices=list(RETURN_KINDS.items()), label="Kind of return")
    chro_approved_by = forms.CharField(
        max_length=200, required=False, label="Approved by (Chief Human Resources Officer)",
        help_text="Only after an absence of three years or more (Sec. 8.1.H, 9.12).")
    chro_approved_on = forms.CharField(max_length=10, required=False, label="Date of the approval",
                                       widget=forms.DateInput(attrs={"type": "date"}))
    chro_cause = forms.ChoiceField(choices=[("", "—")] + list(APPROVAL_CAUSES.items()), required=False,
                                   label="Cause approved")
    chro_reasons = forms.CharField(max_length=500, required=False, label="The approval's reasons",
                                   widget=forms.Textarea(attrs={"rows": 2}))
