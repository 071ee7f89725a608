"""The Employer's designations of an alternative day for a holiday (Sec. 10.2). Append-only: a change is
a new row that supersedes the one before it; nothing is updated or deleted.

The contract holidays themselves are not stored: they are computed from the contract parameters
(``openleave.rules.holidays.contract_holidays``); only the human decisions are rows here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnly(Exception):
    """A designation is never changed or deleted: record a new one that supersedes it."""


class DesignationQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("holiday designations are never updated; record a new designation")

    def delete(self):
        raise AppendOnly("holiday designations are never deleted; record a new designation")


class HolidayDesignation(models.Model):
    """An alternative day for one Sec. 10.1 holiday of one year, for one agency or (agency empty) all."""

    agency = models.ForeignKey("people.Agency", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="holiday_designations",
                               help_text="Empty: every agency (a Commonwealth-wide designation).")
    holiday_name = models.CharField(max_length=40, help_text="One of the holidays of Sec. 10.1.")
    year = models.PositiveSmallIntegerField(help_text="The year of the legal holiday being moved.")
    designated_date = models.DateField(help_text="The day the holiday is observed instead (Sec. 10.2).")
    reason = models.TextField()
    cite = models.CharField(max_length=40, default="Sec. 10.2")
    designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="holiday_designations")
    designated_at = models.DateTimeField(default=timezone.now)
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="superseded_by")

    objects = DesignationQuerySet.as_manager()

    class Meta:
        ordering = ["year", "holiday_name", "designated_at", "id"]
        indexes = [models.Index(fields=["year", "agency", "holiday_name"])]

    def __str__(self) -> str:
        scope = self.agency.code if self.agency_id else "all agencies"
        return f"{self.holiday_name} {self.year} → {self.designated_date} ({scope})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnly("holiday designations are never updated; record a new designation")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("holiday designations are never deleted; record a new designation")
