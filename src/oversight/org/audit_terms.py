"""What the organisation's audit events mean, in words: registered from ``OrgConfig.ready()``.

Every action the organisation records has a label here (a test fails on one without), every object
type a batched name lookup (one query for a page of events), every field of its summaries a
label, and the personal fields a mask: officers' names, phone and warrant numbers are shown to the
audit administrator masked (``oversight.audit.policy``), never in full.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oversight.audit import policy
from oversight.audit.vocabulary import (
    Name,
    local_time,
    register_actions,
    register_fields,
    register_mask,
    register_object_type,
    register_reference,
    register_values,
)
from oversight.core.text import parse_id
from oversight.org.models import (
    ActivationCancel,
    ActivationKind,
    Agency,
    AgencyKind,
    AgencyLevel,
    ApiToken,
    Department,
    Language,
    Liaison,
    Officer,
    Qualification,
    Role,
    User,
)

ACTIONS = {
    "agency.create": _("Create an agency"),
    "agency.update": _("Edit an agency"),
    "agency.activate": _("Reactivate an agency"),
    "agency.deactivate": _("Deactivate an agency"),
    "department.create": _("Create a department"),
    "department.update": _("Edit a department"),
    "department.activate": _("Reactivate a department"),
    "department.deactivate": _("Deactivate a department"),
    "officer.create": _("Register an officer"),
    "officer.update": _("Edit an officer"),
    "officer.activate": _("Reactivate an officer"),
    "officer.deactivate": _("Deactivate an officer"),
    "officer.transfer": _("Transfer an officer"),
    "liaison.appoint": _("Appoint a liaison"),
    "liaison.end": _("End a liaison's appointment"),
    "account.create": _("Create an account"),
    "account.set_password": _("Set an account's password"),
    "account.activate": _("Reactivate an account"),
    "account.deactivate": _("Deactivate an account"),
    "account.reset_mfa": _("Reset an account's second factor"),
    "account.change_password": _("Change one's own password"),
    "account.set_language": _("Choose one's interface language"),
    "account.activation_requested": _("Request an account activation"),
    "account.activation_issued": _("Issue an activation code"),
    "account.activation_break_glass": _("Issue an activation code on the server (break-glass)"),
    "account.activation_cancelled": _("Close an account activation"),
    "account.activation_failed": _("Activation code refused"),
    "account.activation_used": _("Activate an account with a code"),
    "role.grant": _("Grant a role"),
    "role.revoke": _("Revoke a role"),
    "token.issue": _("Issue an API token"),
    "token.revoke": _("Revoke an API token"),
    "auth.login": _("Log in"),
    "auth.logout": _("Log out"),
    "auth.login_failed": _("Failed login"),
    "auth.lockout": _("Account locked after failed logins"),
    "auth.unlock": _("Clear a login lockout"),
    "auth.mfa_enrolment_started": _("Start enrolling a second-factor authenticator"),
    "auth.mfa_enrolled": _("Enrol a second-factor authenticator"),
    "auth.mfa_verified": _("Second-factor code accepted"),
    "auth.mfa_failed": _("Second-factor code refused"),
    "auth.mfa_devices_removed": _("Remove second-factor authenticators"),
}

ACTIVE = _("In use")

FIELDS = {
    "org.agency": {
        "code": _("Agency code"),
        "name": _("Name"),
        "kind": _("Kind"),
        "level": _("Level"),
        "division_code": _("Administrative-division code"),
        "parent_id": _("Parent agency"),
        "department_id": _("Department in charge"),
        "active": ACTIVE,
    },
    "org.department": {
        "code": _("Department code"),
        "name": _("Name"),
        "active": ACTIVE,
    },
    "org.officer": {
        "username": _("User name"),
        "name": _("Full name"),
        "badge_number": _("Badge number"),
        "warrant_number": _("Warrant number"),
        "agency_id": _("Agency"),
        "department_id": _("Department"),
        "title": _("Post"),
        "phone": _("Phone"),
        "qualification": _("Law-enforcement qualification"),
        "qualification_expires_on": _("Qualification valid until"),
        "active": ACTIVE,
        "liaisons_ended": _("Liaison appointments ended"),
    },
    "org.liaison": {
        "officer_ids": _("Liaisons replaced"),
        "agency_id": _("Agency"),
        "department_id": _("Department"),
        "officer_id": _("Liaison"),
        "phone": _("Phone"),
        "active": ACTIVE,
    },
    "org.user": {
        "username": _("User name"),
        "is_active": _("Account open"),
        "devices_removed": _("Authenticators removed"),
        "roles": _("Roles"),
        "role": _("Role"),
        "activation": _("Activation no."),
        "kind": _("Kind of activation"),
        "reason": _("Reason"),
        "operator": _("Operator on the server"),
        "expires_at": _("Expires"),
        "sessions_ended": _("Sessions ended"),
        "device": _("Authenticator no."),
        "must_change_password": _("Must change the password at first login"),
        "language": _("Language"),
    },
    "org.apitoken": {
        "user": _("User name"),
        "prefix": _("Token prefix"),
        "expires_at": _("Expires"),
    },
    # Events with no object (failed logins, lockouts, unlocks) carry these in their detail.
    "": {
        "username": _("User name"),
        "cleared": _("Failed attempts cleared"),
        "ip": _("IP address"),
        "reason": _("Reason"),
    },
}

REFERENCES = {
    "parent_id": "org.agency",
    "agency_id": "org.agency",
    "department_id": "org.department",
    "officer_id": "org.officer",
    "officer_ids": "org.officer",
    "liaisons_ended": "org.liaison",
}

# Why an activation was closed or a code refused, or second factors removed.
REASONS = {
    **dict(ActivationCancel.choices),
    "no_code": _("No activation under way"),
    "expired": _("Code expired"),
    "wrong_code": _("Wrong code"),
    "activation": _("Credential reset with a code"),
}


def _ids(ids: Sequence[str]) -> list[int]:
    return [n for n in (parse_id(i) for i in ids) if n is not None]


def agency_names(ids: Sequence[str]) -> Mapping[str, Name | str]:
    rows = Agency.objects.filter(pk__in=_ids(ids)).values_list("pk", "name")
    return {str(pk): name for pk, name in rows}


def department_names(ids: Sequence[str]) -> Mapping[str, Name | str]:
    rows = Department.objects.filter(pk__in=_ids(ids)).values_list("pk", "name")
    return {str(pk): name for pk, name in rows}


def officer_names(ids: Sequence[str]) -> Mapping[str, Name | str]:
    rows = Officer.objects.filter(pk__in=_ids(ids)).values_list("pk", "name", "badge_number")
    return {
        str(pk): Name(person=name, note=gettext("badge %(n)s") % {"n": badge})
        for pk, name, badge in rows
    }


def liaison_names(ids: Sequence[str]) -> Mapping[str, Name | str]:
    rows = Liaison.objects.filter(pk__in=_ids(ids)).values_list(
        "pk", "officer__name", "agency__name", "department__name"
    )
    return {
        str(pk): Name(person=officer, note=f"{agency} · {department}")
        for pk, officer, agency, department in rows
    }


def user_names(ids: Sequence[str]) -> Mapping[str, Name | str]:
    """An officer's account reads "user name（王*）"; an administrator's "user name（title）"."""
    rows = User.objects.filter(pk__in=_ids(ids)).values_list(
        "pk", "username", "display_name", "officer__name"
    )
    return {
        str(pk): Name(text=username, person=officer or "")
        if officer
        else Name(text=username, note=display if display != username else "")
        for pk, username, display, officer in rows
    }


def token_names(ids: Sequence[str]) -> Mapping[str, Name | str]:
    rows = ApiToken.objects.filter(pk__in=_ids(ids)).values_list("pk", "prefix", "user__username")
    return {str(pk): Name(text=f"{prefix}…", note=username) for pk, prefix, username in rows}


def register() -> None:
    """Register the organisation's words with the audit log."""
    register_actions(ACTIONS)
    register_object_type("org.agency", _("Agency"), names=agency_names)
    register_object_type("org.department", _("Department"), names=department_names)
    register_object_type("org.officer", _("Officer"), names=officer_names)
    register_object_type("org.liaison", _("Liaison"), names=liaison_names)
    register_object_type("org.user", _("Account"), names=user_names)
    register_object_type("org.apitoken", _("API token"), names=token_names)
    for object_type, labels in FIELDS.items():
        register_fields(labels, object_type=object_type)
    for field, target in REFERENCES.items():
        register_reference(field, target)
    register_values("kind", dict(AgencyKind.choices), object_type="org.agency")
    register_values("level", dict(AgencyLevel.choices), object_type="org.agency")
    register_values("qualification", dict(Qualification.choices), object_type="org.officer")
    for field in ("roles", "role"):
        register_values(field, dict(Role.choices), object_type="org.user")
    register_values("expires_at", local_time, object_type="org.apitoken")
    register_values("expires_at", local_time, object_type="org.user")
    register_values("kind", dict(ActivationKind.choices), object_type="org.user")
    register_values("language", dict(Language.choices), object_type="org.user")
    for object_type in ("org.user", ""):
        register_values("reason", REASONS, object_type=object_type)
    register_mask("name", policy.mask_name, object_type="org.officer")
