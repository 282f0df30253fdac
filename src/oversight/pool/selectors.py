"""Reads of the inspector pool, each scoped to the viewer's bureau first.

``pool_for`` is what a draw asks: the officers of the viewer's scope who may inspect under a
regime on a day, minus those recused from the subject — one query, whatever the numbers. The
pages also say why the others may not (``pool_table``), by the rules of ``policy.eligible``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from oversight.catalog.schema import Regime
from oversight.catalog.selectors import catalog_in_force
from oversight.core import clock
from oversight.core.errors import NotFound, PermissionDenied
from oversight.core.text import parse_id
from oversight.org import selectors as org_selectors
from oversight.org.models import Officer
from oversight.org.scope import Viewer
from oversight.pool import policy
from oversight.pool.models import Conflict, RegimeQualification, Unavailability
from oversight.subjects.models import Subject
from oversight.subjects.selectors import subjects_visible


def today() -> date:
    """Today where the bureau is: a day of the pool is a local day, not a UTC one."""
    return timezone.localdate(clock.now())


def holds_on(on: date) -> Q:
    """The records that hold on ``on`` (``policy.Span.covers``, as a query)."""
    return (
        (Q(starts_on__isnull=True) | Q(starts_on__lte=on))
        & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    )


def span_of(record: Any) -> policy.Span:
    """The days a record of the pool holds."""
    return policy.Span(record.starts_on, record.ends_on, record.ended_on)


# --- regimes (from the catalog in force) ----------------------------------------------------------


def regimes() -> list[Regime]:
    """The regimes of the catalog in force, in the catalog's order; none before one is loaded."""
    try:
        return list(catalog_in_force().regimes.values())
    except NotFound:
        return []


def regime_get(code: str) -> Regime:
    """The regime of the catalog in force with this code; NotFound if there is none."""
    regime = catalog_in_force().regimes.get(code)
    if regime is None:
        raise NotFound()
    return regime


def regime_titles() -> dict[str, str]:
    return {r.code: r.title for r in regimes()}


# --- the pool -------------------------------------------------------------------------------------


def _available(officers: QuerySet[Officer], on: date) -> QuerySet[Officer]:
    """Officers who are active, hold a 执法资格 in force on ``on`` and are not away that day."""
    away = Unavailability.objects.filter(holds_on(on), officer=OuterRef("pk"))
    return (
        officers.filter(active=True)
        .exclude(qualification="NONE")
        .filter(Q(qualification_expires_on__isnull=True) | Q(qualification_expires_on__gte=on))
        .filter(~Exists(away))
    )


def _pool(
    officers: QuerySet[Officer], regime: str, on: date, subject_id: int | None
) -> QuerySet[Officer]:
    qualified = RegimeQualification.objects.filter(
        holds_on(on), regime=regime, officer=OuterRef("pk")
    )
    qs = _available(officers, on).filter(Exists(qualified))
    if subject_id is not None:
        conflicted = Conflict.objects.filter(
            holds_on(on), subject_id=subject_id, officer=OuterRef("pk")
        )
        qs = qs.filter(~Exists(conflicted))
    return qs.select_related("agency", "department").order_by("badge_number")


def pool_for(
    *, viewer: Viewer, regime: str, on: date, subject: Subject | int | None = None
) -> QuerySet[Officer]:
    """The officers of the viewer's scope who may inspect under ``regime`` on ``on``, minus
    those recused from ``subject`` (a subject the caller loaded in its scope, or its id).

    The rules are ``policy.eligible`` and ``policy.recused``, written as one query: an active
    officer with a 执法资格 not expired on ``on``, a qualification for the regime that holds that
    day, no unavailability that day, and no conflict with the subject that day. Ordered by badge
    number; none for a viewer who does not see business data.
    """
    subject_id = subject.pk if isinstance(subject, Subject) else subject
    return _pool(org_selectors.officers_visible(viewer), regime, on, subject_id)


def pool_counts(*, viewer: Viewer, on: date) -> dict[str, int]:
    """How many officers of the viewer's scope are in the pool of each regime on ``on``."""
    available = _available(org_selectors.officers_visible(viewer), on)
    rows = (
        RegimeQualification.objects.filter(holds_on(on), officer__in=available)
        .values("regime")
        .annotate(n=Count("officer", distinct=True))
        .order_by()
    )
    return {row["regime"]: row["n"] for row in rows}


def facts_of(officers: Iterable[Officer], *, regime: str | None = None) -> dict[int, Any]:
    """The facts ``policy.eligible`` needs of each officer: three queries, however many."""
    officers = list(officers)
    ids = [o.pk for o in officers]
    qualifications = RegimeQualification.objects.filter(officer_id__in=ids)
    if regime is not None:
        qualifications = qualifications.filter(regime=regime)
    held: dict[int, list[tuple[str, policy.Span]]] = defaultdict(list)
    for q in qualifications.order_by("starts_on", "id"):
        held[q.officer_id].append((q.regime, span_of(q)))
    away: dict[int, list[policy.Span]] = defaultdict(list)
    for u in Unavailability.objects.filter(officer_id__in=ids).order_by("starts_on", "id"):
        away[u.officer_id].append(span_of(u))
    conflicts: dict[int, list[tuple[int, policy.Span]]] = defaultdict(list)
    for c in Conflict.objects.filter(officer_id__in=ids).order_by("id"):
        conflicts[c.officer_id].append((c.subject_id, span_of(c)))
    return {
        o.pk: policy.OfficerFacts(
            active=o.active,
            qualification=o.qualification,
            qualification_expires_on=o.qualification_expires_on,
            regimes=tuple(held[o.pk]),
            unavailable=tuple(away[o.pk]),
            conflicts=tuple(conflicts[o.pk]),
        )
        for o in officers
    }


@dataclass(frozen=True)
class PoolTable:
    """The pool of a regime on a day, as its page shows it."""

    regime: Regime
    on: date
    in_pool: list[Officer]
    # Officers granted the regime (not revoked by that day) who may not inspect that day, and why.
    held_back: list[tuple[Officer, list[str]]] = field(default_factory=list)
    # Active officers of the scope with no qualification for the regime at all.
    never_qualified: int = 0


def pool_table(
    *, viewer: Viewer, regime: Regime, on: date, subject_id: int | None = None
) -> PoolTable:
    """Who may inspect under ``regime`` on ``on`` in the viewer's scope (and, for a subject, are
    not recused from it: ``pool_for``), and why the officers qualified for it may not; a
    constant number of queries."""
    return _table(org_selectors.officers_visible(viewer), regime, on, subject_id)


def pool_table_in_scope(*, scope_path: str, regime: Regime, on: date) -> PoolTable:
    """``pool_table`` over the officers of an agency subtree (``""``: all), for the console."""
    return _table(Officer.objects.filter(agency__path__startswith=scope_path), regime, on, None)


def _table(
    officers: QuerySet[Officer], regime: Regime, on: date, subject_id: int | None
) -> PoolTable:
    not_revoked = Q(ended_on__isnull=True) | Q(ended_on__gt=on)
    granted = RegimeQualification.objects.filter(
        not_revoked, regime=regime.code, officer=OuterRef("pk")
    )
    candidates = list(
        officers.filter(Exists(granted))
        .select_related("agency", "department")
        .order_by("badge_number")
    )
    facts = facts_of(candidates, regime=regime.code)
    in_pool, held_back = [], []
    for officer in candidates:
        reasons = policy.eligible(facts[officer.pk], regime.code, on)
        if subject_id is not None and policy.recused(facts[officer.pk], subject_id, on):
            reasons.append(policy.RECUSED)
        if reasons:
            held_back.append((officer, reasons))
        else:
            in_pool.append(officer)
    never = officers.filter(active=True).exclude(Exists(granted)).count()
    return PoolTable(regime, on, in_pool, held_back, never)


# --- one officer's records ------------------------------------------------------------------------


def may_see_records(viewer: Viewer, officer: Officer) -> bool:
    """An officer's pool records (leave and its reason, declared conflicts) are for the leaders
    of their scope and for the officer themself."""
    return policy.may_manage_pool(viewer) or viewer.officer_id == officer.pk


@dataclass(frozen=True)
class OfficerRecords:
    officer: Officer
    qualifications: list[RegimeQualification]
    unavailability: list[Unavailability]
    conflicts: list[Conflict]
    visible_subjects: set[int]  # the conflicts' subjects the viewer may open


def officer_records(*, viewer: Viewer, officer_id: Any) -> OfficerRecords:
    """An officer's qualifications, unavailability and conflicts, newest first.

    NotFound for an officer out of scope; PermissionDenied for someone who is neither a leader of
    the scope nor the officer.
    """
    officer = officer_get(viewer=viewer, officer_id=officer_id)
    if not may_see_records(viewer, officer):
        raise PermissionDenied()
    qualifications = list(officer.regime_qualifications.order_by("-starts_on", "-id"))
    away = list(officer.unavailability.order_by("-starts_on", "-id"))
    conflicts = list(officer.conflicts.select_related("subject").order_by("-declared_at", "-id"))
    ids = {c.subject_id for c in conflicts}
    visible = set(subjects_visible(viewer).filter(pk__in=ids).values_list("pk", flat=True))
    return OfficerRecords(officer, qualifications, away, conflicts, visible)


def officer_get(*, viewer: Viewer, officer_id: Any) -> Officer:
    """An officer of the viewer's scope (NotFound otherwise, missing and out of scope alike)."""
    pk = parse_id(officer_id)
    if pk is None:
        raise NotFound()
    return org_selectors.officer_get(viewer=viewer, officer_id=pk)


def _record_get(model: Any, viewer: Viewer, pk: Any, for_update: bool) -> Any:
    number = parse_id(pk)
    qs = model.objects.filter(officer__in=org_selectors.officers_visible(viewer))
    if for_update:
        qs = qs.select_for_update(of=("self",))
    found = qs.select_related("officer").filter(pk=number).first() if number else None
    if found is None:
        raise NotFound()
    return found


def qualification_get(
    *, viewer: Viewer, qualification_id: Any, for_update: bool = False
) -> RegimeQualification:
    """A regime qualification of an officer in the viewer's scope; NotFound otherwise."""
    found: RegimeQualification = _record_get(
        RegimeQualification, viewer, qualification_id, for_update
    )
    return found


def unavailability_get(
    *, viewer: Viewer, unavailability_id: Any, for_update: bool = False
) -> Unavailability:
    """A spell of unavailability of an officer in the viewer's scope; NotFound otherwise."""
    found: Unavailability = _record_get(Unavailability, viewer, unavailability_id, for_update)
    return found


def conflict_get(*, viewer: Viewer, conflict_id: Any, for_update: bool = False) -> Conflict:
    """A declared conflict of an officer in the viewer's scope; NotFound otherwise."""
    found: Conflict = _record_get(Conflict, viewer, conflict_id, for_update)
    return found


def subject_choices(*, viewer: Viewer, q: str, limit: int = 20) -> list[Subject]:
    """Subjects of the viewer's scope whose name holds ``q`` or whose credit code starts with it,
    to pick the subject of a conflict from."""
    if not q:
        return []
    qs = subjects_visible(viewer).filter(
        Q(name__icontains=q) | Q(credit_code__startswith=q.upper())
    )
    return list(qs.select_related("agency").order_by("name", "id")[:limit])
