"""The case and upload forms. Values are checked again by the services (the one input layer)."""

from __future__ import annotations

from django import forms

from .models import DOCUMENT_KINDS, OUTCOMES, REASONS, SCHEDULES


class CaseForm(forms.Form):
    reason = forms.ChoiceField(choices=[(k, f"{v[1]} ({'Sec. 8.7.2.A' if v[0] == 'family' else 'Sec. 8.7.2.B'})")
                                        for k, v in REASONS.items()], label="Reason for the leave")
    schedule = forms.ChoiceField(choices=list(SCHEDULES.items()), label="Schedule")
    expected_start = forms.CharField(max_length=10, label="Expected first day",
                                     widget=forms.DateInput(attrs={"type": "date"}))
    expected_end = forms.CharField(max_length=10, required=False, label="Expected last day (if known)",
                                   widget=forms.DateInput(attrs={"type": "date"}))


class UploadForm(forms.Form):
    kind = forms.ChoiceField(choices=list(DOCUMENT_KINDS.items()), label="Kind of document")
    case = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="FMLA case (optional)")
    file = forms.FileField(label="File (PDF, JPEG or PNG)", allow_empty_file=True,
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))
    note = forms.CharField(max_length=1000, required=False, label="Note (sealed with the document)",
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", "— none —")] + [
            (c.id, f"Case no. {c.id} from {c.expected_start:%Y-%m-%d}") for c in cases if c.is_open]


class DesignateForm(forms.Form):
    outcome = forms.ChoiceField(choices=list(OUTCOMES.items()), label="Designation", widget=forms.RadioSelect)
    reasons = forms.CharField(max_length=4000, label="Your reasons, in your own words (the employee reads them)",
                              widget=forms.Textarea(attrs={"rows": 3}))
    citations = forms.CharField(max_length=400, required=False,
                                label="Further citations (optional; separate with ;)")
    waiver_granted = forms.BooleanField(required=False, label="Waive the remaining eligibility wait "
                                                              "(Sec. 8.7.2.A.2 / B.2)")
    waiver_reasons = forms.CharField(max_length=4000, required=False, label="Reasons for the waiver",
                                     widget=forms.Textarea(attrs={"rows": 2}))


class CertificationRequestForm(forms.Form):
    on = forms.CharField(max_length=10, required=False, label="The employee receives the form on (empty: today)",
                         widget=forms.DateInput(attrs={"type": "date"}))
