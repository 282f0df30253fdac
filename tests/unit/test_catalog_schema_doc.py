import json
from pathlib import Path

from oversight.catalog.export import export_schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "catalog.schema.json"


def test_the_published_json_schema_is_current():
    assert json.loads(DOC.read_text(encoding="utf-8")) == export_schema(), (
        "run `oversight catalog schema > docs/catalog.schema.json`"
    )


def test_the_export_validates_against_the_schema(tmp_path):
    import jsonschema

    from oversight.catalog.export import export_document
    from oversight.catalog.loader import load

    document = export_document(load(Path(__file__).resolve().parents[2] / "catalog"))
    jsonschema.validate(json.loads(json.dumps(document, default=str)), export_schema())
