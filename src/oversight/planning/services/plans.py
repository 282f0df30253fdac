"""Writes to plans: draft, change, and the steps of their workflow. Each runs in one transaction
and records its audit event.

The order of checks is the project's: permission (``workflow.may_*``), then scope (the plan, the
bureau, loaded through the selectors: NotFound out of scope), then the values, then the rules of
the workflow (``workflow.step_problem``), then uniqueness.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from oversight import audit
from oversight.catalog.models import CatalogVersion
from oversight.catalog.selectors import current_version
from oversight.core import clock
from oversight.core.errors import Conflict, DomainError, PermissionDenied, require
from oversight.core.fields import Fields, clean_value
from oversight.core.text import parse_id
from oversight.org import selectors as org_selectors
from oversight.org.models import Agency, AgencyKind
from oversight.org.scope import Viewer
from oversight.planning import selectors, workflow
from oversight.planning.fields import PLAN, PLAN_EDIT, RETURN
from oversight.planning.models import Plan

# --- refusals -------------------------------------------------------------------------------------


class NoCatalog(Conflict):
    """Plans are made under the catalog's regimes: none is loaded yet."""

    title = _("No catalog of regimes is loaded yet")

    def __init__(self) -> None:
        super().__init__(_("Load the catalog of regimes first (oversight init)."))


class NotABureau(DomainError):
    def __init__(self) -> None:
        super().__init__(
            _("A plan is a bureau's: choose a public security bureau."), field="agency_id"
        )


class DuplicatePlan(Conflict):
    def __init__(self) -> None:
        super().__init__(
            _("The bureau already has a plan of this title for that year."), field="title"
        )


class PlanNotEditable(Conflict):
    """Only a draft or a returned plan changes; what was submitted is what is decided on."""

    def __init__(self) -> None:
        super().__init__(_("Only a draft or a returned plan can be changed."))


class EmptyPlan(Conflict):
    def __init__(self) -> None:
        super().__init__(_("A plan without tasks cannot be submitted."))


class StepRefused(Conflict):
    """The plan is not in a status the step starts from."""

    MESSAGES: dict[str, Any] = {
        workflow.SUBMIT: _("Only a draft or a returned plan can be submitted."),
        workflow.APPROVE: _("Only a submitted plan can be approved."),
        workflow.RETURN: _("Only a submitted plan can be returned."),
        workflow.PUBLISH: _("Only an approved plan can be published."),
    }

    def __init__(self, step: str) -> None:
        super().__init__(self.MESSAGES[step])


class NotPlanLeader(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(_("Only a leader of the plan's bureau approves or returns it."))


class OwnSubmission(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(
            _("You submitted this plan: another leader of the bureau approves or returns it.")
        )


# --- helpers --------------------------------------------------------------------------------------

AUDITED = ("agency_id", "year", "title", "notes", "status", "catalog_version_id")


def _snapshot(plan: Plan) -> dict[str, Any]:
    return {name: getattr(plan, name) for name in AUDITED}


def _clean(fields: Fields, values: dict[str, Any]) -> dict[str, Any]:
    return {name: clean_value(fields[name], values.get(name)) for name in fields}


def version_in_force() -> CatalogVersion:
    """The catalog version plans and tasks record; NoCatalog before one is loaded."""
    version = current_version()
    if version is None:
        raise NoCatalog()
    return version


def _bureau(actor: Viewer, agency_id: Any) -> Agency:
    """The bureau a new plan is for: one named of the actor's scope, or the actor's own."""
    pk = parse_id(agency_id)
    if pk is not None:
        agency = org_selectors.agency_get(viewer=actor, agency_id=pk)
    else:
        clean_value(PLAN["agency_id"], agency_id)  # refuses what is not an id at all
        agency = Agency.objects.get(path=actor.scope_path)
    if agency.kind != AgencyKind.BUREAU or not agency.active:
        raise NotABureau()
    return agency


# --- drafting -------------------------------------------------------------------------------------


def plan_create(*, actor: Viewer, **values: Any) -> Plan:
    """Draft a plan of a bureau of the actor's scope (inspectors and leaders). ``values``:
    agency_id (empty: the actor's own bureau), year, title, notes.

    Raises PermissionDenied, NotFound (the bureau out of scope), DomainError (a value; not a
    bureau), NoCatalog, DuplicatePlan (the bureau has a plan of that title that year).
    """
    require(workflow.may_draft_plans(actor))
    with transaction.atomic():
        agency = _bureau(actor, values.get("agency_id"))
        clean = _clean(PLAN.without("agency_id"), values)
        version = version_in_force()
        if Plan.objects.filter(agency=agency, year=clean["year"], title=clean["title"]).exists():
            raise DuplicatePlan()
        now = clock.now()
        try:
            with transaction.atomic():
                plan = Plan.objects.create(
                    agency=agency,
                    catalog_version=version,
                    created_by_id=actor.pk,
                    created_at=now,
                    updated_at=now,
                    **clean,
                )
        except IntegrityError:
            raise DuplicatePlan() from None
        audit.record(action="plan.create", actor=actor, target=plan, after=_snapshot(plan))
    return plan


def plan_update(*, actor: Viewer, plan_id: Any, **values: Any) -> Plan:
    """Change a draft or returned plan's title and notes (inspectors and leaders, in scope).

    Raises PermissionDenied, NotFound, PlanNotEditable, DomainError (a value), DuplicatePlan.
    """
    require(workflow.may_draft_plans(actor))
    with transaction.atomic():
        plan = selectors.plan_get(viewer=actor, plan_id=plan_id, for_update=True)
        clean = _clean(PLAN_EDIT, values)
        if not workflow.tasks_editable(plan.status):
            raise PlanNotEditable()
        before = _snapshot(plan)
        same_title = Plan.objects.filter(agency=plan.agency, year=plan.year, title=clean["title"])
        if same_title.exclude(pk=plan.pk).exists():
            raise DuplicatePlan()
        for name, value in clean.items():
            setattr(plan, name, value)
        plan.updated_at = clock.now()
        plan.save(update_fields=[*clean, "updated_at"])
        after = _snapshot(plan)
        changed = [k for k in after if after[k] != before[k]]
        audit.record(
            action="plan.update",
            actor=actor,
            target=plan,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return plan


# --- the steps ------------------------------------------------------------------------------------


def _step(actor: Viewer, plan_id: Any, step: str, clean: Any = None) -> Plan:
    """Load the plan in scope, locked; check that the actor may take ``step`` on it, then run
    ``clean`` (the step's own values), then check the plan's status allows the step."""
    plan = selectors.plan_get(viewer=actor, plan_id=plan_id, for_update=True)
    problem = workflow.step_problem(step, plan.status, selectors.actor_on(actor, plan))
    refuse_person(problem)
    if clean is not None:
        clean()
    if problem == workflow.WRONG_STATUS:
        raise StepRefused(step)
    return plan


def refuse_person(problem: str | None) -> None:
    """Raise the refusal of a person the workflow's rules name (``workflow.step_problem``)."""
    if problem == workflow.NOT_PERMITTED:
        raise PermissionDenied()
    if problem == workflow.NOT_PLAN_LEADER:
        raise NotPlanLeader()
    if problem == workflow.OWN_SUBMISSION:
        raise OwnSubmission()


def _move(plan: Plan, actor: Viewer, step: str, who: str, when: str, **more: Any) -> Plan:
    """Put the plan in the status ``step`` leads to, noting who took it and when."""
    plan.status = workflow.next_status(step)
    now = clock.now()
    setattr(plan, who, actor.pk)
    setattr(plan, when, now)
    for name, value in more.items():
        setattr(plan, name, value)
    plan.updated_at = now
    plan.save(update_fields=["status", who, when, "updated_at", *more])
    return plan


def plan_submit(*, actor: Viewer, plan_id: Any) -> Plan:
    """Submit a draft or returned plan for approval (inspectors and leaders, in scope). Raises
    PermissionDenied, NotFound, StepRefused, EmptyPlan (no tasks)."""
    require(workflow.may_draft_plans(actor))
    with transaction.atomic():
        plan = _step(actor, plan_id, workflow.SUBMIT)
        if not plan.tasks.exists():
            raise EmptyPlan()
        before = plan.status
        _move(plan, actor, workflow.SUBMIT, "submitted_by_id", "submitted_at")
        audit.record(
            action="plan.submit",
            actor=actor,
            target=plan,
            before={"status": before},
            after={"status": plan.status},
        )
    return plan


def plan_approve(*, actor: Viewer, plan_id: Any) -> Plan:
    """Approve a submitted plan (a leader of the plan's bureau who did not submit it). Raises
    PermissionDenied, NotFound, NotPlanLeader, OwnSubmission, StepRefused."""
    require(workflow.may_decide_plans(actor))
    with transaction.atomic():
        plan = _step(actor, plan_id, workflow.APPROVE)
        _move(plan, actor, workflow.APPROVE, "approved_by_id", "approved_at")
        audit.record(
            action="plan.approve",
            actor=actor,
            target=plan,
            before={"status": workflow.SUBMITTED},
            after={"status": plan.status},
        )
    return plan


def plan_return(*, actor: Viewer, plan_id: Any, reason: Any = None) -> Plan:
    """Return a submitted plan to its drafters with the reason (a leader of the plan's bureau who
    did not submit it): its tasks may change again until it is submitted anew. Raises
    PermissionDenied, NotFound, NotPlanLeader, OwnSubmission, DomainError (no reason),
    StepRefused."""
    require(workflow.may_decide_plans(actor))
    with transaction.atomic():
        why: dict[str, str] = {}
        plan = _step(
            actor,
            plan_id,
            workflow.RETURN,
            clean=lambda: why.update(reason=clean_value(RETURN["reason"], reason)),
        )
        _move(
            plan,
            actor,
            workflow.RETURN,
            "returned_by_id",
            "returned_at",
            return_reason=why["reason"],
        )
        audit.record(
            action="plan.return",
            actor=actor,
            target=plan,
            before={"status": workflow.SUBMITTED},
            after={"status": plan.status, "return_reason": why["reason"]},
        )
    return plan


def plan_publish(*, actor: Viewer, plan_id: Any) -> Plan:
    """Publish an approved plan (leaders, in scope). Raises PermissionDenied, NotFound,
    StepRefused."""
    require(workflow.may_decide_plans(actor))
    with transaction.atomic():
        plan = _step(actor, plan_id, workflow.PUBLISH)
        _move(plan, actor, workflow.PUBLISH, "published_by_id", "published_at")
        audit.record(
            action="plan.publish",
            actor=actor,
            target=plan,
            before={"status": workflow.APPROVED},
            after={"status": plan.status},
        )
    return plan
