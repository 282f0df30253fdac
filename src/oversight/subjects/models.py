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


class SubjectImport(models.Model):
    """One spreadsheet brought into the registry: checked whole, then written whole or not at all.

    The uploaded file, its error report and error workbook live under
    ``OVERSIGHT_IMPORT_DIR`` (named by this row's id), never in the database. ``heartbeat_at``
    moves while it runs: one that stopped moving was interrupted, and wrote nothing.
    """

    class State(models.TextChoices):
        QUEUED = "QUEUED", _("Waiting for the worker")
        RUNNING = "RUNNING", _("Running")
        PREVIEWED = "PREVIEWED", _("Checked, not yet imported")
        FAILED = "FAILED", _("Refused: nothing was imported")
        DONE = "DONE", _("Imported into the registry")

    class Phase(models.TextChoices):
        READING = "READING", _("Reading the file")
        CHECKING = "CHECKING", _("Checking the rows")
        WRITING = "WRITING", _("Writing to the registry")

    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(max_length=200)
    file_format = models.CharField(max_length=4)  # "xlsx" or "csv"
    file_size = models.BigIntegerField()
    file_hash = models.CharField(max_length=64)  # SHA-256 of the file as received
    dry_run = models.BooleanField(default=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    phase = models.CharField(max_length=10, choices=Phase.choices, blank=True)
    rows_total = models.IntegerField(default=0)
    rows_checked = models.IntegerField(default=0)
    added = models.IntegerField(default=0)
    changed = models.IntegerField(default=0)
    unchanged = models.IntegerField(default=0)
    skipped = models.IntegerField(default=0)  # 填写示例 rows
    errors = models.IntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)  # why the file was refused
    changeset_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["QUEUED", "RUNNING", "PREVIEWED", "FAILED", "DONE"]),
                name="subjects_import_state",
            ),
        ]
        indexes = [models.Index(fields=["actor", "-id"], name="subjects_import_actor")]

    def __str__(self) -> str:
        return f"import {self.pk} of {self.kind} ({self.state})"
