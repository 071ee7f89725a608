"""Users and API tokens. Roles are Django groups named after ``roles.ALL``."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from . import roles as R


class User(AbstractUser):
    """A person who signs in. Their employee record (if any) is ``user.employee``.

    ``agency`` scopes the HR and medical-coordinator roles to one agency; empty means all agencies.
    """

    agency = models.ForeignKey(
        "people.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="staff_users"
    )

    @property
    def roles(self) -> frozenset[str]:
        cached = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = frozenset(self.groups.values_list("name", flat=True)) if self.pk else frozenset()
            if self.is_superuser:
                cached = cached | {R.SYSADMIN}
            self._roles_cache = cached
        return cached

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def employee_or_none(self):
        try:
            return self.employee
        except Exception:  # RelatedObjectDoesNotExist
            return None

    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def access_purpose(self, subject) -> str:
        """Why this user reads ``subject``'s data (the access log's purpose): their own record, else their
        role's purpose, the most specific role first."""
        own = self.employee_or_none
        if subject is not None and own is not None and own.pk == subject.pk:
            return R.PURPOSES[R.EMPLOYEE]
        for role in (R.MEDICAL, R.HR, R.SUPERVISOR, R.STEWARD, R.AUDITOR, R.SYSADMIN):
            if self.has_role(role):
                return R.PURPOSES[role]
        return "unspecified"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a SHA-256 of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=~models.Q(digest=""), name="accounts_token_has_digest")]

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    def set_new_secret(self) -> str:
        """Give this (unsaved) token a fresh random value; returns it — shown once, never stored."""
        raw = "ol_" + secrets.token_urlsafe(32)
        self.prefix, self.digest = raw[3:11], self.digest_of(raw)
        return raw

    @classmethod
    def issue(cls, *, user: User, name: str, expires_at=None) -> tuple[ApiToken, str]:
        """Create a token; the raw value is returned once and never stored."""
        token = cls(user=user, name=name, expires_at=expires_at)
        raw = token.set_new_secret()
        token.save()
        return token, raw

    @classmethod
    def user_for(cls, raw: str) -> User | None:
        """The token's user, or None: unknown, revoked or expired token, inactive user. A user locked out
        by django-axes comes back with ``user.locked_out`` set (the caller refuses it; one query in all)."""
        now = timezone.now()
        token = (
            cls.objects.select_related("user")
            .filter(digest=cls.digest_of(raw), revoked_at__isnull=True)
            .annotate(locked_out=Exists(lockouts(OuterRef("user__username"))))
            .first()
        )
        if token is None or (token.expires_at and token.expires_at <= now) or not token.user.is_active:
            return None
        token.user.locked_out = token.locked_out
        return token.user

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


def lockouts(username):
    """django-axes lock-outs in force for ``username`` (a value or an ``OuterRef``): from any one address, at
    least ``AXES_FAILURE_LIMIT`` failed sign-ins, the last within ``AXES_COOLOFF_TIME`` — as axes counts
    them with ``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.filter(username=username)
    if (cool_off := get_cool_off()) is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return (attempts.order_by().values("ip_address").annotate(failures=Sum("failures_since_start"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT).values("ip_address"))

