"""Forms of the compensatory-time page. Thin: the services check everything and name the field."""

from __future__ import annotations

from django import forms

from .models import HolidayOccasion
from .services import SITUATIONS


class HolidayOccasionForm(forms.Form):
    # the page shows the three forms together: their field ids must differ (a label names one field)
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "holiday_%s")
        super().__init__(*args, **kwargs)

    holiday_date = forms.CharField(max_length=10, label="Holiday (as observed)",
                                   widget=forms.DateInput(attrs={"type": "date"}))
    situation = forms.ChoiceField(choices=list(SITUATIONS.items()), label="What happened")
    outcome = forms.ChoiceField(choices=HolidayOccasion.Outcome.choices, label="The employee receives")
    chosen_by = forms.ChoiceField(choices=HolidayOccasion.Chooser.choices, label="Whose choice")
    reasons = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                              label="Reasons",
                              help_text="Required for the Employer's option (Sec. 10.4), and for pay instead of a "
                                        "compensatory day the agency cannot grant (Sec. 10.3, 10.5).")


class CompTimeForm(forms.Form):
    # the page shows the three forms together: their field ids must differ (a label names one field)
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "comptime_%s")
        super().__init__(*args, **kwargs)

    worked_on = forms.CharField(max_length=10, label="Overtime worked on",
                                widget=forms.DateInput(attrs={"type": "date"}))
    overtime_hours = forms.CharField(max_length=20, label="Overtime hours taken as comp time",
                                     help_text="In half-hour units, e.g. 10 or 2.5.")
    requested_by_employee = forms.BooleanField(required=False, initial=True,
                                               label="The employee asked for comp time instead of overtime pay")
    overtime_form = forms.CharField(required=False, max_length=60, label="Overtime form reference")
    note = forms.CharField(required=False, max_length=300, label="Note")


class CompDayTakenForm(forms.Form):
    # the page shows the three forms together: their field ids must differ (a label names one field)
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "taken_%s")
        super().__init__(*args, **kwargs)

    date = forms.CharField(max_length=10, label="Compensatory day off taken on",
                           widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(required=False, max_length=300, label="Note")
