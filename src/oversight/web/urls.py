from collections.abc import Callable

from django.http import HttpResponse
from django.urls import URLPattern, path

from oversight.web.views import (
    activations,
    admins,
    auth,
    catalog,
    compliance,
    draws,
    home,
    org,
    planning,
    pool,
    profile,
    subject_imports,
    subjects,
)

app_name = "web"


def switch(prefix: str, view: Callable[..., HttpResponse], name: str) -> list[URLPattern]:
    """The pair of pages that deactivate and reactivate a row: ``<name>_deactivate`` and
    ``<name>_activate``, one view told which by ``active``."""
    return [
        path(f"{prefix}/deactivate/", view, {"active": False}, name=f"{name}_deactivate"),
        path(f"{prefix}/activate/", view, {"active": True}, name=f"{name}_activate"),
    ]


urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("mfa/verify/", auth.mfa_verify, name="mfa_verify"),
    path("mfa/enroll/", auth.mfa_enroll, name="mfa_enroll"),
    path("password/change/", auth.password_change, name="password_change"),
    path("profile/", profile.profile, name="profile"),
    path("activate/", auth.activate, name="activate"),
    path("activations/", activations.activation_list, name="activation_list"),
    path(
        "activations/<id:activation_id>/issue/",
        activations.activation_issue,
        name="activation_issue",
    ),
    # organisation
    path("org/agencies/", org.agency_list, name="agency_list"),
    path("org/agencies/new/", org.agency_create, name="agency_create"),
    path("org/agencies/<id:agency_id>/", org.agency_detail, name="agency_detail"),
    path("org/agencies/<id:agency_id>/edit/", org.agency_edit, name="agency_edit"),
    *switch("org/agencies/<id:agency_id>", org.agency_set_active, "agency"),
    path("org/officers/", org.officer_list, name="officer_list"),
    path("org/officers/new/", org.officer_create, name="officer_create"),
    path("org/officers/<id:officer_id>/", org.officer_detail, name="officer_detail"),
    path("org/officers/<id:officer_id>/edit/", org.officer_edit, name="officer_edit"),
    path("org/officers/<id:officer_id>/transfer/", org.officer_transfer, name="officer_transfer"),
    *switch("org/officers/<id:officer_id>", org.officer_set_active, "officer"),
    path("org/departments/", org.department_list, name="department_list"),
    path("org/departments/new/", org.department_edit, name="department_create"),
    path("org/departments/<id:department_id>/edit/", org.department_edit, name="department_edit"),
    *switch("org/departments/<id:department_id>", org.department_set_active, "department"),
    path("org/liaisons/", org.liaison_list, name="liaison_list"),
    path("org/liaisons/new/", org.liaison_create, name="liaison_create"),
    path("org/liaisons/<id:liaison_id>/end/", org.liaison_end, name="liaison_end"),
    # the subject registry
    path("subjects/", subjects.subject_list, name="subject_list"),
    path("subjects/new/", subjects.subject_create, name="subject_create"),
    path("subjects/<id:subject_id>/", subjects.subject_detail, name="subject_detail"),
    path("subjects/<id:subject_id>/edit/", subjects.subject_edit, name="subject_edit"),
    # spreadsheets of the registry: import, templates, export
    path("subjects/import/", subject_imports.import_start, name="subject_import_start"),
    path("subjects/imports/<id:import_id>/", subject_imports.import_detail, name="subject_import"),
    path(
        "subjects/imports/<id:import_id>/progress/",
        subject_imports.import_progress,
        name="subject_import_progress",
    ),
    path(
        "subjects/imports/<id:import_id>/confirm/",
        subject_imports.import_confirm,
        name="subject_import_confirm",
    ),
    path(
        "subjects/imports/<id:import_id>/errors/",
        subject_imports.import_error_workbook,
        name="subject_import_errors",
    ),
    path("subjects/template/", subject_imports.template_download, name="subject_template"),
    path("subjects/export/", subject_imports.export_download, name="subject_export"),
    # the inspector pool
    path("pool/", pool.pool_index, name="pool_index"),
    path("pool/regimes/<str:code>/", pool.pool_regime, name="pool_regime"),
    path("pool/officers/<id:officer_id>/", pool.pool_officer, name="pool_officer"),
    path(
        "pool/officers/<id:officer_id>/qualifications/new/",
        pool.qualification_grant,
        name="pool_qualification_grant",
    ),
    path(
        "pool/qualifications/<id:qualification_id>/revoke/",
        pool.qualification_revoke,
        name="pool_qualification_revoke",
    ),
    path(
        "pool/officers/<id:officer_id>/absences/new/",
        pool.unavailability_record,
        name="pool_unavailability_record",
    ),
    path(
        "pool/absences/<id:unavailability_id>/end/",
        pool.unavailability_end,
        name="pool_unavailability_end",
    ),
    path(
        "pool/officers/<id:officer_id>/conflicts/new/",
        pool.conflict_declare,
        name="pool_conflict_declare",
    ),
    path("pool/conflicts/<id:conflict_id>/end/", pool.conflict_end, name="pool_conflict_end"),
    # plans of checks and their tasks
    path("plans/", planning.plan_list, name="plan_list"),
    path("plans/new/", planning.plan_create, name="plan_create"),
    path("plans/calendar/", planning.plan_calendar, name="plan_calendar"),
    path("plans/<id:plan_id>/", planning.plan_detail, name="plan_detail"),
    path("plans/<id:plan_id>/edit/", planning.plan_edit, name="plan_edit"),
    path("plans/<id:plan_id>/submit/", planning.plan_submit, name="plan_submit"),
    path("plans/<id:plan_id>/approve/", planning.plan_approve, name="plan_approve"),
    path("plans/<id:plan_id>/return/", planning.plan_return, name="plan_return"),
    path("plans/<id:plan_id>/publish/", planning.plan_publish, name="plan_publish"),
    path("plans/<id:plan_id>/tasks/new/", planning.task_add, name="task_add"),
    path("plans/<id:plan_id>/obligations/", compliance.plan_obligations, name="plan_obligations"),
    # the rhythms of checks: who is owed a check in which period, and who missed one
    path("compliance/", compliance.compliance_page, name="compliance"),
    path("tasks/<id:task_id>/", draws.task_detail, name="task_detail"),
    path("tasks/<id:task_id>/edit/", planning.task_edit, name="task_edit"),
    path("tasks/<id:task_id>/remove/", planning.task_remove, name="task_remove"),
    # random draws of a task's subjects (双随机)
    path("tasks/<id:task_id>/draw/", draws.draw_commit, name="draw_commit"),
    path("tasks/<id:task_id>/draw/progress/", draws.draw_progress, name="draw_progress"),
    path("draws/<id:draw_id>/seed/", draws.draw_seed, name="draw_seed"),
    path("tasks/<id:task_id>/teams/", draws.teams_commit, name="teams_commit"),
    path("tasks/<id:task_id>/teams/seed/", draws.teams_seed, name="teams_seed"),
    path("draws/<id:draw_id>/file/", draws.draw_file, name="draw_file"),
    # the catalog of regimes
    path("catalog/", catalog.regime_list, name="catalog"),
    path("catalog/versions/", catalog.version_list, name="catalog_versions"),
    path("catalog/versions/<id:version_id>/", catalog.version_detail, name="catalog_version"),
    path(
        "catalog/provisions/<str:provision_id>/", catalog.provision_detail, name="catalog_provision"
    ),
    path("catalog/<str:code>/", catalog.regime_detail, name="catalog_regime"),
    # system administrator
    path("system/accounts/", admins.account_list, name="account_list"),
    path("system/accounts/new/", admins.account_create, name="account_create"),
    path("system/accounts/<id:user_id>/", admins.account_detail, name="account_detail"),
    *switch("system/accounts/<id:user_id>", admins.account_set_active, "account"),
    path(
        "system/accounts/<id:user_id>/activation/",
        admins.account_activation_request,
        name="account_activation_request",
    ),
    path(
        "system/accounts/<id:user_id>/activation/cancel/",
        admins.account_activation_cancel,
        name="account_activation_cancel",
    ),
    # security administrator
    path("security/roles/", admins.role_list, name="role_list"),
    path("security/roles/<id:user_id>/grant/", admins.role_grant, name="role_grant"),
    path("security/roles/<id:user_id>/revoke/<str:role>/", admins.role_revoke, name="role_revoke"),
    path("security/lockouts/", admins.lockout_list, name="lockout_list"),
    path("security/lockouts/reset/", admins.lockout_reset, name="lockout_reset"),
    path("security/tokens/", admins.token_list, name="token_list"),
    path("security/tokens/<id:token_id>/revoke/", admins.token_revoke, name="token_revoke"),
    # audit administrator
    path("audit/", admins.audit_list, name="audit_list"),
    path("audit/verify/", admins.audit_verify, name="audit_verify"),
]
