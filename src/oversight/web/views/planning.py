"""Pages of plans (检查计划) and their tasks: list, calendar, a plan with its tasks and the steps
its viewer may take, the forms that draft and change them."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oversight.catalog.schema import Regime
from oversight.catalog.selectors import catalog_in_force
from oversight.core import clock
from oversight.core.errors import NotFound
from oversight.core.fields import Fields
from oversight.core.pagination import paginate
from oversight.org.scope import Viewer
from oversight.planning import refs, selectors, services, workflow
from oversight.planning.fields import (
    CALENDAR,
    PLAN,
    PLAN_EDIT,
    PLAN_FILTERS,
    RETURN,
    TASK,
    TASK_SCOPE,
)
from oversight.planning.models import Plan, PlanStatus, Task
from oversight.planning.presentation import announced_words, step_record, step_words, task_words
from oversight.subjects.models import RiskGrade
from oversight.web.declared import DeclaredForm, declared_form
from oversight.web.many import ManyField
from oversight.web.shortcuts import (
    allowed,
    confirmed,
    forbidden,
    form_page,
    render,
    viewer_of,
)

FilterForm = declared_form(PLAN_FILTERS, "PlanFilterForm")
CalendarForm = declared_form(CALENDAR, "PlanCalendarForm")
PlanForm = declared_form(PLAN, "PlanForm")
PlanEditForm = declared_form(PLAN_EDIT, "PlanEditForm")
ReturnForm = declared_form(RETURN, "PlanReturnForm")


def _detail(plan: Plan | int) -> str:
    return reverse("web:plan_detail", args=[plan.pk if isinstance(plan, Plan) else plan])


def _this_year() -> int:
    return timezone.localdate(clock.now()).year


# --- reading --------------------------------------------------------------------------------------


@allowed(workflow.may_read_plans)
def plan_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    form = FilterForm(request.GET)
    if not form.is_valid():
        return render(request, "planning/list.html", {"form": form, "page": None}, status=400)
    filters = selectors.PlanFilters(**form.cleaned_data)
    page = paginate(selectors.plan_list(viewer=viewer, filters=filters), request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "may_draft": workflow.may_draft_plans(viewer),
        "year": filters.year or _this_year(),
    }
    return render(request, "planning/list.html", context)


def _who(user: Any) -> dict[str, Any]:
    return {"name": user.display_name, "username": user.username} if user else {}


@allowed(workflow.may_read_plans)
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    plan = selectors.plan_get(viewer=viewer, plan_id=plan_id)
    actor = selectors.actor_on(viewer, plan)
    words = step_words()
    editable = workflow.tasks_editable(plan.status) and workflow.may_draft_plans(viewer)
    context = {
        "plan": plan,
        "tasks": task_words(selectors.plan_tasks(plan=plan)),
        "steps": [(step, words[step]) for step in workflow.steps_open(plan.status, actor)],
        "record": [(label, _who(user), at) for label, user, at in step_record(plan)],
        "editable": editable,
    }
    return render(request, "planning/detail.html", context)


@allowed(workflow.may_read_plans)
def plan_calendar(request: HttpRequest) -> HttpResponse:
    """The tasks of a year's plans by month: a task under each month its window touches."""
    viewer = viewer_of(request)
    form = CalendarForm(request.GET or None, initial={"year": _this_year()})
    if request.GET and not form.is_valid():
        return render(request, "planning/calendar.html", {"form": form, "months": None}, status=400)
    year = (form.cleaned_data.get("year") if request.GET else None) or _this_year()
    months = selectors.calendar(viewer=viewer, year=year)
    tasks = {t.pk: t for month in months.values() for t in month}
    shown = {w.task.pk: w for w in task_words(list(tasks.values()))}
    context = {
        "form": form,
        "year": year,
        "months": [(month, [shown[t.pk] for t in tasks]) for month, tasks in months.items()],
        "statuses": dict(PlanStatus.choices),
    }
    return render(request, "planning/calendar.html", context)


# --- drafting -------------------------------------------------------------------------------------


@allowed(workflow.may_draft_plans)
def plan_create(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    bureaus = list(selectors.bureaus(viewer=viewer))
    own = next((b.pk for b in bureaus if b.path == viewer.scope_path), "")
    form = PlanForm(request.POST or None, initial={"agency_id": own, "year": _this_year()})
    form.set_choices("agency_id", [(b.pk, b.name) for b in bureaus])
    save = partial(services.plan_create, actor=viewer)
    done = _("Plan drafted: add its tasks.")
    return form_page(
        request, form, _("Draft a plan of checks"), reverse("web:plan_list"), save, done, _detail
    )


@allowed(workflow.may_draft_plans)
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    plan = selectors.plan_get(viewer=viewer, plan_id=plan_id)
    if refused := _unchangeable(request, plan):
        return refused
    form = PlanEditForm(request.POST or None, initial={"title": plan.title, "notes": plan.notes})
    save = partial(services.plan_update, actor=viewer, plan_id=plan.pk)
    title = _("Edit %(title)s") % {"title": plan.title}
    return form_page(request, form, title, _detail(plan), save, _("Plan saved."))


# --- the steps ------------------------------------------------------------------------------------


STEP_ASK: dict[str, tuple[Any, Any, Any]] = {
    workflow.SUBMIT: (
        gettext_lazy("Submit %(title)s for approval"),
        gettext_lazy(
            "A leader of the bureau who did not submit it approves it or returns it with a "
            "reason. Until it is returned, its tasks cannot be changed."
        ),
        gettext_lazy("Plan submitted for approval."),
    ),
    workflow.APPROVE: (
        gettext_lazy("Approve %(title)s"),
        gettext_lazy(
            "The plan is approved with its tasks as they stand; a leader then publishes it."
        ),
        gettext_lazy("Plan approved."),
    ),
    workflow.PUBLISH: (
        gettext_lazy("Publish %(title)s"),
        gettext_lazy(
            "The plan is published: its tasks are carried out as planned and can no longer change."
        ),
        gettext_lazy("Plan published."),
    ),
}


def _step_refused(request: HttpRequest, plan: Plan, step: str) -> HttpResponse | None:
    """403 for one who may never take the step on this plan; back to the plan's page, saying
    why, when it is no longer in a status the step starts from; None when the step is open."""
    problem = workflow.step_problem(step, plan.status, selectors.actor_on(viewer_of(request), plan))
    if problem == workflow.WRONG_STATUS:
        messages.error(request, str(services.StepRefused(step).message))
        return redirect(_detail(plan))
    return forbidden(request) if problem else None


def _step_page(request: HttpRequest, plan_id: int, step: str, call: Any) -> HttpResponse:
    """Ask before a step of the workflow, then take it. One who may never take the step on this
    plan gets 403; a plan no longer in a status the step starts from goes back to its page."""
    viewer = viewer_of(request)
    plan = selectors.plan_get(viewer=viewer, plan_id=plan_id)
    if refused := _step_refused(request, plan, step):
        return refused
    title, consequence, done = STEP_ASK[step]
    return confirmed(
        request,
        back=_detail(plan),
        call=partial(call, actor=viewer, plan_id=plan.pk),
        done=str(done),
        ask={
            "title": title % {"title": plan.title},
            "consequence": str(consequence),
            "action": step_words()[step],
            "danger": False,
        },
    )


@allowed(workflow.may_draft_plans)
def plan_submit(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _step_page(request, plan_id, workflow.SUBMIT, services.plan_submit)


@allowed(workflow.may_decide_plans)
def plan_approve(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _step_page(request, plan_id, workflow.APPROVE, services.plan_approve)


@allowed(workflow.may_decide_plans)
def plan_publish(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _step_page(request, plan_id, workflow.PUBLISH, services.plan_publish)


@allowed(workflow.may_decide_plans)
def plan_return(request: HttpRequest, plan_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    plan = selectors.plan_get(viewer=viewer, plan_id=plan_id)
    if refused := _step_refused(request, plan, workflow.RETURN):
        return refused
    form = ReturnForm(request.POST or None)
    save = partial(services.plan_return, actor=viewer, plan_id=plan.pk)
    title = _("Return %(title)s for changes") % {"title": plan.title}
    return form_page(request, form, title, _detail(plan), save, _("Plan returned."))


# --- tasks ----------------------------------------------------------------------------------------


def _kind_names() -> dict[str, str]:
    try:
        return {k.code: k.name for k in catalog_in_force().header.subject_kinds}
    except NotFound:
        return {}


def _unchangeable(request: HttpRequest, plan: Plan) -> HttpResponse | None:
    """Back to the plan's page, saying why, when its tasks may no longer change."""
    if workflow.tasks_editable(plan.status):
        return None
    messages.error(request, str(services.PlanNotEditable().message))
    return redirect(_detail(plan))


def _regime(code: str) -> Regime | None:
    return next((r for r in selectors.regimes() if r.code == code), None)


def _task_form(
    request: HttpRequest, viewer: Viewer, plan: Plan, regime: Regime, initial: dict[str, Any]
) -> DeclaredForm:
    """The task form of a regime: its methods, its kinds of subject, the plan's jurisdictions and
    the subjects a fixed check may name, from the catalog in force and the viewer's scope."""
    methods = [(m.code, m.text) for m in regime.methods.items]
    fields = Fields(
        *(
            replace(s, kind="choice", choices=methods, upper=False) if s.name == "method" else s
            for s in TASK.without("regime").specs
        )
    )
    form = declared_form(fields, "TaskForm")(request.POST or None, initial=initial)
    form.fields["announced"].widget.choices = [
        ("true", announced_words(True)),
        ("false", announced_words(False)),
    ]
    names = _kind_names()
    kinds = [(code, names.get(code, code)) for code in regime.objects.subject_kinds]
    places = [(a.pk, a.name) for a in selectors.jurisdictions(plan=plan)]
    subjects = selectors.subject_choices(
        viewer=viewer, plan=plan, kinds=list(regime.objects.subject_kinds)
    )
    choices: dict[str, list[tuple[Any, Any]]] = {
        "jurisdiction_ids": places,
        "subject_kinds": kinds,
        "risk_grades": list(RiskGrade.choices),
        "subject_ids": [(s.pk, f"{s.name}（{s.agency.name}）") for s in subjects],
    }
    for name in TASK_SCOPE:
        form.fields[name] = ManyField(TASK_SCOPE[name], choices[name])
    return form


def _choose_regime(request: HttpRequest, plan: Plan) -> HttpResponse:
    context = {"plan": plan, "regimes": selectors.regimes()}
    return render(request, "planning/choose_regime.html", context)


def _check_lists(request: HttpRequest) -> None:
    """Another county's jurisdiction or subject answers 404 before the form is read."""
    if request.method == "POST":
        refs.check_many(viewer_of(request), TASK_SCOPE.refs(), request.POST.getlist)


@allowed(workflow.may_draft_plans)
def task_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    plan = selectors.plan_get(viewer=viewer, plan_id=plan_id)
    if refused := _unchangeable(request, plan):
        return refused
    regime = _regime(request.GET.get("regime", ""))
    if regime is None:
        return _choose_regime(request, plan)
    _check_lists(request)
    initial = {"mode": "PERIODIC", "announced": "true", "inspectors_per_target": 2}
    form = _task_form(request, viewer, plan, regime, initial)
    save = partial(services.task_add, actor=viewer, plan_id=plan.pk, regime=regime.code)
    title = _("Add a task: %(regime)s") % {"regime": regime.title}
    return form_page(request, form, title, _detail(plan), save, _("Task added."))


def _initial(task: Task) -> dict[str, Any]:
    flags = {True: "true", False: "false"}
    return {
        "mode": task.mode,
        "announced": flags[task.announced],
        "method": task.method,
        "starts_on": task.starts_on,
        "ends_on": task.ends_on,
        "inspectors_per_target": task.inspectors_per_target,
        "target_count": None if task.per_jurisdiction else task.target_count,
        "per_jurisdiction": task.per_jurisdiction,
        "include_checked": flags[task.include_checked] if task.mode == "RANDOM" else "",
        "note": task.note,
        "jurisdiction_ids": [a.pk for a in task.jurisdictions.all()],
        "subject_kinds": task.subject_kinds,
        "risk_grades": task.risk_grades,
        "subject_ids": [s.pk for s in task.subjects.all()],
    }


@allowed(workflow.may_draft_plans)
def task_edit(request: HttpRequest, task_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    task = selectors.task_get(viewer=viewer, task_id=task_id)
    if refused := _unchangeable(request, task.plan):
        return refused
    regime = _regime(request.GET.get("regime", task.regime))
    if regime is None:
        return _choose_regime(request, task.plan)
    _check_lists(request)
    form = _task_form(request, viewer, task.plan, regime, _initial(task))
    save = partial(services.task_update, actor=viewer, task_id=task.pk, regime=regime.code)
    title = _("Edit a task: %(regime)s") % {"regime": regime.title}
    return form_page(request, form, title, _detail(task.plan_id), save, _("Task saved."))


@allowed(workflow.may_draft_plans)
def task_remove(request: HttpRequest, task_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    task = selectors.task_get(viewer=viewer, task_id=task_id)
    if refused := _unchangeable(request, task.plan):
        return refused
    words = task_words([task])[0]
    return confirmed(
        request,
        back=_detail(task.plan_id),
        call=partial(services.task_remove, actor=viewer, task_id=task.pk),
        done=_("Task removed."),
        ask={
            "title": _("Remove the task %(regime)s · %(mode)s")
            % {"regime": words.regime, "mode": words.mode},
            "consequence": _("The task is taken out of the draft plan; the audit log keeps it."),
            "action": _("Remove"),
        },
    )
