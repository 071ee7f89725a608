"""Consents in the admin: read only. (The access log's admin is ``openleave.audit.admin``.)"""

from django.contrib import admin

from openleave.audit.admin import AuditedAdmin, ReadOnlyAdmin

from .models import StewardConsent


@admin.register(StewardConsent)
class StewardConsentAdmin(AuditedAdmin, ReadOnlyAdmin):
    audit_category = "leave"
    list_display = ("employee", "steward", "basis", "valid_from", "valid_until", "revoked_at")
