"""Plans (工作督查计划) and their tasks (检查任务).

A plan is a bureau's plan of checks for one year. It records the catalog version in force when it
was drafted, and who took each step of its workflow and when (``oversight.planning.workflow``);
each task records the catalog version its regime, method and subject kinds were checked against.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from oversight.catalog.models import CatalogVersion
from oversight.org.models import Agency, Officer, User
from oversight.subjects.models import Subject


class PlanStatus(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    SUBMITTED = "SUBMITTED", _("Submitted for approval")
    APPROVED = "APPROVED", _("Approved")
    PUBLISHED = "PUBLISHED", _("Published")
    RETURNED = "RETURNED", _("Returned for changes")


class Plan(models.Model):
    """A bureau's yearly plan of checks."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    notes = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    catalog_version = models.ForeignKey(CatalogVersion, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(max_length=500, blank=True)
    published_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "title"], name="planning_plan_unique_title"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="planning_plan_status"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="planning_plan_year"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["APPROVED", "PUBLISHED"]) | Q(approved_at__isnull=False),
                name="planning_plan_approved_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="PUBLISHED") | Q(published_at__isnull=False),
                name="planning_plan_published_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "agency"], name="planning_plan_year_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title} ({self.agency_id}#{self.pk})"


class TaskMode(models.TextChoices):
    PERIODIC = "PERIODIC", _("Periodic check")
    AD_HOC = "AD_HOC", _("Ad hoc check")
    SPECIAL = "SPECIAL", _("Special check")
    RANDOM = "RANDOM", _("Random spot check")
    SELF = "SELF", _("Self-inspection")
    PEER = "PEER", _("Mutual inspection")


class Task(models.Model):
    """One planned check under a regime, in a window of the plan's year.

    Its scope is the jurisdictions (agencies of the plan's bureau; none: the whole bureau), the
    kinds of subject (of the regime's; none: all of them) and the risk grades (none: all). A fixed
    task names its subjects by hand; a random one (``RANDOM``) draws ``target_count`` of them from
    its scope, each visited by ``inspectors_per_target`` officers.
    """

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="tasks")
    regime = models.CharField(max_length=40)
    mode = models.CharField(max_length=10, choices=TaskMode.choices)
    announced = models.BooleanField(default=True)  # 明查 (True) or 暗访 (False)
    method = models.CharField(max_length=20)  # the code of one of the regime's methods
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    jurisdictions = models.ManyToManyField(Agency, blank=True, related_name="planned_tasks")
    subject_kinds = models.JSONField(default=list, blank=True)  # kind codes of the catalog
    risk_grades = models.JSONField(default=list, blank=True)  # of subjects.RiskGrade
    # No way back from a subject: a kind's own fields may take any name but the registry's.
    subjects = models.ManyToManyField(Subject, blank=True, related_name="+")
    target_count = models.PositiveIntegerField(null=True, blank=True)
    # Strata (random tasks): draw this many in each jurisdiction, so target_count is it times the
    # number of jurisdictions; None draws target_count from the whole scope.
    per_jurisdiction = models.PositiveIntegerField(null=True, blank=True)
    inspectors_per_target = models.PositiveSmallIntegerField(default=2)
    # May subjects already checked under the regime this year be drawn again (random tasks)?
    include_checked = models.BooleanField(default=False)
    catalog_version = models.ForeignKey(CatalogVersion, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="planning_task_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=TaskMode.values), name="planning_task_mode"
            ),
            models.CheckConstraint(
                condition=(Q(mode="RANDOM") & Q(target_count__gte=1))
                | (~Q(mode="RANDOM") & Q(target_count__isnull=True) & Q(include_checked=False)),
                name="planning_task_random_draws_a_count",
            ),
            models.CheckConstraint(
                condition=Q(per_jurisdiction__isnull=True)
                | (Q(mode="RANDOM") & Q(per_jurisdiction__gte=1)),
                name="planning_task_strata_for_random",
            ),
            models.CheckConstraint(
                condition=Q(inspectors_per_target__gte=2), name="planning_task_two_inspectors"
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "starts_on"], name="planning_task_plan_start"),
            models.Index(fields=["regime", "starts_on"], name="planning_task_regime_start"),
        ]

    def __str__(self) -> str:
        return f"{self.regime}:{self.mode}@{self.starts_on:%Y-%m-%d}#{self.pk}"


class DrawKind(models.TextChoices):
    TARGETS = "TARGETS", _("Subjects to check")
    INSPECTORS = "INSPECTORS", _("Inspectors")


class DrawState(models.TextChoices):
    COMMITTED = "COMMITTED", _("Committed, awaiting the seed")
    DRAWN = "DRAWN", _("Drawn")


class Draw(models.Model):
    """A random draw (双随机) for a task: which subjects are checked (``TARGETS``, one per random
    task), or which officers check one subject (``INSPECTORS``, one per subject of the task; the
    first officer drawn leads the team).

    ``file`` is the draw file (``oversight.planning.verify``): committed first (population,
    parameters and commitment, no seed), then completed with the seed and the result when the
    public randomness is entered. A drawn draw never changes: no service updates it.
    """

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="draws")
    kind = models.CharField(max_length=10, choices=DrawKind.choices, default=DrawKind.TARGETS)
    # The subject an inspector draw sends its team to (None for a draw of subjects).
    subject = models.ForeignKey(
        Subject, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=10, choices=DrawState.choices, default=DrawState.COMMITTED)
    file = models.JSONField()
    commitment = models.CharField(max_length=64, unique=True)
    committed_at = models.DateTimeField()
    population_size = models.PositiveIntegerField()
    k = models.PositiveIntegerField()
    seed = models.CharField(max_length=200, blank=True)
    seed_source = models.CharField(max_length=200, blank=True)
    entered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(null=True, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    catalog_version = models.ForeignKey(CatalogVersion, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DrawKind.values), name="planning_draw_kind"
            ),
            models.CheckConstraint(
                condition=Q(state__in=DrawState.values), name="planning_draw_state"
            ),
            models.CheckConstraint(
                condition=Q(k__gte=1) & Q(k__lte=F("population_size")),
                name="planning_draw_k_within_population",
            ),
            models.CheckConstraint(
                condition=(
                    Q(state="COMMITTED")
                    & Q(seed="")
                    & Q(entered_at__isnull=True)
                    & Q(drawn_at__isnull=True)
                )
                | (
                    Q(state="DRAWN")
                    & ~Q(seed="")
                    & ~Q(seed_source="")
                    & Q(entered_at__isnull=False)
                    & Q(drawn_at__isnull=False)
                    & Q(entered_at__gt=F("committed_at"))
                ),
                name="planning_draw_seed_when_drawn",
            ),
            # One draw of subjects per task: the task's subjects are the draw's result.
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(kind="TARGETS"),
                name="planning_draw_one_target_draw_per_task",
            ),
            # One team per subject of a task; a draw of subjects names no subject.
            models.UniqueConstraint(
                fields=["task", "subject"],
                condition=Q(kind="INSPECTORS"),
                name="planning_draw_one_team_per_subject",
            ),
            models.CheckConstraint(
                condition=(Q(kind="TARGETS") & Q(subject__isnull=True))
                | (Q(kind="INSPECTORS") & Q(subject__isnull=False)),
                name="planning_draw_subject_of_team",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "state", "task"], name="planning_draw_kind_state"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.state}#{self.pk} ({self.commitment[:12]})"


class DrawPick(models.Model):
    """One member a draw took, at its place in the draw order (1 first), with its number ``u``
    (a decimal text: it may pass 2**63): a subject (draw of subjects) or an officer (inspector
    draw; position 1 leads)."""

    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="picks")
    position = models.PositiveIntegerField()
    subject = models.ForeignKey(
        Subject, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.PROTECT, related_name="draw_picks"
    )
    u = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["draw", "position"], name="planning_drawpick_unique_position"
            ),
            models.UniqueConstraint(
                fields=["draw", "subject"], name="planning_drawpick_unique_subject"
            ),
            models.UniqueConstraint(
                fields=["draw", "officer"], name="planning_drawpick_unique_officer"
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="planning_drawpick_position"),
            models.CheckConstraint(
                condition=(Q(subject__isnull=False) & Q(officer__isnull=True))
                | (Q(subject__isnull=True) & Q(officer__isnull=False)),
                name="planning_drawpick_subject_or_officer",
            ),
        ]
        indexes = [
            models.Index(fields=["subject", "draw"], name="planning_drawpick_subject"),
            models.Index(fields=["officer", "draw"], name="planning_drawpick_officer"),
        ]

    def __str__(self) -> str:
        return f"{self.draw_id}.{self.position}: {self.subject_id or self.officer_id}"


class DrawPhase(models.TextChoices):
    POPULATION = "POPULATION", _("Taking the population")
    COMMITMENT = "COMMITMENT", _("Computing the commitment")
    DRAWING = "DRAWING", _("Drawing and checking the draw")
    SAVING = "SAVING", _("Saving")


class DrawRunAction(models.TextChoices):
    COMMIT = "COMMIT", _("Commit the draw")
    SEED = "SEED", _("Enter the seed and draw")


class DrawRunState(models.TextChoices):
    QUEUED = "QUEUED", _("Waiting for the worker")
    RUNNING = "RUNNING", _("Running")
    DONE = "DONE", _("Done")
    FAILED = "FAILED", _("Refused")


class DrawRun(models.Model):
    """A draw over a large population, made by ``oversight worker``: the commitment of a task's
    draw of subjects, or its seed and result. The page polls its phase and progress; its end is
    the draw service's own outcome (the draw, or the refusal's message). ``heartbeat_at`` moves
    while it runs: one that stopped moving was interrupted, and stored nothing."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="draw_runs")
    draw = models.ForeignKey(
        Draw, null=True, blank=True, on_delete=models.PROTECT, related_name="runs"
    )
    action = models.CharField(max_length=10, choices=DrawRunAction.choices)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    seed = models.CharField(max_length=200, blank=True)
    seed_source = models.CharField(max_length=200, blank=True)
    state = models.CharField(
        max_length=10, choices=DrawRunState.choices, default=DrawRunState.QUEUED
    )
    phase = models.CharField(max_length=12, choices=DrawPhase.choices, blank=True)
    done = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=DrawRunAction.values), name="planning_drawrun_action"
            ),
            models.CheckConstraint(
                condition=Q(state__in=DrawRunState.values), name="planning_drawrun_state"
            ),
            models.CheckConstraint(
                condition=Q(action="COMMIT") | (Q(draw__isnull=False) & ~Q(seed="")),
                name="planning_drawrun_seed_names_its_draw",
            ),
            # One draw at a time per task: a second waits for the first to end.
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(state__in=["QUEUED", "RUNNING"]),
                name="planning_drawrun_one_open_per_task",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action}:{self.state}#{self.pk} (task {self.task_id})"
