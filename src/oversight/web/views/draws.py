"""A task's page, the random draw of its subjects (抽取检查对象) and of the inspectors of each
subject (选派检查人员): commit the population (a leader of the plan's bureau), enter the public
seed later, read the result, download the draw files anyone can verify."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.catalog.selectors import catalog_in_force
from oversight.core import clock
from oversight.core.errors import NotFound
from oversight.planning import selectors, services, workflow
from oversight.planning.fields import SEED
from oversight.planning.models import DrawRun, DrawRunAction, DrawState, Task
from oversight.planning.presentation import task_words
from oversight.planning.services import runs
from oversight.subjects.models import RiskGrade
from oversight.web.declared import declared_form
from oversight.web.shortcuts import allowed, confirmed, forbidden, form_page, render, viewer_of

SeedForm = declared_form(SEED, "DrawSeedForm")


def _task_page(task: Task | int) -> str:
    return reverse("web:task_detail", args=[task.pk if isinstance(task, Task) else task])


def _weights() -> dict[str, Any] | None:
    """The catalog's weights by risk grade in force today, with their citation and status."""
    try:
        catalog = catalog_in_force()
    except NotFound:
        return None
    figure = catalog.header.draw_weights
    value = figure.value_at(timezone.localdate(clock.now())) if figure else None
    if figure is None or value is None:
        return None
    grades = dict(RiskGrade.choices)
    return {
        "label": figure.label,
        "grades": [(grades[g], w) for g, w in value.by_grade().items()],
        "status": catalog.provisions[figure.reference].status,
        "citation": catalog.citations[figure.reference],
    }


@allowed(workflow.may_read_plans)
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    """A task in words; for a random spot check, the draw of its subjects and who may do what."""
    viewer = viewer_of(request)
    task = selectors.task_get(viewer=viewer, task_id=task_id)
    actor = selectors.actor_on(viewer, task.plan)
    draw = selectors.task_draw(task=task) if task.mode == workflow.RANDOM else None
    problem = workflow.draw_problem(actor, mode=task.mode, status=task.plan.status)
    leader = problem not in (workflow.NOT_PERMITTED, workflow.NOT_DRAW_LEADER)
    team_problem = workflow.team_draw_problem(
        actor,
        mode=task.mode,
        status=task.plan.status,
        targets_drawn=draw is not None and draw.state == DrawState.DRAWN,
    )
    teams = selectors.task_teams(task=task)
    context = {
        "task": task_words([task])[0],
        "plan": task.plan,
        "draw": draw,
        "picks": selectors.draw_picks(draw=draw) if draw else [],
        "may_commit": draw is None and problem is None,
        "may_seed": draw is not None and draw.state == DrawState.COMMITTED and leader,
        "not_decided": problem == workflow.NOT_DECIDED,
        "weights": _weights() if task.mode == workflow.RANDOM else None,
        "teams": teams,
        "team_problem": team_problem,
        "may_commit_teams": team_problem is None and selectors.task_awaits_teams(task=task),
        "may_seed_teams": leader and any(t.draw.state == DrawState.COMMITTED for t in teams),
        "task_id": task.pk,
    } | _run_status(selectors.latest_run(task=task))
    return render(request, "planning/task.html", context)


@allowed(workflow.may_draw)
def draw_commit(request: HttpRequest, task_id: int) -> HttpResponse:
    """Ask, then commit the draw of the task's subjects (a leader of the plan's bureau): at once,
    or by the worker for a large population (the task's page then shows its progress)."""
    viewer = viewer_of(request)
    task = selectors.task_get(viewer=viewer, task_id=task_id)
    problem = workflow.draw_problem(
        selectors.actor_on(viewer, task.plan), mode=task.mode, status=task.plan.status
    )
    if problem in (workflow.NOT_PERMITTED, workflow.NOT_DRAW_LEADER):
        return forbidden(request)
    background = request.method == "POST" and runs.in_background(
        services.population_estimate(viewer, task)
    )
    call: Callable[[], object]
    if background:
        call = partial(
            runs.draw_run_queue, actor=viewer, task_id=task.pk, action=DrawRunAction.COMMIT
        )
        done = _("The worker is taking the population and its commitment: see its progress.")
    else:
        call = partial(services.draw_commit, actor=viewer, task_id=task.pk)
        done = _("The draw is committed: publish its commitment, then enter the seed.")
    return confirmed(
        request,
        back=_task_page(task),
        call=call,
        done=done,
        ask={
            "title": _("Commit the draw of %(n)d subjects") % {"n": task.target_count or 0},
            "consequence": _(
                "The subjects that may be drawn, each with the weight of its risk grade, are "
                "fixed now and their commitment (a digital fingerprint) is shown on the task's "
                "page. Publish it; the subjects are drawn only when a seed from a later public "
                "source (e.g. a lottery result drawn after today) is entered. Nothing of the "
                "draw can change afterwards."
            ),
            "action": _("Commit"),
            "danger": False,
        },
    )


@allowed(workflow.may_draw)
def draw_seed(request: HttpRequest, draw_id: int) -> HttpResponse:
    """Enter the public seed of a committed draw (a leader of the plan's bureau): drawn at once,
    or by the worker for a large population."""
    viewer = viewer_of(request)
    draw = selectors.draw_get(viewer=viewer, draw_id=draw_id)
    if not selectors.actor_on(viewer, draw.task.plan).own_bureau:
        return forbidden(request)
    form = SeedForm(request.POST or None)
    save: Callable[..., object]
    if runs.in_background(draw.population_size):
        save = partial(
            runs.draw_run_queue,
            actor=viewer,
            task_id=draw.task_id,
            action=DrawRunAction.SEED,
            draw_id=draw.pk,
        )
        done = _("The worker is drawing: see its progress.")
    else:
        save = partial(services.draw_seed, actor=viewer, draw_id=draw.pk)
        done = _("The subjects are drawn.")
    title = _("Enter the seed of the draw of %(plan)s") % {"plan": draw.task.plan.title}
    return form_page(request, form, title, _task_page(draw.task_id), save, done)


def _run_status(run: DrawRun | None) -> dict[str, Any]:
    running = run is not None and run.state in runs.OPEN
    stopped = run is not None and runs.interrupted(run)
    return {"run": run, "run_running": running and not stopped, "run_interrupted": stopped}


@allowed(workflow.may_read_plans)
def draw_progress(request: HttpRequest, task_id: int) -> HttpResponse:
    """The progress of the task's draw made by the worker (polled); at its end the page reloads."""
    task = selectors.task_get(viewer=viewer_of(request), task_id=task_id)
    context = {"task_id": task.pk} | _run_status(selectors.latest_run(task=task))
    response = render(request, "planning/_draw_run.html", context)
    if not context["run_running"] and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@allowed(workflow.may_read_plans)
def draw_file(request: HttpRequest, draw_id: int) -> HttpResponse:
    """The draw file (JSON), to verify with the verifier or in the browser."""
    draw = selectors.draw_get(viewer=viewer_of(request), draw_id=draw_id)
    body = json.dumps(selectors.draw_file(draw), ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="draw-{draw.pk}.json"'
    return response


@allowed(workflow.may_draw)
def teams_commit(request: HttpRequest, task_id: int) -> HttpResponse:
    """Ask, then commit an inspector draw for each subject of the task (a leader of the plan's
    bureau)."""
    viewer = viewer_of(request)
    task = selectors.task_get(viewer=viewer, task_id=task_id)
    if not selectors.actor_on(viewer, task.plan).own_bureau:
        return forbidden(request)
    return confirmed(
        request,
        back=_task_page(task),
        call=partial(services.teams_commit, actor=viewer, task_id=task.pk),
        done=_("The inspector draws are committed: publish them, then enter the seed."),
        ask={
            "title": _("Commit the inspector draws of this task"),
            "consequence": _(
                "For each subject, the officers who may check it are fixed now: qualified for "
                "the regime, available, with no declared conflict with it (and none of the "
                "checked unit where the check is from above), those drawn less this year "
                "first. Each draw's commitment is shown on this page; the teams are drawn when "
                "a seed from a later public source is entered. The first officer drawn leads."
            ),
            "action": _("Commit"),
            "danger": False,
        },
    )


@allowed(workflow.may_draw)
def teams_seed(request: HttpRequest, task_id: int) -> HttpResponse:
    """Enter one public seed for the task's inspector draws (a leader of the plan's bureau)."""
    viewer = viewer_of(request)
    task = selectors.task_get(viewer=viewer, task_id=task_id)
    if not selectors.actor_on(viewer, task.plan).own_bureau:
        return forbidden(request)
    form = SeedForm(request.POST or None)
    save = partial(services.teams_seed, actor=viewer, task_id=task.pk)
    title = _("Enter the seed of the inspector draws of %(plan)s") % {"plan": task.plan.title}
    done = _("The inspectors are drawn.")
    return form_page(request, form, title, _task_page(task), save, done)
