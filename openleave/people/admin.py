from django.contrib import admin

from openleave.audit.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Agency, Employee, IndustrialAccidentLeave, JobTitle, PayCalendar, ServiceEvent


class LoggedAdmin(AuditedAdmin):
    """Every admin read and change of one person's record goes to the access log (openleave.privacy)."""


@admin.register(Employee)
class EmployeeAdmin(LoggedAdmin):
    list_display = ("employee_number", "family_name", "given_name", "agency", "title", "status")
    list_filter = ("agency", "status")
    search_fields = ("employee_number", "family_name")
    raw_id_fields = ("supervisor", "user")
    readonly_fields = ("vacation_service_date",)

    def has_delete_permission(self, request, obj=None):
        return False  # employees are never deleted (people.models.NeverDeleted): record a separation date


admin.site.register(Agency)
admin.site.register(JobTitle)
admin.site.register(PayCalendar)


@admin.register(ServiceEvent)
class ServiceEventAdmin(LoggedAdmin):
    audit_category = "leave"

    list_display = ("employee", "kind", "left", "returned", "days", "recorded_at")

    def has_change_permission(self, request, obj=None):
        return False  # append-only

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IndustrialAccidentLeave)
class IndustrialAccidentLeaveAdmin(LoggedAdmin, ReadOnlyAdmin):
    """Industrial accident leave periods (Sec. 9.13, 9.15), read only: HR records them through
    ``people.services.industrial_accident_leave_record`` (the API). Dates and an administrative note only."""

    audit_category = "leave"
    list_display = ("employee", "started", "ended", "recorded_by", "recorded_at")
