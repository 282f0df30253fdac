"""The inspector pool (执法检查人员名录库): regime qualifications, unavailability, conflicts.

Each record holds from ``starts_on`` to ``ends_on`` (both included, each open when empty) and no
longer from ``ended_on``, the day it was revoked or ended: records are ended, never deleted, so
the pool of any past day can be read again (``oversight.pool.policy.Span``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from oversight.org.models import Officer, User
from oversight.subjects.models import Subject


class RegimeQualification(models.Model):
    """An officer may inspect under a regime of the catalog (its code), as a leader granted."""

    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="regime_qualifications"
    )
    regime = models.CharField(max_length=40)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField()
    ended_on = models.DateField(null=True, blank=True)  # revoked: no longer from this day
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="pool_qualification_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(ended_on__isnull=False),
                name="pool_qualification_revoked_has_day",
            ),
        ]
        indexes = [
            models.Index(fields=["regime", "officer"], name="pool_qualification_regime"),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id}:{self.regime}@{self.starts_on:%Y-%m-%d}#{self.pk}"


class UnavailabilityKind(models.TextChoices):
    LEAVE = "LEAVE", _("Leave")
    SECONDMENT = "SECONDMENT", _("Secondment")
    TRAINING = "TRAINING", _("Training")
    OTHER = "OTHER", _("Other")


class Unavailability(models.Model):
    """An officer cannot inspect on the days it covers: leave, secondment, training …"""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="unavailability")
    kind = models.CharField(max_length=12, choices=UnavailabilityKind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    ended_on = models.DateField(null=True, blank=True)  # back from this day
    ended_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="pool_unavailability_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=UnavailabilityKind.values), name="pool_unavailability_kind"
            ),
        ]
        indexes = [
            models.Index(fields=["officer", "starts_on"], name="pool_unavailability_officer"),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id}:{self.kind}@{self.starts_on:%Y-%m-%d}#{self.pk}"


class ConflictKind(models.TextChoices):
    RELATIVE = "RELATIVE", _("Relative")
    FORMER_EMPLOYMENT = "FORMER_EMPLOYMENT", _("Former employment")
    FINANCIAL_INTEREST = "FINANCIAL_INTEREST", _("Financial interest")
    OTHER = "OTHER", _("Other")


class Conflict(models.Model):
    """A conflict of an officer with a subject: the officer must recuse (回避) from checking it,
    and is never drawn for it while the conflict holds."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="conflicts")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="conflicts")
    kind = models.CharField(max_length=20, choices=ConflictKind.choices)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=200)
    declared_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField()
    ended_on = models.DateField(null=True, blank=True)  # no longer from this day
    ended_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="pool_conflict_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ConflictKind.values), name="pool_conflict_kind"
            ),
        ]
        indexes = [
            models.Index(fields=["subject", "officer"], name="pool_conflict_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id}~{self.subject_id}:{self.kind}#{self.pk}"
