"""Users and API tokens. Roles are Django groups named after ``roles.ALL``."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
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


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a SHA-256 of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple[ApiToken, str]:
        """Create a token; the raw value is returned once and never stored."""
        raw = "ol_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[3:11], digest=cls.digest_of(raw))
        return token, raw

    @classmethod
    def user_for(cls, raw: str) -> User | None:
        now = timezone.now()
        token = (
            cls.objects.select_related("user")
            .filter(digest=cls.digest_of(raw), revoked_at__isnull=True)
            .first()
        )
        if token is None or (token.expires_at and token.expires_at <= now) or not token.user.is_active:
            return None
        return token.user

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
