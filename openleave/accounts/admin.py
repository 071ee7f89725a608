"""The Django admin: system administrators only; reads and changes of personal data are logged."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from openleave import policy
from openleave.privacy.admin_audit import AuditedAdmin

from .models import ApiToken, User

admin.site.has_permission = lambda request: policy.can_use_admin(request.user)
admin.site.site_header = "openleave administration"


@admin.register(User)
class OpenleaveUserAdmin(AuditedAdmin, UserAdmin):
    audit_category = "account"

    fieldsets = (*UserAdmin.fieldsets, ("Scope", {"fields": ("agency",)}))
    list_display = ("username", "first_name", "last_name", "agency", "is_active")


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    audit_category = "account"

    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at")
    readonly_fields = ("prefix", "digest", "created_at")
