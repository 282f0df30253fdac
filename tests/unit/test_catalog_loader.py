"""The loader refuses a bad catalog with the file and line of each fault: all or nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from oversight.catalog.loader import CatalogError, load
from oversight.catalog.schema import Figure


@pytest.fixture
def catalog_dir(small_catalog: Path) -> Path:
    return small_catalog


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def problems(root: Path) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        load(root)
    return [str(p) for p in caught.value.problems]


def test_the_small_catalog_loads(catalog_dir):
    catalog = load(catalog_dir)
    assert list(catalog.regimes) == ["NEIBAO"]
    assert catalog.provisions["neibao_regulation.art19"].status == "verified"


def test_an_unknown_key_is_refused_with_file_and_line(catalog_dir):
    regime = catalog_dir / "regimes/neibao.yaml"
    edit(regime, "department: PUBLIC_ORDER\n", "department: PUBLIC_ORDER\ndepartement: TYPO\n")
    found = problems(catalog_dir)
    assert found == [
        f"regimes/neibao.yaml:{line_of(regime, 'departement')}: departement: unknown key"
    ]


def test_a_duplicate_key_is_refused_with_file_and_line(catalog_dir):
    regime = catalog_dir / "regimes/neibao.yaml"
    edit(regime, "section: （二）\n", "section: （二）\nsection: （三）\n")
    found = problems(catalog_dir)
    assert found == [
        f"regimes/neibao.yaml:{line_of(regime, 'section: （三）')}: duplicate key 'section'"
    ]


def test_an_invalid_date_is_refused_with_file_and_line(catalog_dir):
    regime = catalog_dir / "regimes/neibao.yaml"
    edit(regime, "values: [{from: 2004-12-01, min: 10000", "values: [{from: 2004-13-01, min: 10000")
    found = problems(catalog_dir)
    assert len(found) == 1
    assert found[0].startswith(f"regimes/neibao.yaml:{line_of(regime, '2004-13-01')}:")


def test_a_dangling_provision_is_refused_with_file_and_line(catalog_dir):
    regime = catalog_dir / "regimes/neibao.yaml"
    edit(regime, "reference: neibao_regulation.art15}", "reference: neibao_regulation.art99}")
    found = problems(catalog_dir)
    assert found == [
        f"regimes/neibao.yaml:{line_of(regime, 'art99')}: unknown provision neibao_regulation.art99"
    ]


def test_an_unknown_subject_kind_is_refused(catalog_dir):
    regime = catalog_dir / "regimes/neibao.yaml"
    edit(regime, "subject_kinds: [KEY_SECURITY_UNIT]", "subject_kinds: [SPACESHIP]")
    assert problems(catalog_dir) == [
        f"regimes/neibao.yaml:{line_of(regime, 'SPACESHIP')}: unknown subject kind SPACESHIP"
    ]


def test_a_quote_not_in_the_cited_text_is_refused(catalog_dir):
    regime = catalog_dir / "regimes/neibao.yaml"
    edit(
        regime,
        "quote: 对单位处1万元以上10万元以下的罚款",
        "quote: 对单位处2万元以上10万元以下的罚款",
    )
    [found] = problems(catalog_dir)
    assert "the quote is not in the text of neibao_regulation.art19" in found


def test_a_figure_on_verified_law_must_quote_it(catalog_dir):
    regime = catalog_dir / "regimes/neibao.yaml"
    edit(regime, "    quote: 对单位处1万元以上10万元以下的罚款\n", "")
    [found] = problems(catalog_dir)
    assert "must quote its words" in found


def _with_frequency(regime: Path, method: str, applies_to: str) -> None:
    """Give the small catalog's regime a monthly rhythm of ``method`` (reusing its minimum of
    inspectors as the figure: only the references are checked here)."""
    edit(
        regime,
        "    min_inspectors: min_inspectors\n",
        "    min_inspectors: min_inspectors\n"
        "    frequencies:\n"
        f"      - {{method: {method}, figure: min_inspectors, per: month,\n"
        f"         applies_to: {applies_to}}}\n",
    )


def test_a_frequency_names_a_method_and_kinds_of_its_regime(catalog_dir):
    regime = catalog_dir / "regimes/neibao.yaml"
    _with_frequency(regime, "ON_SITE", "[KEY_SECURITY_UNIT]")
    [frequency] = load(catalog_dir).regimes["NEIBAO"].procedure.rules.frequencies
    assert (frequency.method, frequency.applies_to) == ("ON_SITE", ["KEY_SECURITY_UNIT"])


def test_a_frequency_of_a_method_the_regime_lacks_or_of_other_kinds_is_refused(catalog_dir):
    regime = catalog_dir / "regimes/neibao.yaml"
    _with_frequency(regime, "VIDEO_PATROL", "[KEY_SECURITY_UNIT, BANK]")
    line = line_of(regime, "VIDEO_PATROL")
    assert problems(catalog_dir) == [
        f"regimes/neibao.yaml:{line}: VIDEO_PATROL is not a method of this regime",
        f"regimes/neibao.yaml:{line + 1}: BANK is not a subject kind of this regime",
    ]


def test_broken_yaml_is_refused_with_its_line(catalog_dir):
    regime = catalog_dir / "regimes/neibao.yaml"
    edit(regime, "title: 对单位内部治安保卫的监督检查", "title: [unclosed")
    [found] = problems(catalog_dir)
    assert found.startswith("regimes/neibao.yaml:") and "not valid YAML" in found


def test_every_fault_in_every_file_is_reported_at_once(catalog_dir):
    edit(
        catalog_dir / "regimes/neibao.yaml",
        "department: PUBLIC_ORDER\n",
        "department: PUBLIC_ORDER\nextra: 1\n",
    )
    edit(catalog_dir / "provisions/neibao_regulation.yaml", "title: 企业", "titel: 企业")
    found = problems(catalog_dir)
    assert any(p.startswith("regimes/neibao.yaml") for p in found)
    assert any(p.startswith("provisions/neibao_regulation.yaml") for p in found)


def test_yes_and_on_stay_keys_not_booleans(catalog_dir):
    cases = catalog_dir / "regimes/neibao.cases.yaml"
    assert "    on: 2026-01-01" in cases.read_text(encoding="utf-8")
    catalog = load(catalog_dir)
    assert catalog.cases["NEIBAO"].cases[0].on == date(2026, 1, 1)


def _figure(*values: dict) -> Figure:
    return Figure.model_validate(
        {"label": "x", "unit": "CNY", "reference": "a.b", "values": list(values)}
    )


def test_value_at_returns_the_value_in_force():
    figure = _figure({"from": "2010-01-01", "max": 100}, {"from": "2020-01-01", "max": 200})
    assert figure.value_at(date(2009, 12, 31)) is None
    assert figure.value_at(date(2010, 1, 1)).max == Decimal(100)
    assert figure.value_at(date(2019, 12, 31)).max == Decimal(100)
    assert figure.value_at(date(2020, 1, 1)).max == Decimal(200)


def test_figure_values_must_be_in_date_order_and_well_formed():
    with pytest.raises(ValueError, match="increasing order"):
        _figure({"from": "2020-01-01", "max": 1}, {"from": "2010-01-01", "max": 2})
    with pytest.raises(ValueError, match="above max"):
        _figure({"from": "2020-01-01", "min": 5, "max": 1})
    with pytest.raises(ValueError, match="either a value"):
        _figure({"from": "2020-01-01", "value": 5, "max": 1})
