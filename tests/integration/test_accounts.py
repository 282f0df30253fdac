"""Accounts and credentials as services: no single administrator gets a session of another
account, activation codes, the last holder of an administrator role, audited second factor."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight.audit.models import AuditEvent
from oversight.core import clock
from oversight.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from oversight.org import account_selectors, services
from oversight.org.models import AccountActivation, ActivationCancel, RoleGrant, User
from oversight.org.scope import Viewer, viewer_for
from tests.conftest import PASSWORD, make_account

NEW_PASSWORD = "Fresh-pass-2026"


def v(user: User) -> Viewer:
    return viewer_for(User.objects.get(pk=user.pk))


def actions_on(user: User) -> list[str]:
    events = AuditEvent.objects.filter(object_type="org.user", object_id=str(user.pk))
    return list(events.order_by("seq").values_list("action", flat=True))


def request_and_issue(city: Any, target: User, issuer: User) -> str:
    activation = services.activation_request(actor=v(city.sysadmin), user_id=target.pk)
    _activation, code = services.activation_issue(actor=v(issuer), activation_id=activation.pk)
    return code


# --- who may issue a code ------------------------------------------------------------------


def test_an_officers_code_is_issued_by_a_leader_whose_scope_holds_the_officer(city):
    target = city.a_inspector.user
    activation = services.activation_request(actor=v(city.sysadmin), user_id=target.pk)

    for outsider in (city.sysadmin, city.secadmin, city.auditadmin, city.b_leader.user):
        with pytest.raises(NotFound):
            services.activation_issue(actor=v(outsider), activation_id=activation.pk)
    for not_a_leader in (city.a_inspector.user, city.a_liaison.user):
        with pytest.raises(PermissionDenied):
            services.activation_issue(actor=v(not_a_leader), activation_id=activation.pk)
    issued, code = services.activation_issue(
        actor=v(city.a_leader.user), activation_id=activation.pk
    )

    assert issued.issued_by_id == city.a_leader.user.pk
    assert len(code.replace("-", "")) == 12
    assert code.replace("-", "") not in issued.code_hash  # only a hash is stored
    assert actions_on(target)[-2:] == ["account.activation_requested", "account.activation_issued"]


def test_a_leader_never_issues_the_code_of_their_own_account(city):
    target = city.a_leader.user
    activation = services.activation_request(actor=v(city.sysadmin), user_id=target.pk)
    with pytest.raises(NotFound):
        services.activation_issue(actor=v(target), activation_id=activation.pk)
    assert not account_selectors.issuable(v(target)).exists()
    _issued, code = services.activation_issue(
        actor=v(city.city_leader.user), activation_id=activation.pk
    )
    assert code


def test_an_administrators_reset_needs_a_second_administrator(city):
    target = city.secadmin
    activation = services.activation_request(actor=v(city.sysadmin), user_id=target.pk)
    # neither the one who asked nor the target, nor a leader, may issue it
    for refused in (city.sysadmin, city.secadmin, city.city_leader.user):
        with pytest.raises(NotFound):
            services.activation_issue(actor=v(refused), activation_id=activation.pk)
    _issued, code = services.activation_issue(actor=v(city.auditadmin), activation_id=activation.pk)
    services.activation_use(username="secadmin", code=code, password=NEW_PASSWORD)
    assert User.objects.get(pk=target.pk).check_password(NEW_PASSWORD)


def test_the_list_of_codes_to_issue_agrees_with_who_may_issue_them(city):
    """Every persona sees exactly the activations it may issue (one rule, two places)."""
    sysadmin = v(city.sysadmin)
    targets = [city.a_inspector.user, city.b_viewer.user, city.a_leader.user, city.secadmin]
    activations = [services.activation_request(actor=sysadmin, user_id=t.pk) for t in targets]
    people = [
        city.sysadmin,
        city.secadmin,
        city.auditadmin,
        city.city_leader.user,
        city.a_leader.user,
        city.b_leader.user,
        city.a_inspector.user,
    ]
    for person in people:
        listed = set(account_selectors.issuable(v(person)).values_list("pk", flat=True))
        for activation in activations:
            with transaction.atomic():
                try:
                    services.activation_issue(actor=v(person), activation_id=activation.pk)
                    may = True
                except (NotFound, PermissionDenied):
                    may = False
                transaction.set_rollback(True)
            assert may == (activation.pk in listed), (person.username, activation.user.username)
    assert account_selectors.issuable(v(city.a_leader.user)).count() == 1  # a.inspector only
    assert account_selectors.issuable(v(city.city_leader.user)).count() == 3  # not secadmin


# --- the takeover of defect 2 ------------------------------------------------------------------


@pytest.mark.parametrize("target", ["secadmin", "a_leader"])
def test_the_system_administrator_alone_cannot_set_or_learn_a_password(city, target):
    user = city.secadmin if target == "secadmin" else city.a_leader.user
    sysadmin = v(city.sysadmin)
    before = User.objects.get(pk=user.pk).password

    with pytest.raises(DomainError):
        services.account_set_password(actor=sysadmin, user_id=user.pk, password=NEW_PASSWORD)  # type: ignore[arg-type]
    activation = services.activation_request(actor=sysadmin, user_id=user.pk)
    with pytest.raises(NotFound):
        services.activation_issue(actor=sysadmin, activation_id=activation.pk)
    assert not account_selectors.issuable(sysadmin).exists()

    assert User.objects.get(pk=user.pk).password == before
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


# --- using a code ------------------------------------------------------------------------------


def test_a_code_works_once_and_only_for_its_own_user(city):
    code = request_and_issue(city, city.a_inspector.user, city.a_leader.user)
    with pytest.raises(services.ActivationRefused):
        services.activation_use(username="a.liaison", code=code, password=NEW_PASSWORD)
    user = services.activation_use(username="a.inspector", code=code, password=NEW_PASSWORD)
    assert user.check_password(NEW_PASSWORD) and not user.must_change_password
    with pytest.raises(services.ActivationRefused):
        services.activation_use(username="a.inspector", code=code, password="Other-pass-2026")
    assert User.objects.get(pk=city.a_inspector.user.pk).check_password(NEW_PASSWORD)
    assert User.objects.get(pk=city.a_liaison.user.pk).check_password(PASSWORD)
    used = AccountActivation.objects.get(user=city.a_inspector.user)
    assert used.used_at is not None


def test_a_code_is_typed_as_read_aloud(city):
    code = request_and_issue(city, city.a_inspector.user, city.a_leader.user)
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    services.activation_use(username="a.inspector", code=typed, password=NEW_PASSWORD)
    assert User.objects.get(pk=city.a_inspector.user.pk).check_password(NEW_PASSWORD)


def test_a_code_expires_after_the_configured_hours(city, settings):
    settings.OVERSIGHT_ACTIVATION_HOURS = 72
    start = clock.now()
    with clock.frozen(start):
        code = request_and_issue(city, city.a_inspector.user, city.a_leader.user)
    with clock.frozen(start + timedelta(hours=72)), pytest.raises(services.ActivationRefused):
        services.activation_use(username="a.inspector", code=code, password=NEW_PASSWORD)
    activation = AccountActivation.objects.get(user=city.a_inspector.user)
    assert activation.cancel_reason == ActivationCancel.EXPIRED
    assert User.objects.get(pk=city.a_inspector.user.pk).check_password(PASSWORD)


def test_a_code_works_until_it_expires(city, settings):
    settings.OVERSIGHT_ACTIVATION_HOURS = 2
    start = clock.now()
    with clock.frozen(start):
        code = request_and_issue(city, city.a_inspector.user, city.a_leader.user)
    with clock.frozen(start + timedelta(hours=2) - timedelta(seconds=1)):
        services.activation_use(username="a.inspector", code=code, password=NEW_PASSWORD)


def test_five_wrong_codes_cancel_the_activation(city):
    code = request_and_issue(city, city.a_inspector.user, city.a_leader.user)
    for attempt in range(1, 5):
        with pytest.raises(services.ActivationRefused):
            services.activation_use(username="a.inspector", code="WRONG0CODE00", password=PASSWORD)
        activation = AccountActivation.objects.get(user=city.a_inspector.user)
        assert activation.failed_attempts == attempt and activation.cancelled_at is None
    with pytest.raises(services.ActivationRefused):
        services.activation_use(username="a.inspector", code="WRONG0CODE00", password=PASSWORD)
    with pytest.raises(services.ActivationRefused):  # the right code no longer works
        services.activation_use(username="a.inspector", code=code, password=NEW_PASSWORD)
    activation = AccountActivation.objects.get(user=city.a_inspector.user)
    assert activation.cancel_reason == ActivationCancel.TOO_MANY_FAILURES
    failed = AuditEvent.objects.filter(action="account.activation_failed")
    assert [e.summary["detail"]["reason"] for e in failed.order_by("seq")] == ["wrong_code"] * 5 + [
        "no_code"
    ]
    assert "account.activation_cancelled" in actions_on(city.a_inspector.user)


def test_using_a_code_removes_the_second_factor_ends_sessions_and_clears_a_lockout(city):
    from axes.models import AccessAttempt

    user = city.a_inspector.user
    TOTPDevice.objects.create(user=user, name="totp", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session.create()
    other = SessionStore()
    other[SESSION_KEY] = str(city.a_leader.user.pk)
    other.create()
    AccessAttempt.objects.create(
        username="a.inspector",
        ip_address="10.0.0.1",
        user_agent="x",
        attempt_time=clock.now(),
        failures_since_start=5,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/login/",
    )
    code = request_and_issue(city, user, city.a_leader.user)

    services.activation_use(username="a.inspector", code=code, password=NEW_PASSWORD)

    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not Session.objects.filter(pk=session.session_key).exists()
    assert Session.objects.filter(pk=other.session_key).exists()
    assert not AccessAttempt.objects.filter(username="a.inspector").exists()
    used = AuditEvent.objects.get(action="account.activation_used")
    assert used.summary["detail"] | {"activation": 0} == {
        "activation": 0,
        "kind": "RESET",
        "devices_removed": 1,
        "sessions_ended": 1,
        "lockouts_cleared": 1,
    }
    assert "auth.mfa_devices_removed" in actions_on(user)


def test_a_password_the_policy_refuses_leaves_the_code_unspent(city):
    code = request_and_issue(city, city.a_inspector.user, city.a_leader.user)
    with pytest.raises(DomainError) as refused:
        services.activation_use(username="a.inspector", code=code, password="short")
    assert refused.value.field == "password"
    with pytest.raises(DomainError) as recent:  # the password in use: refused by the history
        services.activation_use(username="a.inspector", code=code, password=PASSWORD)
    assert recent.value.field == "password"
    activation = AccountActivation.objects.get(user=city.a_inspector.user)
    assert activation.used_at is None and activation.failed_attempts == 0
    services.activation_use(username="a.inspector", code=code, password=NEW_PASSWORD)


def test_a_first_activation_follows_an_officers_registration(city):
    officer = services.officer_create(
        actor=v(city.a_leader.user),
        username="a.newcomer",
        name="新民警",
        badge_number="700001",
        warrant_number="N700001",
        agency_id=city.a_station.pk,
    )
    sysadmin = v(city.sysadmin)
    assert list(account_selectors.awaiting_activation(sysadmin)) == [officer.user]
    activation = services.activation_request(actor=sysadmin, user_id=officer.user_id)
    assert activation.kind == "FIRST"
    assert not account_selectors.awaiting_activation(sysadmin).exists()
    _issued, code = services.activation_issue(
        actor=v(city.a_leader.user), activation_id=activation.pk
    )
    services.activation_use(username="a.newcomer", code=code, password=NEW_PASSWORD)
    user = User.objects.get(pk=officer.user_id)
    assert user.check_password(NEW_PASSWORD) and not user.must_change_password


# --- requests ------------------------------------------------------------------------------


def test_one_activation_at_a_time_and_an_expired_one_is_replaced(city, settings):
    sysadmin = v(city.sysadmin)
    start = clock.now()
    with clock.frozen(start):
        first = services.activation_request(actor=sysadmin, user_id=city.a_inspector.user.pk)
        services.activation_issue(actor=v(city.a_leader.user), activation_id=first.pk)
        with pytest.raises(Conflict):
            services.activation_request(actor=sysadmin, user_id=city.a_inspector.user.pk)
    later = start + timedelta(hours=settings.OVERSIGHT_ACTIVATION_HOURS)
    with clock.frozen(later):
        second = services.activation_request(actor=sysadmin, user_id=city.a_inspector.user.pk)
    first.refresh_from_db()
    assert first.cancel_reason == ActivationCancel.EXPIRED and second.pk != first.pk


def test_only_the_system_administrator_requests_and_withdraws(city):
    for person in (city.secadmin, city.auditadmin, city.city_leader.user):
        with pytest.raises(PermissionDenied):
            services.activation_request(actor=v(person), user_id=city.a_inspector.user.pk)
    services.activation_request(actor=v(city.sysadmin), user_id=city.a_inspector.user.pk)
    with pytest.raises(PermissionDenied):
        services.activation_cancel(actor=v(city.secadmin), user_id=city.a_inspector.user.pk)
    withdrawn = services.activation_cancel(actor=v(city.sysadmin), user_id=city.a_inspector.user.pk)
    assert withdrawn.cancel_reason == ActivationCancel.WITHDRAWN
    with pytest.raises(Conflict):
        services.activation_cancel(actor=v(city.sysadmin), user_id=city.a_inspector.user.pk)


def test_deactivating_an_account_withdraws_its_activation_and_refuses_a_new_one(city):
    sysadmin = v(city.sysadmin)
    code = request_and_issue(city, city.a_inspector.user, city.a_leader.user)
    services.account_set_active(actor=sysadmin, user_id=city.a_inspector.user.pk, active=False)
    with pytest.raises(services.ActivationRefused):
        services.activation_use(username="a.inspector", code=code, password=NEW_PASSWORD)
    with pytest.raises(DomainError):
        services.activation_request(actor=sysadmin, user_id=city.a_inspector.user.pk)
    with pytest.raises(Conflict):
        services.account_set_active(actor=sysadmin, user_id=city.a_inspector.user.pk, active=False)


def test_break_glass_on_the_console_issues_a_code_audited_on_the_cli_channel(city):
    out = StringIO()
    call_command("account", "activate", "secadmin", "--format", "json", stdout=out)
    printed = json.loads(out.getvalue())
    services.activation_use(username="secadmin", code=printed["code"], password=NEW_PASSWORD)
    event = AuditEvent.objects.get(action="account.activation_break_glass")
    assert event.channel == "cli" and event.object_id == str(city.secadmin.pk)
    assert event.summary["detail"]["operator"]
    assert AccountActivation.objects.get(user=city.secadmin).break_glass


# --- the last holder of an administrator role ------------------------------------------------


@pytest.mark.parametrize(
    "holder, role", [("sysadmin", "SYSTEM_ADMIN"), ("auditadmin", "AUDIT_ADMIN")]
)
def test_the_last_holder_of_an_administrator_role_cannot_be_revoked(city, holder, role):
    user = getattr(city, holder)
    with pytest.raises(DomainError):
        services.role_revoke(actor=v(city.secadmin), user_id=user.pk, role=role)
    assert RoleGrant.objects.filter(user=user, role=role, revoked_at__isnull=True).exists()
    make_account(f"{holder}2", role)
    services.role_revoke(actor=v(city.secadmin), user_id=user.pk, role=role)


def test_the_last_holder_of_an_administrator_role_cannot_be_deactivated(city):
    with pytest.raises(DomainError):
        services.account_set_active(actor=v(city.sysadmin), user_id=city.secadmin.pk, active=False)
    assert User.objects.get(pk=city.secadmin.pk).is_active
    second = make_account("secadmin2", "SECURITY_ADMIN")
    services.account_set_active(actor=v(city.sysadmin), user_id=city.secadmin.pk, active=False)
    # the second is now the last active holder, although the first still holds the role
    with pytest.raises(DomainError):
        services.account_set_active(actor=v(city.sysadmin), user_id=second.pk, active=False)


def test_an_officer_never_receives_an_administrator_role(city):
    for role in ("SYSTEM_ADMIN", "SECURITY_ADMIN", "AUDIT_ADMIN"):
        with pytest.raises(DomainError) as refused:
            services.role_grant(actor=v(city.secadmin), user_id=city.no_role.user.pk, role=role)
        assert refused.value.field == "role"
    assert not RoleGrant.objects.filter(user=city.no_role.user).exists()


def test_the_roles_offered_are_exactly_the_roles_a_grant_accepts(city):
    secadmin = v(city.secadmin)
    blank = make_account("ops2")
    people = [
        blank,
        city.secadmin,
        city.no_role.user,
        city.a_inspector.user,
        city.a_leader.user,
        city.sysadmin,
        city.auditadmin,
    ]
    offered = account_selectors.grantable_roles(secadmin, [p.pk for p in people])
    for person in people:
        accepted = []
        for role in (
            "SYSTEM_ADMIN",
            "SECURITY_ADMIN",
            "AUDIT_ADMIN",
            "LEADER",
            "INSPECTOR",
            "LIAISON",
            "VIEWER",
        ):
            with transaction.atomic():
                try:
                    services.role_grant(actor=secadmin, user_id=person.pk, role=role)
                    accepted.append(role)
                except DomainError:
                    pass
                transaction.set_rollback(True)
        assert offered[person.pk] == accepted, person.username
    assert offered[blank.pk] == ["SYSTEM_ADMIN", "SECURITY_ADMIN", "AUDIT_ADMIN"]
    assert offered[city.no_role.user.pk] == ["LEADER", "INSPECTOR", "LIAISON", "VIEWER"]
    assert offered[city.sysadmin.pk] == []


# --- the second factor's writes are audited services ----------------------------------------


def test_second_factor_enrolment_is_audited_at_each_step(city):
    from django_otp.oath import TOTP

    user = city.a_inspector.user
    at = clock.now()
    with clock.frozen(at):
        device = services.mfa_enrolment_start(user=user)
        with pytest.raises(Conflict):
            services.mfa_enrolment_start(user=user)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = at.timestamp()
        check = services.mfa_enrolment_confirm(user=user, device=device, token=str(totp.token()))
    assert check.ok
    assert TOTPDevice.objects.get(user=user).confirmed
    assert actions_on(user)[-2:] == ["auth.mfa_enrolment_started", "auth.mfa_enrolled"]
