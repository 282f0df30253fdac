"""Authentication per 等保 2.0 level 3: lockout, second factor, idle timeout, passwords, audit."""

from datetime import timedelta
from itertools import pairwise

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight.audit.models import AuditEvent
from oversight.core import clock
from oversight.org.models import User
from tests.conftest import PASSWORD, client_for

LOGIN = "/login/"


def login(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def totp_now(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_the_login_page_is_chinese_with_a_nonce_csp(db):
    response = Client().get(LOGIN)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "'nonce-" in csp and "default-src 'self'" in csp
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert "登录" in body


def test_passwords_are_hashed_with_argon2(settings):
    from django.contrib.auth.hashers import make_password

    from config import settings as configured

    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS
    assert make_password("Abcdefg1").startswith("argon2$")


def test_a_correct_login_reaches_home_and_is_audited(city):
    client = Client()
    response = login(client, "a.inspector")
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.login", actor=city.a_inspector.user).exists()


def test_a_wrong_password_is_refused_and_audited(city):
    response = login(Client(), "a.inspector", "wrong-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in response.client.session
    assert AuditEvent.objects.filter(action="auth.login_failed", actor_name="a.inspector").exists()


def test_logout_is_audited_and_needs_post(city):
    client = Client()
    login(client, "a.inspector")
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.logout", actor=city.a_inspector.user).exists()


def test_five_failures_lock_the_account_for_fifteen_minutes(city):
    client = Client()
    for _ in range(5):
        login(client, "a.inspector", "wrong-password")
    response = login(client, "a.inspector")  # the right password, but locked
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "15" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.lockout").exists()
    # another account is not affected
    assert login(Client(), "a.leader").status_code == 302
    # after the cool-off the account opens again
    AccessAttempt.objects.update(attempt_time=clock.now() - timedelta(minutes=16))
    assert login(Client(), "a.inspector").status_code == 302


def test_four_failures_do_not_lock(city):
    client = Client()
    for _ in range(4):
        login(client, "a.inspector", "wrong-password")
    assert login(client, "a.inspector").status_code == 302


def test_the_lockout_threshold_is_configurable(city, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(2):
        login(client, "a.inspector", "wrong-password")
    assert login(client, "a.inspector").status_code == 429


@pytest.mark.parametrize(
    "mode, username, must_verify",
    [
        ("all", "a.inspector", True),
        ("all", "sysadmin", True),
        ("admins", "a.inspector", False),
        ("admins", "auditadmin", True),
        ("off", "secadmin", False),
    ],
)
def test_the_second_factor_is_enforced_per_setting(city, settings, mode, username, must_verify):
    settings.OVERSIGHT_MFA = mode
    client = Client()
    login(client, username)
    response = client.get("/")
    if must_verify:
        assert response.status_code == 302 and response["Location"] == "/mfa/verify/"
        assert client.get("/mfa/verify/")["Location"] == "/mfa/enroll/"
    else:
        assert response.status_code == 200


def test_enrolling_then_verifying_a_totp_device_opens_the_app(city, settings):
    settings.OVERSIGHT_MFA = "all"
    client = Client()
    login(client, "a.inspector")
    assert client.get("/mfa/enroll/").status_code == 200
    device = TOTPDevice.objects.get(user=city.a_inspector.user, confirmed=False)
    assert (
        client.post(
            "/mfa/enroll/", {"token": "000000" if totp_now(device) != "000000" else "111111"}
        ).status_code
        == 200
    )
    assert not TOTPDevice.objects.filter(user=city.a_inspector.user, confirmed=True).exists()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # skip the wait
    response = client.post("/mfa/enroll/", {"token": totp_now(device)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/org/agencies/").status_code == 200
    # a new session must verify with the confirmed device
    other = Client()
    login(other, "a.inspector")
    assert other.get("/org/agencies/")["Location"] == "/mfa/verify/"
    assert other.post("/mfa/verify/", {"token": "12345"}).status_code == 200  # malformed: refused
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.last_t = -1
    device.save()
    assert other.post("/mfa/verify/", {"token": totp_now(device)})["Location"] == "/"
    assert AuditEvent.objects.filter(action="auth.mfa_enrolled").count() == 1
    assert AuditEvent.objects.filter(action="auth.mfa_verified").count() == 1


def test_an_idle_session_ends_after_thirty_minutes(city):
    client = Client()
    login(client, "a.inspector")
    start = clock.now()
    with clock.frozen(start):
        assert client.get("/").status_code == 200
    with clock.frozen(start + timedelta(minutes=29)):
        assert client.get("/").status_code == 200
    with clock.frozen(start + timedelta(minutes=29 + 31)):
        response = client.get("/org/agencies/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/").status_code == 302


def test_the_idle_timeout_is_configurable(city, settings):
    settings.SESSION_IDLE_SECONDS = 60
    client = Client()
    login(client, "a.inspector")
    start = clock.now()
    with clock.frozen(start):
        client.get("/")
    with clock.frozen(start + timedelta(seconds=61)):
        assert client.get("/").status_code == 302


def test_an_expired_password_must_be_changed_before_anything_else(city):
    User.objects.filter(pk=city.a_inspector.user.pk).update(
        password_changed_at=clock.now() - timedelta(days=91)
    )
    client = Client()
    login(client, "a.inspector")
    assert client.get("/org/agencies/")["Location"] == "/password/change/"
    response = client.post(
        "/password/change/",
        {"old_password": PASSWORD, "new_password": "short", "new_password_again": "short"},
    )
    assert response.status_code == 200
    assert "8" in response.content.decode()  # the rule, with its figure, is shown
    response = client.post(
        "/password/change/",
        {
            "old_password": PASSWORD,
            "new_password": "New-pass-2026",
            "new_password_again": "New-pass-2026",
        },
    )
    assert response["Location"] == "/"
    assert client.get("/org/agencies/").status_code == 200
    assert AuditEvent.objects.filter(action="account.change_password").count() == 1


def test_under_the_asvs_policy_passwords_do_not_expire(city, settings):
    settings.OVERSIGHT_PASSWORD_POLICY = "asvs"
    User.objects.filter(pk=city.a_inspector.user.pk).update(
        password_changed_at=clock.now() - timedelta(days=400)
    )
    client = Client()
    login(client, "a.inspector")
    assert client.get("/org/agencies/").status_code == 200


def test_a_password_set_by_the_administrator_must_be_changed(city):
    client = client_for(city.sysadmin)
    response = client.post(
        f"/system/accounts/{city.a_inspector.user.pk}/", {"password": "Reset-pass-2026"}
    )
    assert response.status_code == 302
    user_client = Client()
    login(user_client, "a.inspector", "Reset-pass-2026")
    assert user_client.get("/")["Location"] == "/password/change/"


def test_a_weak_password_from_the_administrator_is_refused_and_nothing_changes(city):
    before = User.objects.get(pk=city.a_inspector.user.pk).password
    response = client_for(city.sysadmin).post(
        f"/system/accounts/{city.a_inspector.user.pk}/", {"password": "abcdefgh"}
    )
    assert response.status_code == 200
    assert User.objects.get(pk=city.a_inspector.user.pk).password == before


def test_an_open_redirect_after_login_is_refused(city):
    client = Client()
    response = client.post(
        LOGIN, {"username": "a.inspector", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_code_right_after_a_wrong_one_is_told_to_wait(city, settings):
    settings.OVERSIGHT_MFA = "all"
    settings.LANGUAGE_CODE = "en"
    client = Client()
    login(client, "a.inspector")
    client.get("/mfa/enroll/")
    device = TOTPDevice.objects.get(user=city.a_inspector.user, confirmed=False)
    wrong = "000000" if totp_now(device) != "000000" else "111111"
    client.post("/mfa/enroll/", {"token": wrong}, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/mfa/enroll/", {"token": totp_now(device)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "wait" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.mfa_failed").count() == 1


def test_the_idle_timeout_keeps_the_full_address_to_return_to(city):
    client = Client()
    login(client, "a.inspector")
    start = clock.now()
    with clock.frozen(start):
        client.get("/")
    with clock.frozen(start + timedelta(hours=1)):
        response = client.get("/org/agencies/?q=P1&active=1")
    assert response["Location"] == "/login/?next=%2Forg%2Fagencies%2F%3Fq%3DP1%26active%3D1"


def test_home_tells_the_user_of_their_previous_login_and_failures_since(city):
    first = Client()
    login(first, "a.inspector")
    assert "这是您首次登录" in first.get("/").content.decode()
    login(Client(), "a.inspector", "wrong-password")
    login(Client(), "a.inspector", "wrong-password")
    second = Client()
    login(second, "a.inspector")
    page = second.get("/").content.decode()
    assert "此后有 2 次登录失败" in page
    assert "您上次登录时间" in page and "127.0.0.1" in page


def test_a_recent_password_cannot_be_chosen_again(city, settings):
    settings.LANGUAGE_CODE = "en"
    client = Client()
    login(client, "a.inspector")
    passwords = [PASSWORD, "Second-pass-1", "Third-pass-1"]
    for old, new in pairwise(passwords):
        response = client.post(
            "/password/change/",
            {"old_password": old, "new_password": new, "new_password_again": new},
        )
        assert response.status_code == 302
    response = client.post(
        "/password/change/",
        {
            "old_password": "Third-pass-1",
            "new_password": "Second-pass-1",
            "new_password_again": "Second-pass-1",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "last 5 passwords" in response.content.decode()
    assert User.objects.get(pk=city.a_inspector.user.pk).check_password("Third-pass-1")


def test_under_asvs_there_is_no_password_history(city, settings):
    settings.OVERSIGHT_PASSWORD_POLICY = "asvs"
    client = Client()
    login(client, "a.inspector")
    new = "a long enough passphrase"
    client.post(
        "/password/change/",
        {"old_password": PASSWORD, "new_password": new, "new_password_again": new},
    )
    back = "Test-pass-2026-long"
    response = client.post(
        "/password/change/",
        {"old_password": new, "new_password": back, "new_password_again": back},
    )
    assert response.status_code == 302
