"""Inspections (检查 / 督查): one check of one subject under one regime, by one method.

Only the foundation is here: who was checked, under which regime and method, when it took place
and when its record was finalised (a check counts for the rhythms of the catalog, e.g. 每月实地
检查一次, only once finalised). Item results, findings, evidence and the signed record come with
the recording workflow.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from oversight.catalog.models import CatalogVersion
from oversight.org.models import User
from oversight.planning.models import Task
from oversight.subjects.models import Subject


class Inspection(models.Model):
    """One check of a subject under a regime (its code), by a method (a method kind code of the
    catalog, e.g. ON_SITE), as planned by a task or not."""

    # No way back from a subject: a kind's own fields may take any name but the registry's.
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    regime = models.CharField(max_length=40)
    method = models.CharField(max_length=40)
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.PROTECT, related_name="inspections"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    catalog_version = models.ForeignKey(CatalogVersion, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="inspections_inspection_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(finalised_at__isnull=True)
                | (Q(ended_at__isnull=False) & Q(finalised_at__gte=F("ended_at"))),
                name="inspections_inspection_finalised_when_ended",
            ),
        ]
        indexes = [
            models.Index(
                fields=["regime", "method", "subject", "started_at"],
                name="inspections_rhythm",
            ),
            models.Index(fields=["subject", "-started_at"], name="inspections_subject_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.regime}:{self.method}@{self.started_at:%Y-%m-%d} ({self.subject_id})"
