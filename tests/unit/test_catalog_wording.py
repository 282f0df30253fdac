"""A version's changes and the catalog's codes are said in words, never as paths or codes."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from pydantic import BaseModel

from oversight.catalog import schema, wording
from oversight.catalog.diff import diff_documents
from oversight.catalog.loader import load

DOCUMENT = load(Path(__file__).resolve().parents[2] / "catalog").document()


def _regime(document, code):
    return next(r for r in document["regimes"] if r["code"] == code)


def _describe(change_document):
    after = copy.deepcopy(DOCUMENT)
    change_document(after)
    reader = wording.ChangeReader(DOCUMENT, after)
    return [reader.describe(c) for c in diff_documents(DOCUMENT, after)]


def test_a_changed_limit_of_a_fine_names_the_regime_the_figure_and_the_limit():
    def raise_the_limit(document):
        _regime(document, "NEIBAO")["figures"]["unit_fine"]["values"][0]["max"] = "200000"

    [change] = _describe(raise_the_limit)
    assert change.where.split(" · ") == [
        "监督检查事项",
        "（二） 对单位内部治安保卫的监督检查",
        "法定数值",
        "“对单位罚款”",
        "数值",
        "第1项",
        "上限",
    ]
    assert (change.before, change.after) == ("100000", "200000")
    assert change.path == "regimes.NEIBAO.figures.unit_fine.values[0].max"


def test_a_code_value_is_said_by_its_name_and_a_provision_by_its_citation():
    def change_codes(document):
        regime = _regime(document, "NEIBAO")
        regime["methods"]["items"][1]["kind"] = "CASE_REVIEW"
        regime["content"]["items"][0]["reference"] = "neibao_regulation.art19"
        regime["methods"]["items"][1]["modes"] = ["RANDOM", "NO_SUCH_MODE"]

    changes = {c.path: c for c in _describe(change_codes)}
    kind = changes["regimes.NEIBAO.methods.items.M02.kind"]
    assert (kind.where.split(" · ")[-2:], kind.before, kind.after) == (
        ["第2项", "类型"],
        "实地检查",
        "阅卷（调阅案卷）",
    )
    reference = changes["regimes.NEIBAO.content.items.C01.reference"]
    assert reference.after == "《企业事业单位内部治安保卫条例》第十九条"
    assert changes["regimes.NEIBAO.methods.items.M02.modes[1]"].after == "（编码值）"


def test_a_whole_regime_added_or_removed_is_named_by_section_and_title():
    def drop_neibao(document):
        document["regimes"] = [r for r in document["regimes"] if r["code"] != "NEIBAO"]

    [change] = _describe(drop_neibao)
    assert change.kind == "removed"
    assert change.where == "监督检查事项 · （二） 对单位内部治安保卫的监督检查"
    assert change.before == "（二） 对单位内部治安保卫的监督检查"


def _fields(model: type[BaseModel], seen: set[type[BaseModel]]) -> set[str]:
    """Every key a catalog document can hold under ``model``."""
    if model in seen:
        return set()
    seen.add(model)
    names = set()
    for name, field in model.model_fields.items():
        names.add(field.alias or name)
        for candidate in _models_in(field.annotation):
            names |= _fields(candidate, seen)
    return names


def _models_in(annotation) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models_in(arg)]


@pytest.mark.parametrize(
    "model", [schema.CatalogHeader, schema.Instrument, schema.Regime, schema.CaseFile]
)
def test_every_key_of_the_catalog_has_a_name_for_the_versions_page(model):
    unnamed = _fields(model, set()) - set(wording.FIELDS) - wording.SILENT
    assert unnamed == set()


def _kind(document, code):
    return next(k for k in document["header"]["subject_kinds"] if k["code"] == code)


def test_a_changed_declaration_of_a_kind_of_subject_is_said_by_the_kind_and_field_names():
    def edit_declarations(document):
        bank = _kind(document, "BANK")
        premises = next(f for f in bank["fields"] if f["name"] == "premises")
        premises["example"] = "VAULT"
        traffic = _kind(document, "TRAFFIC_DEPT")
        traffic["credit_code"] = "optional"
        traffic["links"]["agency_kinds"].append("POLICE_STATION")

    changes = {c.path: c for c in _describe(edit_declarations)}
    example = next(c for path, c in changes.items() if path.endswith(".example"))
    assert example.where.split(" · ")[-4:] == [
        "银行业金融机构",
        "登记事项",
        "“金库或营业场所”",
        "填写示例",
    ]
    assert (example.before, example.after) == ("营业场所", "金库")
    credit = changes["header.subject_kinds.TRAFFIC_DEPT.credit_code"]
    assert credit.where.split(" · ")[-2:] == ["公安机关交通管理部门", "统一社会信用代码"]
    assert (credit.before, credit.after) == ("不适用", "选填")
    linked = changes["header.subject_kinds.TRAFFIC_DEPT.links.agency_kinds[2]"]
    assert linked.after == "派出所"
