"""Writes to the organisation. Each runs in one transaction and records its audit event."""

from oversight.org.services.accounts import (
    account_create_admin,
    account_set_active,
    account_set_language,
    account_set_password,
    lockout_clear,
    password_change,
)
from oversight.org.services.activation import (
    ActivationRefused,
    activation_break_glass,
    activation_cancel,
    activation_issue,
    activation_request,
    activation_use,
)
from oversight.org.services.agencies import (
    agency_create,
    agency_set_active,
    agency_update,
    department_save,
    department_set_active,
)
from oversight.org.services.mfa import (
    mfa_devices_remove,
    mfa_enrolment_confirm,
    mfa_enrolment_start,
    mfa_verify,
)
from oversight.org.services.officers import (
    liaison_appoint,
    liaison_end,
    officer_create,
    officer_set_active,
    officer_transfer,
    officer_update,
)
from oversight.org.services.roles import ROLE_CONFLICTS, role_grant, role_revoke
from oversight.org.services.setup import administrators_ensure
from oversight.org.services.tokens import (
    TOKEN_PREFIX,
    token_authenticate,
    token_hash,
    token_issue,
    token_revoke,
)

__all__ = [
    "ROLE_CONFLICTS",
    "TOKEN_PREFIX",
    "ActivationRefused",
    "account_create_admin",
    "account_set_active",
    "account_set_language",
    "account_set_password",
    "activation_break_glass",
    "activation_cancel",
    "activation_issue",
    "activation_request",
    "activation_use",
    "administrators_ensure",
    "agency_create",
    "agency_set_active",
    "agency_update",
    "department_save",
    "department_set_active",
    "liaison_appoint",
    "liaison_end",
    "lockout_clear",
    "mfa_devices_remove",
    "mfa_enrolment_confirm",
    "mfa_enrolment_start",
    "mfa_verify",
    "officer_create",
    "officer_set_active",
    "officer_transfer",
    "officer_update",
    "password_change",
    "role_grant",
    "role_revoke",
    "token_authenticate",
    "token_hash",
    "token_issue",
    "token_revoke",
]
