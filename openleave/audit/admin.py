"""Admin audit: every admin read of a person's record and every admin change goes to the access log.

Use ``AuditedAdmin`` as the first base of a ``ModelAdmin`` and, if the model is not an employee, set
``audit_subject`` to a function that finds the employee a record concerns. The access log itself is read only
here (append-only at model, database and admin level).
"""

from __future__ import annotations

from django.contrib import admin

from .access import ADMIN, Access, record_access, record_many
from .models import AccessLog


def _subject_of(obj):
    Employee = AccessLog._meta.get_field("subject").related_model  # the person model the log names

    if isinstance(obj, Employee):
        return obj
    emp = getattr(obj, "employee", None)
    if isinstance(emp, Employee):
        return emp
    owner = getattr(obj, "user", None)  # e.g. an API token: whose it is
    if owner is not None and hasattr(owner, "employee_or_none"):
        return owner.employee_or_none
    return getattr(obj, "employee_or_none", None)


class AuditedAdmin(admin.ModelAdmin):
    audit_category = "directory"

    def audit_subject(self, obj):
        return _subject_of(obj)

    def _log(self, request, obj, action, fields=""):
        record_access(actor=request.user, subject=self.audit_subject(obj), object_type=self.model._meta.model_name,
                      object_id=obj.pk, category=self.audit_category, channel=ADMIN, action=action, fields=fields)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        cl = (getattr(response, "context_data", None) or {}).get("cl")  # None on a redirect (after an action)
        if cl is not None:
            rows = list(cl.result_list)
            record_many(actor=request.user, channel=ADMIN, accesses=[
                Access(subject=self.audit_subject(o), object_type=self.model._meta.model_name, object_id=o.pk,
                       category=self.audit_category, fields="list") for o in rows
            ] or [Access(subject=None, object_type=self.model._meta.model_name, object_id="list (empty)",
                         category=self.audit_category)])
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None:
                self._log(request, obj, AccessLog.Action.READ)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = ", ".join(form.changed_data) if change else "created"
        self._log(request, obj, AccessLog.Action.CHANGE, fields=changed)

    def delete_model(self, request, obj):
        self._log(request, obj, AccessLog.Action.CHANGE, fields="deleted")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._log(request, obj, AccessLog.Action.CHANGE, fields="deleted")
        super().delete_queryset(request, queryset)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(AuditedAdmin, ReadOnlyAdmin):
    audit_category = "audit"
    list_display = ("at", "actor_label", "action", "object_type", "object_id", "category", "channel")
    list_filter = ("action", "channel", "category")
    date_hierarchy = "at"

    def audit_subject(self, obj):
        return obj.subject
