"""Authentication per 等保 2.0 level 3: lockout, second factor, idle timeout, passwords, audit."""

from datetime import timedelta
from itertools import pairwise

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight.audit.models import AuditEvent
from oversight.core import clock
from oversight.org.models import User
from tests.conftest import PASSWORD
from tests.html import field_errors, one, texts

LOGIN = "/login/"


def login(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def totp_at(device: TOTPDevice, at) -> str:
    """The code the authenticator app shows at ``at``."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at.timestamp()
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice, at) -> str:
    """Six digits that no step the server tolerates around ``at`` accepts."""
    valid = {totp_at(device, at + timedelta(seconds=30 * n)) for n in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def in_chinese(message: str, **params) -> str:
    """The zh-Hans text of a message, as the page shows it."""
    with translation.override("zh-hans"):
        translated = gettext(message)
    return translated % params if params else translated


def test_the_login_page_is_chinese_with_a_nonce_csp(db):
    response = Client().get(LOGIN)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "'nonce-" in csp and "default-src 'self'" in csp
    assert one(response, "html")["lang"] == "zh-hans"
    assert one(response, "main form button[type=submit]").text.strip() == "登录"


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
    assert texts(response, ".alert-danger") == [
        in_chinese("Too many failed attempts: login is locked for %(m)d minutes.", m=15)
    ]
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
    user = city.a_inspector.user
    client = Client()
    login(client, "a.inspector")
    start = clock.now()
    with clock.frozen(start):
        assert client.get("/mfa/enroll/").status_code == 200
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        assert client.post("/mfa/enroll/", {"token": wrong_code(device, start)}).status_code == 200
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    after_the_wait = start + timedelta(seconds=1)  # one wrong code: one second before the next
    with clock.frozen(after_the_wait):
        response = client.post("/mfa/enroll/", {"token": totp_at(device, after_the_wait)})
        assert response.status_code == 302 and response["Location"] == "/"
        assert client.get("/org/agencies/").status_code == 200
    # a new session must verify with the confirmed device; a used step is not accepted twice
    next_step = after_the_wait + timedelta(seconds=30)
    other = Client()
    login(other, "a.inspector")
    with clock.frozen(next_step):
        assert other.get("/org/agencies/")["Location"] == "/mfa/verify/"
        assert other.post("/mfa/verify/", {"token": "12345"}).status_code == 200  # malformed
        assert other.post("/mfa/verify/", {"token": totp_at(device, next_step)})["Location"] == "/"
    events = AuditEvent.objects.filter(target_filter(user))
    assert [e.action for e in events.filter(action__startswith="auth.mfa").order_by("seq")] == [
        "auth.mfa_enrolment_started",
        "auth.mfa_failed",
        "auth.mfa_enrolled",
        "auth.mfa_verified",
    ]


def target_filter(user: User):
    from django.db.models import Q

    return Q(object_type="org.user", object_id=str(user.pk))


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
    assert one(response, "[data-testid=password-expired]")  # says why the change is asked
    short = in_chinese("The password must have at least %(n)d characters.", n=8)
    assert any(short in error for error in field_errors(response, "new_password"))
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


def test_an_open_redirect_after_login_is_refused(city):
    client = Client()
    response = client.post(
        LOGIN, {"username": "a.inspector", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_wrong_code_is_called_wrong_and_only_a_throttled_retry_is_told_to_wait(city, settings):
    settings.OVERSIGHT_MFA = "all"
    client = Client()
    login(client, "a.inspector")
    at = clock.now()
    with clock.frozen(at):
        client.get("/mfa/enroll/")
        device = TOTPDevice.objects.get(user=city.a_inspector.user, confirmed=False)
        first = client.post("/mfa/enroll/", {"token": wrong_code(device, at)})
        at_once = client.post("/mfa/enroll/", {"token": totp_at(device, at)})
    one_second_later = at + timedelta(seconds=1)
    with clock.frozen(one_second_later):
        then = client.post("/mfa/enroll/", {"token": totp_at(device, one_second_later)})
    assert field_errors(first, "token") == [in_chinese("The code is wrong or has expired.")]
    with translation.override("zh-hans"):
        wait = ngettext(
            "Wait %(s)d second, then enter the code your app shows at that moment.",
            "Wait %(s)d seconds, then enter the code your app shows at that moment.",
            1,
        ) % {"s": 1}
    assert field_errors(at_once, "token") == [wait]
    assert then.status_code == 302
    # the retry while waiting was not a tried code: one failure, then the enrolment
    assert AuditEvent.objects.filter(action="auth.mfa_failed").count() == 1
    assert AuditEvent.objects.filter(action="auth.mfa_enrolled").count() == 1


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
    assert one(first.get("/"), "[data-testid=last-login]").text.strip() == "这是您首次登录。"
    login(Client(), "a.inspector", "wrong-password")
    login(Client(), "a.inspector", "wrong-password")
    second = Client()
    login(second, "a.inspector")
    told = one(second.get("/"), "[data-testid=last-login]").text
    assert "此后有 2 次登录失败" in told
    assert "您上次登录时间" in told and "127.0.0.1" in told


def change_password(client: Client, old: str, new: str):
    return client.post(
        "/password/change/",
        {"old_password": old, "new_password": new, "new_password_again": new},
    )


def test_a_recent_password_cannot_be_chosen_again(city):
    client = Client()
    login(client, "a.inspector")
    passwords = [PASSWORD, "Second-pass-1", "Third-pass-1"]
    for old, new in pairwise(passwords):
        assert change_password(client, old, new).status_code == 302
    response = change_password(client, "Third-pass-1", "Second-pass-1")
    assert response.status_code == 200
    assert field_errors(response, "new_password") == [
        in_chinese("The password must differ from your last %(n)d passwords.", n=5)
    ]
    assert User.objects.get(pk=city.a_inspector.user.pk).check_password("Third-pass-1")


def test_the_sixth_password_back_may_be_chosen_again(city):
    client = Client()
    login(client, "a.inspector")
    passwords = [PASSWORD] + [f"Pass-{n}-of-six" for n in range(1, 6)]
    for old, new in pairwise(passwords):
        assert change_password(client, old, new).status_code == 302
    # PASSWORD is now the sixth back: out of the five the policy keeps
    assert change_password(client, passwords[-1], PASSWORD).status_code == 302


def test_under_asvs_there_is_no_password_history(city, settings):
    settings.OVERSIGHT_PASSWORD_POLICY = "asvs"
    client = Client()
    login(client, "a.inspector")
    new = "a long enough passphrase"
    assert change_password(client, PASSWORD, new).status_code == 302
    # straight back to the password just left: refused under 等保, allowed under ASVS
    assert change_password(client, new, PASSWORD).status_code == 302
    assert User.objects.get(pk=city.a_inspector.user.pk).check_password(PASSWORD)
