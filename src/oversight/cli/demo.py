"""A deterministic synthetic city for demonstration and tests: same seed, same data.

One city bureau (示范市公安局) with its detachments and command centre, ten county bureaus each
with brigades, police stations and, where fitting, a detention and a custody centre, and about
two hundred officers with badge numbers and roles. All writes go through the services, so the
demo is audited like real data, and every account gets its own salted password hash.

Besides the city, a few stories show what is waiting for someone: a newly registered officer whose
account the system administrator has yet to open, an activation code waiting to be handed over by
county 1's leader, an active account with no role for the security administrator, and an officer
the city transferred from county 2. Each county bureau has its 2026 plan of checks: county 1's
waits for its leader's approval, county 2's is still a draft, the others are published. The
city's custody detachment has checked every custody facility each month of 2026 that is over,
but for one month at county 1's detention centre, which the compliance page flags.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

from oversight.catalog.loader import Catalog
from oversight.catalog.selectors import catalog_in_force
from oversight.catalog.services import catalog_load
from oversight.cli.demo_checks import record_custody_checks
from oversight.cli.demo_subjects import import_demo_subjects
from oversight.core import clock
from oversight.core.errors import Conflict, NotFound
from oversight.org import services
from oversight.org.models import Agency, Department, Officer, User
from oversight.org.reference import load_departments
from oversight.org.scope import Viewer, viewer_for
from oversight.org.tree import bureau_of
from oversight.planning import services as plan_services
from oversight.planning.models import Task
from oversight.planning.services import draws as draw_services
from oversight.planning.services import teams as team_services
from oversight.pool import selectors as pool_selectors
from oversight.pool import services as pool_services
from oversight.subjects.follow import subjects_follow
from oversight.subjects.selectors import subjects_visible

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
    subjects: int = 0  # outside subjects imported (the organisation's own units follow it)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, where


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


class _DemoCity:
    """Builds the city step by step through the services; counts what it made."""

    def __init__(self, rng: random.Random, password: str) -> None:
        self.rng = rng
        self.password = password
        self.result = DemoResult()
        self.departments = dict(Department.objects.values_list("code", "pk"))
        self.badges = iter(range(100001, 999999))

    def agency(
        self,
        code: str,
        name: str,
        kind: str,
        parent: Agency | None,
        dept: str | None = None,
        division: str = "",
    ) -> Agency:
        self.result.agencies += 1
        return services.agency_create(
            actor=None,
            code=code,
            name=name,
            kind=kind,
            division_code=division,
            parent_id=parent.pk if parent else None,
            department_id=self.departments[dept] if dept else None,
        )

    def officer(
        self,
        agency: Agency,
        dept: str | None,
        roles: list[str],
        username: str | None = None,
        title: str | None = None,
        activated: bool = True,
    ) -> Officer:
        number = next(self.badges)
        officer = services.officer_create(
            actor=None,
            username=username or f"p{number}",
            name=_name(self.rng),
            badge_number=f"{number:06d}",
            warrant_number=f"SFS{number:06d}",
            agency_id=agency.pk,
            department_id=self.departments[dept] if dept else None,
            title=title or self.rng.choice(TITLES),
            phone=f"0312-{self.rng.randint(2000000, 8999999)}",
            qualification=self.rng.choice(["BASIC", "BASIC", "INTERMEDIATE", "ADVANCED"]),
            qualification_expires_on=date(
                2027 + self.rng.randint(0, 3), self.rng.randint(1, 12), 1
            ),
        )
        if activated:
            services.account_set_password(
                actor=None, user_id=officer.user_id, password=self.password
            )
        for role in roles:
            services.role_grant(actor=None, user_id=officer.user_id, role=role)
        self.result.officers += 1
        if username:
            self.result.logins.append((username, ",".join(roles) or "—", agency.name))
        return officer

    def administrators(self) -> None:
        for admin in services.administrators_ensure(password=self.password):
            self.result.logins.append((admin["username"], admin["role"], "—"))

    def city(self) -> Agency:
        code, name, division = CITY
        city = self.agency(code, name, "BUREAU", None, division=division)
        self.officer(city, "INSPECTION", ["LEADER"], username="city.leader", title="副局长")
        for suffix, unit_name, kind, dept in CITY_UNITS:
            unit = self.agency(f"{code}-{suffix}", unit_name, kind, city, dept)
            for i in range(5):
                named = {("ZA", 0): "city.inspector", ("JG", 0): "city.custody"}.get((suffix, i))
                self.officer(unit, dept, ["INSPECTOR"] if i < 2 else ["VIEWER"], username=named)
        for suffix, unit_name, kind in (
            ("KSS", "示范市看守所", "DETENTION_CENTER"),
            ("JLS", "示范市拘留所", "CUSTODY_CENTER"),
        ):
            unit = self.agency(f"{code}-{suffix}", unit_name, kind, city, "CUSTODY")
            self.officer(unit, "CUSTODY", ["VIEWER"])
        return city

    def county(self, city: Agency, index: int, county_name: str, division: str) -> Agency:
        code = f"{city.code}-C{index:02d}"
        bureau = self.agency(code, f"{county_name}公安局", "BUREAU", city, division=division)
        named = f"county{index}" if index <= 2 else None
        login = (lambda role: f"{named}.{role}") if named else (lambda role: None)
        leader = self.officer(bureau, None, ["LEADER"], username=login("leader"), title="局长")
        liaison = self.officer(
            bureau, "LEGAL", ["LIAISON"], username=login("liaison"), title="联络员"
        )
        units = {
            dept: self.agency(f"{code}-{suffix}", unit_name, kind, bureau, dept)
            for suffix, unit_name, kind, dept in COUNTY_UNITS
        }
        inspector = self.officer(
            units["PUBLIC_ORDER"], "PUBLIC_ORDER", ["INSPECTOR"], username=login("inspector")
        )
        for dept, role in (
            ("TRAFFIC", "INSPECTOR"),
            ("CYBER", "INSPECTOR"),
            ("CYBER", "INSPECTOR"),  # a team of two from the brigade, even with one away
            ("CYBER", "INSPECTOR"),
            ("COMMAND", "VIEWER"),
            ("LEGAL", "INSPECTOR"),
            ("INSPECTION", "INSPECTOR"),
        ):
            self.officer(units[dept], dept, [role])
        self.stations(bureau, code)
        self.custody(bureau, code, county_name, index)
        for dept, officer in (
            ("LEGAL", liaison),
            ("PUBLIC_ORDER", inspector),
            ("INSPECTION", leader),
        ):
            services.liaison_appoint(
                actor=None,
                agency_id=bureau.pk,
                department_id=self.departments[dept],
                officer_id=officer.pk,
                phone=officer.phone,
                appointed_on=date(2026, 1, 5),
            )
            self.result.liaisons += 1
        return bureau

    def stations(self, bureau: Agency, code: str) -> None:
        names = self.rng.sample(STATION_NAMES, self.rng.randint(3, 5))
        for s, station in enumerate(names, start=1):
            unit = self.agency(
                f"{code}-P{s:02d}", f"{station}派出所", "POLICE_STATION", bureau, "PUBLIC_ORDER"
            )
            self.officer(unit, "PUBLIC_ORDER", ["VIEWER"], title="所长")
            if s <= 2:
                self.officer(unit, "PUBLIC_ORDER", ["INSPECTOR"])

    def custody(self, bureau: Agency, code: str, county_name: str, index: int) -> None:
        if not county_name.endswith("区") or index == 1:
            unit = self.agency(
                f"{code}-KSS", f"{county_name}看守所", "DETENTION_CENTER", bureau, "CUSTODY"
            )
            self.officer(unit, "CUSTODY", ["VIEWER"])
        if self.rng.random() < 0.5:
            unit = self.agency(
                f"{code}-JLS", f"{county_name}拘留所", "CUSTODY_CENTER", bureau, "CUSTODY"
            )
            self.officer(unit, "CUSTODY", ["VIEWER"])

    def stories(self, city: Agency, counties: list[Agency]) -> None:
        """What waits for someone, so that every queue and the transfer show in the demo."""
        sysadmin = viewer_for(User.objects.get(username="sysadmin"))
        recruit = self.officer(counties[0], "PUBLIC_ORDER", [], title="见习民警", activated=False)
        services.activation_request(actor=sysadmin, user_id=recruit.user_id)
        self.officer(counties[0], "TRAFFIC", [], username="county1.newcomer", title="民警")
        self.officer(counties[1], "CYBER", [], title="民警", activated=False)
        mover = self.officer(counties[1], "LEGAL", ["INSPECTOR"], title="民警")
        city_leader = viewer_for(User.objects.get(username="city.leader"))
        services.officer_transfer(
            actor=city_leader,
            officer_id=mover.pk,
            agency_id=Agency.objects.get(code=f"{city.code}-FZ").pk,
        )

    def pool(self) -> None:
        """The inspector pool: every inspector is qualified (by their bureau's leader) for the
        regimes their department owns in the catalog (loaded first by build_demo); a few are
        away around today; and, once the registry holds subjects (built before this step), a few
        have declared a conflict with an outside subject of their county."""
        catalog = _catalog_in_force()
        owned: dict[str, list[str]] = {}
        for regime in catalog.regimes.values():
            owned.setdefault(regime.department, []).append(regime.code)
        leaders = {bureau_of(o.agency).path: viewer_for(o.user) for o in _holding("LEADER")}
        inspectors = [o for o in _holding("INSPECTOR") if o.department]
        for officer in inspectors:
            leader = leaders[bureau_of(officer.agency).path]
            for code in owned.get(officer.department.code, []):  # type: ignore[union-attr]
                pool_services.qualification_grant(
                    actor=leader, officer_id=officer.pk, regime=code, starts_on="2026-01-01"
                )
        today = pool_selectors.today()
        for officer, (kind, first, last, reason) in zip(
            self.rng.sample(inspectors, len(ABSENCES)), ABSENCES, strict=True
        ):
            pool_services.unavailability_record(
                actor=leaders[bureau_of(officer.agency).path],
                officer_id=officer.pk,
                kind=kind,
                starts_on=today + timedelta(days=first),
                ends_on=None if last is None else today + timedelta(days=last),
                reason=reason,
            )
        for officer, (kind, note) in zip(
            self.rng.sample(inspectors, len(CONFLICTS)), CONFLICTS, strict=True
        ):
            me = viewer_for(officer.user)
            outside = subjects_visible(me).filter(linked_agency=None, linked_department=None)
            subject = outside.filter(agency__active=True).order_by("id").first()
            if subject is not None:
                pool_services.conflict_declare(
                    actor=me, officer_id=officer.pk, subject_id=subject.pk, kind=kind, note=note
                )

    def plans(self) -> None:
        """Each county bureau's 2026 plan of checks, drafted by an inspector of its public-order
        brigade with the tasks of ``PLAN_TASKS``: county 1's waits for its leader's approval,
        county 2's is still a draft, the others are approved and published by their leader."""
        regimes = _catalog_in_force().regimes
        leaders = {bureau_of(o.agency).path: viewer_for(o.user) for o in _holding("LEADER")}
        drafters: dict[str, Viewer] = {}
        for officer in _holding("INSPECTOR"):
            if officer.department and officer.department.code == "PUBLIC_ORDER":
                drafters.setdefault(bureau_of(officer.agency).path, viewer_for(officer.user))
        counties = Agency.objects.filter(kind="BUREAU", level="COUNTY").order_by("code")
        for index, county in enumerate(counties, start=1):
            drafter = drafters[county.path]
            plan = plan_services.plan_create(
                actor=drafter, year=PLAN_YEAR, title=f"{PLAN_YEAR}年度监督检查工作计划"
            )
            for task in PLAN_TASKS:
                if task[0] in regimes:
                    values = _plan_task(drafter, county, task, shift=index % 3)
                    plan_services.task_add(actor=drafter, plan_id=plan.pk, **values)
            if index == 2:
                continue  # still a draft
            plan_services.plan_submit(actor=drafter, plan_id=plan.pk)
            if index == 1:
                continue  # waits for county1.leader
            leader = leaders[county.path]
            plan_services.plan_approve(actor=leader, plan_id=plan.pk)
            plan_services.plan_publish(actor=leader, plan_id=plan.pk)

    def draws(self, committed_at: datetime, seeded_at: datetime) -> None:
        """The random tasks of the published plans have their subjects drawn: each committed by
        the bureau's leader, then made with a lottery result as seed (the last county's still
        waits for its seed, so a newcomer sees both steps)."""
        leaders = {bureau_of(o.agency).path: viewer_for(o.user) for o in _holding("LEADER")}
        tasks = (
            Task.objects.filter(mode="RANDOM", plan__status="PUBLISHED")
            .select_related("plan__agency")
            .order_by("plan__agency__code", "starts_on", "id")
        )
        last_county = max(t.plan.agency.code for t in tasks) if tasks else None
        for issue, task in enumerate(tasks, start=60):
            leader = leaders[task.plan.agency.path]
            with clock.frozen(committed_at):
                draw = draw_services.draw_commit(actor=leader, task_id=task.pk)
            if task.plan.agency.code == last_county:
                continue
            balls = sorted(self.rng.sample(range(1, 34), 6))
            seed = " ".join(f"{n:02d}" for n in balls) + f" + {self.rng.randint(1, 16):02d}"
            with clock.frozen(seeded_at):
                draw_services.draw_seed(
                    actor=leader,
                    draw_id=draw.pk,
                    seed=seed,
                    source=f"中国福利彩票双色球 {PLAN_YEAR}{issue:03d}期 开奖号码",
                )

    def teams(self, committed_at: datetime, seeded_at: datetime) -> None:
        """Every task of the published plans whose subjects are known (named, or drawn) has the
        inspectors of each subject drawn: committed by the bureau's leader, then made with the
        numbers of witnessed dice as seed."""
        leaders = {bureau_of(o.agency).path: viewer_for(o.user) for o in _holding("LEADER")}
        tasks = (
            Task.objects.filter(plan__status="PUBLISHED")
            .exclude(mode="RANDOM", draws__state="COMMITTED")
            .select_related("plan__agency")
            .order_by("plan__agency__code", "starts_on", "id")
        )
        for task in tasks:
            leader = leaders[task.plan.agency.path]
            with clock.frozen(committed_at):
                team_services.teams_commit(actor=leader, task_id=task.pk)
            dice = " ".join(str(self.rng.randint(1, 6)) for _ in range(6))
            with clock.frozen(seeded_at):
                team_services.teams_seed(
                    actor=leader,
                    task_id=task.pk,
                    seed=dice,
                    source=f"{task.plan.agency.name}纪检监察室见证掷骰（六枚）",
                )


PLAN_YEAR = 2026
# The demo plans' tasks: (regime, mode, method, announced, first and last month, the kind of
# subject, how many subjects: named by hand for a fixed check, drawn for a random one).
PLAN_TASKS = [
    ("FINANCE_SECURITY", "SPECIAL", "M03", True, 3, 3, "BANK", 2),
    ("NEIBAO", "PERIODIC", "M01", True, 4, 6, "KEY_SECURITY_UNIT", 3),
    ("CYBER_PROTECTION", "RANDOM", "M01", False, 6, 7, "INTERNET_SERVICE_UNIT", 3),
    ("NEIBAO", "RANDOM", "M04", True, 9, 10, "KEY_SECURITY_UNIT", 5),
]


def _plan_task(
    drafter: Viewer, county: Agency, task: tuple[Any, ...], shift: int
) -> dict[str, Any]:
    """The values of one of ``PLAN_TASKS`` for a county, its months moved by ``shift``."""
    regime, mode, method, announced, first, last, kind, count = task
    first, last = first + shift, last + shift
    values: dict[str, Any] = {
        "regime": regime,
        "mode": mode,
        "method": method,
        "announced": announced,
        "starts_on": date(PLAN_YEAR, first, 1),
        "ends_on": date(PLAN_YEAR, last, calendar.monthrange(PLAN_YEAR, last)[1]),
        "inspectors_per_target": 2,
        "subject_kinds": [kind],
    }
    if mode == "RANDOM":
        return values | {"target_count": count}
    named = (
        subjects_visible(drafter)
        .filter(kind=kind, agency__path__startswith=county.path)
        .exclude(status="CLOSED")
        .order_by("agency__code", "name", "credit_code")
    )
    return values | {"subject_ids": list(named.values_list("pk", flat=True)[:count])}


# The demo pool's absences, around the day the demo is built: (kind, first, last day from today).
ABSENCES = [
    ("LEAVE", -2, 4, "年休假"),
    ("TRAINING", 7, 11, "执法资格培训"),
    ("SECONDMENT", -30, None, "抽调专项工作组"),
    ("LEAVE", 0, 2, "事假"),
]
CONFLICTS = [
    ("RELATIVE", "配偶在该单位任保卫科长"),
    ("FORMER_EMPLOYMENT", "入警前曾在该单位工作"),
    ("FINANCIAL_INTEREST", "亲属持有该单位股份"),
]


def _holding(role: str) -> list[Officer]:
    """Active officers holding ``role``, in badge order."""
    return list(
        Officer.objects.filter(
            active=True, user__role_grants__role=role, user__role_grants__revoked_at=None
        )
        .select_related("agency", "department", "user")
        .order_by("badge_number")
    )


def _catalog_in_force() -> Catalog:
    """The catalog in force, loaded from the catalog folder if none is loaded yet."""
    try:
        return catalog_in_force()
    except NotFound:
        catalog_load(actor=None, path=settings.OVERSIGHT_CATALOG_DIR)
        return catalog_in_force()


def build_demo(*, seed: int = 2026, password: str = DEFAULT_PASSWORD) -> DemoResult:
    """Create the demo city in one transaction; refuse if agencies already exist."""
    demo_rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    with transaction.atomic():
        if Agency.objects.exists():
            raise Conflict("demo data (or real data) already present; use a fresh database")
        load_departments()
        _catalog_in_force()  # first, so the organisation's units follow as subjects as built
        demo = _DemoCity(demo_rng, password)
        demo.administrators()
        city = demo.city()
        counties = [
            demo.county(city, index, name, division)
            for index, (name, division) in enumerate(COUNTIES, start=1)
        ]
        demo.stories(city, counties)
        subjects_follow()
        demo.result.subjects = import_demo_subjects(demo_rng, counties)
        demo.pool()
        started = clock.now()
        with clock.frozen(started - timedelta(hours=2)):  # plans, then draws, a while ago
            demo.plans()
        demo.draws(started - timedelta(hours=1), started - timedelta(minutes=30))
        demo.teams(started - timedelta(minutes=20), started - timedelta(minutes=10))
        record_custody_checks(PLAN_YEAR)
    return demo.result
