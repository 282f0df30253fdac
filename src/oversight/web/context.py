"""The navigation a viewer sees, by role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# (url name, label, roles that see it)
NAVIGATION: list[tuple[str, Any, frozenset[str]]] = [
    ("web:home", _("Home"), frozenset()),
    ("web:agency_list", _("Agencies"), frozenset({"LEADER", "INSPECTOR", "LIAISON", "VIEWER"})),
    ("web:officer_list", _("Officers"), frozenset({"LEADER", "INSPECTOR", "LIAISON", "VIEWER"})),
    (
        "web:department_list",
        _("Departments"),
        frozenset({"LEADER", "INSPECTOR", "LIAISON", "VIEWER"}),
    ),
    ("web:liaison_list", _("Liaisons"), frozenset({"LEADER", "INSPECTOR", "LIAISON", "VIEWER"})),
    ("web:account_list", _("Accounts"), frozenset({"SYSTEM_ADMIN"})),
    ("web:role_list", _("Roles"), frozenset({"SECURITY_ADMIN"})),
    ("web:lockout_list", _("Lockouts"), frozenset({"SECURITY_ADMIN"})),
    ("web:token_list", _("API tokens"), frozenset({"SECURITY_ADMIN"})),
    ("web:audit_list", _("Audit log"), frozenset({"AUDIT_ADMIN"})),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    viewer = getattr(request, "viewer", None)
    if viewer is None or not request.user.is_authenticated:
        return {"nav": []}
    roles = viewer.roles
    business_ok = viewer.sees_business_data
    items = []
    for name, label, needed in NAVIGATION:
        if not needed or (
            roles & needed
            and (business_ok or not (needed - {"SYSTEM_ADMIN", "SECURITY_ADMIN", "AUDIT_ADMIN"}))
        ):
            items.append((name, label))
    return {"nav": items, "viewer": viewer}
