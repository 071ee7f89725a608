"""Services: an employee grants or revokes a named steward's access to their leave records.

Each runs in one transaction and writes its access-log row ("change") in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openleave import policy
from openleave.accounts import roles as R
from openleave.accounts.models import User
from openleave.audit.access import record_access
from openleave.audit.models import AccessLog

from .models import StewardConsent

MAX_DAYS = 366


def stewards():
    """Users who hold the steward role and can sign in."""
    return User.objects.filter(groups__name=R.STEWARD, is_active=True).order_by("last_name", "first_name").distinct()


def consent_grant(*, actor, employee, steward: User, basis: str, purpose: str, valid_until: dt.datetime,
                  channel: str) -> StewardConsent:
    if not policy.can_manage_consents(actor, employee):
        raise policy.NotVisible()
    errors = {}
    if not stewards().filter(pk=steward.pk).exists():
        errors["steward"] = "Choose a union steward from the list."
    elif steward.employee_or_none is not None and steward.employee_or_none.pk == employee.pk:
        errors["steward"] = "You cannot authorise yourself."
    if basis not in StewardConsent.Basis.values:
        errors["basis"] = "Choose a grievance (Art. 23) or another stated purpose."
    purpose = (purpose or "").strip()
    if len(purpose) < 5:
        errors["purpose"] = "Say what the steward may use your records for (at least 5 characters)."
    now = timezone.now()
    if valid_until is None or valid_until <= now:
        errors["valid_until"] = "The end date must be in the future."
    elif valid_until > now + dt.timedelta(days=MAX_DAYS):
        errors["valid_until"] = f"Consent can last at most {MAX_DAYS} days; you can renew it."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consent = StewardConsent.objects.create(employee=employee, steward=steward, basis=basis, purpose=purpose[:300],
                                                valid_from=now, valid_until=valid_until, granted_at=now)
        record_access(actor=actor, subject=employee, object_type="steward_consent", object_id=consent.pk,
                      category=policy.LEAVE, channel=channel, action=AccessLog.Action.CHANGE,
                      fields=f"granted to {steward.display_name()} ({steward.username}) until {valid_until:%Y-%m-%d}",
                      purpose=R.PURPOSES[R.EMPLOYEE])
    return consent


def consent_revoke(*, actor, consent_id: int, channel: str) -> StewardConsent:
    own = actor.employee_or_none if actor.is_authenticated else None
    with transaction.atomic():
        consent = (StewardConsent.objects.select_for_update().select_related("steward", "employee")
                   .filter(pk=consent_id, employee=own).first() if own else None)
        if consent is None or not policy.can_manage_consents(actor, consent.employee):
            raise policy.NotVisible()
        if consent.revoked_at is not None:
            raise ValidationError("This consent was already revoked.")
        consent.revoked_at = timezone.now()
        consent.save(update_fields=["revoked_at"])
        record_access(actor=actor, subject=consent.employee, object_type="steward_consent", object_id=consent.pk,
                      category=policy.LEAVE, channel=channel, action=AccessLog.Action.CHANGE,
                      fields=f"revoked from {consent.steward.display_name()} ({consent.steward.username})",
                      purpose=R.PURPOSES[R.EMPLOYEE])
    return consent
