"""Writes to the organisation. Each runs in one transaction and records its audit event."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from oversight import audit
from oversight.core import clock
from oversight.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from oversight.org import selectors
from oversight.org.models import (
    Agency,
    AgencyKind,
    AgencyLevel,
    ApiToken,
    Department,
    Liaison,
    Officer,
    Qualification,
    Role,
    RoleGrant,
    User,
)
from oversight.org.policy import (
    AGENCY_CODE,
    BADGE_NUMBER,
    DEPARTMENT_CODE,
    DIVISION_CODE,
    WARRANT_NUMBER,
    child_path,
    role_conflict,
)
from oversight.org.scope import Viewer


def _check_username(username: str) -> None:
    try:
        if not username:
            raise ValidationError("empty")
        User.username_validator(username)
    except ValidationError:
        raise DomainError(
            _("Enter a valid user name (letters, digits, @.+-_)."), field="username"
        ) from None


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def _choice(value: str, choices: Any, field: str) -> str:
    if value not in choices.values:
        raise DomainError(_("Unknown value %(v)s.") % {"v": value}, field=field)
    return value


# --- agencies --------------------------------------------------------------------------------

AGENCY_FIELDS = ("code", "name", "kind", "level", "division_code", "parent_id", "department_id")


def _check_agency_values(
    *, name: str, kind: str, level: str, division_code: str, department_id: int | None
) -> None:
    if not name.strip():
        raise DomainError(_("A name is required."), field="name")
    _choice(kind, AgencyKind, "kind")
    _choice(level, AgencyLevel, "level")
    if not DIVISION_CODE.match(division_code):
        raise DomainError(
            _("An administrative-division code has six digits, e.g. 130602."),
            field="division_code",
        )
    if department_id is not None and not Department.objects.filter(pk=department_id).exists():
        raise DomainError(_("Unknown department."), field="department")


def _require_org_manager(actor: Viewer) -> None:
    if not actor.sees_business_data or not actor.has(Role.LEADER):
        raise PermissionDenied()


def agency_create(
    *,
    actor: Viewer | None,
    code: str,
    name: str,
    kind: str,
    level: str,
    division_code: str,
    parent_id: int | None,
    department_id: int | None = None,
) -> Agency:
    """Create an agency under ``parent_id`` (inside the actor's scope).

    ``actor`` None is the system itself (``oversight init`` / ``demo``), which may create roots.
    Raises DomainError (bad values), PermissionDenied, NotFound (parent out of scope), Conflict.
    """
    code = code.strip().upper()
    if not AGENCY_CODE.match(code):
        raise DomainError(
            _(
                "A code has 2–32 upper-case letters, digits or hyphens, "
                "and starts with a letter or digit."
            ),
            field="code",
        )
    _check_agency_values(
        name=name, kind=kind, level=level, division_code=division_code, department_id=department_id
    )
    with transaction.atomic():
        if actor is not None:
            _require_org_manager(actor)
            if parent_id is None:
                raise DomainError(_("Choose the parent agency."), field="parent")
            parent: Agency | None = selectors.agency_get(viewer=actor, agency_id=parent_id)
        else:
            parent = Agency.objects.filter(pk=parent_id).first() if parent_id else None
            if parent_id and parent is None:
                raise NotFound()
        if parent is not None and not parent.active:
            raise DomainError(_("The parent agency is deactivated."), field="parent")
        if Agency.objects.filter(code=code).exists():
            raise Conflict(_("The code %(code)s is already used.") % {"code": code}, field="code")
        if Agency.objects.filter(parent=parent, name=name.strip()).exists():
            raise Conflict(_("A sibling agency already has this name."), field="name")
        now = clock.now()
        agency = Agency.objects.create(
            code=code,
            name=name.strip(),
            kind=kind,
            level=level,
            division_code=division_code,
            parent=parent,
            path=child_path(parent.path if parent else None, code),
            depth=(parent.depth + 1) if parent else 0,
            department_id=department_id,
            created_at=now,
            updated_at=now,
        )
        audit.record(
            action="agency.create",
            actor=actor,
            target=agency,
            after=_snapshot(agency, AGENCY_FIELDS),
        )
    return agency


def agency_update(
    *,
    actor: Viewer,
    agency_id: int,
    name: str,
    kind: str,
    level: str,
    division_code: str,
    department_id: int | None,
) -> Agency:
    """Change an agency's name, kind, level, division code or department (code and place stay)."""
    _require_org_manager(actor)
    _check_agency_values(
        name=name, kind=kind, level=level, division_code=division_code, department_id=department_id
    )
    with transaction.atomic():
        agency = selectors.agency_get(viewer=actor, agency_id=agency_id)
        before = _snapshot(agency, AGENCY_FIELDS)
        name = name.strip()
        if (
            Agency.objects.filter(parent_id=agency.parent_id, name=name)
            .exclude(pk=agency.pk)
            .exists()
        ):
            raise Conflict(_("A sibling agency already has this name."), field="name")
        agency.name, agency.kind, agency.level = name, kind, level
        agency.division_code, agency.department_id = division_code, department_id
        agency.updated_at = clock.now()
        agency.save()
        audit.record(
            action="agency.update",
            actor=actor,
            target=agency,
            before=before,
            after=_snapshot(agency, AGENCY_FIELDS),
        )
    return agency


def agency_set_active(*, actor: Viewer, agency_id: int, active: bool) -> Agency:
    """Deactivate or reactivate an agency; never delete. Refuses while it has active members."""
    _require_org_manager(actor)
    with transaction.atomic():
        agency = selectors.agency_get(viewer=actor, agency_id=agency_id)
        if agency.path == actor.scope_path and not active:
            raise DomainError(_("You cannot deactivate your own bureau."))
        if not active:
            if agency.children.filter(active=True).exists():
                raise DomainError(_("Deactivate or move its active sub-units first."))
            if agency.officers.filter(active=True).exists():
                raise DomainError(_("Move or deactivate its active officers first."))
        elif agency.parent is not None and not agency.parent.active:
            raise DomainError(_("Reactivate the parent agency first."))
        if agency.active == active:
            return agency
        agency.active = active
        agency.updated_at = clock.now()
        agency.save(update_fields=["active", "updated_at"])
        audit.record(
            action="agency.activate" if active else "agency.deactivate",
            actor=actor,
            target=agency,
            before={"active": not active},
            after={"active": active},
        )
    return agency


# --- departments -----------------------------------------------------------------------------


def department_save(
    *, actor: Viewer | None, code: str, name: str, department_id: int | None = None
) -> Department:
    """Create a department, or rename one. City-level leaders only (or the system, actor None)."""
    if actor is not None and not actor.can_manage_departments:
        raise PermissionDenied()
    code, name = code.strip().upper(), name.strip()
    if not DEPARTMENT_CODE.match(code):
        raise DomainError(
            _(
                "A department code has 2–20 upper-case letters, digits or underscores, "
                "and starts with a letter."
            ),
            field="code",
        )
    if not name:
        raise DomainError(_("A name is required."), field="name")
    with transaction.atomic():
        now = clock.now()
        others = Department.objects.exclude(pk=department_id) if department_id else None
        others = others if others is not None else Department.objects.all()
        if others.filter(code=code).exists():
            raise Conflict(_("The code %(code)s is already used.") % {"code": code}, field="code")
        if others.filter(name=name).exists():
            raise Conflict(_("This name is already used."), field="name")
        if department_id is None:
            dept = Department.objects.create(code=code, name=name, created_at=now, updated_at=now)
            audit.record(
                action="department.create",
                actor=actor,
                target=dept,
                after={"code": code, "name": name},
            )
            return dept
        found = Department.objects.filter(pk=department_id).first()
        if found is None:
            raise NotFound()
        dept = found
        before = {"code": dept.code, "name": dept.name}
        dept.code, dept.name, dept.updated_at = code, name, now
        dept.save()
        audit.record(
            action="department.update",
            actor=actor,
            target=dept,
            before=before,
            after={"code": code, "name": name},
        )
        return dept


def department_set_active(*, actor: Viewer, department_id: int, active: bool) -> Department:
    if not actor.can_manage_departments:
        raise PermissionDenied()
    with transaction.atomic():
        dept = Department.objects.filter(pk=department_id).first()
        if dept is None:
            raise NotFound()
        if dept.active != active:
            dept.active, dept.updated_at = active, clock.now()
            dept.save(update_fields=["active", "updated_at"])
            audit.record(
                action="department.activate" if active else "department.deactivate",
                actor=actor,
                target=dept,
                after={"active": active},
            )
    return dept


# --- officers --------------------------------------------------------------------------------

OFFICER_FIELDS = (
    "name",
    "badge_number",
    "warrant_number",
    "agency_id",
    "department_id",
    "title",
    "phone",
    "qualification",
    "qualification_expires_on",
    "active",
)


def _check_officer_values(
    *,
    name: str,
    badge_number: str,
    warrant_number: str,
    qualification: str,
    department_id: int | None,
    exclude_pk: int | None = None,
) -> None:
    if not name.strip():
        raise DomainError(_("A name is required."), field="name")
    if not BADGE_NUMBER.match(badge_number):
        raise DomainError(_("A badge number has six digits."), field="badge_number")
    if not WARRANT_NUMBER.match(warrant_number):
        raise DomainError(
            _("A warrant number has 6–20 digits or upper-case letters."), field="warrant_number"
        )
    _choice(qualification, Qualification, "qualification")
    if department_id is not None and not Department.objects.filter(pk=department_id).exists():
        raise DomainError(_("Unknown department."), field="department")
    others = Officer.objects.exclude(pk=exclude_pk) if exclude_pk else Officer.objects.all()
    if others.filter(badge_number=badge_number).exists():
        raise Conflict(_("This badge number is already registered."), field="badge_number")
    if others.filter(warrant_number=warrant_number).exists():
        raise Conflict(_("This warrant number is already registered."), field="warrant_number")


def officer_create(
    *,
    actor: Viewer | None,
    username: str,
    name: str,
    badge_number: str,
    warrant_number: str,
    agency_id: int,
    department_id: int | None = None,
    title: str = "",
    phone: str = "",
    qualification: str = Qualification.NONE,
    qualification_expires_on: date | None = None,
) -> Officer:
    """Register an officer with a login account that has no password yet.

    The system administrator sets the first password; the security administrator grants roles.
    """
    username = username.strip()
    _check_username(username)
    _check_officer_values(
        name=name,
        badge_number=badge_number,
        warrant_number=warrant_number,
        qualification=qualification,
        department_id=department_id,
    )
    with transaction.atomic():
        if actor is not None:
            _require_org_manager(actor)
            agency = selectors.agency_get(viewer=actor, agency_id=agency_id)
        else:
            found = Agency.objects.filter(pk=agency_id).first()
            if found is None:
                raise NotFound()
            agency = found
        if not agency.active:
            raise DomainError(_("The agency is deactivated."), field="agency")
        if User.objects.filter(username=username).exists():
            raise Conflict(_("This user name is taken."), field="username")
        now = clock.now()
        user = User(username=username, display_name=name.strip(), must_change_password=True)
        user.set_unusable_password()
        user.save()
        officer = Officer.objects.create(
            user=user,
            name=name.strip(),
            badge_number=badge_number,
            warrant_number=warrant_number,
            agency=agency,
            department_id=department_id,
            title=title.strip(),
            phone=phone.strip(),
            qualification=qualification,
            qualification_expires_on=qualification_expires_on,
            created_at=now,
            updated_at=now,
        )
        audit.record(
            action="officer.create",
            actor=actor,
            target=officer,
            after={"username": username, **_snapshot(officer, OFFICER_FIELDS)},
        )
    return officer


def officer_update(
    *,
    actor: Viewer,
    officer_id: int,
    name: str,
    badge_number: str,
    warrant_number: str,
    agency_id: int,
    department_id: int | None,
    title: str,
    phone: str,
    qualification: str,
    qualification_expires_on: date | None,
) -> Officer:
    """Change an officer's details or move them to another agency inside the actor's scope."""
    _require_org_manager(actor)
    _check_officer_values(
        name=name,
        badge_number=badge_number,
        warrant_number=warrant_number,
        qualification=qualification,
        department_id=department_id,
        exclude_pk=officer_id,
    )
    with transaction.atomic():
        officer = selectors.officer_get(viewer=actor, officer_id=officer_id)
        agency = selectors.agency_get(viewer=actor, agency_id=agency_id)
        if not agency.active:
            raise DomainError(_("The agency is deactivated."), field="agency")
        before = _snapshot(officer, OFFICER_FIELDS)
        officer.name, officer.badge_number, officer.warrant_number = (
            name.strip(),
            badge_number,
            warrant_number,
        )
        officer.agency, officer.department_id = agency, department_id
        officer.title, officer.phone = title.strip(), phone.strip()
        officer.qualification = qualification
        officer.qualification_expires_on = qualification_expires_on
        officer.updated_at = clock.now()
        officer.save()
        audit.record(
            action="officer.update",
            actor=actor,
            target=officer,
            before=before,
            after=_snapshot(officer, OFFICER_FIELDS),
        )
    return officer


def officer_set_active(*, actor: Viewer, officer_id: int, active: bool) -> Officer:
    """Deactivate (or reactivate) an officer and their login account; never delete."""
    _require_org_manager(actor)
    with transaction.atomic():
        officer = selectors.officer_get(viewer=actor, officer_id=officer_id)
        if officer.pk == actor.officer_id:
            raise DomainError(_("You cannot deactivate your own account."))
        if active and not officer.agency.active:
            raise DomainError(_("The agency is deactivated."), field="agency")
        if officer.active == active:
            return officer
        officer.active, officer.updated_at = active, clock.now()
        officer.save(update_fields=["active", "updated_at"])
        User.objects.filter(pk=officer.user_id).update(is_active=active)
        if not active:
            Liaison.objects.filter(officer=officer, active=True).update(
                active=False, updated_at=officer.updated_at
            )
        audit.record(
            action="officer.activate" if active else "officer.deactivate",
            actor=actor,
            target=officer,
            before={"active": not active},
            after={"active": active},
        )
    return officer


# --- liaisons --------------------------------------------------------------------------------


def liaison_appoint(
    *,
    actor: Viewer | None,
    agency_id: int,
    department_id: int,
    officer_id: int,
    phone: str = "",
    appointed_on: date | None = None,
) -> Liaison:
    """Name an officer of the agency's subtree as its liaison for a department's work.

    Replaces the agency's active liaison for that department, if any.
    """
    with transaction.atomic():
        if actor is not None:
            _require_org_manager(actor)
            agency = selectors.agency_get(viewer=actor, agency_id=agency_id)
            officer = selectors.officer_get(viewer=actor, officer_id=officer_id)
        else:
            agency = Agency.objects.get(pk=agency_id)
            officer = Officer.objects.select_related("agency").get(pk=officer_id)
        department = Department.objects.filter(pk=department_id, active=True).first()
        if department is None:
            raise DomainError(_("Unknown department."), field="department")
        if not officer.active or not officer.agency.path.startswith(agency.path):
            raise DomainError(
                _("The liaison must be an active officer of this agency."), field="officer"
            )
        now = clock.now()
        replaced = list(Liaison.objects.filter(agency=agency, department=department, active=True))
        for old in replaced:
            old.active, old.updated_at = False, now
            old.save(update_fields=["active", "updated_at"])
        liaison = Liaison.objects.create(
            agency=agency,
            department=department,
            officer=officer,
            phone=phone.strip(),
            appointed_on=appointed_on or clock.now().date(),
            created_at=now,
            updated_at=now,
        )
        audit.record(
            action="liaison.appoint",
            actor=actor,
            target=liaison,
            before={"officer_ids": [o.officer_id for o in replaced]},
            after={
                "agency_id": agency.pk,
                "department_id": department.pk,
                "officer_id": officer.pk,
            },
        )
    return liaison


def liaison_end(*, actor: Viewer, liaison_id: int) -> Liaison:
    _require_org_manager(actor)
    with transaction.atomic():
        liaison = selectors.liaison_get(viewer=actor, liaison_id=liaison_id)
        if liaison.active:
            liaison.active, liaison.updated_at = False, clock.now()
            liaison.save(update_fields=["active", "updated_at"])
            audit.record(action="liaison.end", actor=actor, target=liaison, after={"active": False})
    return liaison


# --- accounts (system administrator) ----------------------------------------------------------


def _password_errors(password: str, user: User | None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from None


def account_create_admin(*, actor: Viewer | None, username: str, display_name: str) -> User:
    """Create an account with no officer (an administrator's); the security admin grants roles."""
    if actor is not None:
        actor.require(Role.SYSTEM_ADMIN)
    username = username.strip()
    _check_username(username)
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise Conflict(_("This user name is taken."), field="username")
        user = User(username=username, display_name=display_name.strip(), must_change_password=True)
        user.set_unusable_password()
        user.save()
        audit.record(
            action="account.create", actor=actor, target=user, after={"username": username}
        )
    return user


def account_set_password(*, actor: Viewer | None, user_id: int, password: str) -> User:
    """Set a first or reset password; the user must change it at next login."""
    if actor is not None:
        actor.require(Role.SYSTEM_ADMIN)
    with transaction.atomic():
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            raise NotFound()
        _password_errors(password, user)
        user.set_password(password)
        user.password_changed_at = clock.now()
        user.must_change_password = actor is not None
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit.record(action="account.set_password", actor=actor, target=user)
    return user


def account_set_active(*, actor: Viewer, user_id: int, active: bool) -> User:
    actor.require(Role.SYSTEM_ADMIN)
    with transaction.atomic():
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            raise NotFound()
        if user.pk == actor.pk:
            raise DomainError(_("You cannot deactivate your own account."))
        if user.is_active != active:
            user.is_active = active
            user.save(update_fields=["is_active"])
            audit.record(
                action="account.activate" if active else "account.deactivate",
                actor=actor,
                target=user,
                after={"is_active": active},
            )
    return user


def account_reset_mfa(*, actor: Viewer, user_id: int) -> int:
    """Remove a user's second-factor devices so they enrol again at next login."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    actor.require(Role.SYSTEM_ADMIN)
    with transaction.atomic():
        if not User.objects.filter(pk=user_id).exists():
            raise NotFound()
        removed, _details = TOTPDevice.objects.filter(user_id=user_id).delete()
        audit.record(
            action="account.reset_mfa",
            actor=actor,
            object_type="org.user",
            object_id=user_id,
            detail={"devices_removed": removed},
        )
    return removed


def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """Change one's own password; the new one must differ and satisfy the policy."""
    if not user.check_password(old_password):
        raise DomainError(_("The current password is wrong."), field="old_password")
    if old_password == new_password:
        raise DomainError(_("The new password must differ from the old one."), field="new_password")
    _password_errors(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.password_changed_at = clock.now()
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit.record(action="account.change_password", actor=user, target=user)
    return user


# --- roles (security administrator) -----------------------------------------------------------


ROLE_CONFLICTS = {
    "unknown_role": _lazy("Unknown role."),
    "admin_role_alone": _lazy(
        "Separation of duties: an administrator role cannot be combined with any other role."
    ),
    "business_role_for_admin": _lazy(
        "Separation of duties: a business role cannot be given to an administrator."
    ),
}


def role_grant(*, actor: Viewer | None, user_id: int, role: str) -> RoleGrant:
    """Grant a role. Only the security administrator may (actor None: the system at setup)."""
    if actor is not None:
        actor.require(Role.SECURITY_ADMIN)
        if actor.pk == user_id:
            raise DomainError(_("You cannot change your own roles."))
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None:
            raise NotFound()
        held = list(
            RoleGrant.objects.filter(user=user, revoked_at__isnull=True).values_list(
                "role", flat=True
            )
        )
        if role in held:
            raise Conflict(_("The user already holds this role."), field="role")
        conflict = role_conflict(held, role)
        if conflict:
            raise DomainError(ROLE_CONFLICTS[conflict], field="role")
        if (
            role in {"LEADER", "INSPECTOR", "LIAISON", "VIEWER"}
            and not Officer.objects.filter(user=user, active=True).exists()
        ):
            raise DomainError(_("Business roles are for active officers only."), field="role")
        try:
            grant = RoleGrant.objects.create(
                user=user,
                role=role,
                granted_by_id=actor.pk if actor else None,
                granted_at=clock.now(),
            )
        except IntegrityError:
            raise Conflict(_("The user already holds this role."), field="role") from None
        audit.record(
            action="role.grant",
            actor=actor,
            target=user,
            before={"roles": held},
            after={"roles": sorted([*held, role])},
        )
    return grant


def role_revoke(*, actor: Viewer, user_id: int, role: str) -> None:
    actor.require(Role.SECURITY_ADMIN)
    if actor.pk == user_id:
        raise DomainError(_("You cannot change your own roles."))
    with transaction.atomic():
        grant = RoleGrant.objects.filter(
            user_id=user_id, role=role, revoked_at__isnull=True
        ).first()
        if grant is None:
            raise NotFound()
        grant.revoked_at = clock.now()
        grant.save(update_fields=["revoked_at"])
        audit.record(
            action="role.revoke",
            actor=actor,
            object_type="org.user",
            object_id=user_id,
            detail={"role": role},
        )


# --- API tokens ------------------------------------------------------------------------------

TOKEN_PREFIX = "ovs_"  # noqa: S105 - a marker, not a secret


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_issue(
    *, actor: Viewer | None, username: str, name: str = "cli", days: int | None = 90
) -> tuple[ApiToken, str]:
    """Issue a bearer token for a user and return it with the raw token (shown only once)."""
    if actor is not None:
        actor.require(Role.SECURITY_ADMIN)
    if days is not None and not 1 <= days <= 366:
        raise DomainError(_("A token lasts from 1 to 366 days."), field="days")
    with transaction.atomic():
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise DomainError(_("No active user named %(u)s.") % {"u": username}, field="username")
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = clock.now()
        token = ApiToken.objects.create(
            user=user,
            name=name.strip()[:60] or "cli",
            prefix=raw[:10],
            key_hash=token_hash(raw),
            created_at=now,
            expires_at=now + timedelta(days=days) if days else None,
        )
        audit.record(
            action="token.issue",
            actor=actor,
            target=token,
            after={"user": username, "prefix": token.prefix, "expires_at": token.expires_at},
        )
    return token, raw


def token_revoke(*, actor: Viewer | None, token_id: int) -> ApiToken:
    if actor is not None:
        actor.require(Role.SECURITY_ADMIN)
    with transaction.atomic():
        token = ApiToken.objects.filter(pk=token_id).first()
        if token is None:
            raise NotFound()
        if token.revoked_at is None:
            token.revoked_at = clock.now()
            token.save(update_fields=["revoked_at"])
            audit.record(action="token.revoke", actor=actor, target=token)
    return token


def token_authenticate(raw: str, *, now: datetime | None = None) -> User | None:
    """Return the active user a valid, unrevoked, unexpired token belongs to, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    now = now or clock.now()
    token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(raw)).first()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def lockout_clear(*, actor: Viewer, username: str) -> int:
    """Lift a login lockout before its cool-off ends (security administrator)."""
    from axes.utils import reset as axes_reset

    actor.require(Role.SECURITY_ADMIN)
    with transaction.atomic():
        cleared = axes_reset(username=username)
        audit.record(
            action="auth.unlock", actor=actor, detail={"username": username, "cleared": cleared}
        )
    return cleared
