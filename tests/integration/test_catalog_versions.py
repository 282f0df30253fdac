"""Loading stores a version; identical content does not; a bad catalog stores nothing."""

import pytest
from django.core.management import CommandError, call_command

from oversight.audit.models import AuditEvent
from oversight.catalog import selectors
from oversight.catalog.models import CatalogVersion
from oversight.catalog.services import CatalogInvalid, catalog_load


def test_loading_stores_a_version_in_force_with_an_audit_event(db, small_catalog):
    version, created = catalog_load(actor=None, path=small_catalog)
    assert created and version.regime_count == 1
    assert selectors.current_version() == version
    assert list(selectors.catalog_in_force().regimes) == ["NEIBAO"]
    event = AuditEvent.objects.get(action="catalog.load")
    assert event.summary["after"]["content_hash"] == version.content_hash


def test_loading_the_same_content_again_changes_nothing(db, small_catalog):
    first, _ = catalog_load(actor=None, path=small_catalog)
    again, created = catalog_load(actor=None, path=small_catalog)
    assert again == first and not created
    assert CatalogVersion.objects.count() == 1


def test_a_changed_catalog_is_a_new_version_and_diff_names_the_change(db, small_catalog, capsys):
    first, _ = catalog_load(actor=None, path=small_catalog)
    regime = small_catalog / "regimes/neibao.yaml"
    regime.write_text(
        regime.read_text(encoding="utf-8").replace("label: 对单位罚款", "label: 对单位的罚款"),
        encoding="utf-8",
    )
    second, created = catalog_load(actor=None, path=small_catalog)
    assert created and second.pk != first.pk
    assert selectors.current_version() == second
    from tests.conftest import client_for, make_account
    from tests.html import one

    page = client_for(make_account("reader", "AUDIT_ADMIN")).get(f"/catalog/versions/{second.pk}/")
    row = one(page, 'tr[data-path="regimes.NEIBAO.figures.unit_fine.label"]')
    before, after = (td.get_text(strip=True) for td in row.select("td")[2:4])
    assert (before, after) == ("对单位罚款", "对单位的罚款")
    call_command("catalog", "diff", str(first.pk), str(second.pk))
    out = capsys.readouterr().out
    assert "regimes.NEIBAO.figures.unit_fine.label" in out and "1 changes" in out


def test_a_bad_catalog_stores_nothing(db, small_catalog):
    regime = small_catalog / "regimes/neibao.yaml"
    regime.write_text(regime.read_text(encoding="utf-8") + "bogus: 1\n", encoding="utf-8")
    with pytest.raises(CatalogInvalid) as caught:
        catalog_load(actor=None, path=small_catalog)
    assert "bogus: unknown key" in caught.value.problems[0]
    assert CatalogVersion.objects.count() == 0
    assert not AuditEvent.objects.filter(action="catalog.load").exists()


def test_a_failing_case_stores_nothing(db, small_catalog):
    cases = small_catalog / "regimes/neibao.cases.yaml"
    cases.write_text(
        cases.read_text(encoding="utf-8").replace(
            "amount: 100001\n    expect: false", "amount: 100001\n    expect: true"
        ),
        encoding="utf-8",
    )
    with pytest.raises(CatalogInvalid) as caught:
        catalog_load(actor=None, path=small_catalog)
    assert "100001" in caught.value.problems[0]
    assert CatalogVersion.objects.count() == 0


def test_the_check_command_fails_with_file_and_line(db, small_catalog, capsys):
    regime = small_catalog / "regimes/neibao.yaml"
    regime.write_text(
        regime.read_text(encoding="utf-8").replace(
            "section: （二）", "section: （二）\nsection: x"
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="1 problems"):
        call_command("catalog", "check", "--path", str(small_catalog))
    assert "regimes/neibao.yaml:5: duplicate key 'section'" in capsys.readouterr().err


def test_show_and_export_read_the_version_in_force(db, small_catalog, capsys):
    catalog_load(actor=None, path=small_catalog)
    call_command("catalog", "show", "neibao")
    assert "单位治安防范设施的建设、使用和维护情况" in capsys.readouterr().out
    call_command("catalog", "export", "--format", "json")
    import json

    exported = json.loads(capsys.readouterr().out)
    figure = exported["regimes"][0]["figures"]["min_inspectors"]
    assert figure["status"] == "unconfirmed"
    assert exported["regimes"][0]["figures"]["unit_fine"]["status"] == "verified"
    with pytest.raises(CommandError, match="no regime"):
        call_command("catalog", "show", "NOPE")
