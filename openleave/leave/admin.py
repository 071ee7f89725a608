"""Admin: the organisation's auto-approval switches (off unless switched on). Requests and decisions are
changed only through the services, so they are not editable here."""

from django.contrib import admin

from .models import AutoApproval


@admin.register(AutoApproval)
class AutoApprovalAdmin(admin.ModelAdmin):
    list_display = ("agency", "kind", "enabled", "set_by", "set_at")
    list_filter = ("agency", "enabled")
    readonly_fields = ("set_by", "set_at")

    def save_model(self, request, obj, form, change):
        obj.set_by = request.user
        super().save_model(request, obj, form, change)
