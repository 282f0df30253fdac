"""Random draws of a task's subjects (双随机): commit the population, then enter the public seed.

``draw_commit`` snapshots who may be drawn and publishes the commitment before any randomness
exists; ``draw_seed`` takes the seed from a public source, entered later by a leader, and draws
with the verifier's own functions (``oversight.planning.verify``), so what is stored is what any
copy of the verifier recomputes. A drawn draw never changes: nothing here updates one.

The order of checks is the project's: permission (``workflow.may_draw``), then scope (the task or
draw, loaded through the selectors: NotFound out of scope), then the person (a leader of the
plan's own bureau), then the values, then the rules (a random task of a decided plan, one draw
per task, the population, the yearly cap; one seed per draw).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight import audit
from oversight.catalog.loader import Catalog
from oversight.catalog.schema import Regime
from oversight.catalog.selectors import catalog_in_force
from oversight.core import clock
from oversight.core.errors import Conflict, DomainError, PermissionDenied, require
from oversight.core.fields import clean_value
from oversight.org.models import Agency, Officer
from oversight.org.scope import Viewer
from oversight.planning import checked, policy, selectors, verify, workflow
from oversight.planning.fields import SEED
from oversight.planning.models import (
    Draw,
    DrawKind,
    DrawPhase,
    DrawPick,
    DrawState,
    Plan,
    Task,
)
from oversight.planning.services.plans import version_in_force
from oversight.planning.services.tasks import UnknownRegime
from oversight.subjects.models import SubjectStatus
from oversight.subjects.selectors import subjects_visible

Progress = Callable[[str, int, int], None]  # told (phase, done, total) as a draw is made


def quiet(phase: str, done: int, total: int) -> None:
    return None


# --- refusals -------------------------------------------------------------------------------------


class NotDrawLeader(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(_("Only a leader of the plan's bureau draws the subjects of its tasks."))


class NotDrawable(Conflict):
    """The task is not a random spot check, or its plan is not decided yet."""

    MESSAGES: dict[str, Any] = {
        workflow.NOT_RANDOM: _("Only a random spot check draws its subjects."),
        workflow.NOT_DECIDED: _(
            "Subjects are drawn for the tasks of an approved or published plan only."
        ),
    }

    def __init__(self, problem: str) -> None:
        super().__init__(self.MESSAGES[problem])


class AlreadyCommitted(Conflict):
    def __init__(self) -> None:
        super().__init__(_("The subjects of this task are already being drawn: see its draw."))


class PopulationTooSmall(Conflict):
    def __init__(self, *, size: int, k: int) -> None:
        super().__init__(
            _(
                "Only %(size)d subjects in the task's scope may be drawn, fewer than the %(k)d "
                "it draws."
            )
            % {"size": size, "k": k}
        )


class StratumTooSmall(Conflict):
    def __init__(self, *, name: str, size: int, quota: int) -> None:
        super().__init__(
            _(
                "Only %(size)d subjects of “%(name)s” may be drawn, fewer than the %(quota)d "
                "the task draws in each jurisdiction."
            )
            % {"size": size, "name": name, "quota": quota}
        )


class CapExceeded(Conflict):
    """The draw would pass the regime's yearly cap; the message carries the numbers."""

    def __init__(self, refused: policy.DrawCapExceeded) -> None:
        self.refused = refused
        super().__init__(
            _(
                "Drawing %(requested)d would pass the regime's yearly cap: %(cap)s%% of "
                "%(population)d subjects allows %(allowed)d a year, and %(drawn)d are already "
                "drawn or committed this year."
            )
            % {
                "requested": refused.requested,
                "cap": _percent(refused.cap_percent),
                "population": refused.population,
                "allowed": refused.allowed,
                "drawn": refused.drawn,
            }
        )


class PopulationChanged(Conflict):
    def __init__(self) -> None:
        super().__init__(
            _(
                "While the population was being taken, another draw under the regime took some "
                "of its subjects: commit the draw again."
            )
        )


class AlreadyDrawn(Conflict):
    def __init__(self) -> None:
        super().__init__(_("This draw is made and never changes: it takes no second seed."))


class SeedTooEarly(Conflict):
    def __init__(self) -> None:
        super().__init__(
            _("A seed is entered after the commitment was published, never in the same second.")
        )


class SeedRefused(DomainError):
    def __init__(self) -> None:
        super().__init__(
            _("The seed holds a character that cannot be published (a control or format one)."),
            field="seed",
        )


# --- helpers --------------------------------------------------------------------------------------


def _percent(value: Decimal) -> str:
    """A cap as people write it: 10, 2, 2.5 (never 10.00 or 1E+1)."""
    return format(value.normalize(), "f")


def stamp(moment: datetime) -> str:
    """A time as the draw file records it: local, to the second, with its UTC offset."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _refuse_person(actor: Viewer, plan: Plan, task: Task) -> None:
    problem = workflow.draw_problem(
        selectors.actor_on(actor, plan), mode=task.mode, status=plan.status
    )
    if problem == workflow.NOT_PERMITTED:
        raise PermissionDenied()
    if problem == workflow.NOT_DRAW_LEADER:
        raise NotDrawLeader()
    if problem:
        raise NotDrawable(problem)


def regime_of(catalog: Catalog, code: str) -> Regime:
    regime = catalog.regimes.get(code)
    if regime is None:
        raise UnknownRegime()
    return regime


def _weights(catalog: Catalog, day: Any) -> dict[str, int]:
    """The weight of each risk grade in force on ``day`` (every grade 1 without any)."""
    figure = catalog.header.draw_weights
    value = figure.value_at(day) if figure else None
    return value.by_grade() if value else {}


def _in_scope(actor: Viewer, plan: Plan, task: Task, kinds: list[str]) -> Any:
    """The subjects under the task's jurisdictions (the plan's bureau when none), of ``kinds``,
    not closed."""
    paths = [a.path for a in task.jurisdictions.all()] or [plan.agency.path]
    where = Q()
    for path in paths:
        where |= Q(agency__path__startswith=path)
    return (
        subjects_visible(actor)
        .filter(agency__path__startswith=plan.agency.path, kind__in=kinds)
        .filter(where)
        .exclude(status=SubjectStatus.CLOSED)
    )


def population_estimate(actor: Viewer, task: Task) -> int:
    """How many subjects the task's draw may take at most (its scope, one count): enough to tell
    whether the draw is made at once or by the worker."""
    regime = catalog_in_force().regimes.get(task.regime)
    kinds = list(task.subject_kinds) or (list(regime.objects.subject_kinds) if regime else [])
    return int(_in_scope(actor, task.plan, task, kinds).count())


def population(
    actor: Viewer, plan: Plan, task: Task, regime: Regime, weights: dict[str, int]
) -> list[verify.Member]:
    """Who the task's draw may take: the subjects of its scope (jurisdictions, kinds of subject
    — the regime's when it names none —, risk grades), not closed, less those already checked
    under the same regime in the plan's year (unless the task includes them: taken by a made
    target draw, or with a finished check recorded by an app above, ``planning.checked``), each
    weighed by its risk grade and, in a stratified task, in the stratum of its jurisdiction
    (named by the agency's code); in ascending order of id."""
    kinds = list(task.subject_kinds) or list(regime.objects.subject_kinds)
    qs = _in_scope(actor, plan, task, kinds)
    if task.risk_grades:
        qs = qs.filter(risk_grade__in=task.risk_grades)
    if not task.include_checked:
        taken = DrawPick.objects.filter(
            draw__kind=DrawKind.TARGETS,
            draw__state=DrawState.DRAWN,
            draw__task__regime=task.regime,
            draw__task__plan__year=plan.year,
        )
        qs = qs.exclude(pk__in=taken.values("subject_id"))
        for ids in checked.subject_ids(task.regime, plan.year):
            qs = qs.exclude(pk__in=ids)
    rows = qs.order_by("id").values_list("id", "risk_grade", "agency__path")
    strata = _strata(task)
    return [
        verify.Member(pk, weights.get(grade, 1), _stratum_of(path, strata))
        for pk, grade, path in rows
    ]


def _strata(task: Task) -> dict[str, str] | None:
    """{jurisdiction path: stratum name} of a stratified task, else None."""
    if task.per_jurisdiction is None:
        return None
    return {a.path: a.code for a in task.jurisdictions.all()}


def _stratum_of(path: str, strata: dict[str, str] | None) -> str | None:
    if strata is None:
        return None
    return next(code for prefix, code in strata.items() if path.startswith(prefix))


def _quotas(task: Task, members: list[verify.Member]) -> dict[str, int] | None:
    """Each jurisdiction's quota of a stratified task; refuses one with too few subjects."""
    if task.per_jurisdiction is None:
        if len(members) < (task.target_count or 0):
            raise PopulationTooSmall(size=len(members), k=task.target_count or 0)
        return None
    sizes: dict[str, int] = {}
    for m in members:
        sizes[m.stratum or ""] = sizes.get(m.stratum or "", 0) + 1
    quota = task.per_jurisdiction
    for agency in sorted(task.jurisdictions.all(), key=lambda a: a.code):
        if sizes.get(agency.code, 0) < quota:
            raise StratumTooSmall(name=agency.name, size=sizes.get(agency.code, 0), quota=quota)
    return {a.code: quota for a in task.jurisdictions.all()}


def _check_cap(actor: Viewer, plan: Plan, task: Task, regime: Regime, k: int, day: Any) -> None:
    """Refuse a draw that would take the regime's yearly total in the plan's bureau past its cap.

    The cap is a share of every subject of the regime's kinds under the bureau (not closed); the
    year's total counts every target draw of the regime in the bureau's plans of the year,
    committed or drawn (a committed draw will take its k).
    """
    figure = regime.figures.get(regime.sampling_cap) if regime.sampling_cap else None
    value = figure.value_at(day) if figure else None
    if value is None or value.value is None:
        return
    size = (
        subjects_visible(actor)
        .filter(agency__path__startswith=plan.agency.path, kind__in=regime.objects.subject_kinds)
        .exclude(status=SubjectStatus.CLOSED)
        .count()
    )
    taken = Draw.objects.filter(
        kind=DrawKind.TARGETS,
        task__regime=task.regime,
        task__plan__agency=plan.agency,
        task__plan__year=plan.year,
    ).aggregate(n=Sum("k"))["n"]
    try:
        policy.check_sampling_cap(
            cap_percent=value.value, population=size, drawn=taken or 0, requested=k
        )
    except policy.DrawCapExceeded as refused:
        raise CapExceeded(refused) from None


def _context(plan: Plan, task: Task) -> str:
    """What the draw is for, in words, as the file and its commitment hold it."""
    text = verify.canonical_text(f"{plan.year}年 {plan.title} 任务{task.pk} 检查对象")
    if verify.text_problem(text, empty_ok=True):
        return f"{plan.year}年 任务{task.pk} 检查对象"
    return text


def snapshot(draw: Draw) -> dict[str, Any]:
    return {
        "task_id": draw.task_id,
        "kind": draw.kind,
        "state": draw.state,
        "commitment": draw.commitment,
        "population_size": draw.population_size,
        "k": draw.k,
        "catalog_version_id": draw.catalog_version_id,
    }


# --- the services ---------------------------------------------------------------------------------


def checked_for_commit(actor: Viewer, task_id: Any, *, lock: bool = False) -> tuple[Plan, Task]:
    """The task to draw and its plan, in scope, checked: the person, the task, no draw yet."""
    found = selectors.task_get(viewer=actor, task_id=task_id)
    plan = selectors.plan_get(viewer=actor, plan_id=found.plan_id, for_update=lock)
    task = selectors.task_get(viewer=actor, task_id=found.pk, for_update=lock)
    _refuse_person(actor, plan, task)
    if task.draws.filter(kind=DrawKind.TARGETS).exists():
        raise AlreadyCommitted()
    return plan, task


def _drawn_meanwhile(plan: Plan, task: Task, members: list[verify.Member]) -> None:
    """Refuse a population that holds a subject drawn under the regime this year since it was
    taken (another task's draw made in between): it would be checked twice."""
    if task.include_checked:
        return
    taken = DrawPick.objects.filter(
        draw__kind=DrawKind.TARGETS,
        draw__state=DrawState.DRAWN,
        draw__task__regime=task.regime,
        draw__task__plan__year=plan.year,
    ).values_list("subject_id", flat=True)
    if set(taken) & {m.id for m in members}:
        raise PopulationChanged()


def draw_commit(*, actor: Viewer, task_id: Any, progress: Progress = quiet) -> Draw:
    """Commit the draw of a random task's subjects: snapshot who may be drawn, with their
    weights, and store the draw file with its commitment, before any seed exists.

    For a leader of the plan's bureau, on a random spot check of an approved or published plan.
    The population is taken and its commitment computed first, outside any transaction (a large
    one takes seconds: ``progress`` is told each phase); then, with the plan, the task and the
    bureau's draws locked, the rules are checked again and the draw stored.
    Raises PermissionDenied, NotFound (the task out of scope), NotDrawLeader, NotDrawable,
    AlreadyCommitted, UnknownRegime, NoCatalog, PopulationTooSmall, StratumTooSmall,
    CapExceeded, PopulationChanged.
    """
    require(workflow.may_draw(actor))
    plan, task = checked_for_commit(actor, task_id)
    version = version_in_force()
    catalog = catalog_in_force()
    regime = regime_of(catalog, task.regime)
    day = timezone.localdate(clock.now())
    progress(DrawPhase.POPULATION, 0, 0)
    members = population(actor, plan, task, regime, _weights(catalog, day))
    k = task.target_count or 0
    quotas = _quotas(task, members)
    progress(DrawPhase.COMMITMENT, 0, len(members))
    committed = verify.commit_file(
        kind=DrawKind.TARGETS,
        context=_context(plan, task),
        population=members,
        k=k,
        quotas=quotas,
        committed_at=stamp(clock.now()),
    )
    progress(DrawPhase.SAVING, len(members), len(members))
    with transaction.atomic():
        plan, task = checked_for_commit(actor, task.pk, lock=True)
        # Draws of the bureau take turns, so that two cannot pass the yearly cap together.
        Agency.objects.select_for_update().filter(pk=plan.agency_id).first()
        _drawn_meanwhile(plan, task, members)
        _check_cap(actor, plan, task, regime, k, day)
        now = clock.now().replace(microsecond=0)
        committed["committed_at"] = stamp(now)
        try:
            with transaction.atomic():
                draw = Draw.objects.create(
                    task=task,
                    kind=DrawKind.TARGETS,
                    state=DrawState.COMMITTED,
                    file=committed,
                    commitment=committed["commitment"],
                    committed_at=now,
                    population_size=len(members),
                    k=k,
                    catalog_version=version,
                    created_by_id=actor.pk,
                )
        except IntegrityError:
            raise AlreadyCommitted() from None
        audit.record(action="draw.commit", actor=actor, target=draw, after=snapshot(draw))
    return draw


def _entered_by(actor: Viewer) -> str:
    """Who entered a seed, as the public file names them: their badge number."""
    if actor.officer_id is None:
        return actor.username
    badge = Officer.objects.filter(pk=actor.officer_id).values_list("badge_number", flat=True)
    return badge.first() or actor.username


def complete(
    draw: Draw, *, actor: Viewer, seed: str, source: str, progress: Progress = quiet
) -> tuple[dict[str, Any], datetime]:
    """The file of a committed draw made with a clean seed now, and that moment: the verifier
    draws, then checks the whole file (``progress`` is told the members scored, up to twice the
    population). Raises SeedTooEarly in the second of the commitment or before it."""
    now = clock.now().replace(microsecond=0)
    if now <= draw.committed_at:
        raise SeedTooEarly()
    total = 2 * draw.population_size
    done = verify.complete_file(
        draw.file,
        seed=seed,
        source=source,
        entered_by=_entered_by(actor),
        entered_at=stamp(now),
        progress=lambda n: progress(DrawPhase.DRAWING, n, total),
    )
    return done, now


def store(draw: Draw, done: dict[str, Any], now: datetime, *, actor: Viewer) -> None:
    """Store a made draw: its completed file, each member taken in order (a subject, or an
    officer of an inspector draw), and the event. The caller holds the draw locked and checked
    that it still awaits its seed."""
    seed, source = done["seed"]["value"], done["seed"]["source"]
    member = "officer_id" if draw.kind == DrawKind.INSPECTORS else "subject_id"
    DrawPick.objects.bulk_create(
        DrawPick(draw=draw, position=index, u=item["u"], **{member: item["id"]})
        for index, item in enumerate(done["result"], start=1)
    )
    draw.file = done
    draw.state = DrawState.DRAWN
    draw.seed = seed
    draw.seed_source = source
    draw.entered_by_id = actor.pk
    draw.entered_at = now
    draw.drawn_at = now
    fields = ["file", "state", "seed", "seed_source", "entered_by", "entered_at", "drawn_at"]
    draw.save(update_fields=fields)
    audit.record(
        action="draw.seed",
        actor=actor,
        target=draw,
        before={"state": DrawState.COMMITTED},
        after={
            "state": draw.state,
            "seed": seed,
            "seed_source": source,
            member + "s": [item["id"] for item in done["result"]],
        },
    )


def clean_seed(seed: Any, source: Any) -> tuple[str, str]:
    """The seed in its canonical form and its source, checked. Raises DomainError, SeedRefused."""
    value = verify.canonical_text(clean_value(SEED["seed"], seed))
    clean_source = clean_value(SEED["source"], source)
    if verify.text_problem(value):
        raise SeedRefused()
    return value, clean_source


def checked_for_seed(actor: Viewer, draw_id: Any, *, lock: bool = False) -> Draw:
    draw = selectors.draw_get(viewer=actor, draw_id=draw_id, for_update=lock)
    if not selectors.actor_on(actor, draw.task.plan).own_bureau:
        raise NotDrawLeader()
    return draw


def draw_seed(
    *, actor: Viewer, draw_id: Any, seed: Any = None, source: Any = None, progress: Progress = quiet
) -> Draw:
    """Enter the public seed of a committed draw and make it: the result, computed by the
    verifier's functions, is stored in order with each subject's number; the file is complete.

    The draw is computed outside any transaction (``progress`` is told how far), then stored
    with the draw locked, if it still awaits its seed. For a leader of the plan's bureau.
    Raises PermissionDenied, NotFound (the draw out of scope), NotDrawLeader, DomainError (a
    value), SeedRefused, AlreadyDrawn (a second seed), SeedTooEarly (in the second of the
    commitment).
    """
    require(workflow.may_draw(actor))
    draw = checked_for_seed(actor, draw_id)
    value, clean_source = clean_seed(seed, source)
    if draw.state != DrawState.COMMITTED:
        raise AlreadyDrawn()
    done, now = complete(draw, actor=actor, seed=value, source=clean_source, progress=progress)
    progress(DrawPhase.SAVING, 2 * draw.population_size, 2 * draw.population_size)
    with transaction.atomic():
        draw = checked_for_seed(actor, draw.pk, lock=True)
        if draw.state != DrawState.COMMITTED:
            raise AlreadyDrawn()
        store(draw, done, now, actor=actor)
    return draw
