"""Holiday designations in the admin (system administrators; the admin site is theirs only). Append-only:
a row is added through the service (which links what it supersedes) and never changed or deleted."""

from django.contrib import admin

from .forms import DesignationForm
from .models import HolidayDesignation
from .services import holiday_designate


@admin.register(HolidayDesignation)
class HolidayDesignationAdmin(admin.ModelAdmin):
    list_display = ("year", "holiday_name", "designated_date", "agency", "designated_by", "designated_at", "supersedes")
    list_filter = ("year", "agency")
    form = DesignationForm
    fields = ("agency", "holiday_name", "year", "designated_date", "reason")
    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else ()

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        d = form.cleaned_data
        saved = holiday_designate(agency=d["agency"], holiday_name=d["holiday_name"], year=d["year"],
                                  designated_date=d["designated_date"], reason=d["reason"], by=request.user)
        obj.pk, obj._state.adding = saved.pk, False
