"""The registry of supervised subjects (检查对象名录库): who and what is checked."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight.org.models import Agency, Department, User


class RiskGrade(models.TextChoices):
    A = "A", _("A (high risk)")
    B = "B", _("B")
    C = "C", _("C")
    D = "D", _("D (low risk)")


class SubjectStatus(models.TextChoices):
    ACTIVE = "ACTIVE", _("Active")
    SUSPENDED = "SUSPENDED", _("Suspended")
    CLOSED = "CLOSED", _("Closed")


class Subject(models.Model):
    """One supervised subject of one kind (a catalog subject kind), in an agency's jurisdiction.

    The common fields are columns; the fields a kind declares in the catalog live in
    ``attributes``. ``natural_key`` identifies a subject within its kind across imports: its
    credit code, or for an internal kind the organisation row it stands for, or else its name in
    its jurisdiction.
    """

    kind = models.CharField(max_length=40)
    name = models.CharField(max_length=120)
    credit_code = models.CharField(max_length=18, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="subjects")
    address = models.CharField(max_length=200, blank=True)
    contact_name = models.CharField(max_length=40, blank=True)
    contact_phone = models.CharField(max_length=20, blank=True)
    risk_grade = models.CharField(max_length=1, choices=RiskGrade.choices, default=RiskGrade.C)
    status = models.CharField(
        max_length=10, choices=SubjectStatus.choices, default=SubjectStatus.ACTIVE
    )
    registered_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    notes = models.CharField(max_length=500, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    # An internal kind's subject is an agency (or a department of one) of the organisation.
    linked_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="as_subjects"
    )
    linked_department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="as_subjects"
    )
    natural_key = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "natural_key"], name="subjects_subject_unique_natural_key"
            ),
            models.CheckConstraint(
                condition=Q(risk_grade__in=RiskGrade.values), name="subjects_subject_risk_grade"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SubjectStatus.values), name="subjects_subject_status"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status", "id"], name="subjects_kind_status_id"),
            models.Index(fields=["agency", "id"], name="subjects_agency_id"),
            models.Index(fields=["credit_code"], name="subjects_credit_code"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind}:{self.natural_key})"


class SubjectChange(models.Model):
    """One change of one subject, kept so that its page shows its history.

    Written with the change by the services (in bulk by an import, which records one audit event
    for the whole file); the audit chain covers each change through that event's change-set hash.
    """

    class Source(models.TextChoices):
        FORM = "FORM", _("Entered by hand")
        API = "API", _("Through the API")
        IMPORT = "IMPORT", _("Imported")
        SYNC = "SYNC", _("Kept in step with the organisation")

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="changes")
    changed_at = models.DateTimeField()
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    import_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["subject", "-changed_at", "-id"], name="subjects_change_recent")
        ]

    def __str__(self) -> str:
        return f"{self.subject_id}@{self.changed_at:%Y-%m-%d %H:%M}"
