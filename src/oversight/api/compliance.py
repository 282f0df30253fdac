"""The rhythms of checks over the API: a plan takes the periodic tasks they ask of its bureau
(``POST /plans/{id}/obligations``), and the compliance of the subjects of the token's scope with
them (``GET /compliance``).

Each operation names its rule and the ids it takes (``guard``), checked before its input is
validated: another county's plan answers 404 whatever else the request holds.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from oversight.api.auth import guard, viewer
from oversight.api.problems import READ_ERRORS, WRITE_ERRORS
from oversight.api.schemas import PathId
from oversight.core import clock
from oversight.inspections.compliance import compliance, compliance_data, default_regime
from oversight.inspections.services import UnknownRegime
from oversight.planning import workflow
from oversight.planning.services.obligations import plan_generate_obligations, rhythm_data

router = Router(tags=["compliance"])


# --- shapes ---------------------------------------------------------------------------------------


class ObligationRhythmOut(Schema):
    regime: str
    regime_title: str
    method: str = Field(description="The method kind the rhythm asks for, e.g. ON_SITE.")
    method_code: str | None = Field(description="The regime's method its tasks use, e.g. M01.")
    per: str = Field(description="day, month or year.")
    text: str
    added: int = Field(description="Tasks added now.")
    present: int = Field(description="Periods the plan already had a task for.")
    without_subjects: int = Field(description="Periods no subject of the bureau is owed.")
    task_ids: list[int]


class ObligationsOut(Schema):
    plan_id: int
    added: int = Field(description="Tasks added now; 0 when the plan already had them all.")
    present: int
    task_ids: list[int]
    rhythms: list[ObligationRhythmOut] = Field(
        description="Each rhythm the bureau owes; none: no rhythm."
    )


class CompliancePeriodOut(Schema):
    index: int = Field(description="The period's number in the year, 1 first.")
    starts_on: date
    ends_on: date
    required: int
    done: int = Field(description="Finalised checks of the regime and method in the period.")
    state: str = Field(description="ok, missed (over and short), due (not over) or not_owed.")


class ComplianceSubjectRhythmOut(Schema):
    method: str
    periods: list[CompliancePeriodOut]


class ComplianceSubjectOut(Schema):
    id: int
    name: str
    kind: str
    agency_name: str
    missed: int
    rhythms: list[ComplianceSubjectRhythmOut] = Field(
        description="The rhythms judged for its kind."
    )


class ComplianceRuleOut(Schema):
    method: str
    method_name: str
    per: str
    text: str
    judged: bool = Field(
        description="false: no data yet (remote patrols wait for patrol logs, assessments for "
        "their records); its periods are not judged rather than shown missed."
    )


class ComplianceOut(Schema):
    regime: str
    regime_title: str
    year: int
    today: date
    subject_count: int
    missed: int = Field(description="Missed periods of all the subjects.")
    rules: list[ComplianceRuleOut]
    subjects: list[ComplianceSubjectOut]


class ComplianceQuery(Schema):
    regime: str | None = Field(
        None,
        pattern=r"^[A-Z][A-Z0-9_]{1,39}$",
        description="A regime's code; left out: the first regime with a rhythm judged now.",
    )
    year: int | None = Field(None, ge=2000, le=2100, description="Left out: this year.")


# --- operations -----------------------------------------------------------------------------------


@router.post(
    "/plans/{id:plan_id}/obligations",
    response={200: ObligationsOut, **WRITE_ERRORS},
    auth=guard(workflow.may_draft_plans, plan_id="plan"),
)
def plan_obligations(request: HttpRequest, plan_id: PathId) -> dict[str, Any]:
    """Add to a draft or returned plan the periodic tasks the catalog's rhythms ask of its
    bureau (one per month of 每月实地检查一次, one over the year of a yearly or daily rhythm),
    skipping periods it has: a second call adds nothing (``added`` 0)."""
    done = plan_generate_obligations(actor=viewer(request), plan_id=plan_id)
    return {
        "plan_id": done.plan.pk,
        "added": len(done.added),
        "present": done.present,
        "task_ids": [t.pk for t in done.added],
        "rhythms": [rhythm_data(r) for r in done.rhythms],
    }


@router.get(
    "/compliance",
    response={200: ComplianceOut, **READ_ERRORS},
    auth=guard(workflow.may_read_plans),
)
def compliance_get(request: HttpRequest, query: Query[ComplianceQuery]) -> dict[str, Any]:
    """The subjects of the token's scope owed a rhythm of a regime's checks in a year, each
    period with its checks required and done and its state; missed periods counted."""
    today = timezone.localdate(clock.now())
    code = query.regime or default_regime()
    if not code:
        raise UnknownRegime()
    result = compliance(
        viewer=viewer(request), regime=code, year=query.year or today.year, today=today
    )
    return compliance_data(result)
