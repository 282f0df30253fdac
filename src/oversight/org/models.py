"""Agencies, departments, officers, liaisons, accounts, roles and API tokens."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "SYSTEM_ADMIN", _("System administrator")
    SECURITY_ADMIN = "SECURITY_ADMIN", _("Security administrator")
    AUDIT_ADMIN = "AUDIT_ADMIN", _("Audit administrator")
    LEADER = "LEADER", _("Leader (approver)")
    INSPECTOR = "INSPECTOR", _("Inspector")
    LIAISON = "LIAISON", _("Liaison")
    VIEWER = "VIEWER", _("Viewer")


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class User(AbstractUser):
    """A login account. Officers have one; the three administrators have one and no officer."""

    display_name = models.CharField(_("Full name"), max_length=60, blank=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    must_change_password = models.BooleanField(default=False)
    # The interface speaks Chinese whatever a browser asks for, unless the user picks another.
    language = models.CharField(
        _("Language"), max_length=10, choices=Language.choices, default=Language.ZH_HANS
    )

    def __str__(self) -> str:
        return self.username


class PasswordHistory(models.Model):
    """A password a user had (its hash), so that a recent one is not chosen again."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="password_history")
    encoded = models.CharField(max_length=256)
    set_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "-set_at"], name="org_pwhistory_user_recent")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.set_at:%Y-%m-%d}"


class RoleGrant(models.Model):
    """A role held by a user, granted by a security administrator; revoked, never deleted."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_grants")
    role = models.CharField(max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(revoked_at__isnull=True),
                name="org_rolegrant_one_active_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}@{self.granted_at:%Y-%m-%d}"


class Department(models.Model):
    """A branch of police work that owns regimes: 交警, 治安, 网安 …"""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=40, unique=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class AgencyLevel(models.TextChoices):
    CITY = "CITY", _("City")
    COUNTY = "COUNTY", _("County")


class AgencyKind(models.TextChoices):
    BUREAU = "BUREAU", _("Public security bureau")
    DETACHMENT = "DETACHMENT", _("Detachment")
    BRIGADE = "BRIGADE", _("Brigade")
    POLICE_STATION = "POLICE_STATION", _("Police station")
    DETENTION_CENTER = "DETENTION_CENTER", _("Detention centre")
    CUSTODY_CENTER = "CUSTODY_CENTER", _("Administrative custody centre")
    COMMAND_CENTER = "COMMAND_CENTER", _("Command centre")
    OFFICE = "OFFICE", _("Office")


class Agency(models.Model):
    """A police organ or unit. ``path`` holds the codes from the root, for subtree scoping."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    level = models.CharField(max_length=10, choices=AgencyLevel.choices)
    division_code = models.CharField(max_length=6)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=400, unique=True)
    depth = models.PositiveSmallIntegerField()
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="agencies"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_agency_unique_sibling"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, depth=0) | Q(parent__isnull=False, depth__gt=0),
                name="org_agency_root_depth",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Qualification(models.TextChoices):
    """公安机关人民警察执法资格等级."""

    NONE = "NONE", _("None")
    BASIC = "BASIC", _("Basic")
    INTERMEDIATE = "INTERMEDIATE", _("Intermediate")
    ADVANCED = "ADVANCED", _("Advanced")


class Officer(models.Model):
    """A police officer (民警) with a login account."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="officer")
    name = models.CharField(max_length=40)
    badge_number = models.CharField(max_length=12, unique=True)
    warrant_number = models.CharField(max_length=20, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="officers")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="officers"
    )
    title = models.CharField(max_length=40, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    qualification = models.CharField(
        max_length=20, choices=Qualification.choices, default=Qualification.NONE
    )
    qualification_expires_on = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} ({self.badge_number})"


class Liaison(models.Model):
    """The officer an agency names as its contact for a department's work (联络员)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="liaisons")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="liaisons")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="liaisons")
    phone = models.CharField(max_length=20, blank=True)
    appointed_on = models.DateField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "department"],
                condition=Q(active=True),
                name="org_liaison_one_active_per_department",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.department_id}: {self.officer_id}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=60)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"


class ActivationKind(models.TextChoices):
    FIRST = "FIRST", _("First activation")
    RESET = "RESET", _("Credential reset")


class ActivationCancel(models.TextChoices):
    WITHDRAWN = "WITHDRAWN", _("Withdrawn")
    EXPIRED = "EXPIRED", _("Expired")
    TOO_MANY_FAILURES = "TOO_MANY_FAILURES", _("Too many wrong codes")
    SUPERSEDED = "SUPERSEDED", _("Replaced by a new one")


class AccountActivation(models.Model):
    """A first activation or a credential reset: a one-time code handed to the user in person.

    The system administrator requests it; someone else issues the code (a leader whose scope holds
    the officer, or a second administrator); the user sets a password with it on /activate/.
    Only a hash of the code is stored. ``requested_by`` and ``issued_by`` are empty for a code
    issued on the server console (break-glass).
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="activations")
    kind = models.CharField(max_length=10, choices=ActivationKind.choices)
    break_glass = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    code_hash = models.CharField(max_length=256, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=20, choices=ActivationCancel.choices, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(used_at__isnull=True, cancelled_at__isnull=True),
                name="org_activation_one_open_per_user",
            ),
            models.CheckConstraint(
                condition=Q(issued_at__isnull=True) | ~Q(code_hash=""),
                name="org_activation_issued_has_code",
            ),
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(cancelled_at__isnull=True),
                name="org_activation_used_or_cancelled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}@{self.requested_at:%Y-%m-%d %H:%M}"
