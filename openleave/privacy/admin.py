"""The access log and consents in the admin: read only (append-only at model, database and admin level)."""

from django.contrib import admin

from .admin_audit import AuditedAdmin, ReadOnlyAdmin
from .models import AccessLog, StewardConsent


@admin.register(AccessLog)
class AccessLogAdmin(AuditedAdmin, ReadOnlyAdmin):
    audit_category = "audit"
    list_display = ("at", "actor_label", "action", "object_type", "object_id", "category", "channel")
    list_filter = ("action", "channel", "category")
    date_hierarchy = "at"

    def audit_subject(self, obj):
        return obj.subject


@admin.register(StewardConsent)
class StewardConsentAdmin(AuditedAdmin, ReadOnlyAdmin):
    audit_category = "leave"
    list_display = ("employee", "steward", "basis", "valid_from", "valid_until", "revoked_at")
