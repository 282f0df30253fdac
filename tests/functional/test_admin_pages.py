"""The three administrators' pages: accounts, roles, lockouts, tokens."""

from axes.models import AccessAttempt
from django.test import Client

from oversight.audit.models import AuditEvent
from oversight.org.models import AccountActivation, ApiToken, RoleGrant, User
from oversight.org.services import token_issue
from tests.conftest import client_for
from tests.html import every, one, texts


def test_the_security_administrator_grants_and_revokes_a_role(city):
    client = client_for(city.secadmin)
    user = city.no_role.user
    assert client.post(f"/security/roles/{user.pk}/grant/", {"role": "VIEWER"}).status_code == 302
    assert RoleGrant.objects.filter(user=user, role="VIEWER", revoked_at__isnull=True).exists()
    page = client.get("/security/roles/", {"q": "a.norole"})
    cells = texts(page, "main table tbody td")
    assert any(cell.startswith("查阅人员") for cell in cells)  # the role's label, not its code
    client.post(f"/security/roles/{user.pk}/revoke/VIEWER/")
    assert not RoleGrant.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="role.grant", object_id=str(user.pk)).exists()
    assert AuditEvent.objects.filter(action="role.revoke", object_id=str(user.pk)).exists()


def test_an_administrator_role_for_an_officer_is_refused_with_the_reason(city):
    client = client_for(city.secadmin)
    user = city.a_inspector.user
    response = client.post(
        f"/security/roles/{user.pk}/grant/", {"role": "AUDIT_ADMIN"}, follow=True
    )
    assert "三权分立" in one(response, ".alert-danger").text
    assert not RoleGrant.objects.filter(user=user, role="AUDIT_ADMIN").exists()


def test_the_system_administrator_creates_an_account_and_requests_its_activation(city):
    client = client_for(city.sysadmin)
    response = client.post("/system/accounts/new/", {"username": "ops2", "display_name": "运维"})
    user = User.objects.get(username="ops2")
    assert response["Location"] == f"/system/accounts/{user.pk}/"
    assert not user.has_usable_password()
    response = client.post(f"/system/accounts/{user.pk}/activation/")
    assert response["Location"] == f"/system/accounts/{user.pk}/"
    activation = AccountActivation.objects.get(user=user)
    assert activation.requested_by_id == city.sysadmin.pk and activation.issued_at is None
    client.post(f"/system/accounts/{user.pk}/deactivate/")
    assert not User.objects.get(pk=user.pk).is_active


def test_the_security_administrator_clears_a_lockout(city):
    for _ in range(5):
        Client().post("/login/", {"username": "a.inspector", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="a.inspector").exists()
    client = client_for(city.secadmin)
    assert "a.inspector" in texts(client.get("/security/lockouts/"), "main .ident")
    client.post("/security/lockouts/reset/", {"username": "a.inspector"})
    assert not AccessAttempt.objects.filter(username="a.inspector").exists()
    assert AuditEvent.objects.filter(action="auth.unlock").exists()


def test_the_security_administrator_revokes_a_token(city):
    token, raw = token_issue(actor=None, username="a.inspector")
    client_for(city.secadmin).post(f"/security/tokens/{token.pk}/revoke/")
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_navigation_follows_the_role(city):
    def nav(user):
        return {a["href"] for a in every(client_for(user).get("/"), "nav a.nav-link")}

    leader, sysadmin, auditor = nav(city.a_leader.user), nav(city.sysadmin), nav(city.auditadmin)
    assert "/org/agencies/" in leader and "/system/accounts/" not in leader
    assert "/system/accounts/" in sysadmin and "/org/agencies/" not in sysadmin
    assert "/audit/" in auditor and "/security/roles/" not in auditor
