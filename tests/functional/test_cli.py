"""The oversight command: idempotent init, deterministic demo, tokens, doctor, clean failures."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone, translation

from oversight.audit.models import AuditEvent
from oversight.org.models import AccountActivation, Agency, Department, Officer, RoleGrant, User
from oversight.subjects.models import Subject
from oversight.subjects.policy import credit_code_problem

OVERSIGHT = str(Path(sys.executable).parent / "oversight")


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_init_is_idempotent(db):
    first = json.loads(run("init", "--format", "json"))
    assert first["departments_created"] == 10
    assert {a["role"] for a in first["admins_created"]} == {
        "SYSTEM_ADMIN",
        "SECURITY_ADMIN",
        "AUDIT_ADMIN",
    }
    assert all(
        User.objects.get(username=a["username"]).must_change_password
        for a in first["admins_created"]
    )
    second = json.loads(run("init", "--format", "json"))
    assert second["departments_created"] == 0 and second["admins_created"] == []
    assert Department.objects.count() == 10
    assert RoleGrant.objects.filter(role="SECURITY_ADMIN").count() == 1


def _snapshot():
    return (
        list(
            Subject.objects.order_by(
                "kind", "agency__code", "name", "credit_code", "natural_key"
            ).values_list("kind", "name", "credit_code", "agency__code", "attributes")
        ),
        list(Agency.objects.order_by("code").values_list("code", "name", "kind", "path")),
        list(
            Officer.objects.order_by("badge_number").values_list(
                "badge_number", "name", "agency__code", "user__username", "qualification"
            )
        ),
        sorted(RoleGrant.objects.values_list("user__username", "role")),
    )


@pytest.mark.django_db
def test_the_demo_is_deterministic_and_sized_like_a_city():
    with transaction.atomic():
        data = json.loads(run("demo", "--format", "json"))
        first = _snapshot()
        transaction.set_rollback(True)
    with transaction.atomic():
        run("demo")
        second = _snapshot()
        transaction.set_rollback(True)
    assert first == second
    subjects, agencies, officers, _roles = first
    assert data["subjects"] == 2550  # outside subjects, imported through the import service
    outside = [s for s in subjects if s[2]]  # only outside subjects carry a credit code here
    assert len(outside) == 2550
    assert all(credit_code_problem(s[2]) is None for s in outside)
    bureaus = sorted(a[0] for a in agencies if a[2] == "BUREAU")
    counties = [code for code in bureaus if code != min(bureaus, key=len)]
    banks = [s[3] for s in outside if s[0] == "BANK"]
    assert [sum(code.startswith(c) for code in banks) for c in counties] == [40] * 10
    followed = [s for s in subjects if s[0] == "POLICE_AGENCY"]
    assert len(followed) == 11  # every bureau followed as a subject, as the catalog links say
    assert 180 <= len(officers) <= 230
    bureaus = [a for a in agencies if a[2] == "BUREAU"]
    assert len(bureaus) == 11  # the city and ten counties
    assert any(a[2] == "DETENTION_CENTER" for a in agencies)
    assert any(a[2] == "CUSTODY_CENTER" for a in agencies)
    assert any(a[2] == "COMMAND_CENTER" for a in agencies)
    assert {"city.leader", "county1.leader", "county1.liaison"} <= {
        login["username"] for login in data["logins"]
    }


@pytest.mark.django_db
def test_the_demo_salts_each_password_and_shows_what_waits_for_someone():
    run("demo")
    hashes = list(User.objects.exclude(password__startswith="!").values_list("password", flat=True))
    assert len(hashes) > 200 and len(set(hashes)) == len(hashes)
    assert AccountActivation.objects.filter(issued_at__isnull=True).count() == 1
    assert User.objects.filter(password__startswith="!", officer__isnull=False).count() >= 1
    assert AuditEvent.objects.filter(action="officer.transfer").count() == 1
    newcomer = User.objects.get(username="county1.newcomer")
    assert not RoleGrant.objects.filter(user=newcomer).exists()
    assert (
        not AuditEvent.objects.filter(actor_name="", action="account.set_password")
        .filter(summary__after__must_change_password=True)
        .exists()
    )


def test_demo_refuses_a_database_with_data_and_if_empty_skips(db):
    run("demo")
    with pytest.raises(Exception, match="already present"):
        run("demo")
    assert "not loaded" in run("demo", "--if-empty")


def test_token_commands_issue_list_and_revoke(city):
    issued = json.loads(run("token", "issue", "a.inspector", "--days", "7", "--format", "json"))
    assert issued["token"].startswith("ovs_")
    listed = json.loads(run("token", "list", "--format", "json"))
    assert [t["user__username"] for t in listed] == ["a.inspector"]
    assert "token" not in listed[0]
    run("token", "revoke", str(issued["id"]))
    assert json.loads(run("token", "list", "--format", "json"))[0]["revoked_at"]


def test_token_issue_for_an_unknown_user_fails_with_a_reason(db):
    with (
        translation.override("en"),
        pytest.raises(CommandError, match="No active user named ghost"),
    ):
        run("token", "issue", "ghost")


def test_doctor_reports_in_json(db):
    checks = json.loads(run("doctor", "--format", "json"))
    names = {c["check"] for c in checks}
    assert {"database", "cjk_fonts", "pdf", "browser"} <= names
    assert next(c for c in checks if c["check"] == "database")["ok"] is True


def test_the_worker_runs_one_tick_and_clears_only_expired_sessions(db, settings, tmp_path):
    settings.OVERSIGHT_AUDIT_ANCHOR_DIR = tmp_path  # never the real anchor folder
    now = timezone.now()
    Session.objects.create(session_key="expired", session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="live", session_data="", expire_date=now + timedelta(1))
    out = run("worker", "--once")
    assert "clear_expired_sessions: 1" in out
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
    assert "audit_anchor: anchor-" in out


@pytest.fixture
def fresh_data_dir(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env["OVERSIGHT_DATA_DIR"] = str(tmp_path)
    env.pop("OVERSIGHT_DEBUG", None)
    return env


def cli(env, *args):
    return subprocess.run([OVERSIGHT, *args], env=env, capture_output=True, text=True, timeout=120)


def test_the_console_script_fails_with_one_line_and_a_non_zero_exit(fresh_data_dir):
    assert cli(fresh_data_dir, "init").returncode == 0
    failed = cli(fresh_data_dir, "token", "issue", "ghost")
    assert failed.returncode != 0
    assert failed.stderr.strip().count("\n") == 0
    assert "ghost" in failed.stderr
    bad_anchor = cli(fresh_data_dir, "audit", "verify", "--anchor", "nonsense")
    assert bad_anchor.returncode != 0 and "COUNT:HASH" in bad_anchor.stderr
    ok = cli(fresh_data_dir, "audit", "verify", "--format", "json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["ok"] is True
