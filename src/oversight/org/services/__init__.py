"""Writes to the organisation. Each runs in one transaction and records its audit event."""

from oversight.org.services.accounts import (
    account_create_admin,
    account_reset_mfa,
    account_set_active,
    account_set_password,
    lockout_clear,
    password_change,
)
from oversight.org.services.agencies import (
    agency_create,
    agency_set_active,
    agency_update,
    department_save,
    department_set_active,
)
from oversight.org.services.officers import (
    liaison_appoint,
    liaison_end,
    officer_create,
    officer_set_active,
    officer_update,
)
from oversight.org.services.roles import ROLE_CONFLICTS, role_grant, role_revoke
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
    "account_create_admin",
    "account_reset_mfa",
    "account_set_active",
    "account_set_password",
    "agency_create",
    "agency_set_active",
    "agency_update",
    "department_save",
    "department_set_active",
    "liaison_appoint",
    "liaison_end",
    "lockout_clear",
    "officer_create",
    "officer_set_active",
    "officer_update",
    "password_change",
    "role_grant",
    "role_revoke",
    "token_authenticate",
    "token_hash",
    "token_issue",
    "token_revoke",
]
