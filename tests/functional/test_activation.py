"""Accounts and credentials through the pages: no administrator takes over another account;
activation codes handed over in person; queues; confirmations on the administrators' pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight.audit.models import AuditEvent
from oversight.core import clock
from oversight.org import services
from oversight.org.models import AccountActivation, ActivationCancel, ApiToken, RoleGrant, User
from oversight.org.scope import viewer_for
from tests.conftest import PASSWORD, client_for, make_account
from tests.html import every, field_errors, form_errors, one, texts

NEW_PASSWORD = "Fresh-pass-2026"
TAKEOVER = "Taken-over-2026"


def in_chinese(message: str, **params: Any) -> str:
    with translation.override("zh-hans"):
        translated = gettext(message)
    return translated % params if params else translated


def activate(client: Client, username: str, code: str, password: str = NEW_PASSWORD):
    return client.post(
        "/activate/",
        {"username": username, "code": code, "password": password, "password_again": password},
    )


def issue_through_pages(issuer: User, activation: AccountActivation) -> str:
    """The issuer opens their page, confirms, and reads the code off the answer."""
    client = client_for(issuer)
    listed = client.get("/activations/")
    assert f"/activations/{activation.pk}/issue/" in [
        a["href"] for a in every(listed, "[data-testid=pending] a")
    ]
    url = f"/activations/{activation.pk}/issue/"
    assert one(client.get(url), "[data-testid=consequence]")  # a confirmation first
    assert AccountActivation.objects.get(pk=activation.pk).issued_at is None
    return one(client.post(url), "[data-testid=activation-code]").text.strip()


# --- defect 2: one administrator took over any account ----------------------------------------


def _web_urls(ids: dict[str, Any]) -> list[str]:
    """Every page of the site, with each id in its path naming the target or its activation."""
    urls = []
    for pattern in get_resolver("oversight.web.urls").url_patterns:
        assert isinstance(pattern, URLPattern)
        names = list(pattern.pattern.converters)
        urls.append(reverse(f"web:{pattern.name}", kwargs={n: ids.get(n, 1) for n in names}))
    return urls


@pytest.mark.parametrize("target_name", ["secadmin", "a_leader"])
def test_no_page_gives_the_system_administrator_a_session_of_another_account(city, target_name):
    """The probe of defect 2, on every page: set a password, reset the second factor, learn a code.

    The system administrator tries each page with GET and with a POST that offers a password in
    every field a form could have; afterwards the target's password, second factor and sessions
    are as before, no code was issued or shown, and the chosen password opens nothing.
    """
    target = city.secadmin if target_name == "secadmin" else city.a_leader.user
    TOTPDevice.objects.create(user=target, name="totp", confirmed=True)
    sysadmin = client_for(city.sysadmin)
    sysadmin.post(f"/system/accounts/{target.pk}/activation/")  # the one step it may take
    activation = AccountActivation.objects.filter(user=target).first()
    before = User.objects.get(pk=target.pk).password
    offered = {
        "username": target.username,
        "password": TAKEOVER,
        "password_again": TAKEOVER,
        "new_password": TAKEOVER,
        "new_password_again": TAKEOVER,
        "old_password": PASSWORD,
        "role": "SECURITY_ADMIN",
        "code": "0000-0000-0000",
    }
    ids = {
        "user_id": target.pk,
        "activation_id": activation.pk if activation else 1,
        "role": "SECURITY_ADMIN",
    }
    shown_codes = []
    for url in _web_urls(ids):
        if url == "/logout/":
            continue
        for response in (sysadmin.get(url), sysadmin.post(url, offered)):
            assert response.status_code < 500, url
            shown_codes += texts(response, "[data-testid=activation-code]")

    assert shown_codes == []
    assert User.objects.get(pk=target.pk).password == before
    assert not User.objects.get(pk=target.pk).check_password(TAKEOVER)
    assert TOTPDevice.objects.filter(user=target, confirmed=True).count() == 1
    assert not AccountActivation.objects.filter(user=target, issued_at__isnull=False).exists()
    assert not RoleGrant.objects.filter(user=city.sysadmin, role="SECURITY_ADMIN").exists()
    assert not ApiToken.objects.filter(user=target).exists()


def test_the_account_page_has_no_password_form_and_no_second_factor_reset(city):
    page = client_for(city.sysadmin).get(f"/system/accounts/{city.a_inspector.user.pk}/")
    assert every(page, "input[type=password]") == []
    assert every(page, "form[action$='reset-mfa/']") == []
    assert one(page, "[data-testid=activation] a.btn-primary")["href"] == (
        f"/system/accounts/{city.a_inspector.user.pk}/activation/"
    )


# --- the activation of an officer, handed over by a leader ------------------------------------


def test_a_leader_hands_over_a_code_and_the_officer_activates_once(city):
    officer = city.a_inspector.user
    sysadmin = client_for(city.sysadmin)
    request_url = f"/system/accounts/{officer.pk}/activation/"
    assert one(sysadmin.get(request_url), "[data-testid=consequence]")  # asks first
    assert not AccountActivation.objects.exists()
    assert sysadmin.post(request_url)["Location"] == f"/system/accounts/{officer.pk}/"
    activation = AccountActivation.objects.get(user=officer)
    # the leader is told on the home page, then issues the code
    home = client_for(city.a_leader.user).get("/")
    assert one(home, "[data-testid=queue-codes-to-issue] .display-6").text == "1"
    code = issue_through_pages(city.a_leader.user, activation)

    response = activate(Client(), "a.inspector", code)
    assert response["Location"] == "/login/"
    assert (
        Client().post("/login/", {"username": "a.inspector", "password": NEW_PASSWORD})["Location"]
        == "/"
    )
    again = activate(Client(), "a.inspector", code, "Another-pass-2026")
    assert form_errors(again) == [
        in_chinese("The user name or the code is wrong, or the code has expired.")
    ]
    assert User.objects.get(pk=officer.pk).check_password(NEW_PASSWORD)
    actions = AuditEvent.objects.filter(object_type="org.user", object_id=str(officer.pk))
    assert list(
        actions.filter(action__startswith="account.activation").values_list("action", flat=True)
    ) == [
        "account.activation_requested",
        "account.activation_issued",
        "account.activation_used",
    ]
    assert AuditEvent.objects.filter(
        action="account.activation_failed", actor_name="a.inspector"
    ).exists()


def test_the_code_page_is_not_kept_by_a_cache(city):
    activation = services.activation_request(
        actor=viewer_for(city.sysadmin), user_id=city.a_inspector.user.pk
    )
    response = client_for(city.a_leader.user).post(f"/activations/{activation.pk}/issue/")
    assert "no-store" in response["Cache-Control"]


def test_a_code_is_issued_once(city):
    activation = services.activation_request(
        actor=viewer_for(city.sysadmin), user_id=city.a_inspector.user.pk
    )
    leader = client_for(city.a_leader.user)
    assert one(leader.post(f"/activations/{activation.pk}/issue/"), "[data-testid=activation-code]")
    second = client_for(city.city_leader.user).post(
        f"/activations/{activation.pk}/issue/", follow=True
    )
    assert every(second, "[data-testid=activation-code]") == []
    assert texts(second, ".alert-danger") == [
        in_chinese("This code was issued already; it is not shown again.")
    ]


@pytest.mark.parametrize(
    "username, code",
    [("nobody.here", "ABCD-EFGH-JKMN"), ("a.liaison", "ABCD-EFGH-JKMN"), ("a.inspector", "WRONG")],
)
def test_the_activation_page_never_tells_whether_a_user_name_exists(city, username, code):
    services.activation_issue(
        actor=viewer_for(city.a_leader.user),
        activation_id=services.activation_request(
            actor=viewer_for(city.sysadmin), user_id=city.a_inspector.user.pk
        ).pk,
    )
    response = activate(Client(), username, code)
    assert response.status_code == 200
    assert form_errors(response) == [
        in_chinese("The user name or the code is wrong, or the code has expired.")
    ]
    assert field_errors(response, "username") == [] and field_errors(response, "code") == []


def test_an_expired_code_is_refused_on_the_page(city, settings):
    start = clock.now()
    with clock.frozen(start):
        activation = services.activation_request(
            actor=viewer_for(city.sysadmin), user_id=city.a_inspector.user.pk
        )
        code = issue_through_pages(city.a_leader.user, activation)
    with clock.frozen(start + timedelta(hours=settings.OVERSIGHT_ACTIVATION_HOURS, seconds=1)):
        response = activate(Client(), "a.inspector", code)
    assert form_errors(response) == [
        in_chinese("The user name or the code is wrong, or the code has expired.")
    ]
    assert AccountActivation.objects.get(pk=activation.pk).cancel_reason == "EXPIRED"


def test_five_wrong_codes_on_the_page_cancel_the_code(city):
    activation = services.activation_request(
        actor=viewer_for(city.sysadmin), user_id=city.a_inspector.user.pk
    )
    code = issue_through_pages(city.a_leader.user, activation)
    for _ in range(5):
        activate(Client(), "a.inspector", "0000-0000-0000")
    response = activate(Client(), "a.inspector", code)
    assert response.status_code == 200
    assert AccountActivation.objects.get(pk=activation.pk).cancel_reason == (
        ActivationCancel.TOO_MANY_FAILURES
    )
    assert User.objects.get(pk=city.a_inspector.user.pk).check_password(PASSWORD)
    state = one(
        client_for(city.sysadmin).get(f"/system/accounts/{city.a_inspector.user.pk}/"),
        "[data-testid=activation]",
    )
    assert state.select("a.btn-primary")  # the system administrator may request a new one


def test_a_weak_password_is_refused_on_its_field_and_the_code_still_works(city):
    activation = services.activation_request(
        actor=viewer_for(city.sysadmin), user_id=city.a_inspector.user.pk
    )
    code = issue_through_pages(city.a_leader.user, activation)
    response = activate(Client(), "a.inspector", code, "abcdefgh")
    assert field_errors(response, "password")
    assert activate(Client(), "a.inspector", code)["Location"] == "/login/"


# --- an administrator's reset: a second administrator -----------------------------------------


def test_an_administrators_reset_is_approved_by_a_second_administrator(city, settings):
    TOTPDevice.objects.create(user=city.secadmin, name="totp", confirmed=True)
    client_for(city.sysadmin).post(f"/system/accounts/{city.secadmin.pk}/activation/")
    activation = AccountActivation.objects.get(user=city.secadmin)
    # the requester does not see it to issue; the target cannot approve its own; a third can
    for refused in (city.sysadmin, city.secadmin):
        client = client_for(refused)
        assert every(client.get("/activations/"), "[data-testid=pending] a") == []
        assert client.post(f"/activations/{activation.pk}/issue/").status_code == 404
    code = issue_through_pages(city.auditadmin, activation)

    assert activate(Client(), "secadmin", code)["Location"] == "/login/"
    # the second factor was removed: the next login enrols a new one
    assert not TOTPDevice.objects.filter(user=city.secadmin).exists()
    settings.OVERSIGHT_MFA = "admins"
    client = Client()
    client.post("/login/", {"username": "secadmin", "password": NEW_PASSWORD})
    assert client.get("/")["Location"] == "/mfa/verify/"
    assert client.get("/mfa/verify/")["Location"] == "/mfa/enroll/"


# --- queues --------------------------------------------------------------------------------


def test_each_administrator_sees_the_accounts_waiting_for_them(city):
    services.officer_create(
        actor=viewer_for(city.a_leader.user),
        username="a.newcomer",
        name="新民警",
        badge_number="700001",
        warrant_number="N700001",
        agency_id=city.a_station.pk,
    )
    sysadmin = client_for(city.sysadmin)
    home = sysadmin.get("/")
    assert one(home, "[data-testid=queue-awaiting-activation] .display-6").text == "1"
    accounts = sysadmin.get("/system/accounts/")
    assert "a.newcomer" in texts(accounts, "[data-testid=awaiting-activation] li")[0]
    secadmin_home = client_for(city.secadmin).get("/")
    # a.norole and the newcomer: active accounts holding no role
    assert one(secadmin_home, "[data-testid=queue-without-role] .display-6").text == "2"
    no_role = client_for(city.secadmin).get("/security/roles/", {"norole": "1"})
    assert sorted(t.split()[0] for t in texts(no_role, "tbody tr")) == ["a.newcomer", "a.norole"]
    assert (
        every(client_for(city.a_leader.user).get("/"), "[data-testid=queue-codes-to-issue]") == []
    )


# --- break-glass ---------------------------------------------------------------------------


def test_the_console_break_glass_code_works_on_the_page(city):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("account", "activate", "sysadmin", stdout=out)
    code = next(
        line.split(": ", 1)[1] for line in out.getvalue().splitlines() if line.startswith("code")
    )
    assert activate(Client(), "sysadmin", code)["Location"] == "/login/"
    assert AuditEvent.objects.get(action="account.activation_break_glass").channel == "cli"


# --- the security administrator's pages: choices, filters, confirmations, lockouts -------------


def test_the_roles_page_offers_only_the_roles_each_account_may_receive(city):
    spare = make_account("ops2")
    page = client_for(city.secadmin).get("/security/roles/")

    def offered(user: User) -> list[str]:
        return [o["value"] for o in every(page, f"#id_role_{user.pk} option") if o["value"]]

    assert offered(city.no_role.user) == ["LEADER", "INSPECTOR", "LIAISON", "VIEWER"]
    assert offered(city.a_inspector.user) == ["LEADER", "LIAISON", "VIEWER"]
    assert offered(spare) == ["SYSTEM_ADMIN", "SECURITY_ADMIN", "AUDIT_ADMIN"]
    assert every(page, f"#id_role_{city.sysadmin.pk}") == []
    assert every(page, f"#id_role_{city.secadmin.pk}") == []


def test_a_grant_and_a_revoke_return_to_the_filtered_page(city):
    client = client_for(city.secadmin)
    listing = "/security/roles/?q=a.norole&norole=1"
    page = client.get(listing)
    form = one(page, f"form[action='/security/roles/{city.no_role.user.pk}/grant/']")
    assert form.select_one("input[name=next]")["value"] == listing
    granted = client.post(
        f"/security/roles/{city.no_role.user.pk}/grant/", {"role": "VIEWER", "next": listing}
    )
    assert granted["Location"] == listing
    page = client.get("/security/roles/?q=a.norole")
    revoke_url = one(page, "[data-testid=roles] a")["href"]
    assert revoke_url.endswith("?next=%2Fsecurity%2Froles%2F%3Fq%3Da.norole")
    assert one(client.get(revoke_url), "[data-testid=consequence]")  # asks first
    assert RoleGrant.objects.filter(user=city.no_role.user, revoked_at__isnull=True).exists()
    assert client.post(revoke_url)["Location"] == "/security/roles/?q=a.norole"
    assert not RoleGrant.objects.filter(user=city.no_role.user, revoked_at__isnull=True).exists()
    # only the list itself is where the page goes back to: not another site, not another page
    for elsewhere in ("https://evil.example/security/roles/", "/audit/"):
        answer = client.post(
            f"/security/roles/{city.no_role.user.pk}/grant/", {"role": "VIEWER", "next": elsewhere}
        )
        assert answer["Location"] == "/security/roles/"


def test_the_last_security_administrator_cannot_be_removed_from_the_pages(city):
    second_secadmin = make_account("secadmin2", "SECURITY_ADMIN")
    # the other security administrator tries to revoke the first; then the first is alone
    client_for(second_secadmin).post(f"/security/roles/{city.secadmin.pk}/revoke/SECURITY_ADMIN/")
    assert not RoleGrant.objects.filter(user=city.secadmin, revoked_at__isnull=True).exists()
    response = client_for(city.sysadmin).post(
        f"/system/accounts/{second_secadmin.pk}/deactivate/", follow=True
    )
    assert User.objects.get(pk=second_secadmin.pk).is_active
    label = in_chinese("Security administrator")
    assert texts(response, ".alert-danger") == [
        in_chinese(
            "%(role)s: this is its last active holder. Grant the role to another account first.",
            role=label,
        )
    ]


def test_the_lockouts_page_says_whether_and_until_when_an_account_is_locked(city):
    for _ in range(5):
        Client().post("/login/", {"username": "a.inspector", "password": "wrong"})
    Client().post("/login/", {"username": "a.leader", "password": "wrong"})
    client = client_for(city.secadmin)
    last = AccessAttempt.objects.get(username="a.inspector").attempt_time
    until = last + django_settings.AXES_COOLOFF_TIME

    def states() -> dict[str, str]:
        page = client.get("/security/lockouts/")
        rows = every(page, "tbody tr")
        return {
            row.select_one("td").get_text(strip=True): row.select_one(
                "[data-testid=lockout-state]"
            ).get_text(strip=True)
            for row in rows
        }

    at = dateformat.format(timezone.localtime(until), "Y-m-d H:i:s")
    assert states() == {
        "a.inspector": in_chinese("Locked until %(at)s", at=at),
        "a.leader": in_chinese("Not locked"),
    }
    with clock.frozen(until + timedelta(seconds=1)):
        assert states()["a.inspector"] == in_chinese("Not locked")


def test_clearing_a_lockout_asks_first(city):
    for _ in range(5):
        Client().post("/login/", {"username": "a.inspector", "password": "wrong"})
    client = client_for(city.secadmin)
    url = "/security/lockouts/reset/?username=a.inspector"
    assert city.a_inspector.user.display_name in one(client.get(url), "h1").text
    assert AccessAttempt.objects.filter(username="a.inspector").exists()
    assert client.post(url)["Location"] == "/security/lockouts/"
    assert not AccessAttempt.objects.filter(username="a.inspector").exists()
    nothing = client.post(url, follow=True)
    assert texts(nothing, ".alert-danger") == [
        in_chinese("No failed logins are on record for this user name.")
    ]


def test_revoking_a_token_and_deactivating_an_account_ask_first(city):
    token, _raw = services.token_issue(actor=None, username="a.inspector")
    secadmin = client_for(city.secadmin)
    assert one(secadmin.get(f"/security/tokens/{token.pk}/revoke/"), "[data-testid=consequence]")
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    sysadmin = client_for(city.sysadmin)
    deactivate = f"/system/accounts/{city.a_inspector.user.pk}/deactivate/"
    assert one(sysadmin.get(deactivate), "[data-testid=consequence]")
    assert User.objects.get(pk=city.a_inspector.user.pk).is_active
