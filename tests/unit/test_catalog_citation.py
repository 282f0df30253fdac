"""Provisions are cited as people cite them: 《title》article, the list's own numbering for local
rules; never by the catalog's ids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oversight.catalog.citation import citation
from oversight.catalog.loader import CatalogError, load

CATALOG = load(Path(__file__).resolve().parents[2] / "catalog")


def test_a_law_is_cited_by_its_title_in_book_marks_and_its_article():
    assert CATALOG.citations["precursor_regulation.art17"] == "《易制毒化学品管理条例》第十七条"
    assert citation("admin_penalty_law", "中华人民共和国行政处罚法", "第四十二条") == (
        "《中华人民共和国行政处罚法》第四十二条"
    )


@pytest.mark.parametrize(
    ("title", "heading", "expected"),
    [
        (
            "市公安局责任清单（九）一、易制毒化学品购买、运输许可（备案）审批",
            "（四）监督检查措施",
            "《市公安局责任清单》（九）一（四）监督检查措施",
        ),
        (  # the heading repeats the section the title carries
            "市公安局责任清单（七）一、110接处警工作",
            "（七）一、（四）监督检查措施",
            "《市公安局责任清单》（七）一（四）监督检查措施",
        ),
        (
            "市公安局责任清单（十）对全市监管场所的监督检查",
            "五、监督检查程序",
            "《市公安局责任清单》（十）五、监督检查程序",
        ),
    ],
)
def test_a_local_rule_is_cited_by_the_lists_name_section_and_heading(title, heading, expected):
    assert citation("local_x", title, heading) == expected


def test_a_local_rule_whose_title_does_not_name_the_list_keeps_its_title():
    assert citation("local_x", "某地工作规定", "第三部分") == "某地工作规定 · 第三部分"


def test_every_provision_of_the_catalog_has_a_citation_without_ids():
    assert set(CATALOG.citations) == set(CATALOG.provisions)
    for provision_id, cited in CATALOG.citations.items():
        assert provision_id not in cited
        assert not re.search(r"[A-Za-z_]{2,}", cited), cited
        assert cited.startswith("《"), cited


def test_an_instrument_note_sourcing_and_item_sourcing_are_read_and_a_misspelt_key_refused(
    small_catalog: Path,
):
    regime = small_catalog / "regimes/neibao.yaml"
    text = regime.read_text(encoding="utf-8")
    regime.write_text(
        text.replace(
            "{code: X05, text: 根据需要采取的其他监督检查方法}",
            "{code: X05, text: 根据需要采取的其他监督检查方法, note: 说明, sourcing: 来源}",
        ),
        encoding="utf-8",
    )
    [x05] = [i for i in load(small_catalog).regimes["NEIBAO"].measures.items if i.code == "X05"]
    assert (x05.note, x05.sourcing) == ("说明", "来源")
    regime.write_text(
        text.replace("{code: X05, text: 根据", "{code: X05, sourcing_: x, text: 根据")
    )
    with pytest.raises(CatalogError) as caught:
        load(small_catalog)
    assert "sourcing_: unknown key" in str(caught.value.problems[0])
