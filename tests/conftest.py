"""Shared fixtures: a small city with two counties, officers with roles, logged-in clients."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from oversight.core import clock
from oversight.org import services
from oversight.org.models import Agency, Officer, User
from oversight.org.reference import load_departments
from oversight.org.scope import Viewer, viewer_for

PASSWORD = "Test-pass-2026"


@pytest.fixture(autouse=True)
def _plain_settings(settings: Any, tmp_path_factory: Any) -> None:
    """Tests see the app as configured, minus what would need a second factor at every login."""
    settings.OVERSIGHT_MFA = "off"
    # Argon2 is the configured hasher (tested on its own); here it would only slow every fixture.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SESSION_COOKIE_SECURE = False
    # Never the data dir's anchor folder, which the SQLite and PostgreSQL runs of CI share.
    settings.OVERSIGHT_AUDIT_ANCHOR_DIR = tmp_path_factory.mktemp("audit-anchors")
    settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The public pages count requests per address and minute in the cache: each test from zero.
    cache.clear()


@dataclass
class Person:
    user: User
    officer: Officer | None

    @property
    def viewer(self) -> Viewer:
        return viewer_for(User.objects.get(pk=self.user.pk))


def make_account(username: str, *roles: str) -> User:
    """An administrator-style account (no officer) holding ``roles``, with a usable password."""
    user = services.account_create_admin(actor=None, username=username, display_name=username)
    services.account_set_password(actor=None, user_id=user.pk, password=PASSWORD)
    for role in roles:
        services.role_grant(actor=None, user_id=user.pk, role=role)
    return User.objects.get(pk=user.pk)


_badge = iter(range(500001, 999999))


def make_officer(
    agency: Agency, username: str, *roles: str, department: str | None = None
) -> Person:
    number = next(_badge)
    from oversight.org.models import Department

    dept = Department.objects.get(code=department).pk if department else None
    officer = services.officer_create(
        actor=None,
        username=username,
        name=f"民警{number}",
        badge_number=f"{number:06d}",
        warrant_number=f"T{number:06d}",
        agency_id=agency.pk,
        department_id=dept,
    )
    services.account_set_password(actor=None, user_id=officer.user_id, password=PASSWORD)
    for role in roles:
        services.role_grant(actor=None, user_id=officer.user_id, role=role)
    return Person(user=User.objects.get(pk=officer.user_id), officer=officer)


def make_agency(
    code: str, name: str, parent: Agency | None, kind: str = "BUREAU", level: str = "COUNTY"
) -> Agency:
    return services.agency_create(
        actor=None,
        code=code,
        name=name,
        kind=kind,
        level=level,
        division_code="139901",
        parent_id=parent.pk if parent else None,
    )


@pytest.fixture
def city(db: Any) -> SimpleNamespace:
    """A city bureau with a detachment and two county bureaus, each with a police station.

    People: a city leader and inspector; per county a leader, an inspector and a liaison; the
    three administrators; and an officer with no role.
    """
    load_departments()
    root = make_agency("CITY", "示范市公安局", None, level="CITY")
    detachment = make_agency("CITY-ZA", "治安支队", root, kind="DETACHMENT", level="CITY")
    a = make_agency("CITY-A", "甲县公安局", root)
    a_station = make_agency("CITY-A-P1", "甲县城关派出所", a, kind="POLICE_STATION")
    b = make_agency("CITY-B", "乙县公安局", root)
    b_station = make_agency("CITY-B-P1", "乙县城关派出所", b, kind="POLICE_STATION")
    return SimpleNamespace(
        root=root,
        detachment=detachment,
        a=a,
        a_station=a_station,
        b=b,
        b_station=b_station,
        city_leader=make_officer(root, "city.leader", "LEADER"),
        city_inspector=make_officer(
            detachment, "city.inspector", "INSPECTOR", department="PUBLIC_ORDER"
        ),
        a_leader=make_officer(a, "a.leader", "LEADER"),
        a_inspector=make_officer(a_station, "a.inspector", "INSPECTOR"),
        a_liaison=make_officer(a, "a.liaison", "LIAISON"),
        b_leader=make_officer(b, "b.leader", "LEADER"),
        b_inspector=make_officer(b_station, "b.inspector", "INSPECTOR"),
        b_viewer=make_officer(b_station, "b.viewer", "VIEWER"),
        no_role=make_officer(a_station, "a.norole"),
        sysadmin=make_account("sysadmin", "SYSTEM_ADMIN"),
        secadmin=make_account("secadmin", "SECURITY_ADMIN"),
        auditadmin=make_account("auditadmin", "AUDIT_ADMIN"),
    )


def client_for(user: User) -> Client:
    """A test client logged in as ``user`` (password login, so the session is real)."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def now() -> Any:
    return clock.now()


CATALOG_ROOT = Path(__file__).resolve().parents[1] / "catalog"
SMALL_CATALOG_FILES = [
    "catalog.yaml",
    "provisions/random_draw_weights.yaml",
    "provisions/neibao_regulation.yaml",
    "provisions/neibao_inspection_rule.yaml",
    "regimes/neibao.yaml",
    "regimes/neibao.cases.yaml",
]


@pytest.fixture
def small_catalog(tmp_path: Path) -> Path:
    """A copy of a small, valid catalog (the NEIBAO regime and its law), to load or to break."""
    for name in SMALL_CATALOG_FILES:
        target = tmp_path / "catalog" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CATALOG_ROOT / name, target)
    return tmp_path / "catalog"
