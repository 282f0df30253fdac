"""The demo city's outside subjects: a few thousand, imported kind by kind as the spreadsheets of
other systems arrive, so the registry, its imports and their audit events show in the demo.

Credit codes are made valid (GB 32100) in each county's division; each kind's own fields take
values around the examples the catalog declares. Units of the organisation need none of this:
they follow the organisation as it is built.
"""

from __future__ import annotations

import random
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from oversight.catalog.selectors import catalog_in_force
from oversight.core.fields import FieldSpec
from oversight.org.models import Agency
from oversight.subjects import imports, services
from oversight.subjects.import_rows import columns_of, importable
from oversight.subjects.models import RiskGrade, SubjectImport
from oversight.subjects.policy import CREDIT_ALPHABET, credit_check_character
from oversight.subjects.workbooks import Jurisdictions, csv_bytes, row_cells

# Per county: how many subjects of each kind, and how their names read.
NAMES = {
    "KEY_SECURITY_UNIT": (
        80,
        ["{p}第{n}中学", "{p}人民医院", "{p}自来水厂", "{p}热电厂", "{p}汽车客运站", "{p}供电所"],
    ),
    "BANK": (40, ["中国工商银行{p}支行", "中国农业银行{p}分理处", "{p}农村商业银行营业部"]),
    "INTERNET_SERVICE_UNIT": (60, ["{p}星空网吧", "{p}网络科技有限公司", "{p}宽带服务中心"]),
    "INFO_SYSTEM_UNIT": (30, ["{p}政务服务中心", "{p}医保信息中心", "{p}教育云平台"]),
    "PRECURSOR_ENTERPRISE": (25, ["{p}化工有限公司", "{p}制药有限公司", "{p}试剂经营部"]),
    "PRECURSOR_PERMIT_ACT": (20, ["{p}化工有限公司购买许可", "{p}制药有限公司运输备案"]),
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙"


def credit_code(rng: random.Random, division: str) -> str:
    body = "91" + division + "".join(rng.choice(CREDIT_ALPHABET) for _ in range(9))
    return body + credit_check_character(body)


def own_value(rng: random.Random, spec: FieldSpec) -> Any:
    """A plausible value of a kind's own field, near its declared example."""
    if spec.kind == "choice":
        return rng.choice([value for value, _label in spec.choices])
    if spec.kind == "boolean":
        return rng.random() < 0.8
    if spec.kind == "date":
        return date(2026, 1, 1) - timedelta(days=rng.randint(30, 3000))
    if spec.kind in ("integer", "decimal") and spec.example is not None:
        number = Decimal(spec.example) * Decimal(rng.randint(50, 150)) / 100
        low = spec.minimum if spec.minimum is not None else Decimal(0)
        high = spec.maximum if spec.maximum is not None else number
        number = min(max(number, low), high)
        return int(number) if spec.kind == "integer" else round(number, spec.decimals or 0)
    return spec.example


def _values(
    rng: random.Random, kind: services.KindFields, county: Agency, choices: list[Agency], n: int
) -> dict:
    place = county.name.removesuffix("公安局")
    pattern = rng.choice(NAMES[kind.code][1])
    values: dict[str, Any] = {
        "name": pattern.format(p=place, n=n + 1) + (f"（{n + 1}）" if "{n}" not in pattern else ""),
        "credit_code": credit_code(rng, county.division_code),
        "agency_id": rng.choice(choices).pk,
        "address": f"{place}建设路{rng.randint(1, 300)}号",
        "contact_name": rng.choice(SURNAMES) + rng.choice("伟芳敏静强磊军洋"),
        "contact_phone": f"138{rng.randint(10000000, 99999999)}",
        "risk_grade": rng.choice(RiskGrade.values),
        "status": "SUSPENDED" if rng.random() < 0.03 else "ACTIVE",
        "registered_on": date(2026, 1, 1) - timedelta(days=rng.randint(100, 5000)),
    }
    return values | {spec.name: own_value(rng, spec) for spec in kind.own.specs}


def import_demo_subjects(rng: random.Random, counties: list[Agency]) -> int:
    """Import the outside subjects of every county, one file per kind; return how many."""
    imported = 0
    stations = {
        county.pk: list(county.children.filter(kind="POLICE_STATION").order_by("code")) or [county]
        for county in counties
    }
    with tempfile.TemporaryDirectory(prefix="oversight-demo-") as folder:
        for kind_code in [k.code for k in catalog_in_force().header.subject_kinds]:
            kind = services.kind_fields(kind_code)
            if not importable(kind) or kind_code not in NAMES:
                continue
            per_county = NAMES[kind_code][0]
            rows = [
                _values(rng, kind, county, stations[county.pk], n)
                for county in counties
                for n in range(per_county)
            ]
            path = Path(folder) / f"{kind_code}.csv"
            _write_csv(path, kind, rows)
            record = imports.import_receive(
                actor=None, kind=kind_code, source=path, file_name=path.name, dry_run=False
            )
            done = imports.import_run(import_id=record.pk)
            if done.state != SubjectImport.State.DONE:
                raise RuntimeError(f"demo import of {kind_code} failed: {done.message}")
            imported += done.added
    return imported


def _write_csv(path: Path, kind: services.KindFields, rows: list[dict[str, Any]]) -> None:
    columns = columns_of(kind)
    jurisdictions = Jurisdictions(None)
    lines = [[c.header for c in columns]] + [row_cells(columns, r, jurisdictions, "") for r in rows]
    with path.open("wb") as out:
        for chunk in csv_bytes(lines):
            out.write(chunk)
