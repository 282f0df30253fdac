"""Reads of accounts for the administrators and leaders: who waits for whom, lockouts, roles.

Each function takes the viewer and returns nothing to a viewer the matching rule does not allow.
Administrators see login facts (user name, full name, state), never an officer's record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from oversight.core import clock
from oversight.org import policy, selectors
from oversight.org.models import AccountActivation, Officer, RoleGrant, User
from oversight.org.scope import Viewer


def open_activations() -> QuerySet[AccountActivation]:
    """Activations neither used nor cancelled (an expired one stays open until it is closed)."""
    return AccountActivation.objects.filter(used_at__isnull=True, cancelled_at__isnull=True)


def issuable(viewer: Viewer) -> QuerySet[AccountActivation]:
    """Open activations whose code the viewer may issue (``policy.activation_issuer_problem``).

    A leader: officers in their scope. An administrator: accounts with no officer. Never the
    viewer's own account, never one the viewer asked for.
    """
    if viewer.pk is None or not policy.may_issue_activation_codes(viewer):
        return AccountActivation.objects.none()
    qs = (
        open_activations()
        .filter(issued_at__isnull=True)
        .exclude(user_id=viewer.pk)
        .exclude(requested_by_id=viewer.pk)
    )
    if policy.may_manage_org(viewer):
        officers = selectors.officers_visible(viewer).filter(active=True).values("user_id")
        qs = qs.filter(user_id__in=officers)
    else:
        qs = qs.filter(user__officer__isnull=True)
    return qs.select_related("user", "requested_by").order_by("requested_at", "id")


def issued_by(viewer: Viewer) -> QuerySet[AccountActivation]:
    """Codes the viewer issued that are not used, cancelled or expired yet."""
    if viewer.pk is None or not policy.may_issue_activation_codes(viewer):
        return AccountActivation.objects.none()
    return (
        open_activations()
        .filter(issued_by_id=viewer.pk, expires_at__gt=clock.now())
        .select_related("user")
        .order_by("expires_at", "id")
    )


# Django marks a password that was never set (``set_unusable_password``) with this prefix.
_NO_PASSWORD = Q(password__startswith="!")  # noqa: S106 - a marker, not a password


def awaiting_activation(viewer: Viewer) -> QuerySet[User]:
    """Active accounts that never had a password and have no activation open: the system
    administrator's queue (officers a leader registered, accounts the administrator created)."""
    if not policy.may_manage_accounts(viewer):
        return User.objects.none()
    opened = open_activations().filter(user_id=OuterRef("pk"))
    return (
        User.objects.filter(_NO_PASSWORD, is_active=True)
        .exclude(Exists(opened))
        .exclude(Q(officer__isnull=False) & Q(officer__active=False))
        .only("id", "username", "display_name", "date_joined")
        .order_by("date_joined", "id")
    )


def activations_in_progress(viewer: Viewer) -> QuerySet[AccountActivation]:
    """Open activations, for the system administrator to follow (and to withdraw)."""
    if not policy.may_manage_accounts(viewer):
        return AccountActivation.objects.none()
    return open_activations().select_related("user", "issued_by").order_by("requested_at", "id")


def open_activation_of(viewer: Viewer, user_id: int) -> AccountActivation | None:
    return activations_in_progress(viewer).filter(user_id=user_id).first()


def open_activations_by_user(viewer: Viewer, user_ids: list[int]) -> dict[int, AccountActivation]:
    """Return the activation under way of each of ``user_ids`` that has one (one query)."""
    return {a.user_id: a for a in activations_in_progress(viewer).filter(user_id__in=user_ids)}


def never_activated(viewer: Viewer, user_ids: list[int]) -> set[int]:
    """Return which of ``user_ids`` never had a password (one query; system administrator)."""
    if not policy.may_manage_accounts(viewer):
        return set()
    users = User.objects.filter(_NO_PASSWORD, pk__in=user_ids)
    return set(users.values_list("pk", flat=True))


def is_officer_account(viewer: Viewer, user_id: int) -> bool:
    """Tell the system administrator whether an account is an officer's (a leader then issues
    its activation code) or not (a second administrator does); nothing else of the officer."""
    if not policy.may_manage_accounts(viewer):
        return False
    return Officer.objects.filter(user_id=user_id).exists()


def without_role(viewer: Viewer) -> QuerySet[User]:
    """Active accounts holding no role: the security administrator's queue."""
    if not policy.may_manage_access(viewer):
        return User.objects.none()
    held = RoleGrant.objects.filter(user_id=OuterRef("pk"), revoked_at__isnull=True)
    return User.objects.filter(is_active=True).exclude(Exists(held))


def grantable_roles(viewer: Viewer, user_ids: list[int]) -> dict[int, list[str]]:
    """Return, per account, the roles the viewer may still grant it (two queries); none to the
    viewer's own account."""
    if not policy.may_manage_access(viewer):
        return {}
    officers = set(
        Officer.objects.filter(user_id__in=user_ids, active=True).values_list("user_id", flat=True)
    )
    held = selectors.active_roles_by_user(user_ids)
    return {
        uid: [] if uid == viewer.pk else policy.grantable_roles(held[uid], officer=uid in officers)
        for uid in user_ids
    }


@dataclass(frozen=True)
class LockoutState:
    """What the security administrator needs to know of one user name's failed logins."""

    username: str
    failures: int
    last_attempt: datetime
    addresses: tuple[str, ...]
    locked_until: datetime | None


def lockout_states(viewer: Viewer, *, limit: int = 200) -> list[LockoutState]:
    """Return the user names with failed logins on record, newest first, each saying whether it is
    locked now and until when (django-axes' rule: ``AXES_FAILURE_LIMIT`` failures within
    ``AXES_COOLOFF_TIME``)."""
    from axes.models import AccessAttempt

    if not policy.may_manage_access(viewer):
        return []
    rows = AccessAttempt.objects.order_by("-attempt_time", "id").values_list(
        "username", "ip_address", "attempt_time", "failures_since_start"
    )[: limit * 4]
    by_name: dict[str, list[tuple[str, datetime, int]]] = {}
    for username, ip, at, failures in rows:
        by_name.setdefault(username or "", []).append((ip or "", at, failures))
    now = clock.now()
    states = [
        LockoutState(
            username=name,
            failures=sum(n for _ip, _at, n in attempts),
            last_attempt=max(at for _ip, at, _n in attempts),
            addresses=tuple(sorted({ip for ip, _at, _n in attempts if ip})),
            locked_until=policy.lockout_until(
                [(at, n) for _ip, at, n in attempts],
                limit=settings.AXES_FAILURE_LIMIT,
                cool_off=settings.AXES_COOLOFF_TIME,
                now=now,
            ),
        )
        for name, attempts in by_name.items()
    ]
    return sorted(states, key=lambda s: (s.last_attempt, s.username), reverse=True)[:limit]


def home_queues(viewer: Viewer) -> dict[str, int]:
    """Return what waits for the viewer, by queue: only the queues the viewer works on.

    "awaiting_activation" and "activations_in_progress" (system administrator), "without_role"
    (security administrator), "codes_to_issue" (leaders and administrators; only when some wait).
    """
    queues: dict[str, int] = {}
    if policy.may_manage_accounts(viewer):
        queues["awaiting_activation"] = awaiting_activation(viewer).count()
        queues["activations_in_progress"] = activations_in_progress(viewer).count()
    if policy.may_manage_access(viewer):
        queues["without_role"] = without_role(viewer).count()
    if policy.may_issue_activation_codes(viewer):
        to_issue = issuable(viewer).count()
        if to_issue:
            queues["codes_to_issue"] = to_issue
    return queues


@dataclass(frozen=True)
class Handover:
    """Whom to hand an activation code to: an officer by name, badge number and unit (to a
    leader, who sees them anyway), an administrator by user name and full name."""

    activation: AccountActivation
    username: str
    name: str
    badge_number: str = ""
    agency: str = ""


def handovers(viewer: Viewer, activations: list[AccountActivation]) -> list[Handover]:
    """Describe the holders of ``activations`` (from ``issuable`` or ``issued_by``), one query."""
    officers: dict[int, Officer] = {}
    if policy.sees_business_data(viewer):
        visible = selectors.officers_visible(viewer).select_related("agency")
        officers = {
            o.user_id: o for o in visible.filter(user_id__in=[a.user_id for a in activations])
        }
    rows = []
    for a in activations:
        officer = officers.get(a.user_id)
        if officer is None:
            rows.append(Handover(a, a.user.username, a.user.display_name))
        else:
            rows.append(
                Handover(
                    a, a.user.username, officer.name, officer.badge_number, officer.agency.name
                )
            )
    return rows
