"""Forms of the compensatory-time page. Thin: the services check everything and name the field."""

from __future__ import annotations

from django import forms

from .models import HolidayOccasion
from .services import SITUATIONS


class HolidayOccasionForm(forms.Form):
    holiday_date = forms.CharField(max_length=10, label="Holiday (as observed)", help_text="YYYY-MM-DD")
    situation = forms.ChoiceField(choices=list(SITUATIONS.items()), label="What happened")
    outcome = forms.ChoiceField(choices=HolidayOccasion.Outcome.choices, label="The employee receives")
    chosen_by = forms.ChoiceField(choices=HolidayOccasion.Chooser.choices, label="Whose choice")
    reasons = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                              label="Reasons",
                              help_text="Required for the Employer's option (Sec. 10.4), and for pay instead of a "
                                        "compensatory day the agency cannot grant (Sec. 10.3, 10.5).")


class CompTimeForm(forms.Form):
    worked_on = forms.CharField(max_length=10, label="Overtime worked on", help_text="YYYY-MM-DD")
    overtime_hours = forms.CharField(max_length=20, label="Overtime hours taken as comp time",
                                     help_text="In half-hour units, e.g. 10 or 2.5.")
    requested_by_employee = forms.BooleanField(required=False, initial=True,
                                               label="The employee asked for comp time instead of overtime pay")
    overtime_form = forms.CharField(required=False, max_length=60, label="Overtime form reference")
    note = forms.CharField(required=False, max_length=300, label="Note")


class CompDayTakenForm(forms.Form):
    date = forms.CharField(max_length=10, label="Compensatory day off taken on", help_text="YYYY-MM-DD")
    note = forms.CharField(required=False, max_length=300, label="Note")
