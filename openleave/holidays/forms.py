"""The designation form (the holidays page for HR, and the admin)."""

from __future__ import annotations

import datetime as dt

from django import forms

from openleave import clock, inputs
from openleave.people.models import Agency
from openleave.rules.holidays import holiday_names

from .models import HolidayDesignation
from .services import DesignationInvalid, validate_designation


class DesignationForm(forms.ModelForm):
    holiday_name = forms.ChoiceField(label="Holiday (Sec. 10.1)")
    designated_date = forms.DateField(label="Observed instead on", widget=forms.DateInput(attrs={"type": "date"}))
    agency = forms.ModelChoiceField(queryset=Agency.objects.all(), required=False, empty_label="All agencies")

    class Meta:
        model = HolidayDesignation
        fields = ("agency", "holiday_name", "year", "designated_date", "reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "holiday_name" in self.fields:  # absent when the admin shows a row read only
            self.fields["holiday_name"].choices = [(n, n) for n in holiday_names(on=clock.today())]
        if "reason" in self.fields:
            self.fields["reason"].widget.attrs.update(rows=2)

    def clean_year(self) -> int:
        try:
            return inputs.year(self.cleaned_data.get("year"), "year")
        except inputs.BadInput as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_designated_date(self) -> dt.date:
        try:
            return inputs.day(self.cleaned_data.get("designated_date"), "designated_date")
        except inputs.BadInput as exc:
            raise forms.ValidationError(exc.message) from None

    def clean(self):
        data = super().clean()
        if all(k in data for k in ("holiday_name", "year", "designated_date", "reason")):
            try:
                validate_designation(holiday_name=data["holiday_name"], year=data["year"],
                                     designated_date=data["designated_date"], reason=data["reason"])
            except DesignationInvalid as exc:
                raise forms.ValidationError(str(exc)) from None
        return data
