"""A deterministic synthetic city for demonstration and tests: same seed, same data.

One city bureau (示范市公安局) with its detachments and command centre, ten county bureaus each
with brigades, police stations and, where fitting, a detention and a custody centre, and about
two hundred officers with badge numbers and roles. All writes go through the services, so the
demo is audited like real data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction

from oversight.core import clock
from oversight.core.errors import Conflict
from oversight.org import services
from oversight.org.models import Agency, Department, Officer, User
from oversight.org.reference import load_departments

CITY = ("SFS", "示范市公安局", "139900")
COUNTIES = [
    ("东城区", "139901"),
    ("西城区", "139902"),
    ("南湖区", "139903"),
    ("北山区", "139904"),
    ("清河县", "139921"),
    ("安平县", "139922"),
    ("高阳县", "139923"),
    ("望都县", "139924"),
    ("青松县", "139925"),
    ("临川市", "139981"),
]
# (suffix, name, kind, department code)
CITY_UNITS = [
    ("JJ", "交警支队", "DETACHMENT", "TRAFFIC"),
    ("ZA", "治安支队", "DETACHMENT", "PUBLIC_ORDER"),
    ("WA", "网安支队", "DETACHMENT", "CYBER"),
    ("CRJ", "出入境管理支队", "DETACHMENT", "EXIT_ENTRY"),
    ("JG", "监管支队", "DETACHMENT", "CUSTODY"),
    ("ZH", "指挥中心", "COMMAND_CENTER", "COMMAND"),
    ("FZ", "法制支队", "DETACHMENT", "LEGAL"),
    ("JD", "禁毒支队", "DETACHMENT", "NARCOTICS"),
    ("DC", "督察支队", "DETACHMENT", "INSPECTION"),
    ("JJW", "纪检监察室", "OFFICE", "DISCIPLINE"),
]
COUNTY_UNITS = [
    ("JJ", "交警大队", "BRIGADE", "TRAFFIC"),
    ("ZA", "治安大队", "BRIGADE", "PUBLIC_ORDER"),
    ("WA", "网安大队", "BRIGADE", "CYBER"),
    ("CRJ", "出入境管理大队", "BRIGADE", "EXIT_ENTRY"),
    ("ZH", "指挥中心", "COMMAND_CENTER", "COMMAND"),
    ("FZ", "法制大队", "BRIGADE", "LEGAL"),
    ("DC", "督察大队", "BRIGADE", "INSPECTION"),
]
STATION_NAMES = [
    "城关",
    "新华",
    "胜利",
    "和平",
    "建设",
    "朝阳",
    "长安",
    "民主",
    "兴华",
    "光明",
    "永安",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红建国志文斌海峰宁"
TITLES = ["科员", "副大队长", "中队长", "警长", "民警", "民警", "民警"]
DEFAULT_PASSWORD = "Demo-2026-pass"  # noqa: S105 - the documented demo password


@dataclass
class DemoResult:
    agencies: int = 0
    officers: int = 0
    liaisons: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, where


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def build_demo(*, seed: int = 2026, password: str = DEFAULT_PASSWORD) -> DemoResult:
    """Create the demo city in one transaction; refuse if agencies already exist."""
    from oversight.cli.management.commands.init import ensure_admins

    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    result = DemoResult()
    with transaction.atomic():
        if Agency.objects.exists():
            raise Conflict("demo data (or real data) already present; use a fresh database")
        load_departments()
        for admin in ensure_admins(password=password):
            User.objects.filter(username=admin["username"]).update(must_change_password=False)
            result.logins.append((admin["username"], admin["role"], "—"))
        departments = dict(Department.objects.values_list("code", "pk"))
        hashed = make_password(password)
        badge = iter(range(100001, 999999))

        def add_agency(
            code: str,
            name: str,
            kind: str,
            level: str,
            division: str,
            parent: Agency | None,
            dept: str | None = None,
        ) -> Agency:
            result.agencies += 1
            return services.agency_create(
                actor=None,
                code=code,
                name=name,
                kind=kind,
                level=level,
                division_code=division,
                parent_id=parent.pk if parent else None,
                department_id=departments[dept] if dept else None,
            )

        def add_officer(
            agency: Agency,
            dept: str | None,
            roles: list[str],
            username: str | None = None,
            title: str | None = None,
        ) -> Officer:
            number = next(badge)
            officer = services.officer_create(
                actor=None,
                username=username or f"p{number}",
                name=_name(rng),
                badge_number=f"{number:06d}",
                warrant_number=f"SFS{number:06d}",
                agency_id=agency.pk,
                department_id=departments[dept] if dept else None,
                title=title or rng.choice(TITLES),
                phone=f"0312-{rng.randint(2000000, 8999999)}",
                qualification=rng.choice(["BASIC", "BASIC", "INTERMEDIATE", "ADVANCED"]),
                qualification_expires_on=date(2027 + rng.randint(0, 3), rng.randint(1, 12), 1),
            )
            User.objects.filter(pk=officer.user_id).update(
                password=hashed, must_change_password=False, password_changed_at=clock.now()
            )
            for role in roles:
                services.role_grant(actor=None, user_id=officer.user_id, role=role)
            result.officers += 1
            if username:
                result.logins.append((username, ",".join(roles), agency.name))
            return officer

        code, name, division = CITY
        city = add_agency(code, name, "BUREAU", "CITY", division, None)
        add_officer(city, "INSPECTION", ["LEADER"], username="city.leader", title="副局长")
        for suffix, unit_name, kind, dept in CITY_UNITS:
            unit = add_agency(f"{code}-{suffix}", unit_name, kind, "CITY", division, city, dept)
            for i in range(5):
                named = {("ZA", 0): "city.inspector", ("JG", 0): "city.custody"}.get((suffix, i))
                add_officer(unit, dept, ["INSPECTOR"] if i < 2 else ["VIEWER"], username=named)
        for suffix, unit_name in (("KSS", "示范市看守所"), ("JLS", "示范市拘留所")):
            kind = "DETENTION_CENTER" if suffix == "KSS" else "CUSTODY_CENTER"
            unit = add_agency(
                f"{code}-{suffix}", unit_name, kind, "CITY", division, city, "CUSTODY"
            )
            add_officer(unit, "CUSTODY", ["VIEWER"])

        for index, (county_name, county_division) in enumerate(COUNTIES, start=1):
            ccode = f"{code}-C{index:02d}"
            bureau = add_agency(
                ccode, f"{county_name}公安局", "BUREAU", "COUNTY", county_division, city
            )
            named = f"county{index}" if index <= 2 else None
            leader = add_officer(
                bureau,
                None,
                ["LEADER"],
                username=f"{named}.leader" if named else None,
                title="局长",
            )
            liaison = add_officer(
                bureau,
                "LEGAL",
                ["LIAISON"],
                username=f"{named}.liaison" if named else None,
                title="联络员",
            )
            units = {}
            for suffix, unit_name, kind, dept in COUNTY_UNITS:
                units[dept] = add_agency(
                    f"{ccode}-{suffix}", unit_name, kind, "COUNTY", county_division, bureau, dept
                )
            inspector = add_officer(
                units["PUBLIC_ORDER"],
                "PUBLIC_ORDER",
                ["INSPECTOR"],
                username=f"{named}.inspector" if named else None,
            )
            add_officer(units["TRAFFIC"], "TRAFFIC", ["INSPECTOR"])
            add_officer(units["CYBER"], "CYBER", ["INSPECTOR"])
            add_officer(units["COMMAND"], "COMMAND", ["VIEWER"])
            add_officer(units["LEGAL"], "LEGAL", ["INSPECTOR"])
            add_officer(units["INSPECTION"], "INSPECTION", ["INSPECTOR"])
            stations = rng.sample(STATION_NAMES, rng.randint(3, 5))
            for s, station in enumerate(stations, start=1):
                unit = add_agency(
                    f"{ccode}-P{s:02d}",
                    f"{station}派出所",
                    "POLICE_STATION",
                    "COUNTY",
                    county_division,
                    bureau,
                    "PUBLIC_ORDER",
                )
                add_officer(unit, "PUBLIC_ORDER", ["VIEWER"], title="所长")
                if s <= 2:
                    add_officer(unit, "PUBLIC_ORDER", ["INSPECTOR"])
            if not county_name.endswith("区") or index == 1:
                unit = add_agency(
                    f"{ccode}-KSS",
                    f"{county_name}看守所",
                    "DETENTION_CENTER",
                    "COUNTY",
                    county_division,
                    bureau,
                    "CUSTODY",
                )
                add_officer(unit, "CUSTODY", ["VIEWER"])
            if rng.random() < 0.5:
                unit = add_agency(
                    f"{ccode}-JLS",
                    f"{county_name}拘留所",
                    "CUSTODY_CENTER",
                    "COUNTY",
                    county_division,
                    bureau,
                    "CUSTODY",
                )
                add_officer(unit, "CUSTODY", ["VIEWER"])
            for dept, officer in (
                ("LEGAL", liaison),
                ("PUBLIC_ORDER", inspector),
                ("INSPECTION", leader),
            ):
                services.liaison_appoint(
                    actor=None,
                    agency_id=bureau.pk,
                    department_id=departments[dept],
                    officer_id=officer.pk,
                    phone=officer.phone,
                    appointed_on=date(2026, 1, 5),
                )
                result.liaisons += 1
    return result
