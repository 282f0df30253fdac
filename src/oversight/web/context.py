"""The navigation a viewer sees, by role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

BUSINESS = "business"  # any business role, inside a scope (never an administrator)

# (url name, label, who sees it: BUSINESS, a role, or None for everyone signed in)
NAVIGATION: list[tuple[str, Any, str | None]] = [
    ("web:home", _("Home"), None),
    ("web:agency_list", _("Agencies"), BUSINESS),
    ("web:officer_list", _("Officers"), BUSINESS),
    ("web:department_list", _("Departments"), BUSINESS),
    ("web:liaison_list", _("Liaisons"), BUSINESS),
    ("web:catalog", _("Catalog"), None),
    ("web:account_list", _("Accounts"), "SYSTEM_ADMIN"),
    ("web:role_list", _("Roles"), "SECURITY_ADMIN"),
    ("web:lockout_list", _("Lockouts"), "SECURITY_ADMIN"),
    ("web:token_list", _("API tokens"), "SECURITY_ADMIN"),
    ("web:audit_list", _("Audit log"), "AUDIT_ADMIN"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    viewer = getattr(request, "viewer", None)
    if viewer is None or not request.user.is_authenticated:
        return {"nav": []}

    def shown(who: str | None) -> bool:
        if who is None:
            return True
        if who == BUSINESS:
            return bool(viewer.sees_business_data)
        return bool(viewer.has(who))

    return {
        "nav": [(name, label) for name, label, who in NAVIGATION if shown(who)],
        "viewer": viewer,
    }
