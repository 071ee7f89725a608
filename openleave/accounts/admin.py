"""The Django admin: system administrators only; reads and changes of personal data are logged."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.template.response import TemplateResponse

from openleave import policy
from openleave.audit.admin import AuditedAdmin

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
    """Adding a token generates its value and shows it once, on the page after "Save" (never stored, never
    in a message or the log); only a SHA-256 is kept. A token is stopped by setting "revoked at"."""

    audit_category = "account"

    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at")
    raw_id_fields = ("user",)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("user", "name", "expires_at")
        return ("user", "name", "prefix", "digest", "created_at", "expires_at", "revoked_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("user", "prefix", "digest", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.raw_once = obj.set_new_secret()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        context = {**self.admin_site.each_context(request), "opts": self.opts, "token": obj, "raw": obj.raw_once}
        return TemplateResponse(request, "admin/accounts/apitoken/issued.html", context)
