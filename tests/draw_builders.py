"""Builders for the tests of random draws: subjects of each risk grade, an approved random task,
a committed and a drawn draw, and a catalog whose regime caps its random checks.

Plans, tasks and draws are written through the services; subjects are rows
(``tests.pool_builders.make_subject``), as in the planning tests.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from oversight.core import clock
from oversight.org.models import Agency
from oversight.planning import services
from oversight.planning.models import Draw, Plan, Task
from oversight.subjects.models import Subject
from tests.conftest import CATALOG_ROOT
from tests.plan_builders import plan_of, random_values
from tests.pool_builders import make_subject

# When draws are committed, and a day later when their seeds are entered (public results come
# after the commitment).
COMMITTED = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
SEEDED = datetime(2026, 3, 3, 13, 30, tzinfo=UTC)
SEED = "03 09 14 21 27 33 + 08"
SOURCE = "中国福利彩票双色球 2026025期 开奖号码"
WEIGHTS = {"A": 4, "B": 3, "C": 2, "D": 1}


def subjects(agency: Agency, n: int, prefix: str = "单位", **values: Any) -> list[Subject]:
    """``n`` subjects of the small catalog's kind in ``agency``, their grades A, B, C, D in turn
    (unless ``values`` sets one)."""
    made = []
    for i in range(n):
        subject = make_subject(agency, f"{prefix}{i:03d}")
        fields = {"risk_grade": "ABCD"[i % 4]} | values
        Subject.objects.filter(pk=subject.pk).update(**fields)
        subject.refresh_from_db()
        made.append(subject)
    return made


def approved_task(
    inspector: Any, leader: Any, title: str = "随机抽查计划", **values: Any
) -> tuple[Plan, Task]:
    """An approved plan of ``inspector``'s bureau with one random spot check (``values`` change
    it: target_count, jurisdiction_ids, risk_grades, include_checked …)."""
    plan = plan_of(inspector, title)
    task = services.task_add(actor=inspector.viewer, plan_id=plan.pk, **random_values(**values))
    services.plan_submit(actor=inspector.viewer, plan_id=plan.pk)
    services.plan_approve(actor=leader.viewer, plan_id=plan.pk)
    plan.refresh_from_db()
    return plan, task


def committed(leader: Any, task: Task) -> Draw:
    with clock.frozen(COMMITTED):
        return services.draw_commit(actor=leader.viewer, task_id=task.pk)


def drawn(leader: Any, task: Task, seed: str = SEED) -> Draw:
    draw = committed(leader, task)
    with clock.frozen(SEEDED):
        return services.draw_seed(actor=leader.viewer, draw_id=draw.pk, seed=seed, source=SOURCE)


def with_cap(catalog: Path, percent: int = 10) -> Path:
    """Give the small catalog's regime a yearly cap on random checks (citing the list's local
    rule of 10%, whose quote holds whatever the percentage)."""
    local = "provisions/local_cyber_content.yaml"
    (catalog / local).write_text((CATALOG_ROOT / local).read_text(encoding="utf-8"), "utf-8")
    regime = catalog / "regimes" / "neibao.yaml"
    text = regime.read_text(encoding="utf-8")
    figure = (
        "figures:\n"
        "  sampling_cap:\n"
        "    label: 抽查面上限（每年）\n"
        "    unit: percent\n"
        "    reference: local_cyber_content.methods\n"
        f"    values: [{{from: 2017-01-01, value: {percent}}}]\n"
    )
    assert text.count("figures:\n") == 1 and text.count("\nseed:\n") == 1
    text = text.replace("figures:\n", figure).replace(
        "\nseed:\n", "\nsampling_cap: sampling_cap\n\nseed:\n"
    )
    regime.write_text(text, encoding="utf-8")
    return catalog


def draw_world(city: Any) -> dict[str, int]:
    """Draws for the access matrix: in each county an approved random task not drawn yet, and a
    committed draw of another task (subjects of its stations first)."""
    subjects(city.a_station, 2, prefix="甲县抽查对象")
    subjects(city.b_station, 2, prefix="乙县抽查对象")
    _plan, a_task = approved_task(city.a_inspector, city.a_leader, "甲县抽查计划", target_count=1)
    _plan, a_drawn = approved_task(city.a_inspector, city.a_leader, "甲县抽查二", target_count=1)
    _plan, b_task = approved_task(city.b_inspector, city.b_leader, "乙县抽查计划", target_count=1)
    _plan, b_drawn = approved_task(city.b_inspector, city.b_leader, "乙县抽查二", target_count=1)
    return {
        "a_random_task": a_task.pk,
        "a_draw": committed(city.a_leader, a_drawn).pk,
        "b_random_task": b_task.pk,
        "b_draw": committed(city.b_leader, b_drawn).pk,
    }
