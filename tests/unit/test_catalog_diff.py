from oversight.catalog.diff import diff_documents


def test_a_changed_figure_is_named_by_its_path():
    before = {"regimes": [{"code": "A", "figures": {"fine": {"values": [{"max": 100}]}}}]}
    after = {"regimes": [{"code": "A", "figures": {"fine": {"values": [{"max": 200}]}}}]}
    [change] = diff_documents(before, after)
    assert change.kind == "changed"
    assert change.where == "regimes.A.figures.fine.values[0].max"
    assert (change.before, change.after) == (100, 200)


def test_reordering_items_with_codes_is_not_a_change():
    before = {"items": [{"code": "C01", "text": "a"}, {"code": "C02", "text": "b"}]}
    after = {"items": [{"code": "C02", "text": "b"}, {"code": "C01", "text": "a"}]}
    assert diff_documents(before, after) == []


def test_added_and_removed_regimes_are_listed():
    before = {"regimes": [{"code": "A"}, {"code": "B"}]}
    after = {"regimes": [{"code": "A"}, {"code": "C"}]}
    changes = {(c.kind, c.where) for c in diff_documents(before, after)}
    assert changes == {("removed", "regimes.B"), ("added", "regimes.C")}


def test_identical_documents_have_no_changes():
    doc = {"header": {"name": "x"}, "regimes": [{"code": "A", "items": [1, 2]}]}
    assert diff_documents(doc, doc) == []
