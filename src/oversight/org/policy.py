"""Pure rules of the organisation: role separation, passwords, agency codes. No Django here."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
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


def role_conflict(held: Iterable[str], new: str) -> str | None:
    """Return why ``new`` may not join the roles ``held`` (三权分立) as a code, or None if it may.

    The three administrator roles exclude each other and every business role: an administrator
    must never read business data, and no one person may both act and audit. Codes:
    "unknown_role", "admin_role_alone", "business_role_for_admin".
    """
    held = set(held) - {new}
    if new not in ALL_ROLES:
        return "unknown_role"
    if new in ADMIN_ROLES and held:
        return "admin_role_alone"
    if new in BUSINESS_ROLES and held & ADMIN_ROLES:
        return "business_role_for_admin"
    return None


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


def child_path(parent_path: str | None, code: str) -> str:
    """Return the scope path of an agency: its ancestors' codes and its own, each ending in '/'.

    A subtree is then every path that starts with its root's path; the trailing '/' keeps a
    sibling whose code extends another's (A and A1) out of it.
    """
    return f"{parent_path or ''}{code}/"


def mfa_required(mode: str, roles: Iterable[str]) -> bool:
    """Tell whether a second factor is required: ``mode`` is "all", "admins" or "off"."""
    if mode == "all":
        return True
    if mode == "admins":
        return bool(set(roles) & ADMIN_ROLES)
    if mode == "off":
        return False
    raise ValueError(f"OVERSIGHT_MFA must be all, admins or off, not {mode!r}")
