from django.contrib import admin

from openleave import policy
from openleave.privacy.access import record_access

from .models import Agency, Employee, JobTitle, PayCalendar, ServiceEvent


class LoggedAdmin(admin.ModelAdmin):
    """Every admin read of one person's record goes to the access log."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None:
            record_access(actor=request.user, subject=obj, object_type="employee", object_id=obj.pk,
                          category=policy.DIRECTORY, channel="admin",
                          action="change" if request.method == "POST" else "read")
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Employee)
class EmployeeAdmin(LoggedAdmin):
    list_display = ("employee_number", "family_name", "given_name", "agency", "title", "status")
    list_filter = ("agency", "status")
    search_fields = ("employee_number", "family_name")
    raw_id_fields = ("supervisor", "user")
    readonly_fields = ("vacation_service_date",)


admin.site.register(Agency)
admin.site.register(JobTitle)
admin.site.register(PayCalendar)


@admin.register(ServiceEvent)
class ServiceEventAdmin(admin.ModelAdmin):
    list_display = ("employee", "kind", "left", "returned", "days", "recorded_at")

    def has_change_permission(self, request, obj=None):
        return False  # append-only

    def has_delete_permission(self, request, obj=None):
        return False
