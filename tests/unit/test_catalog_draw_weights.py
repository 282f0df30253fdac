"""The weights of a random draw by risk grade: a figure of the whole catalog, checked strictly by
the loader and marked with its provision's status in the export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from oversight.catalog.export import export_document
from oversight.catalog.loader import CatalogError, load
from oversight.catalog.schema import RISK_GRADES
from oversight.subjects.models import RiskGrade
from tests.conftest import CATALOG_ROOT

WEIGHTS = "    - {from: 2017-01-01, A: 4, B: 3, C: 2, D: 1}"


def edit(root: Path, old: str, new: str) -> Path:
    path = root / "catalog.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


def problems(root: Path) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        load(root)
    return [str(p) for p in caught.value.problems]


def test_the_catalog_weighs_each_grade_and_cites_an_unconfirmed_provision():
    catalog = load(CATALOG_ROOT)
    weights = catalog.header.draw_weights
    assert weights is not None
    assert weights.value_at(date(2026, 3, 2)).by_grade() == {"A": 4, "B": 3, "C": 2, "D": 1}
    assert weights.value_at(date(2016, 12, 31)) is None
    assert catalog.provisions[weights.reference].status == "unconfirmed"
    assert catalog.citations[weights.reference].startswith("《")


def test_the_catalogs_grades_are_the_registrys():
    assert tuple(RiskGrade.values) == RISK_GRADES


def test_the_export_marks_the_weights_with_their_status():
    document = export_document(load(CATALOG_ROOT))
    assert document["header"]["draw_weights"]["status"] == "unconfirmed"
    assert document["header"]["draw_weights"]["values"][0]["from"] == "2017-01-01"


def test_the_weights_take_effect_by_date(small_catalog):
    edit(small_catalog, WEIGHTS, WEIGHTS + "\n    - {from: 2027-01-01, A: 10, B: 5, C: 2, D: 1}")
    weights = load(small_catalog).header.draw_weights
    assert weights.value_at(date(2026, 12, 31)).A == 4
    assert weights.value_at(date(2027, 1, 1)).A == 10


@pytest.mark.parametrize(
    "new, needle, message",
    [
        ("    - {from: 2017-01-01, A: 4, B: 3, C: 2}", "A: 4", "draw_weights.values.0.D: Field"),
        ("    - {from: 2017-01-01, A: 4, B: 3, C: 2, D: 1, E: 1}", "A: 4", "unknown key"),
        ("    - {from: 2017-01-01, A: 1001, B: 3, C: 2, D: 1}", "A: 1001", "less than or equal"),
        ("    - {from: 2017-01-01, A: 4, B: 3, C: 2, D: 0}", "D: 0", "greater than or equal"),
    ],
)
def test_a_weight_out_of_bounds_or_a_grade_missing_is_refused_with_its_line(
    small_catalog, new, needle, message
):
    path = edit(small_catalog, WEIGHTS, new)
    found = problems(small_catalog)
    assert len(found) == 1 and message in found[0], found
    assert found[0].startswith(f"catalog.yaml:{line_of(path, needle)}:")


def test_values_out_of_date_order_are_refused(small_catalog):
    edit(small_catalog, WEIGHTS, WEIGHTS + "\n    - {from: 2016-01-01, A: 1, B: 1, C: 1, D: 1}")
    assert any("increasing order" in p for p in problems(small_catalog))


def test_an_unknown_provision_is_refused_with_its_line(small_catalog):
    path = edit(
        small_catalog, "reference: random_draw_weights.weights", "reference: nowhere.weights"
    )
    line = line_of(path, "nowhere.weights")
    assert problems(small_catalog) == [f"catalog.yaml:{line}: unknown provision nowhere.weights"]


def test_a_quote_not_in_the_provision_is_refused(small_catalog):
    path = edit(small_catalog, "quote: A级（高风险）为4", "quote: A级（高风险）为9")
    line = line_of(path, "quote: A级")
    assert problems(small_catalog) == [
        f"catalog.yaml:{line}: the quote is not in the text of random_draw_weights.weights"
    ]


def test_a_catalog_without_weights_loads_and_weighs_nothing(small_catalog):
    path = small_catalog / "catalog.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("draw_weights:")
    end = text.index("subject_kinds:")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    assert load(small_catalog).header.draw_weights is None
