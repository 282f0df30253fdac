"""Pure rules of the organisation: role separation, passwords, agency codes. No Django here."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

ADMIN_ROLES = frozenset({"SYSTEM_ADMIN", "SECURITY_ADMIN", "AUDIT_ADMIN"})
BUSINESS_ROLES = frozenset({"LEADER", "INSPECTOR", "LIAISON", "VIEWER"})
ALL_ROLES = ADMIN_ROLES | BUSINESS_ROLES


# --- who may do what: one named rule per action, asked by services, pages, API and CLI alike ---


class Who(Protocol):
    """What a rule needs to know of the person acting (``oversight.org.scope.Viewer``)."""

    @property
    def roles(self) -> frozenset[str]: ...

    @property
    def scope_path(self) -> str | None: ...

    @property
    def scope_depth(self) -> int | None: ...


def sees_business_data(who: Who) -> bool:
    """Business roles inside a scope do; administrators never do (三权分立)."""
    return bool(who.roles & BUSINESS_ROLES) and not who.roles & ADMIN_ROLES and bool(who.scope_path)


def may_manage_org(who: Who) -> bool:
    """Register and edit agencies, officers and liaisons inside one's scope: leaders."""
    return sees_business_data(who) and "LEADER" in who.roles


def may_manage_departments(who: Who) -> bool:
    """Departments are city-wide reference data: leaders at the city bureau maintain them."""
    return may_manage_org(who) and who.scope_depth == 0


def may_manage_accounts(who: Who) -> bool:
    """Create accounts, open or deactivate them, start credential resets: system administrator."""
    return "SYSTEM_ADMIN" in who.roles


def may_manage_access(who: Who) -> bool:
    """Grant and revoke roles, clear lockouts, revoke API tokens: security administrator."""
    return "SECURITY_ADMIN" in who.roles


def may_read_audit(who: Who) -> bool:
    """Search and verify the audit trail: audit administrator."""
    return "AUDIT_ADMIN" in who.roles


def role_conflict(held: Iterable[str], new: str, *, officer: bool | None = None) -> str | None:
    """Return why ``new`` may not join the roles ``held`` (三权分立) as a code, or None if it may.

    The three administrator roles exclude each other and every business role: an administrator
    must never read business data, and no one person may both act and audit. When ``officer``
    says whether the account belongs to an active officer, administrator roles are for accounts
    with no officer and business roles for officers only. Codes: "unknown_role",
    "admin_role_alone", "business_role_for_admin", "admin_role_for_officer",
    "business_role_for_non_officer".
    """
    held = set(held) - {new}
    if new not in ALL_ROLES:
        return "unknown_role"
    if new in ADMIN_ROLES and officer:
        return "admin_role_for_officer"
    if new in ADMIN_ROLES and held:
        return "admin_role_alone"
    if new in BUSINESS_ROLES and held & ADMIN_ROLES:
        return "business_role_for_admin"
    if new in BUSINESS_ROLES and officer is False:
        return "business_role_for_non_officer"
    return None


# The order roles are offered and listed in.
ROLE_ORDER = (
    "SYSTEM_ADMIN",
    "SECURITY_ADMIN",
    "AUDIT_ADMIN",
    "LEADER",
    "INSPECTOR",
    "LIAISON",
    "VIEWER",
)


def grantable_roles(held: Iterable[str], *, officer: bool) -> list[str]:
    """Return the roles an account may still receive, so that a form offers nothing refused."""
    held = set(held)
    return [
        role
        for role in ROLE_ORDER
        if role not in held and role_conflict(held, role, officer=officer) is None
    ]


# --- accounts: who hands over an activation code, and lockouts ----------------------------------


def may_issue_activation_codes(who: Who) -> bool:
    """Open the page of activation codes to hand over: leaders (for officers in their scope) and
    administrators (to approve another administrator's reset)."""
    return may_manage_org(who) or bool(who.roles & ADMIN_ROLES)


def activation_issuer_problem(
    *,
    issuer_id: int | None,
    issuer_roles: Iterable[str],
    requester_id: int | None,
    target_id: int,
    target_is_officer: bool,
    officer_in_issuer_scope: bool,
) -> str | None:
    """Return why a person may not issue the code of an activation, or None if they may.

    The code gives a working session of the target account, so it goes to someone other than the
    administrator who asked for it and other than the target: for an officer, a leader whose
    scope holds the officer; for an account with no officer, a second administrator. Codes:
    "self", "requester", "not_a_leader_of_the_officer", "not_an_administrator".
    """
    roles = set(issuer_roles)
    if issuer_id is None or issuer_id == target_id:
        return "self"
    if issuer_id == requester_id:
        return "requester"
    if target_is_officer:
        if "LEADER" not in roles or roles & ADMIN_ROLES or not officer_in_issuer_scope:
            return "not_a_leader_of_the_officer"
        return None
    if not roles & ADMIN_ROLES:
        return "not_an_administrator"
    return None


ACTIVATION_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I L O U
ACTIVATION_CODE_LENGTH = 12
ACTIVATION_MAX_FAILURES = 5


def activation_code_format(code: str) -> str:
    """Group a code in fours for reading aloud and copying by hand: ``K7QM-2HXD-9RTA``."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def activation_code_normal(typed: str) -> str:
    """Return a typed code as stored: upper case, no spaces or dashes, O read as 0, I and L as 1."""
    cleaned = "".join(c for c in typed.upper() if c not in " -\t")
    return cleaned.translate(str.maketrans("OIL", "011"))


def lockout_until(
    attempts: Iterable[tuple[datetime, int]], *, limit: int, cool_off: timedelta, now: datetime
) -> datetime | None:
    """Return until when a user name is locked out at ``now``, or None if it is not.

    ``attempts`` are django-axes' rows for the name: (last attempt, failures). As axes counts,
    rows older than the cool-off no longer count, and the name is locked while the failures of
    the rows that still count reach ``limit``; the lock ends when enough rows have aged out.
    """
    recent = sorted((at, n) for at, n in attempts if at + cool_off > now)
    total = sum(n for _at, n in recent)
    if total < limit:
        return None
    for at, n in recent:
        total -= n
        if total < limit:
            return at + cool_off
    return None  # pragma: no cover - the loop always ends below the limit


@dataclass(frozen=True)
class PasswordRules:
    min_length: int
    min_classes: int  # how many of: lower case, upper case, digit, other
    max_age_days: int | None
    history: int = 0  # how many recent passwords may not be used again


PASSWORD_POLICIES = {
    # 等保 2.0 level 3 (GB/T 22239-2019 8.1.4.1): complexity and periodic change.
    "dengbao": PasswordRules(min_length=8, min_classes=3, max_age_days=90, history=5),
    # OWASP ASVS 4.0 level 2 (V2.1): length over composition, no forced rotation.
    "asvs": PasswordRules(min_length=12, min_classes=0, max_age_days=None),
}


def password_rules(policy: str, max_age_days: int | None = None) -> PasswordRules:
    """Return the rules of a named policy; ``max_age_days`` overrides a policy that rotates."""
    try:
        rules = PASSWORD_POLICIES[policy]
    except KeyError:
        raise ValueError(f"unknown password policy {policy!r}") from None
    if rules.max_age_days is not None and max_age_days is not None:
        return PasswordRules(rules.min_length, rules.min_classes, max_age_days, rules.history)
    return rules


def character_classes(password: str) -> int:
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


def password_problems(password: str, rules: PasswordRules) -> list[str]:
    """Return the rules a password breaks, as codes: "too_short", "too_few_classes"."""
    problems = []
    if len(password) < rules.min_length:
        problems.append("too_short")
    if character_classes(password) < rules.min_classes:
        problems.append("too_few_classes")
    return problems


def password_expired(changed_at: datetime | None, now: datetime, rules: PasswordRules) -> bool:
    """Tell whether a password set at ``changed_at`` must be changed at ``now``."""
    if rules.max_age_days is None:
        return False
    if changed_at is None:
        return True
    return now - changed_at > timedelta(days=rules.max_age_days)


AGENCY_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")
DEPARTMENT_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,19}$")
DIVISION_CODE = re.compile(r"^[1-9][0-9]{5}$")
BADGE_NUMBER = re.compile(r"^[0-9]{6}$")
WARRANT_NUMBER = re.compile(r"^[0-9A-Z]{6,20}$")
PHONE = re.compile(r"^[0-9+\- ]{3,20}$")


def child_path(parent_path: str | None, code: str) -> str:
    """Return the scope path of an agency: its ancestors' codes and its own, each ending in '/'.

    A subtree is then every path that starts with its root's path; the trailing '/' keeps a
    sibling whose code extends another's (A and A1) out of it.
    """
    return f"{parent_path or ''}{code}/"


# --- the shape of the agency tree: what may stand where ------------------------------------------

BUREAU = "BUREAU"
CITY = "CITY"
COUNTY = "COUNTY"


@dataclass(frozen=True)
class Place:
    """Where an agency stands: what a rule needs to know of a parent or a bureau."""

    code: str
    kind: str
    level: str
    depth: int
    division_code: str


def level_under(parent: Place | None, kind: str) -> str:
    """Return the level an agency of ``kind`` has under ``parent``: the tree decides, not a user.

    The root is the city bureau; a bureau under it is a county bureau; every other unit has its
    parent's level.
    """
    if parent is None:
        return CITY
    if kind == BUREAU:
        return COUNTY
    return parent.level


def placement_problem(
    *, parent: Place | None, bureau: Place | None, kind: str, code: str, division_code: str
) -> tuple[str, str] | None:
    """Return (field, rule) that placing a new agency breaks, or None if it may stand there.

    ``bureau`` is the nearest bureau at or above ``parent``. Rules: "root_is_city_bureau",
    "bureau_only_under_city" (a bureau roots the scope of everyone below it, so a county cannot
    found one), "code_follows_parent" (PARENT-SUFFIX), "division_outside_area" (a county's units
    carry its division code; the city's carry one of the city's prefecture).
    """
    if parent is None:
        return None if kind == BUREAU else ("kind", "root_is_city_bureau")
    if kind == BUREAU and not (parent.kind == BUREAU and parent.depth == 0):
        return ("kind", "bureau_only_under_city")
    if not code.startswith(f"{parent.code}-"):
        return ("code", "code_follows_parent")
    area = parent if kind == BUREAU else bureau
    if area is not None and not division_within(area, division_code, new_bureau=kind == BUREAU):
        return ("division_code", "division_outside_area")
    return None


def division_within(area: Place, division_code: str, *, new_bureau: bool = False) -> bool:
    """Tell whether a division code lies in the area of a bureau.

    A county's units share its code; the city's units, and the county bureaus it founds, lie in
    its prefecture (the same first four digits).
    """
    if area.level == CITY or new_bureau:
        return division_code[:4] == area.division_code[:4]
    return division_code == area.division_code


def may_reshape(actor_scope_path: str | None, agency_path: str) -> bool:
    """Tell whether a leader may change an agency's kind or division code.

    Only strictly below the leader's own bureau: one's own bureau and what is above it are the
    roots of scopes, and no one reshapes the ground they stand on.
    """
    if not actor_scope_path:
        return False
    return agency_path != actor_scope_path and agency_path.startswith(actor_scope_path)


def reclassify_problem(*, current_kind: str, new_kind: str) -> str | None:
    """Return why an agency may not change from one kind to another, or None.

    A bureau is the root of its officers' scope: turning a unit into a bureau, or a bureau into a
    unit, would move people's scope. "bureau_fixed" names that rule.
    """
    if current_kind != new_kind and BUREAU in (current_kind, new_kind):
        return "bureau_fixed"
    return None


def qualification_problem(
    level: str, expires_on: date | None, today: date
) -> tuple[str, str] | None:
    """Return (field, rule) a 执法资格 entry breaks: "expiry_without_level", "already_expired"."""
    if expires_on is None:
        return None
    if level == "NONE":
        return ("qualification_expires_on", "expiry_without_level")
    if expires_on < today:
        return ("qualification_expires_on", "already_expired")
    return None


def qualification_valid(level: str, expires_on: date | None, today: date) -> bool:
    """Tell whether an officer holds a 执法资格 on ``today`` (a level, and not past its expiry)."""
    return level != "NONE" and (expires_on is None or expires_on >= today)


def mfa_required(mode: str, roles: Iterable[str]) -> bool:
    """Tell whether a second factor is required: ``mode`` is "all", "admins" or "off"."""
    if mode == "all":
        return True
    if mode == "admins":
        return bool(set(roles) & ADMIN_ROLES)
    if mode == "off":
        return False
    raise ValueError(f"OVERSIGHT_MFA must be all, admins or off, not {mode!r}")
