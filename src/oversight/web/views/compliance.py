"""Pages of the rhythms of checks (每月实地检查一次, 年检): a plan takes the periodic tasks they ask
of its bureau (a button on the plan's page), and the compliance page shows, per subject and
period, the checks required and done, flagging each period missed."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from oversight.core import clock
from oversight.core.errors import DomainError, NotFound, PermissionDenied
from oversight.core.fields import Fields
from oversight.core.pagination import paginate
from oversight.inspections.compliance import compliance, default_regime, regimes_with_rhythms
from oversight.inspections.fields import COMPLIANCE_FILTERS
from oversight.planning import selectors, workflow
from oversight.planning.services.obligations import Generated, plan_generate_obligations
from oversight.planning.services.plans import PlanNotEditable
from oversight.web.declared import declared_form
from oversight.web.shortcuts import allowed, confirm, render, viewer_of

# --- a plan's periodic tasks ----------------------------------------------------------------------


def generated_words(done: Generated) -> str:
    """What generating did, in a sentence for the page."""
    if not done.rhythms:
        return _(
            "The catalog sets no rhythm of checks for the departments of this bureau's units: "
            "nothing was added."
        )
    added = len(done.added)
    if added:
        said = ngettext(
            "%(n)d periodic task added, as the catalog's rhythms require.",
            "%(n)d periodic tasks added, as the catalog's rhythms require.",
            added,
        ) % {"n": added}
        if done.present:
            said += " " + _("Periods already in the plan were left as they were.")
        return said
    if done.present:
        return _(
            "The plan already has every periodic task the catalog's rhythms require: nothing "
            "was added."
        )
    return _("No subject of the bureau's scope is owed these checks: nothing was added.")


@allowed(workflow.may_draft_plans)
def plan_obligations(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Ask first, then add to a draft or returned plan the periodic tasks the rhythms of the
    catalog ask of its bureau; back to the plan, saying what was added."""
    viewer = viewer_of(request)
    plan = selectors.plan_get(viewer=viewer, plan_id=plan_id)
    back = reverse("web:plan_detail", args=[plan.pk])
    if not workflow.tasks_editable(plan.status):
        messages.error(request, str(PlanNotEditable().message))
        return redirect(back)
    if request.method != "POST":
        return confirm(
            request,
            title=_("Generate the required periodic checks of %(title)s") % {"title": plan.title},
            consequence=_(
                "For each rhythm of checks the catalog sets for the departments of the bureau's "
                "units (e.g. an on-site check of each custody facility once a month), one task is "
                "added per period, naming the subjects owed it. Periods the plan already has a "
                "task for are left as they are; the tasks can be changed or removed afterwards."
            ),
            action=_("Generate"),
            cancel_url=back,
            danger=False,
        )
    try:
        done = plan_generate_obligations(actor=viewer, plan_id=plan.pk)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(back)
    (messages.success if done.added else messages.info)(request, generated_words(done))
    return redirect(back)


# --- compliance -----------------------------------------------------------------------------------


def _filter_form(request: HttpRequest, initial: dict[str, Any]) -> Any:
    choices = [(r.code, r.title) for r in regimes_with_rhythms()]
    fields = Fields(
        *(
            replace(s, choices=choices) if s.name == "regime" else s
            for s in COMPLIANCE_FILTERS.specs
        )
    )
    return declared_form(fields, "ComplianceFilterForm")(request.GET or None, initial=initial)


@allowed(workflow.may_read_plans)
def compliance_page(request: HttpRequest) -> HttpResponse:
    """The subjects of the viewer's scope under a regime's rhythms in a year: each period's
    checks, missed ones flagged; one page of subjects at a time."""
    viewer = viewer_of(request)
    today = timezone.localdate(clock.now())
    first = default_regime()
    form = _filter_form(request, {"regime": first, "year": today.year})
    if request.GET and not form.is_valid():
        context = {"form": form, "result": None, "page": None}
        return render(request, "compliance/compliance.html", context, status=400)
    chosen = form.cleaned_data if request.GET else {}
    code = chosen.get("regime") or first
    year = chosen.get("year") or today.year
    result = compliance(viewer=viewer, regime=code, year=year, today=today) if code else None
    rows = result.rows if result else []
    if chosen.get("missed"):
        rows = [r for r in rows if r.missed]
    page = paginate(rows, request.GET.get("page"))
    context = {
        "form": form,
        "result": result,
        "page": page if result else None,
        "tables": _tables(result, list(page.object_list)) if result else [],
    }
    return render(request, "compliance/compliance.html", context)


def _tables(result: Any, rows: list[Any]) -> list[tuple[Any, list[tuple[Any, Any]]]]:
    """A table per rule judged now: the rule, and each row's subject with its periods."""
    return [
        (rule, [(row.subject, row.states[i]) for row in rows if row.states[i] is not None])
        for i, rule in enumerate(result.rules)
        if rule.judged
    ]
