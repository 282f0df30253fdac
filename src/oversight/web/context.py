"""The navigation a viewer sees, by role."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from oversight.org import policy
from oversight.planning import workflow

# (url name, label, the rule that shows it; None for everyone signed in)
NAVIGATION: list[tuple[str, Any, Callable[[Any], bool] | None]] = [
    ("web:home", _("Home"), None),
    ("web:agency_list", _("Agencies"), policy.sees_business_data),
    ("web:officer_list", _("Officers"), policy.sees_business_data),
    ("web:department_list", _("Departments"), policy.sees_business_data),
    ("web:liaison_list", _("Liaisons"), policy.sees_business_data),
    ("web:subject_list", _("Subjects"), policy.sees_business_data),
    ("web:pool_index", _("Inspector pool"), policy.sees_business_data),
    ("web:plan_list", _("Plans of checks"), workflow.may_read_plans),
    ("web:compliance", _("Compliance with required checks"), workflow.may_read_plans),
    ("web:catalog", _("Catalog"), None),
    ("web:account_list", _("Accounts"), policy.may_manage_accounts),
    ("web:role_list", _("Roles"), policy.may_manage_access),
    ("web:lockout_list", _("Lockouts"), policy.may_manage_access),
    ("web:token_list", _("API tokens"), policy.may_manage_access),
    ("web:audit_list", _("Audit log"), policy.may_read_audit),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu and the permission flags (``can.*``) a page shows or hides controls by."""
    viewer = getattr(request, "viewer", None)
    if viewer is None or not request.user.is_authenticated:
        return {"nav": []}
    nav = [(name, label) for name, label, rule in NAVIGATION if rule is None or rule(viewer)]
    return {
        "nav": nav,
        "viewer": viewer,
        "can": SimpleNamespace(
            manage_org=policy.may_manage_org(viewer),
            manage_departments=policy.may_manage_departments(viewer),
            manage_accounts=policy.may_manage_accounts(viewer),
            manage_access=policy.may_manage_access(viewer),
            read_audit=policy.may_read_audit(viewer),
        ),
    }
